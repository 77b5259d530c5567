package trigger

import (
	"time"

	"github.com/parcours-dev/parcours"
)

// EventSpec fires at each event of one of Types (purchase -> invoice,
// signup or account creation -> welcome, abandoned cart -> reminder).
//
// A cart_abandoned event is cancelled by an order at or after it: the
// order with the same parcours.PropCart when both events carry a cart ID,
// else any order. A cancelled cart produces no firing, even after the
// reminder's time, so a scenario that waits before its first message
// never finds a reminder due once the customer has bought.
//
// The firing's Key is the event's ID and its Event is the event itself.
type EventSpec struct {
	// Types lists the event types that fire (one or more, e.g. "signup"
	// and "account_created").
	Types []string `json:"types"`

	// Where is an optional expr condition on the event, with variables
	// event (a parcours.Event: event.type, event.channel, event.props...)
	// and profile (a parcours.Profile); it must return a bool, e.g.
	// `event.channel == "store"`.
	Where string `json:"where,omitempty"`

	// Match is an optional Go predicate on the event, set from Go only;
	// both Where and Match must hold.
	Match func(p parcours.Profile, e parcours.Event) (bool, error) `json:"-"`
}

type eventTrigger struct{ m matcher }

func (s *EventSpec) compile() (Trigger, error) {
	m, err := newMatcher("event", s.Types, "", s.Where, s.Match)
	if err != nil {
		return nil, err
	}
	return eventTrigger{m}, nil
}

// Firings returns one firing per matching, non-cancelled event.
//
// It never reads the profile's zone, so an unknown zone does not stop it:
// an invoice must not depend on the marketing profile being clean.
func (t eventTrigger) Firings(tl parcours.Timeline, now time.Time) ([]Firing, error) {
	fs, _, _, err := t.scanFrom(tl, now, ScanOptions{})
	return fs, err
}

func (t eventTrigger) scanFrom(tl parcours.Timeline, now time.Time, o ScanOptions) ([]Firing, time.Time, bool, error) {
	from, reasons, dst := o.From, !o.NoReasons, o.Buf
	out := dst[:0]
	cs := carts{ix: o.Index}
	err := t.m.types.each(tl, o.Index, func(i int) error {
		e := tl.Events[i]
		if e.Time.After(now) {
			return errStop
		}
		ok, err := t.m.ok(tl.Profile, e)
		if err != nil {
			return err
		}
		if !ok || cs.cancelled(tl.Events, i) || e.Time.Before(from) {
			return nil
		}
		f := Firing{At: e.Time, Key: eventRef(tl.Events, i), Event: e}
		if reasons {
			f.Reason = t.reason(f)
		}
		out = append(out, f)
		return nil
	})
	if err != nil && err != errStop {
		return nil, time.Time{}, false, err
	}
	sortFirings(out)
	return out, time.Time{}, false, nil
}

func (t eventTrigger) reason(f Firing) string { return f.Event.Type + " " + f.Key }

func (t eventTrigger) appendReason(b []byte, f Firing) []byte {
	return append(append(append(b, f.Event.Type...), ' '), f.Key...)
}

// Next reports false: an event trigger only fires on a new event.
func (t eventTrigger) Next(tl parcours.Timeline, now time.Time) (time.Time, bool, error) {
	return time.Time{}, false, nil
}
