package scenario

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/expr-lang/expr/vm"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/internal/sandbox"
	"github.com/parcours-dev/parcours/segment"
	"github.com/parcours-dev/parcours/trigger"
)

// Engine is a compiled set of scenarios. It is immutable and safe for
// concurrent use; make one at load and evaluate every customer with it.
type Engine struct {
	scenarios  []*compiled
	limits     map[string]limits // scenario ID -> its time limits, for policies
	policy     *compiledPolicy
	segments   FactsSource // nil: segment's zero Config
	clv        Predictor
	clvHorizon time.Duration
	opsLimit   int64 // tests only: a smaller operations budget (0: sandbox.MaxOps)
	exitSets   int   // distinct run-free exit sets (numberExitSets)

	// evals keeps the working memory of finished evaluations for the
	// next ones: an evaluation's indexes, buffers and bound helpers were
	// most of what evaluating a quiet customer allocated. Nothing of a
	// customer stays in it (evaluation.reset), and nothing in a Result
	// points into it.
	evals *sync.Pool
}

// facts returns the source behind facts().
func (e *Engine) facts() FactsSource {
	if e.segments == nil {
		return segment.Config{}
	}
	return e.segments
}

// limits are a scenario's time limits, which policies need too.
type limits struct {
	maxLateness time.Duration // 0: none
	horizon     time.Duration // 0: none
}

// Option configures Compile.
type Option interface {
	apply(*Engine) error
}

// Scenarios returns the IDs of the compiled scenarios, in load order.
func (e *Engine) Scenarios() []string {
	ids := make([]string, len(e.scenarios))
	for i, s := range e.scenarios {
		ids[i] = s.ID
	}
	return ids
}

// Evaluate returns what is due for the customer of tl at now. It reads
// nothing but its arguments, never panics, and gives the same Result for
// the same inputs. The timeline may be in any order and hold duplicates
// and events after now (see parcours.Timeline.At). Events that share an ID
// but differ in content are all evaluated (the later copies renamed "#2",
// "#3"...) and each such ID is reported in Result.Errors as a
// *parcours.ConflictError.
func (e *Engine) Evaluate(tl parcours.Timeline, now time.Time) Result {
	ev := e.evaluation()
	defer e.release(ev)
	canon, conflicts := tl.Canonical(now)
	ev.eng, ev.tl, ev.now, ev.limits = e, canon, now, e.limits
	for _, c := range conflicts {
		ev.res.Errors = append(ev.res.Errors, c)
	}
	ev.env.Profile = ev.tl.Profile
	if _, ok := ev.tl.Profile.Location(); !ok {
		// A bad zone is the marketing profile's problem: say so once
		// and go on in UTC, so that an invoice still goes out.
		ev.res.Errors = append(ev.res.Errors, &trigger.ZoneError{Profile: ev.tl.Profile.ID, Zone: ev.tl.Profile.TimeZone})
		ev.tl.Profile.TimeZone = "UTC"
	}
	ev.idx.evs = ev.tl.Events
	ev.sc.eng, ev.sc.tl, ev.sc.idx, ev.sc.meter = e, ev.tl, &ev.idx, &ev.meter
	sandbox.Attach(&ev.env.meterHook, &ev.meter)
	ev.meter.MaxOps = e.opsLimit
	for _, cs := range e.scenarios {
		ev.meter.Reset() // each scenario its own budget: one cannot starve the others
		ev.scenario(cs)
	}
	ev.applyPolicy(e.policy)
	ev.sort()
	if ev.res.Due == nil {
		ev.res.Due = []Action{} // "due": [] in JSON, for hosts that log results
	}
	return ev.res
}

// evaluation returns working memory for one Evaluate call: a finished
// one's, or a new one with its Env helpers bound.
func (e *Engine) evaluation() *evaluation {
	if e.evals != nil {
		if ev, ok := e.evals.Get().(*evaluation); ok {
			return ev
		}
	}
	ev := new(evaluation)
	ev.sc.bind(&ev.env)
	return ev
}

// release keeps ev's memory for the next evaluation, without anything of
// its customer.
func (e *Engine) release(ev *evaluation) {
	if e.evals == nil || len(ev.tl.Events) > keepUpTo {
		return // a very long history's memory is not kept for the next customer
	}
	ev.reset()
	e.evals.Put(ev)
}

// keepUpTo is the longest timeline whose evaluation's memory is kept for
// the next one: beyond, the buffers sized for it (several per event)
// would stay in the pool for customers who do not need them.
const keepUpTo = 20_000

