package segment

import (
	"time"

	"github.com/parcours-dev/parcours"
)

// A Tracker computes one customer's Facts at a series of instants while
// the timeline grows. A segment trigger, or any condition on facts()
// tested at every event of a history, asks for the facts once per event:
// computed each time from nothing, that was quadratic in the history
// (566 ms for a segment trigger at 2,000 events).
//
// Facts(tl, now) always returns Compute(tl, now, c). When tl extends the
// timeline of the previous call it costs only the events added: its
// Events are the same array, as long or longer, for the same profile (ID
// and zone), and all of them are in canonical order at now (by time then
// ID, none after now, no repeated ID). Any other call starts over. The
// loyalty state (Config.Loyalty), when configured, is still computed
// from the whole timeline at each call.
//
// The events added must not change while the Tracker is in use (a host
// reusing one array for another version of the timeline makes a new
// Tracker). A Tracker is for one customer at a time and is not safe for
// concurrent use.
type Tracker struct {
	s    settings
	serr error

	evs        []parcours.Event // the events added, a prefix of the caller's
	id, zone   string
	ids        map[string]struct{} // their IDs, to check new ones are not repeats
	a          acc
	hasStarted bool
}

// Tracker returns a Tracker computing the facts with c.
func (c Config) Tracker() *Tracker {
	t := &Tracker{ids: map[string]struct{}{}}
	t.s, t.serr = c.settings()
	return t
}

// Facts returns the facts of the customer of tl at now: Compute(tl, now,
// c), at the cost of the events added since the previous call when tl
// extends its timeline.
func (t *Tracker) Facts(tl parcours.Timeline, now time.Time) (Facts, error) {
	if t.serr != nil {
		return Facts{}, t.serr
	}
	if !t.extends(tl, now) {
		t.start(tl)
		if !t.extends(tl, now) {
			// Not canonical at now: Compute's own view, with nothing kept.
			t.hasStarted = false
			c := canonical(tl, now)
			return compute(&c, now, &t.s)
		}
	}
	for i := len(t.evs); i < len(tl.Events); i++ {
		t.a.add(&tl, &tl.Events[i], &t.s)
	}
	t.evs = tl.Events
	return t.a.facts(&tl, now, &t.s, true)
}

// start forgets the events added.
func (t *Tracker) start(tl parcours.Timeline) {
	t.evs, t.a, t.hasStarted = tl.Events[:0], newAcc(), true
	t.id, t.zone = tl.Profile.ID, tl.Profile.TimeZone
	clear(t.ids)
}

// extends reports whether tl extends the events added, in canonical order
// at now, recording the IDs of the new events. When it does not, the
// caller starts over, which forgets them.
func (t *Tracker) extends(tl parcours.Timeline, now time.Time) bool {
	n := len(t.evs)
	switch {
	case !t.hasStarted, tl.Profile.ID != t.id, tl.Profile.TimeZone != t.zone, len(tl.Events) < n:
		return false
	case n > 0 && &tl.Events[0] != &t.evs[0]:
		return false
	}
	// The new events, after the last one added, are in parcours's
	// canonical order at now (its one rule)...
	if !(parcours.Timeline{Events: tl.Events[max(n-1, 0):]}).IsCanonical(now) {
		return false
	}
	// ...and repeat no ID added before.
	for i := n; i < len(tl.Events); i++ {
		id := tl.Events[i].ID
		if id == "" {
			continue
		}
		if _, dup := t.ids[id]; dup {
			return false // the IDs recorded so far go with the start over
		}
		t.ids[id] = struct{}{}
	}
	return true
}
