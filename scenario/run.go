package scenario

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/trigger"
)

// firing is one instant a scenario's trigger fired.
type firing struct {
	at     time.Time
	key    string         // stable across evaluations
	event  parcours.Event // the triggering event; zero for When
	pos    int            // events[:pos] were known when it fired
	reason string         // the trigger's Firing.Reason, if it wrote it
	trig   trigger.Trigger
}

// appendWhy appends the first reason of the run's actions, written only
// for a run that has an action to report.
func (f *firing) appendWhy(b []byte) []byte {
	b = append(b, "trigger: "...)
	b = trigger.AppendExplain(b, f.trig, trigger.Firing{At: f.at, Key: f.key, Event: f.event, Reason: f.reason})
	b = append(b, " (fired "...)
	b = f.at.UTC().AppendFormat(b, time.RFC3339)
	return append(b, ')')
}

// runState is one run being walked.
type runState struct {
	idb     [runIDLen]byte // the run's ID, RunID's digest
	ids     string         // idb as a string, made on first use (see id)
	variant string
	firing  firing
	done    []string
	visits  []visit // per step visited: how many times, the latest key
	why     []step  // the path so far, rendered by reasons
}

type visit struct {
	step string
	n    int
	key  [keyLen]byte // actionKey of the latest visit, once hasKey
	has  bool
}

// step is one step of a run's path, kept as data: most runs walked are
// complete or not due, and never need their reasons in words.
type step struct {
	st   *cstep
	kind uint8 // see reasons
	ok   bool
	at   time.Time
}

const (
	whyBranch uint8 = iota
	whyElapsed
	whyMet
	whyTimeout
	whySent
	whyLocal
)

// appendReasons renders the run's path, the Reasons of its action, into
// b, adding the end of each reason to ends.
func (r *runState) appendReasons(b []byte, ends []int) ([]byte, []int) {
	b = r.firing.appendWhy(b)
	ends = append(ends, len(b))
	for _, w := range r.why {
		switch w.kind {
		case whyBranch:
			b = append(append(append(b, "branch "...), w.st.id...), ": "...)
			b = strconv.AppendBool(b, w.ok)
		case whyElapsed:
			b = append(append(append(b, "wait "...), w.st.id...), ": "...)
			b, _ = parcours.Duration(w.st.waitFor).AppendText(b)
			b = append(b, " elapsed"...)
		case whyMet:
			b = append(append(append(b, "wait "...), w.st.id...), ": condition met at "...)
			b = w.at.UTC().AppendFormat(b, time.RFC3339)
		case whyTimeout:
			b = append(append(append(b, "wait "...), w.st.id...), ": timed out after "...)
			b, _ = parcours.Duration(w.st.timeout).AppendText(b)
		case whySent:
			b = append(append(b, "sent "...), w.st.id...)
		case whyLocal:
			b = append(append(append(b, "wait "...), w.st.id...), ": reached "...)
			if wd := w.st.local.Weekday; wd != "" {
				b = append(append(b, wd...), ' ')
			}
			b = append(append(b, w.st.local.Time...), " local"...)
		}
		ends = append(ends, len(b))
	}
	return b, ends
}

// id returns the run's ID. Most runs walked over a long history never
// need it as a string (their sends are looked up by its bytes), so the
// string is made on first use.
func (r *runState) id() string {
	if r.ids == "" {
		r.ids = string(r.idb[:])
	}
	return r.ids
}

// keyBytes returns the idempotency key of the run's latest visit of step,
// as bytes that stay valid until the next visit (nil for a step never
// visited); comparing it with a recorded key makes no string.
func (r *runState) keyBytes(step string) []byte {
	for i := range r.visits {
		if v := &r.visits[i]; v.step == step {
			if !v.has {
				var msg [256]byte
				appendDigest(v.key[:0], 'k', keyLen-1, keyMsg(msg[:0], r.idb[:], step, v.n))
				v.has = true
			}
			return v.key[:]
		}
	}
	return nil
}

// maxWalk bounds the steps one run may take in one evaluation: loops are
// legal when they wait, but a one-minute wait looping over a year would
// otherwise make a single evaluation arbitrarily slow.
const maxWalk = 10_000