// reset forgets the customer: what is kept is memory (buffers, maps
// emptied, the VM, the helpers bound to the scope), never data.
func (ev *evaluation) reset() {
	ev.eng, ev.tl, ev.now, ev.res, ev.limits = nil, parcours.Timeline{}, time.Time{}, Result{}, nil
	ev.sc = scope{}
	ev.env.Profile, ev.env.Event, ev.env.Trigger, ev.env.Run = parcours.Profile{}, parcours.Event{}, parcours.Event{}, Run{}
	ev.env.Events, ev.env.Now = nil, time.Time{}
	ev.meter = sandbox.Meter{}
	clear(ev.free)
	ev.idx.reset()
	ev.rs = runState{why: ev.rs.why[:0], visits: ev.rs.visits[:0]}
	clear(ev.scanBuf[:cap(ev.scanBuf)])
	clear(ev.firingBuf[:cap(ev.firingBuf)])
	ev.firingBuf = ev.firingBuf[:0]
	for i := range ev.memos {
		ev.memos[i].ok = false
		ev.memos[i].errs = nil
	}
	clear(ev.sent)
	ev.sent, ev.sentOK = ev.sent[:0], false
	clear(ev.reach)
	ev.text, ev.ends = ev.text[:0], ev.ends[:0]
	ev.strs = nil // the last Result's Reasons are carved from it
}

// evaluation is the working state of one Evaluate call.
type evaluation struct {
	eng   *Engine
	tl    parcours.Timeline
	now   time.Time
	sc    scope
	env   Env
	vm    vm.VM
	meter sandbox.Meter
	res   Result

	limits map[string]limits
	free   map[string]bool // keys of due do-step actions the policy leaves alone

	idx       index
	rs        runState // the run being walked
	firingBuf []firing
	scanBuf   []trigger.Firing // the memory trigger.Scan writes firings into
	memos     []exitMemo       // by compiled.exitSet
	text      []byte           // an action's strings, being written (see action)
	ends      []int            // where each of its reasons ends in text
	strs      []string         // a block Reasons are carved from
	sent      []sentRec        // message_sent and action_done by run, once sentOK
	sentOK    bool
	reach     map[reachKey]reachability
}

// run evaluates p with the environment describing instant at, the events
// seen up to then, the event the expression is about, and the run.
func (ev *evaluation) run(p *program, events []parcours.Event, at time.Time, event parcours.Event, r *runState) (out any, err error) {
	ev.sc.events, ev.sc.now = events, at
	// The instants an expression sees are in UTC, whatever location the
	// host's values carry: now.Hour() must not depend on the server's TZ.
	event.Time = event.Time.UTC()
	ev.env.Events, ev.env.Now, ev.env.Event = events, at.UTC(), event
	if r != nil {
		id := r.id()
		ev.sc.run = id
		ev.env.Trigger = r.firing.event
		ev.env.Trigger.Time = ev.env.Trigger.Time.UTC()
		ev.env.Run = Run{ID: id, Start: r.firing.at.UTC(), Done: r.done, Variant: r.variant}
	} else {
		ev.sc.run = ""
		ev.env.Trigger = event
		ev.env.Run = Run{}
	}
	defer func() {
		// expr recovers its own panics; this is for ours (a helper
		// meeting data no one imagined) — Evaluate must not panic.
		if x := recover(); x != nil {
			out, err = nil, fmt.Errorf("panic: %v", x)
		}
	}()
	// A helper answers from the index in about one step, or scans the
	// events seen at the instant when they are not the index's prefix.
	if ev.idx.prefix(events) {
		ev.meter.SetCallCost(1)
	} else {
		ev.meter.SetCallCost(len(events))
	}
	return ev.meter.Run(&ev.vm, p.Program, &ev.env)
}

func (ev *evaluation) test(p *program, events []parcours.Event, at time.Time, event parcours.Event, r *runState) (bool, error) {
	if m := p.match; m != nil {
		// What running it would give, and cost: one operation.
		if err := ev.meter.Spend(1); err != nil {
			return false, err
		}
		return m.HoldsFor(&event), nil
	}
	out, err := ev.run(p, events, at, event, r)
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("result is %T, not bool", out)
	}
	return b, nil
}

func (ev *evaluation) fail(cs *compiled, run string, field string, err error) {
	ev.res.Errors = append(ev.res.Errors, &Error{Scenario: cs.ID, Version: cs.Version, Field: field, Run: run, Err: err})
}

// loc is the customer's zone (UTC when unknown: Evaluate reported it).
func (ev *evaluation) loc() *time.Location {
	loc, _ := ev.tl.Profile.Location()
	return loc
}

func (ev *evaluation) later(t time.Time) {
	if t.After(ev.now) && (ev.res.Next.IsZero() || t.Before(ev.res.Next)) {
		ev.res.Next = t.UTC()
	}
}

func (ev *evaluation) sort() {
	byAction := func(a, b *Action) int {
		return cmp.Or(a.DueAt.Compare(b.DueAt), cmp.Compare(a.Scenario, b.Scenario), cmp.Compare(a.Run, b.Run), cmp.Compare(a.Step, b.Step))
	}
	slices.SortFunc(ev.res.Due, func(a, b Action) int { return byAction(&a, &b) })
	slices.SortFunc(ev.res.Skipped, func(a, b Skipped) int { return byAction(&a.Action, &b.Action) })
	slices.SortFunc(ev.res.Deferred, func(a, b Deferred) int { return byAction(&a.Action, &b.Action) })
}
