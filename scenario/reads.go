package scenario

import (
	"maps"
	"reflect"
	"slices"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/trigger"
)

// Forever is a [Span.Back] that reaches the beginning of the timeline.
const Forever = trigger.Forever

// Span is how much of the history of one event type an evaluation at now
// reads. The zero Span reads nothing.
type Span struct {
	// Back: the events at or after now minus Back; Forever for all.
	Back time.Duration
	// Prior: and the latest event before that window ("days since the
	// last order" needs the last order, however old).
	Prior bool
	// First: and the first event of the type (an anniversary of the
	// first order).
	First bool
}

// IsZero reports whether s reads nothing.
func (s Span) IsZero() bool { return s == Span{} }

// join is a Span reading at least what a and b read.
func (s Span) join(o Span) Span {
	return Span{Back: max(s.Back, o.Back), Prior: s.Prior || o.Prior, First: s.First || o.First}
}

// shift is what s, read at any instant in [now-d, now], reads at now.
func (s Span) shift(d time.Duration) Span {
	if s.IsZero() {
		return s
	}
	s.Back = add(s.Back, d)
	return s
}

// add adds two non-negative durations, saturating at Forever (and
// treating anything beyond two hundred years as Forever, so now minus it
// stays a valid instant).
func add(a, b time.Duration) time.Duration {
	const far = 200 * 365 * 24 * time.Hour
	if a >= far || b >= far || a+b >= far {
		return Forever
	}
	return a + b
}

// Reads is the part of a customer's timeline an [Engine] reads: what a
// host loads from its database at each wake-up instead of the whole
// history. See [Engine.Reads] for the guarantee.
type Reads struct {
	// Types says how much of each listed type is read.
	Types map[string]Span
	// Other is how much of every type not in Types is read: zero when
	// those are never read, Forever when evaluation may read anything
	// (an expression using `events`, or a When trigger).
	Other Span
	// First: the timeline's first event, whatever its type, is read
	// (suppression and anniversaries count from it).
	First bool
}

// Span returns how much of the event type typ is read.
func (r Reads) Span(typ string) Span {
	if s, ok := r.Types[typ]; ok {
		return s.join(r.Other)
	}
	return r.Other
}

// Slice returns the part of tl that r says is read at now: tl.At(now)
// without the events evaluation does not look at. A host that keeps a
// customer's history in memory can evaluate the slice; one that keeps it
// in a database loads the same events with a query per type (see the
// example host in examples/river).
func (r Reads) Slice(tl parcours.Timeline, now time.Time) parcours.Timeline {
	c := tl.At(now)
	keep := make([]bool, len(c.Events))
	prior := map[string]int{} // type -> latest index before its window
	first := map[string]bool{}
	for i, e := range c.Events {
		s := r.Span(e.Type)
		switch {
		case s.IsZero():
		case s.Back == Forever || !e.Time.Before(now.Add(-s.Back)):
			keep[i] = true
		case s.Prior:
			prior[e.Type] = i
		}
		if s.First && !first[e.Type] {
			first[e.Type], keep[i] = true, true
		}
	}
	for _, i := range prior {
		keep[i] = true
	}
	if r.First && len(keep) > 0 {
		keep[0] = true
	}
	evs := make([]parcours.Event, 0, len(c.Events))
	for i, e := range c.Events {
		if keep[i] {
			evs = append(evs, e)
		}
	}
	c.Events = evs
	return c
}