func (ev *evaluation) scenario(cs *compiled) {
	ev.sc.transactional = cs.Transactional
	firings, err := ev.firings(cs)
	if err != nil {
		ev.fail(cs, "", err.field, err.err)
		return
	}
	var last *firing
	entered := 0
	variant, assigned := "", false
	for i := range firings {
		f := &firings[i]
		if ev.meter.Spent() {
			// Reported once, by the run that spent it; the firings left
			// are not evaluated this time (the runs before keep their
			// actions: each was decided in full).
			return
		}
		// Each firing considered is an operation of the budget, so the
		// firings of one evaluation are bounded too.
		if err := ev.meter.Spend(1); err != nil {
			ev.fail(cs, "", "trigger", fmt.Errorf("firing %q: %w", f.key, err))
			return
		}
		switch cs.Reentry.Mode {
		case Every:
			if cs.tooOld(f.at, ev.now) {
				continue // no run, and counts for nothing: not even looked at
			}
		case Once:
			if entered > 0 {
				continue
			}
		case OncePer:
			if last != nil && f.at.Before(parcours.AddCalendar(last.at, cs.Reentry.Period.Std(), ev.loc())) {
				continue
			}
		}
		// Trigger.If, then Targeting, only on the firings the reentry
		// rule lets through: whether a firing is let through does not
		// depend on them, and a long history of page views under a
		// once_per rule costs one test per period, not one per view.
		if cs.trigIf != nil {
			ok, err := ev.test(cs.trigIf, ev.tl.Events[:f.pos], f.at, f.event, nil)
			if err != nil {
				ev.fail(cs, "", cs.trigIf.field, fmt.Errorf("on firing %q: %w", f.key, err))
				if ev.meter.Spent() {
					return
				}
				continue
			}
			if !ok {
				continue
			}
		}
		if cs.targeting != nil {
			ok, err := ev.test(cs.targeting, ev.tl.Events[:f.pos], f.at, f.event, nil)
			if err != nil {
				ev.fail(cs, "", cs.targeting.field, err)
				continue
			}
			if !ok {
				continue
			}
		}
		entered++
		last = f
		if !assigned {
			variant, assigned = ev.variant(cs), true
		}
		ev.walk(cs, *f, variant)
	}
}

// tooOld reports whether a run started at is over for sure at now: older
// than the longest a run can last (see life). With Reentry Every such a
// firing matters in no way, so its Trigger.If and Targeting are not even
// evaluated: what a long history holds before then changes nothing, and
// Engine.Reads need not load it.
func (cs *compiled) tooOld(at, now time.Time) bool {
	return cs.life != Forever && at.Before(now.Add(-cs.life))
}

type fieldErr struct {
	field string
	err   error
}

// firings lists the instants the trigger fired, oldest first.
func (ev *evaluation) firings(cs *compiled) ([]firing, *fieldErr) {
	if cs.segRule != nil {
		member := func(tl parcours.Timeline, at time.Time) (bool, error) {
			return ev.test(cs.segRule, tl.Events, at, parcours.Event{}, nil)
		}
		t := trigger.Enter(member)
		if cs.segExit {
			t = trigger.Exit(member)
		}
		return ev.catalogue(cs, t, cs.segRule.field)
	}
	if cs.when == nil {
		return ev.catalogue(cs, cs.cat, "trigger")
	}
	// The condition is evaluated on the timeline trigger.When hands it,
	// as of each instant it probes.
	t := trigger.When(func(tl parcours.Timeline, at time.Time) (bool, error) {
		return ev.test(cs.when, tl.Events, at, parcours.Event{}, nil)
	}, trigger.WhenOptions{Reason: "condition held"})
	return ev.catalogue(cs, t, cs.when.field)
}

