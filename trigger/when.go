package trigger

import (
	"time"

	"github.com/parcours-dev/parcours"
)

// Defaults of [WhenOptions].
const (
	DefaultResolution = time.Minute
	DefaultHorizon    = 366 * 24 * time.Hour
)

// WhenOptions tunes [When]. The zero value uses the defaults.
type WhenOptions struct {
	// Resolution is the step of the time grid on which a change between
	// two events is looked for; <= 0 means DefaultResolution (1 minute).
	Resolution time.Duration

	// Horizon is how far past now Next looks for the predicate to become
	// true; <= 0 means DefaultHorizon (366 days).
	Horizon time.Duration

	// Reason is the Firing.Reason; empty means "condition became true".
	Reason string
}

// When is the generic condition trigger: it fires at the earliest instant
// pred becomes true, after being false or from the start of the timeline,
// and re-arms once pred is false again. pred receives the timeline as of
// the instant (events at or before it) and the instant.
//
// How instants are searched, so that answers are deterministic and do not
// depend on now:
//
//   - pred is evaluated at each distinct event time (with the events at
//     that time), and, between two event times a < b, on the grid
//     a + k*Resolution (k >= 1, before b; at or before now after the last
//     event). Between two event times pred is assumed to change at most
//     once (true for "no order for N days" and for segment membership
//     that moves with time); the first true grid point is found by
//     bisection, so a change between grid points is reported at the next
//     grid point, at most Resolution late, and a change that reverts
//     within one interval is not seen.
//   - The timeline starts at its first event: a timeline without events
//     never fires, and pred true at the first event fires there.
//   - A firing at an event time carries the last event at that time as
//     its Event; one found on the grid has a zero Event.
//   - Keys are "when:" + At in UTC (RFC 3339 with nanoseconds), stable
//     as long as the past of the timeline is unchanged.
//   - Next returns the first grid point after now where pred becomes true
//     within Horizon; when pred stays false over the whole horizon it
//     returns the horizon's grid point as the instant to check again
//     (ok true), since pred may still turn true later. It reports false
//     when pred is true now, or already turned false after the last event
//     (a second change would need a new event).
//
// A nil pred gives a trigger whose methods return an *[EvalError].
func When(pred func(tl parcours.Timeline, at time.Time) (bool, error), opts WhenOptions) Trigger {
	return newWhen("when", pred, opts, false)
}

type whenTrigger struct {
	kind    string
	pred    func(parcours.Timeline, time.Time) (bool, error)
	res     time.Duration
	horizon time.Duration
	reason  string
	initial bool // the state before the timeline starts
}

func newWhen(kind string, pred func(parcours.Timeline, time.Time) (bool, error), o WhenOptions, initial bool) whenTrigger {
	t := whenTrigger{kind: kind, pred: pred, res: o.Resolution, horizon: o.Horizon, reason: o.Reason, initial: initial}
	if t.res <= 0 {
		t.res = DefaultResolution
	}
	if t.horizon <= 0 {
		t.horizon = DefaultHorizon
	}
	if t.reason == "" {
		t.reason = "condition became true"
	}
	return t
}

// eval runs pred on the timeline as of at.
func (t whenTrigger) eval(tl parcours.Timeline, at time.Time) (bool, error) {
	if t.pred == nil {
		return false, &EvalError{Trigger: t.kind, Err: ErrNoMember}
	}
	v, err := t.pred(parcours.Timeline{Profile: tl.Profile, Events: tl.Upto(at)}, at)
	if err != nil {
		return false, &EvalError{Trigger: t.kind, Err: err}
	}
	return v, nil
}

