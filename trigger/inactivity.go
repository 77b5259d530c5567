package trigger

import (
	"time"

	"github.com/parcours-dev/parcours"
)

// InactivitySpec fires when no event of Types happened for After (the
// 90-day lapsed customer), at the instant After has elapsed since the
// last such event (whole days on the calendar, see the package doc).
//
// It fires once per lapse and re-arms when the customer comes back: the
// next event of Types starts a new clock. An event exactly at the lapse
// instant counts as coming back in time (no firing). A customer who never
// had an event of Types never fires: they are not lapsed, they never
// started (use a [DelaySpec] on signup for "no first order yet").
//
// The firing's Event is the last event before the lapse, its Key
// "inactivity:<that event's ID>".
type InactivitySpec struct {
	Types []string          `json:"types,omitempty"` // event types that count as activity; default ["order"]
	After parcours.Duration `json:"after"`           // how long without activity, > 0
}

type inactivityTrigger struct {
	types typeSet
	after time.Duration
}

func (s *InactivitySpec) compile() (Trigger, error) {
	ts, err := checkTypes("inactivity.types", s.Types, parcours.Order)
	if err != nil {
		return nil, err
	}
	if s.After <= 0 {
		return nil, fieldErr("inactivity.after", "must be > 0, got %s", s.After)
	}
	return inactivityTrigger{types: ts, after: s.After.Std()}, nil
}

// lapses calls f for each activity event that was not followed by another
// one within the delay, with its lapse instant, in timeline order; the
// last activity event is always reported.
func lapses(tl parcours.Timeline, ix Index, types typeSet, lapse func(i int) (time.Time, bool), f func(i int, at time.Time)) {
	prev := -1
	report := func(next time.Time, last bool) {
		if prev < 0 {
			return
		}
		if at, ok := lapse(prev); ok && (last || next.After(at)) {
			f(prev, at)
		}
	}
	types.each(tl, ix, func(i int) error {
		report(tl.Events[i].Time, false)
		prev = i
		return nil
	})
	report(time.Time{}, true)
}

func (t inactivityTrigger) Firings(tl parcours.Timeline, now time.Time) ([]Firing, error) {
	fs, _, _, err := t.scanFrom(tl, now, ScanOptions{})
	return fs, err
}

// Next returns the lapse instant of the last activity when still ahead.
func (t inactivityTrigger) Next(tl parcours.Timeline, now time.Time) (time.Time, bool, error) {
	_, next, ok, err := t.scanFrom(tl, now, ScanOptions{})
	return next, ok, err
}

// scan: only the last activity can lapse after now (any other one was
// followed by an event at or before now, before its lapse), so it gives
// Next.
func (t inactivityTrigger) scanFrom(tl parcours.Timeline, now time.Time, o ScanOptions) ([]Firing, time.Time, bool, error) {
	from, dst := o.From, o.Buf
	loc, err := location(tl.Profile)
	if err != nil {
		return nil, time.Time{}, false, err
	}
	out := dst[:0]
	var next earliest
	lapse := func(i int) (time.Time, bool) { return addDuration(tl.Events[i].Time, t.after, loc), true }
	lapses(tl, o.Index, t.types, lapse, func(i int, at time.Time) {
		if !next.fires(at, now, from) {
			return
		}
		e := tl.Events[i]
		out = append(out, Firing{At: at, Key: "inactivity:" + eventRef(tl.Events, i), Event: e,
			Reason: t.reason(e, loc)})
	})
	sortFirings(out)
	return out, next.at, next.ok, nil
}

// reason writes "no order for 90d since 2026-03-01" in one allocation.
func (t inactivityTrigger) reason(e parcours.Event, loc *time.Location) string {
	var buf [128]byte
	b := t.types.appendTo(append(buf[:0], "no "...))
	b, _ = parcours.Duration(t.after).AppendText(append(b, " for "...))
	return string(appendDay(append(b, " since "...), e.Time, loc))
}