// catalogue lists the firings of a trigger from package trigger, filtered
// by Trigger.If, and folds its next firing into Result.Next.
func (ev *evaluation) catalogue(cs *compiled, t trigger.Trigger, field string) ([]firing, *fieldErr) {
	// With Reentry Every, firings older than a run's life matter in no
	// way (see scenario): the trigger need not even build them.
	var from time.Time
	if cs.Reentry.Mode == Every && cs.life != Forever {
		from = ev.now.Add(-cs.life)
	}
	// Reasons are written for the firings whose run reports an action
	// (see firing.why), by trigger.Explain.
	fs, next, ok, err := trigger.Scan(t, ev.tl, ev.now, trigger.ScanOptions{From: from, NoReasons: true, Buf: ev.scanBuf, Index: &ev.idx})
	if err != nil {
		return nil, &fieldErr{field, err}
	}
	// Copied out below: the next scan may reuse the memory.
	if cap(fs) > cap(ev.scanBuf) {
		ev.scanBuf = fs[:0]
	}
	if ok {
		ev.later(next)
	}
	out := ev.firingBuf[:0]
	defer func() { ev.firingBuf = out[:0] }()
	pos := 0 // len(ev.tl.Upto(f.At)), searched from the previous one: firings come sorted
	for i, f := range fs {
		if cs.Reentry.Mode == Every && cs.tooOld(f.At, ev.now) {
			continue // see scenario
		}
		if i > 0 && f.At.Before(fs[i-1].At) {
			pos = 0 // not sorted after all: search from the start
		}
		pos = uptoFrom(ev.tl.Events, pos, f.At)
		out = append(out, firing{at: f.At, key: f.Key, event: f.Event, pos: pos, reason: f.Reason, trig: t})
	}
	return out, nil
}

// uptoFrom returns len(Timeline.Upto(at)) for events sorted by time,
// knowing that it is at least from: it gallops from there, so the
// firings of a long history, which come in order and mostly close
// together, cost a few steps each instead of a search of the whole.
func uptoFrom(evs []parcours.Event, from int, at time.Time) int {
	hi, step := from, 1
	for hi < len(evs) && !evs[hi].Time.After(at) {
		from = hi + 1
		hi += step
		step *= 2
	}
	hi = min(hi, len(evs))
	// evs[from-1] is not after at (or from is where we began); evs[hi],
	// if any, is after it.
	return from + sort.Search(hi-from, func(k int) bool { return evs[from+k].Time.After(at) })
}

// variant assigns the customer in the scenario's experiment. Assignment
// errors (an empty customer ID) leave the customer out of the experiment.
func (ev *evaluation) variant(cs *compiled) string {
	if cs.Experiment == nil {
		return ""
	}
	a, err := cs.Experiment.Assign(ev.tl.Profile.ID)
	switch {
	case err != nil || !a.InExperiment:
		return ""
	case a.HeldOut:
		return HoldoutVariant
	}
	return a.Variant
}

// HoldoutVariant is Action.Variant for customers in an experiment's
// holdout.
const HoldoutVariant = "holdout"