// firstTrue returns the smallest k in (lo, hi] with pred true at
// a+k*res, knowing it is false at lo and true at hi.
func (t whenTrigger) firstTrue(tl parcours.Timeline, a time.Time, lo, hi int64) (int64, error) {
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		v, err := t.eval(tl, a.Add(time.Duration(mid)*t.res))
		if err != nil {
			return 0, err
		}
		if v {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, nil
}

// scanEnd is the state at the end of a scan, for Next.
type scanEnd struct {
	last    time.Time // last event time
	k       int64     // last grid step at or before now
	atLast  bool      // pred at the last event time
	atNow   bool      // pred at the last grid point at or before now
	started bool      // the timeline has events
}

// scan walks the timeline up to now, appending firings to out.
func (t whenTrigger) scan(tl parcours.Timeline, now time.Time, out *[]Firing) (scanEnd, error) {
	evs := tl.Events
	state := t.initial
	var end scanEnd
	for i := 0; i < len(evs); {
		a := evs[i].Time
		if a.After(now) {
			break
		}
		j := i
		for j+1 < len(evs) && evs[j+1].Time.Equal(a) {
			j++
		}
		v, err := t.eval(tl, a)
		if err != nil {
			return end, err
		}
		if v && !state {
			*out = append(*out, Firing{At: a, Key: whenKey(a), Event: evs[j], Reason: t.reason})
		}
		state = v
		// Grid points after a: before the next event, or up to now.
		var k int64
		if j+1 < len(evs) && !evs[j+1].Time.After(now) {
			k = int64((evs[j+1].Time.Sub(a) - 1) / t.res)
		} else {
			k = int64(now.Sub(a) / t.res)
			end = scanEnd{last: a, k: k, atLast: v, atNow: v, started: true}
		}
		if k >= 1 {
			w, err := t.eval(tl, a.Add(time.Duration(k)*t.res))
			if err != nil {
				return end, err
			}
			if w && !state {
				first, err := t.firstTrue(tl, a, 0, k)
				if err != nil {
					return end, err
				}
				at := a.Add(time.Duration(first) * t.res)
				*out = append(*out, Firing{At: at, Key: whenKey(at), Reason: t.reason})
			}
			state = w
			end.atNow = w
		}
		i = j + 1
	}
	return end, nil
}

func whenKey(at time.Time) string { return "when:" + at.UTC().Format(time.RFC3339Nano) }

// Firings returns the instants pred turned true, up to now.
func (t whenTrigger) Firings(tl parcours.Timeline, now time.Time) ([]Firing, error) {
	var out []Firing
	if _, err := t.scan(tl, now, &out); err != nil {
		return nil, err
	}
	sortFirings(out)
	return out, nil
}

// Next returns the first grid point after now where pred turns true.
func (t whenTrigger) Next(tl parcours.Timeline, now time.Time) (time.Time, bool, error) {
	var discard []Firing
	end, err := t.scan(tl, now, &discard)
	if err != nil {
		return time.Time{}, false, err
	}
	return t.next(tl, now, end)
}

// scanFrom is Firings and Next on one scan of the timeline.
func (t whenTrigger) scanFrom(tl parcours.Timeline, now time.Time, o ScanOptions) ([]Firing, time.Time, bool, error) {
	from, dst := o.From, o.Buf
	out := dst[:0]
	end, err := t.scan(tl, now, &out)
	if err != nil {
		return nil, time.Time{}, false, err
	}
	next, ok, err := t.next(tl, now, end)
	if err != nil {
		return nil, time.Time{}, false, err
	}
	sortFirings(out)
	i := 0
	for i < len(out) && out[i].At.Before(from) {
		i++
	}
	return out[i:], next, ok, nil
}

// next looks ahead from the end of a scan.
func (t whenTrigger) next(tl parcours.Timeline, now time.Time, end scanEnd) (time.Time, bool, error) {
	if !end.started || end.atNow || end.atLast {
		return time.Time{}, false, nil
	}
	// pred is false from the last event to now: look ahead to the horizon.
	ahead := parcours.Duration(now.Sub(end.last.Add(time.Duration(end.k) * t.res))).Add(parcours.Duration(t.horizon)).Add(parcours.Duration(t.res - 1))
	h := end.k + int64(ahead.Std()/t.res)
	at := end.last.Add(time.Duration(h) * t.res)
	v, err := t.eval(tl, at)
	if err != nil {
		return time.Time{}, false, err
	}
	if !v {
		return at, true, nil
	}
	k, err := t.firstTrue(tl, end.last, end.k, h)
	if err != nil {
		return time.Time{}, false, err
	}
	return end.last.Add(time.Duration(k) * t.res), true, nil
}
