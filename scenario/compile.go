package scenario

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/expr-lang/expr/file"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/internal/sandbox"
	"github.com/parcours-dev/parcours/segment"
	"github.com/parcours-dev/parcours/trigger"
)

type stepKind int

const (
	kindSend stepKind = iota
	kindDo
	kindWait
	kindBranch
	kindExit
)

// compiled is a validated scenario with its expressions compiled.
type compiled struct {
	Scenario
	targeting *program
	trigIf    *program
	when      *program
	cat       trigger.Trigger // the On or catalogue trigger, compiled
	segRule   *program        // a segment trigger's membership, from JSON
	segExit   bool            // segRule: fire on exit instead of entry
	exits     []*program
	// exitsRunFree: no exit condition reads the run (run, trigger,
	// opened, clicked), so one evaluation per event serves every run.
	exitsRunFree bool
	exitSet      int // exitsRunFree: which memo (exitMemo), shared by equal exits
	steps        []cstep
	life         time.Duration // the longest a run can matter after its firing (reads.go)
}

type cstep struct {
	id   string
	kind stepKind
	next int // index of the following step; len(steps) completes the run

	// send
	channels     []parcours.Channel
	template     string
	templateExpr *program // chooses the template, instead of template

	// do (vars holds its params)
	do       string
	doPolicy bool
	vars     []cvar
	variants map[string]*cstep // per experiment variant: the send to use

	// wait
	local     *trigger.Moment // wait until this local moment
	waitFor   time.Duration
	until     *program
	timeout   time.Duration
	onTimeout int

	// branch
	cond        *program
	then, else_ int
}

type cvar struct {
	name string
	prog *program
}

// compiler gathers every problem of one scenario, so a marketer fixes them
// all in one go rather than one per load.
type compiler struct {
	s    *Scenario
	errs []error
}

func (c *compiler) fail(field string, format string, args ...any) {
	c.errs = append(c.errs, &Error{Scenario: c.s.ID, Version: c.s.Version, Field: field, Err: fmt.Errorf(format, args...)})
}

// program compiles one expression; an empty src gives nil.
func (c *compiler) program(field, src string, predicate bool) *program {
	if src == "" {
		return nil
	}
	p, err := sandbox.Compile(src, &Env{}, predicate) // the helpers charge themselves (scope.charge)
	if err != nil {
		e := &Error{Scenario: c.s.ID, Version: c.s.Version, Field: field, Err: err}
		var fe *file.Error
		if errors.As(err, &fe) {
			e.Err = errors.New(fe.Message)
			if fe.Line > 0 {
				e.Line, e.Column, e.Snippet = fe.Line, fe.Column+1, fe.Snippet
			}
		}
		c.errs = append(c.errs, e)
		return nil
	}
	out := &program{Program: p, field: field, src: src}
	if m, ok := p.Match(); ok && predicate && m.OnEvent() {
		out.match = &m
	}
	return out
}

// program is a compiled expression and the field it came from, for errors.
type program struct {
	*sandbox.Program
	field string
	src   string

	// match, for a predicate on a string field of the event such as
	// `event.type == "order"`, answers it without the VM (ev.test).
	match *sandbox.Match
}