// walk follows one run from its trigger through the steps already done to
// the step it stands at now, and reports that step if it is a due send.
func (ev *evaluation) walk(cs *compiled, f firing, variant string) {
	// One runState serves every walk of the evaluation (walks do not
	// nest); what an action keeps of it is copied out.
	r := &ev.rs
	*r = runState{firing: f, variant: variant, why: r.why[:0], visits: r.visits[:0]}
	var msg [256]byte
	appendDigest(r.idb[:0], 'r', runIDLen-1, part(part(msg[:0], cs.ID), f.key))
	fail := func(field string, err error) { ev.fail(cs, r.id(), field, err) }

	// over reports whether an exit condition ended the run. It is asked
	// only where the run has something pending (a due step, a wait), so
	// the many completed runs of a long history cost no exit scan.
	over := func() bool {
		exited, err := ev.exited(cs, r)
		if err != nil {
			fail(err.field, err.err)
			return true
		}
		return exited
	}

	t := f.at
	cur := 0
	for n := 0; n < maxWalk; n++ {
		if cur >= len(cs.steps) {
			return // complete
		}
		if err := ev.meter.Spend(1); err != nil { // each step walked is an operation
			fail("steps", err)
			return
		}
		st := &cs.steps[cur]
		switch st.kind {
		case kindExit:
			return
		case kindBranch:
			ok, err := ev.test(st.cond, ev.tl.Upto(t), t, f.event, r)
			if err != nil {
				fail(st.cond.field, err)
				return
			}
			if ok {
				cur = st.then
			} else {
				cur = st.else_
			}
			r.why = append(r.why, step{st: st, kind: whyBranch, ok: ok})
		case kindWait:
			if st.until == nil { // a fixed end: a duration, or a local moment
				why := whyElapsed
				if st.local != nil {
					t, why = st.local.After(t, ev.loc()), whyLocal
				} else {
					t = parcours.AddCalendar(t, st.waitFor, ev.loc()).UTC()
				}
				if t.After(ev.now) {
					if !over() {
						ev.later(t)
					}
					return
				}
				r.why = append(r.why, step{st: st, kind: why})
				cur = st.next
				continue
			}
			deadline := parcours.AddCalendar(t, st.timeout, ev.loc()).UTC()
			hit, at, err := ev.until(st, r, t, deadline)
			if err != nil {
				fail(st.until.field, err)
				return
			}
			switch {
			case hit:
				t, cur = at, st.next
				r.why = append(r.why, step{st: st, kind: whyMet, at: at})
			case !deadline.After(ev.now):
				t, cur = deadline, st.onTimeout
				r.why = append(r.why, step{st: st, kind: whyTimeout})
			default:
				if !over() {
					ev.later(deadline)
				}
				return
			}
		case kindSend, kindDo:
			r.visit(st.id)
			if sentAt, ok := ev.sentAt(r, st.id); ok {
				if sentAt.After(t) {
					t = sentAt
				}
				r.done = append(r.done, st.id)
				r.why = append(r.why, step{st: st, kind: whySent})
				cur = st.next
				continue
			}
			if !over() {
				ev.due(cs, r, st, t)
			}
			return
		}
	}
	fail("steps", fmt.Errorf("run took more than %d steps in one evaluation; shorten its loop or lengthen its waits", maxWalk))
}

func (r *runState) visit(step string) {
	for i := range r.visits {
		if v := &r.visits[i]; v.step == step {
			v.n++
			v.has = false // computed when asked
			return
		}
	}
	r.visits = append(r.visits, visit{step: step, n: 1})
}

// visits returns how many times the run visited step.
func (r *runState) visitsOf(step string) int {
	for _, v := range r.visits {
		if v.step == step {
			return v.n
		}
	}
	return 0
}

// exited reports whether an exit condition held on an event after the run
// started. Once it has, nothing more of the run is ever due, so the walk
// need not look at when.
func (ev *evaluation) exited(cs *compiled, r *runState) (bool, *fieldErr) {
	if len(cs.exits) == 0 {
		return false, nil
	}
	if cs.exitsRunFree {
		return ev.exitMemo(cs).exited(ev, cs, r)
	}
	evs := ev.tl.Events
	for i := r.firing.pos; i < len(evs); i++ {
		e := evs[i]
		for _, x := range cs.exits {
			ok, err := ev.test(x, evs[:i+1], e.Time, e, r)
			if err != nil {
				return false, &fieldErr{x.field, fmt.Errorf("on event %q: %w", e.ID, err)}
			}
			if ok {
				return true, nil
			}
		}
	}
	return false, nil
}

// until looks for the first event in (from, min(deadline, now)] on which
// the wait's condition holds.
func (ev *evaluation) until(st *cstep, r *runState, from, deadline time.Time) (bool, time.Time, error) {
	evs := ev.tl.Events
	end := deadline
	if ev.now.Before(end) {
		end = ev.now
	}
	for i := len(ev.tl.Upto(from)); i < len(evs) && !evs[i].Time.After(end); i++ {
		e := evs[i]
		ok, err := ev.test(st.until, evs[:i+1], e.Time, e, r)
		if err != nil {
			return false, time.Time{}, fmt.Errorf("on event %q: %w", e.ID, err)
		}
		if ok {
			return true, e.Time, nil
		}
	}
	return false, time.Time{}, nil
}