// Reads says which event types, and how far back, evaluation reads. It is
// a guarantee: for every now and every timeline whose events have
// distinct IDs (a host stores events by ID) and whose sends were recorded
// when Result.Due returned them (not after their run was let go),
//
//	e.Evaluate(e.Reads().Slice(tl, now), now)
//
// returns the same Result as e.Evaluate(tl, now), and so does any
// timeline holding the slice and more of tl's events (a host may load a
// little more than it must, with a coarser query). It is worked out from
// every scenario, trigger, expression and policy of the Engine:
//
//   - Triggers say what they read from the earliest firing that matters
//     (package trigger, [trigger.Reader]). With Reentry Every, that is
//     the longest a run can last before now: every wait and timeout,
//     each send pending up to MaxLateness or Horizon, then ReportLetGo
//     (see Horizon in the package doc). A scenario without MaxLateness or
//     Horizon, or with a loop, has runs without such a bound, and reads
//     its trigger's types over the whole history. Once and OncePer depend
//     on every firing ever, so their triggers read the whole history of
//     their types, and so do the expressions evaluated at those firings.
//   - A When or segment trigger is probed at every event since the
//     first: it reads everything.
//   - Expressions read through their helpers, from the instant they are
//     evaluated at (anywhere in the run's life before now):
//     daysSince, hasEvent and lastEvent the latest event of their type;
//     countEvents and sumEvents their window in days (all time without
//     one); opened and clicked the run's message events; facts() the
//     types segment reads ([segment.Config.EventTypes]), all time; clv()
//     every order. A type that is not a string literal, `events` itself,
//     or a helper this analysis does not know means every type.
//   - Exit and Wait.Until conditions are tried on every event after the
//     run started; one that starts with `event.type == "x"` (or `in` a
//     list of literals) followed by && is only tried on those types.
//   - Runs read their own message_sent events; channel rules read every
//     unsubscribe, signup, bounce, open and click; caps and Priority read
//     message_sent over their window; suppression reads the latest open,
//     click and order and the first event.
//
// The profile is always read in full.
func (e *Engine) Reads() Reads {
	b := readsBuilder{types: map[string]Span{}}
	for _, cs := range e.scenarios {
		b.scenario(e, cs)
	}
	if p := e.policy; p != nil {
		for _, c := range p.Caps {
			b.add(parcours.MessageSent, Span{Back: c.Window.Std()})
		}
		if p.Priority != nil {
			b.add(parcours.MessageSent, Span{Back: p.Priority.Gap.Std()})
		}
		if p.Suppression != nil {
			for _, t := range []string{parcours.MessageOpened, parcours.MessageClicked, parcours.Order} {
				b.add(t, Span{Prior: true})
			}
			b.r.First = true
		}
	}
	r := b.r
	r.Types = make(map[string]Span, len(b.types))
	for t, s := range b.types {
		if s = s.join(r.Other); s != r.Other {
			r.Types[t] = s
		}
	}
	return r
}

type readsBuilder struct {
	r     Reads
	types map[string]Span
}

func (b *readsBuilder) add(typ string, s Span) {
	if !s.IsZero() {
		b.types[typ] = b.types[typ].join(s)
	}
}

func (b *readsBuilder) other(s Span) { b.r.Other = b.r.Other.join(s) }

func (b *readsBuilder) scenario(e *Engine, cs *compiled) {
	// h: firings that matter are at most h old, and so is every instant
	// an expression of a run is evaluated at.
	h := cs.life
	if cs.Reentry.Mode != Every {
		h = Forever
	}
	switch r, ok := cs.cat.(trigger.Reader); {
	case cs.when != nil || cs.cat == nil || !ok:
		b.other(Span{Back: Forever})
		b.r.First = true
	default:
		tr := r.Reads()
		s := Span{Back: add(tr.Back, h)}
		if tr.All {
			b.other(s)
		}
		for _, t := range tr.Types {
			b.add(t, s)
		}
		for _, t := range tr.FirstOf {
			b.add(t, Span{First: true})
		}
		b.r.First = b.r.First || tr.First
	}
	expr := func(p *program, at time.Duration) {
		if p != nil {
			b.program(e, p, at, h)
		}
	}
	expr(cs.targeting, h)
	expr(cs.trigIf, h)
	expr(cs.when, h)
	// Exit and Until conditions are tried on events since the run began.
	candidates := func(p *program) {
		if ts, ok := guard(p.Node()); ok {
			for _, t := range ts {
				b.add(t, Span{Back: h})
			}
		} else {
			b.other(Span{Back: h})
		}
		expr(p, h)
	}
	for _, x := range cs.exits {
		candidates(x)
	}
	sends := false
	for _, st := range cs.steps {
		switch st.kind {
		case kindWait:
			if st.until != nil {
				candidates(st.until)
			}
		case kindBranch:
			expr(st.cond, h)
		case kindDo:
			for _, v := range st.vars {
				expr(v.prog, 0)
			}
			b.add(parcours.ActionDone, Span{Back: h}) // the run's own records
		case kindSend:
			sends = true
			for _, v := range st.vars {
				expr(v.prog, 0)
			}
			expr(st.templateExpr, 0)
			for _, vs := range st.variants {
				for _, v := range vs.vars {
					expr(v.prog, 0)
				}
				expr(vs.templateExpr, 0)
			}
		}
	}
	b.add(parcours.MessageSent, Span{Back: h}) // the run's own sends
	if sends {
		for _, t := range channelRuleTypes {
			b.add(t, Span{Back: Forever})
		}
	}
}