// Compile validates scenarios and compiles their expressions against [Env].
// It reports every problem it finds, each as an *Error naming the scenario,
// the field and, for expressions, the line and column; errors.Join bundles
// them: list them with [Errors]. The Engine it returns is immutable and safe for concurrent use.
func Compile(scenarios []Scenario, opts ...Option) (*Engine, error) {
	eng := &Engine{evals: new(sync.Pool)}
	var errs []error
	seen := map[string]bool{}
	members := map[string]trigger.Member{} // segments registered by name
	for _, o := range opts {
		if so, ok := o.(segmentOption); ok {
			members[so.name] = so.member
		}
	}
	for i := range scenarios {
		s := scenarios[i]
		if s.ID != "" && seen[s.ID] {
			errs = append(errs, &Error{Scenario: s.ID, Version: s.Version, Field: "id", Err: errors.New("duplicate scenario ID")})
			continue
		}
		seen[s.ID] = true
		cs, err := compileOne(s, members)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		eng.scenarios = append(eng.scenarios, cs)
		if eng.limits == nil {
			eng.limits = map[string]limits{}
		}
		eng.limits[cs.ID] = limits{maxLateness: cs.MaxLateness.Std(), horizon: cs.Horizon.Std()}
	}
	for _, o := range opts {
		if err := o.apply(eng); err != nil {
			errs = append(errs, err)
		}
	}
	if eng.clv == nil {
		for _, cs := range eng.scenarios {
			for _, p := range cs.programs() {
				if calls(p, "clv") {
					errs = append(errs, &Error{Scenario: cs.ID, Version: cs.Version, Field: p.field,
						Err: errors.New("clv() needs a model: compile with scenario.WithCLV")})
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	eng.numberExitSets()
	return eng, nil
}

// numberExitSets gives scenarios with the same run-free exit conditions
// the same exitSet, so that an evaluation tests them once per event for
// all of them (see exitMemo).
func (e *Engine) numberExitSets() {
	sets := map[string]int{}
	for _, cs := range e.scenarios {
		if !cs.exitsRunFree || len(cs.exits) == 0 {
			continue
		}
		var key strings.Builder
		if cs.Transactional { // reachable() answers by it
			key.WriteString("transactional\x00")
		}
		for _, x := range cs.exits {
			key.WriteString(x.field) // errors name it: part of what is shared
			key.WriteByte(0)
			key.WriteString(x.src)
			key.WriteByte(0)
		}
		n, ok := sets[key.String()]
		if !ok {
			n = len(sets)
			sets[key.String()] = n
		}
		cs.exitSet = n
	}
	e.exitSets = len(sets)
}

func compileOne(s Scenario, members map[string]trigger.Member) (*compiled, error) {
	c := &compiler{s: &s}
	cs := &compiled{Scenario: s}
	if s.ID == "" {
		c.fail("id", "missing")
	}
	cs.targeting = c.program("targeting", s.Targeting, true)

	t := s.Trigger
	kinds := 0
	for _, set := range []bool{len(t.On) > 0, t.When != "", !t.Spec.IsZero()} {
		if set {
			kinds++
		}
	}
	switch {
	case kinds > 1:
		c.fail("trigger", "set one of on, when and a catalogue trigger, not several")
	case kinds == 0:
		c.fail("trigger", "missing: set on (event types), when (a condition) or a catalogue trigger")
	case t.When != "" && t.If != "":
		c.fail("trigger.if", "not with when: put the whole condition in when")
	}
	if seg := t.Spec.Segment; seg != nil && seg.Member == nil {
		// From JSON: a rule, a name registered with WithSegment, or a
		// lifecycle stage or RFM segment of package segment.
		spec := *seg
		rule := seg.Rule
		switch m, ok := members[seg.Name]; {
		case rule != "":
		case ok:
			spec.Member = m
		case slices.Contains(segment.Stages(), seg.Name):
			rule = fmt.Sprintf("facts().stage == %q", seg.Name)
		case slices.Contains(segment.Segments(), segment.Segment(seg.Name)):
			rule = fmt.Sprintf("facts().rfm.segment == %q", seg.Name)
		}
		if rule != "" {
			// Probed per evaluation, like When (see firings).
			spec.Member = func(parcours.Timeline, time.Time) (bool, error) { return false, nil }
			cs.segRule = c.program("trigger.segment.rule", rule, true)
			cs.segExit = seg.On == "exit"
		} else if spec.Member == nil && seg.Name != "" {
			c.fail("trigger.segment.name", "unknown segment %q: give a rule (an expression such as facts().loyalty.tier == \"gold\"), register it with scenario.WithSegment, or name a lifecycle stage (%v) or an RFM segment", seg.Name, segment.Stages())
		}
		t.Spec.Segment = &spec
	}
	if !t.Spec.IsZero() {
		cat, err := t.Spec.Compile()
		if err != nil {
			field := "trigger"
			var fe *trigger.FieldError
			if errors.As(err, &fe) {
				field = "trigger." + strings.TrimPrefix(fe.Field, "trigger")
				field = strings.TrimSuffix(strings.ReplaceAll(field, "..", "."), ".")
				err = errors.New(fe.Msg)
				if fe.Err != nil {
					err = fmt.Errorf("%s: %w", fe.Msg, fe.Err)
				}
			}
			c.errs = append(c.errs, &Error{Scenario: s.ID, Version: s.Version, Field: field, Err: err})
		}
		cs.cat = cat
	}
	for i, typ := range t.On {
		if typ == "" {
			c.fail(fmt.Sprintf("trigger.on[%d]", i), "empty event type")
		}
	}
	if len(t.On) > 0 && len(c.errs) == 0 {
		// On is the catalogue's event trigger, written short: one
		// implementation, one firing key (the event's ID), and the same
		// cart matching.
		cat, err := trigger.Spec{Event: &trigger.EventSpec{Types: t.On}}.Compile()
		if err != nil {
			c.fail("trigger.on", "%v", err)
		}
		cs.cat = cat
	}
	cs.trigIf = c.program("trigger.if", t.If, true)
	cs.when = c.program("trigger.when", t.When, true)

	for i, x := range s.Exit {
		field := fmt.Sprintf("exit[%d]", i)
		if x == "" {
			c.fail(field, "empty expression")
			continue
		}
		cs.exits = append(cs.exits, c.program(field, x, true))
	}

	cs.exitsRunFree = true
	for _, x := range cs.exits {
		if x == nil || calls(x, "run") || calls(x, "trigger") || calls(x, "opened") || calls(x, "clicked") {
			cs.exitsRunFree = false
		}
	}

	switch s.Reentry.Mode {
	case Every, Once:
		if s.Reentry.Period != 0 {
			c.fail("reentry.period", "only with mode %q", OncePer)
		}
	case OncePer:
		if s.Reentry.Period <= 0 {
			c.fail("reentry.period", "must be positive with mode %q", OncePer)
		}
	default:
		c.fail("reentry.mode", "unknown mode %q (want \"\", %q or %q)", s.Reentry.Mode, Once, OncePer)
	}
	if s.Experiment != nil {
		if err := s.Experiment.Validate(); err != nil {
			c.fail("experiment", "%v", err)
		}
		if slices.Contains(s.Experiment.Variants, HoldoutVariant) {
			c.fail("experiment.variants", "%q is reserved for held-out customers", HoldoutVariant)
		}
	}
	if s.MaxLateness < 0 {
		c.fail("max_lateness", "must not be negative")
	}
	if s.Horizon < 0 {
		c.fail("horizon", "must not be negative")
	}

	cs.steps = c.steps(s.Steps)
	if len(c.errs) == 0 {
		c.checkLoops(cs.steps)
	}

	cs.life = life(cs)
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	return cs, nil
}

func (c *compiler) steps(steps []Step) []cstep {
	if len(steps) == 0 {
		c.fail("steps", "a scenario needs at least one step")
		return nil
	}
	index := make(map[string]int, len(steps))
	for i, st := range steps {
		field := fmt.Sprintf("steps[%d].id", i)
		switch _, dup := index[st.ID]; {
		case st.ID == "":
			c.fail(field, "missing")
		case dup:
			c.fail(field, "duplicate step ID %q", st.ID)
		default:
			index[st.ID] = i
		}
	}
	ref := func(field, id string, dflt int) int {
		if id == "" {
			return dflt
		}
		i, ok := index[id]
		if !ok {
			c.fail(field, "unknown step %q", id)
			return dflt
		}
		return i
	}
	out := make([]cstep, len(steps))
	for i, st := range steps {
		at := fmt.Sprintf("steps[%d]", i)
		cst := cstep{id: st.ID}
		n := 0
		for _, set := range []bool{st.Send != nil, st.Do != nil, st.Wait != nil, st.Branch != nil, st.Exit} {
			if set {
				n++
			}
		}
		if n != 1 {
			c.fail(at, "set exactly one of send, do, wait, branch and exit (%d set)", n)
			continue
		}
		cst.next = ref(at+".next", st.Next, i+1)
		switch {
		case st.Send != nil:
			cst.kind = kindSend
			c.send(at+".send", st.Send, &cst)
		case st.Do != nil:
			cst.kind = kindDo
			if st.Do.Kind == "" {
				c.fail(at+".do.kind", "missing: name the action for the host")
			}
			cst.do, cst.doPolicy = st.Do.Kind, st.Do.Policy
			cst.vars = c.vars(at+".do.params", st.Do.Params)
		case st.Wait != nil:
			cst.kind = kindWait
			w := st.Wait
			switch {
			case w.Local != nil && (w.For != 0 || w.Until != "" || w.Timeout != 0 || w.OnTimeout != ""):
				c.fail(at+".wait.local", "set one of for, until with timeout, and local")
			case w.Local != nil:
				if err := w.Local.Check(); err != nil {
					field := at + ".wait.local"
					var fe *trigger.FieldError
					if errors.As(err, &fe) {
						field += "." + fe.Field
						err = errors.New(fe.Msg)
					}
					c.errs = append(c.errs, &Error{Scenario: c.s.ID, Version: c.s.Version, Field: field, Err: err})
				}
				cst.local = w.Local
			case w.For < 0 || w.Timeout < 0:
				c.fail(at+".wait", "durations must not be negative")
			case w.For > 0 && (w.Until != "" || w.Timeout != 0 || w.OnTimeout != ""):
				c.fail(at+".wait", "set either for, or until with timeout")
			case w.For == 0 && w.Until == "":
				c.fail(at+".wait", "set for (a delay), until (a condition) with timeout, or local (a local moment)")
			case w.Until != "" && w.Timeout == 0:
				c.fail(at+".wait.timeout", "required with until, so no run waits forever")
			}
			cst.waitFor, cst.timeout = w.For.Std(), w.Timeout.Std()
			cst.until = c.program(at+".wait.until", w.Until, true)
			cst.onTimeout = ref(at+".wait.on_timeout", w.OnTimeout, cst.next)
		case st.Branch != nil:
			cst.kind = kindBranch
			b := st.Branch
			if st.Next != "" {
				c.fail(at+".next", "a branch chooses with then and else")
			}
			if b.If == "" {
				c.fail(at+".branch.if", "missing")
			}
			if b.Then == "" {
				c.fail(at+".branch.then", "missing")
			}
			cst.cond = c.program(at+".branch.if", b.If, true)
			cst.then = ref(at+".branch.then", b.Then, i+1)
			cst.else_ = ref(at+".branch.else", b.Else, i+1)
		case st.Exit:
			cst.kind = kindExit
			if st.Next != "" {
				c.fail(at+".next", "an exit step has no next")
			}
		}
		out[i] = cst
	}
	return out
}

func (c *compiler) send(at string, s *Send, cst *cstep) {
	for _, name := range sortedKeys(s.Variants) {
		field := at + ".variants." + name
		v := s.Variants[name]
		switch {
		case c.s.Experiment == nil:
			c.fail(field, "variants need the scenario's experiment")
			continue
		case !slices.Contains(c.s.Experiment.Variants, name):
			c.fail(field, "unknown variant %q (experiment has %v)", name, c.s.Experiment.Variants)
			continue
		case v == nil:
			c.fail(field, "empty variant")
			continue
		case len(v.Variants) > 0:
			c.fail(field+".variants", "variants do not nest")
			continue
		}
		vs := &cstep{id: cst.id, kind: kindSend, next: cst.next}
		c.send(field, v, vs)
		if cst.variants == nil {
			cst.variants = map[string]*cstep{}
		}
		cst.variants[name] = vs
	}
	if len(s.Channels) == 0 {
		c.fail(at+".channels", "at least one channel")
	}
	seen := map[parcours.Channel]bool{}
	for i, ch := range s.Channels {
		if ch == "" {
			c.fail(fmt.Sprintf("%s.channels[%d]", at, i), "empty channel")
		}
		if seen[ch] {
			c.fail(fmt.Sprintf("%s.channels[%d]", at, i), "channel %q listed twice", ch)
		}
		seen[ch] = true
	}
	switch {
	case s.Template == "" && s.TemplateExpr == "":
		c.fail(at+".template", "missing: set template, or template_expr to choose it by data")
	case s.Template != "" && s.TemplateExpr != "":
		c.fail(at+".template_expr", "set template or template_expr, not both")
	}
	cst.channels, cst.template = s.Channels, s.Template
	if p := c.program(at+".template_expr", s.TemplateExpr, false); p != nil {
		if t := p.Node().Type(); t != nil && t.Kind() != reflect.String && t.Kind() != reflect.Interface {
			c.fail(at+".template_expr", "gives %s, not a template ID (a string)", t)
		}
		cst.templateExpr = p
	}
	cst.vars = c.vars(at+".vars", s.Vars)
}

// vars compiles named expressions: a send's vars, a do step's params.
func (c *compiler) vars(at string, m map[string]string) []cvar {
	var out []cvar
	for _, name := range sortedKeys(m) {
		field := at + "." + name
		if name == "" {
			c.fail(field, "empty variable name")
			continue
		}
		if m[name] == "" {
			c.fail(field, "empty expression")
			continue
		}
		out = append(out, cvar{name: name, prog: c.program(field, m[name], false)})
	}
	return out
}

// checkLoops rejects a cycle of steps with no wait on it: such a run would
// go round forever within one instant.
func (c *compiler) checkLoops(steps []cstep) {
	const (
		white = iota
		grey
		black
	)
	color := make([]int, len(steps))
	var path []int
	var visit func(i int) bool
	visit = func(i int) bool {
		if i >= len(steps) || steps[i].kind == kindWait {
			return false
		}
		switch color[i] {
		case grey:
			var ids []string
			start := 0
			for k, p := range path {
				if p == i {
					start = k
				}
			}
			for _, p := range path[start:] {
				ids = append(ids, steps[p].id)
			}
			ids = append(ids, steps[i].id)
			c.fail(fmt.Sprintf("steps[%d]", i), "steps loop with no wait: %s", strings.Join(ids, " -> "))
			return true
		case black:
			return false
		}
		color[i] = grey
		path = append(path, i)
		var nexts []int
		switch steps[i].kind {
		case kindSend, kindDo:
			nexts = []int{steps[i].next}
		case kindBranch:
			nexts = []int{steps[i].then, steps[i].else_}
		}
		for _, n := range nexts {
			if visit(n) {
				return true
			}
		}
		path = path[:len(path)-1]
		color[i] = black
		return false
	}
	for i := range steps {
		if color[i] == white && visit(i) {
			return
		}
	}
}

// sortedKeys is used where a map must be walked in a stable order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
