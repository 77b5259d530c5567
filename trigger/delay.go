package trigger

import (
	"time"

	"github.com/parcours-dev/parcours"
)

// DelaySpec fires a fixed time After each event of one of Types (a
// satisfaction survey three days after each order). The firing keeps the
// event, so a message can name the store of an in-store purchase
// (parcours.PropStore), and its Key is the event's ID.
//
// After's whole days are calendar days in the profile's zone: "3d" after
// an order at 15:00 is 15:00 three days later, daylight saving change or
// not (see the package doc).
//
// A cart_abandoned event cancelled by an order (see [EventSpec]) produces
// no firing.
type DelaySpec struct {
	Types []string                                                 `json:"types"`           // event types that start a delay (one or more)
	After parcours.Duration                                        `json:"after"`           // how long after the event, > 0
	Where string                                                   `json:"where,omitempty"` // optional expr condition, as in EventSpec
	Match func(p parcours.Profile, e parcours.Event) (bool, error) `json:"-"`               // optional Go predicate, as in EventSpec
}

type delayTrigger struct {
	m     matcher
	after time.Duration
}

func (s *DelaySpec) compile() (Trigger, error) {
	m, err := newMatcher("delay", s.Types, "", s.Where, s.Match)
	if err != nil {
		return nil, err
	}
	if s.After <= 0 {
		return nil, fieldErr("delay.after", "must be > 0, got %s", s.After)
	}
	return delayTrigger{m: m, after: s.After.Std()}, nil
}

// pending calls f for each matching, non-cancelled event with its due
// instant, in timeline order.
func (t delayTrigger) pending(tl parcours.Timeline, ix Index, f func(i int, at time.Time)) error {
	loc, err := location(tl.Profile)
	if err != nil {
		return err
	}
	cs := carts{ix: ix}
	return t.m.types.each(tl, ix, func(i int) error {
		e := tl.Events[i]
		ok, err := t.m.ok(tl.Profile, e)
		if err != nil {
			return err
		}
		if ok && !cs.cancelled(tl.Events, i) {
			f(i, addDuration(e.Time, t.after, loc))
		}
		return nil
	})
}

func (t delayTrigger) reason(f Firing) string {
	var buf [96]byte
	return string(t.appendReason(buf[:0], f))
}

func (t delayTrigger) appendReason(b []byte, f Firing) []byte {
	b, _ = parcours.Duration(t.after).AppendText(b)
	return append(append(append(append(b, " after "...), f.Event.Type...), ' '), f.Key...)
}

// Firings returns the events whose delay has run out at now.
func (t delayTrigger) Firings(tl parcours.Timeline, now time.Time) ([]Firing, error) {
	fs, _, _, err := t.scanFrom(tl, now, ScanOptions{})
	return fs, err
}

// Next returns the earliest due instant after now among the events seen.
func (t delayTrigger) Next(tl parcours.Timeline, now time.Time) (time.Time, bool, error) {
	_, next, ok, err := t.scanFrom(tl, now, ScanOptions{})
	return next, ok, err
}

func (t delayTrigger) scanFrom(tl parcours.Timeline, now time.Time, o ScanOptions) ([]Firing, time.Time, bool, error) {
	from, reasons, dst := o.From, !o.NoReasons, o.Buf
	out := dst[:0]
	var next earliest
	err := t.pending(tl, o.Index, func(i int, at time.Time) {
		if !next.fires(at, now, from) {
			return
		}
		e, ref := tl.Events[i], eventRef(tl.Events, i)
		f := Firing{At: at, Key: ref, Event: e}
		if reasons {
			f.Reason = t.reason(f)
		}
		out = append(out, f)
	})
	if err != nil {
		return nil, time.Time{}, false, err
	}
	sortFirings(out)
	return out, next.at, next.ok, nil
}