// sentAt finds the message_sent event recording the run's current visit of
// step: the n-th one with the run's and step's IDs for the n-th visit, or
// one carrying the visit's key.
func (ev *evaluation) sentAt(r *runState, step string) (time.Time, bool) {
	if !ev.sentOK {
		ev.sentOK = true
		for i, e := range ev.tl.Events {
			if e.Type != parcours.MessageSent && e.Type != parcours.ActionDone {
				continue
			}
			if run, ok := e.String(parcours.PropRun); ok {
				ev.sent = append(ev.sent, sentRec{run, int32(i)})
			}
		}
		// By run, then position: a run's records in timeline order.
		slices.SortFunc(ev.sent, func(a, b sentRec) int { return cmp.Or(strings.Compare(a.run, b.run), cmp.Compare(a.pos, b.pos)) })
	}
	want := r.visitsOf(step)
	n := 0
	var seen [8]string
	counted := seen[:0] // keys already counted: a record kept twice is one visit
	for _, rec := range ev.sentBy(r.idb[:]) {
		e := &ev.tl.Events[rec.pos]
		k, _ := e.String(parcours.PropKey)
		if s, _ := e.String(parcours.PropStep); s == step {
			dup := k != "" && slices.Contains(counted, k)
			if !dup && n+1 == want {
				return e.Time, true // whatever its key says, this is the one
			}
			if k != "" && k == string(r.keyBytes(step)) {
				return e.Time, true
			}
			if dup {
				continue
			}
			if k != "" {
				counted = append(counted, k)
			}
			n++
			continue
		}
		if k != "" && k == string(r.keyBytes(step)) {
			return e.Time, true
		}
	}
	return time.Time{}, false
}

// sentRec is a message_sent or action_done event of a run.
type sentRec struct {
	run string
	pos int32
}

// sentBy returns the records of the run whose ID is id, in timeline order.
func (ev *evaluation) sentBy(id []byte) []sentRec {
	lo, hi := 0, len(ev.sent)
	for lo < hi { // the first record not before id
		m := int(uint(lo+hi) >> 1)
		if ev.sent[m].run < string(id) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	end := lo
	for end < len(ev.sent) && ev.sent[end].run == string(id) {
		end++
	}
	return ev.sent[lo:end]
}

// RunID returns the ID of the run of scenario started by a firing, whose
// key is the trigger package's Firing.Key: the event's ID for On and for
// the event and delay triggers, "when:" followed by the instant in RFC
// 3339 (UTC) for When, and as package trigger documents for the others. Hosts
// rarely need this: actions carry their run. It is there for fixtures,
// which must record message_sent events of runs they have not evaluated.
//
// The scenario's version is not part of the ID, so a new version of a
// scenario carries its runs on.
func RunID(scenario, firingKey string) string {
	var msg [256]byte
	var b [runIDLen]byte
	return string(appendDigest(b[:0], 'r', runIDLen-1, part(part(msg[:0], scenario), firingKey)))
}

// Lengths of run IDs and action keys: a letter and hex digits of a
// SHA-256.
const (
	runIDLen = 21
	keyLen   = 32
)

// actionKey is the idempotency key of a step visit.
func actionKey(run, step string, visit int) string {
	var msg [256]byte
	var b [keyLen]byte
	return string(appendDigest(b[:0], 'k', keyLen-1, keyMsg(msg[:0], run, step, visit)))
}

func keyMsg[T string | []byte](msg []byte, run T, step string, visit int) []byte {
	var n [20]byte
	return part(part(part(msg, run), step), strconv.AppendInt(n[:0], int64(visit), 10))
}

// part appends p to a digest's message with its length before it, so
// that ("ab","c") and ("a","bc") differ.
func part[T string | []byte](msg []byte, p T) []byte {
	msg = strconv.AppendInt(msg, int64(len(p)), 10)
	msg = append(msg, ':')
	return append(msg, p...)
}

// appendDigest appends prefix and the first size hex digits of the
// SHA-256 of msg (made with part). Callers build msg and dst on the
// stack: every run an evaluation walks has an ID, and most are never
// reported, so they make no string.
func appendDigest(dst []byte, prefix byte, size int, msg []byte) []byte {
	sum := sha256.Sum256(msg)
	var out [65]byte
	out[0] = prefix
	hex.Encode(out[1:], sum[:])
	return append(dst, out[:1+size]...)
}