// channelRuleTypes are the event types the channel rules read (reach).
var channelRuleTypes = []string{parcours.Unsubscribed, parcours.Signup, parcours.MessageBounced, parcours.MessageOpened, parcours.MessageClicked}

// constStrings reads a list of literals that expr folded into a constant.
func constStrings(n ast.Node) ([]string, bool) {
	c, ok := n.(*ast.ConstantNode)
	if !ok {
		return nil, false
	}
	switch v := c.Value.(type) {
	case []string:
		return v, true
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// envNames are the names Env gives expressions, from its expr tags, so
// that a helper added to Env and not known here reads everything.
var envNames = func() map[string]bool {
	m := map[string]bool{}
	t := reflect.TypeFor[Env]()
	for i := range t.NumField() {
		m[t.Field(i).Tag.Get("expr")] = true
	}
	return m
}()

// program adds what p reads when evaluated at instants up to at before
// now, in a run that started at most run before now.
func (b *readsBuilder) program(e *Engine, p *program, at, run time.Duration) {
	all := Span{Back: Forever}
	byType := func(arg ast.Node, s Span) {
		if str, ok := arg.(*ast.StringNode); ok {
			b.add(str.Value, s.shift(at))
		} else {
			b.other(s.shift(at))
		}
	}
	days := func(args []ast.Node, i int) Span {
		if i < len(args) {
			if n, ok := args[i].(*ast.IntegerNode); ok && n.Value > 0 && n.Value < 1_000_000 {
				return Span{Back: time.Duration(n.Value) * 24 * time.Hour}
			}
		}
		return all
	}
	called := map[ast.Node]bool{}
	ast.Find(p.Node(), func(n ast.Node) bool {
		c, ok := n.(*ast.CallNode)
		if !ok {
			return false
		}
		id, ok := c.Callee.(*ast.IdentifierNode)
		if !ok {
			return false
		}
		called[id] = true
		arg := func(i int) ast.Node {
			if i < len(c.Arguments) {
				return c.Arguments[i]
			}
			return nil
		}
		switch id.Value {
		case "daysSince", "hasEvent", "lastEvent":
			byType(arg(0), Span{Prior: true})
		case "countEvents":
			byType(arg(0), days(c.Arguments, 1))
		case "sumEvents":
			byType(arg(0), days(c.Arguments, 2))
		case "opened":
			b.add(parcours.MessageOpened, Span{Back: run})
		case "clicked":
			b.add(parcours.MessageClicked, Span{Back: run})
		case "facts":
			for _, t := range e.facts().EventTypes() {
				b.add(t, all)
			}
		case "clv":
			b.add(parcours.Order, all)
		case "reachable":
			for _, t := range channelRuleTypes {
				b.add(t, all)
			}
		case "controlGroup": // the profile only
		case "lastOf":
			if list, ok := arg(0).(*ast.ArrayNode); ok {
				for _, x := range list.Nodes {
					byType(x, Span{Prior: true})
				}
			} else if ts, ok := constStrings(arg(0)); ok {
				for _, t := range ts {
					b.add(t, Span{Prior: true}.shift(at))
				}
			} else {
				b.other(Span{Prior: true}.shift(at))
			}
		default:
			called[id] = false
		}
		return false
	})
	ast.Find(p.Node(), func(n ast.Node) bool {
		id, ok := n.(*ast.IdentifierNode)
		if !ok || called[id] {
			return false
		}
		switch id.Value {
		case "profile", "event", "trigger", "run", "now":
		default:
			if envNames[id.Value] { // events, a helper not called, or one unknown here
				b.other(all)
			}
		}
		return false
	})
}

// guard returns the event types an Exit or Until condition can hold on
// (and be evaluated on without error) when it begins with a test of
// event.type against literals: `event.type == "order" && ...`.
func guard(n ast.Node) ([]string, bool) {
	bin, ok := n.(*ast.BinaryNode)
	if !ok {
		return nil, false
	}
	switch bin.Operator {
	case "&&", "and":
		return guard(bin.Left)
	case "==":
		l, r := bin.Left, bin.Right
		if isEventType(r) {
			l, r = r, l
		}
		if s, ok := r.(*ast.StringNode); ok && isEventType(l) {
			return []string{s.Value}, true
		}
	case "in":
		if !isEventType(bin.Left) {
			return nil, false
		}
		switch r := bin.Right.(type) {
		case *ast.ArrayNode:
			var ts []string
			for _, x := range r.Nodes {
				s, ok := x.(*ast.StringNode)
				if !ok {
					return nil, false
				}
				ts = append(ts, s.Value)
			}
			return ts, true
		case *ast.ConstantNode:
			switch v := r.Value.(type) {
			case map[string]struct{}:
				return slices.Sorted(maps.Keys(v)), true
			case []string:
				return v, true
			}
		}
	}
	return nil, false
}

func isEventType(n ast.Node) bool {
	m, ok := n.(*ast.MemberNode)
	if !ok || m.Optional {
		return false
	}
	id, ok := m.Node.(*ast.IdentifierNode)
	p, ok2 := m.Property.(*ast.StringNode)
	return ok && ok2 && id.Value == "event" && p.Value == "type"
}

// life bounds how long after its firing a run of cs can still change a
// Result, on a timeline whose sends were recorded when due: every wait
// and timeout of the steps, each send pending up to MaxLateness or
// Horizon (whichever lets go first) and reported for ReportLetGo after.
// Forever when a step can come round again (a loop) or a send can stay
// pending without limit.
func life(cs *compiled) time.Duration {
	pending := time.Duration(0)
	for _, l := range []time.Duration{cs.MaxLateness.Std(), cs.Horizon.Std()} {
		if l > 0 && (pending == 0 || l < pending) {
			pending = l
		}
	}
	total := ReportLetGo
	for _, st := range cs.steps {
		if st.waitFor >= parcours.Day || st.timeout >= parcours.Day {
			// Whole days count on the customer's calendar: allow for
			// the hours daylight-saving changes add to them.
			total = add(total, 48*time.Hour)
			break
		}
	}
	for i, st := range cs.steps {
		var nexts []int
		switch st.kind {
		case kindSend, kindDo:
			if pending == 0 {
				return Forever
			}
			total = add(total, pending)
			nexts = []int{st.next}
		case kindWait:
			total = add(total, add(st.waitFor, st.timeout))
			if st.local != nil {
				total = add(total, 8*24*time.Hour) // a weekday, across a DST day
			}
			nexts = []int{st.next, st.onTimeout}
		case kindBranch:
			nexts = []int{st.then, st.else_}
		case kindExit:
		default: // a kind this bound does not know
			return Forever
		}
		for _, n := range nexts {
			if n <= i {
				return Forever // a step reached again: a loop
			}
		}
	}
	return total
}
