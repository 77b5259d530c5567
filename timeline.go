package parcours

import (
	"cmp"
	"slices"
	"time"
)

// Timeline is one customer's history: the profile and every event the host
// recorded, including the messages it sent on parcours' behalf. It is the
// only input parcours needs, and the only state: a scenario's progress is
// read back from the message events in it.
//
// A Timeline as the host builds it may be in any order and hold duplicates;
// call At to get the canonical view that every parcours package works on.
type Timeline struct {
	Profile Profile `json:"profile"`
	Events  []Event `json:"events"`
}

// At returns the timeline as it stood at now, in canonical form:
//
//   - events later than now are left out (a scheduler may hold events it
//     has not reached yet; they have not happened from now's point of view);
//   - events are sorted by time, then by ID, so input order does not matter;
//   - events sharing a non-empty ID are counted once: the earliest is kept
//     (duplicates are expected to be retries of the same record). Events
//     with an empty ID are all kept.
//
// At does not modify t; the result shares the profile's maps with t but
// has its own event slice.
func (t Timeline) At(now time.Time) Timeline {
	evs := make([]Event, 0, len(t.Events))
	for _, e := range t.Events {
		if !e.Time.After(now) {
			evs = append(evs, e)
		}
	}
	slices.SortStableFunc(evs, func(a, b Event) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	// Duplicates are rare; only build the set when two IDs collide.
	var seen map[string]bool
	out := evs[:0]
	for i, e := range evs {
		if e.ID != "" {
			if seen == nil && hasDup(evs[i:], e.ID, evs[:i]) {
				seen = make(map[string]bool, len(evs))
				for _, p := range out {
					if p.ID != "" {
						seen[p.ID] = true
					}
				}
			}
			if seen != nil {
				if seen[e.ID] {
					continue
				}
				seen[e.ID] = true
			}
		}
		out = append(out, e)
	}
	return Timeline{Profile: t.Profile, Events: out}
}

// hasDup reports whether id occurs again in rest[1:] or in before; it keeps
// At allocation-free for the common timeline without duplicates.
func hasDup(rest []Event, id string, before []Event) bool {
	for _, e := range rest[1:] {
		if e.ID == id {
			return true
		}
	}
	for _, e := range before {
		if e.ID == id {
			return true
		}
	}
	return false
}

// Upto returns the events at or before instant t. The timeline must be in
// canonical form (see At); the result shares its backing array.
func (t Timeline) Upto(at time.Time) []Event {
	i, _ := slices.BinarySearchFunc(t.Events, at, func(e Event, at time.Time) int {
		if e.Time.After(at) {
			return 1
		}
		return -1
	})
	return t.Events[:i]
}

// Last returns the latest event of type typ, if any.
func (t Timeline) Last(typ string) (Event, bool) {
	for i := len(t.Events) - 1; i >= 0; i-- {
		if t.Events[i].Type == typ {
			return t.Events[i], true
		}
	}
	return Event{}, false
}

// First returns the earliest event of type typ, if any.
func (t Timeline) First(typ string) (Event, bool) {
	for _, e := range t.Events {
		if e.Type == typ {
			return e, true
		}
	}
	return Event{}, false
}

// Count returns the number of events of type typ in the half-open window
// (from, to]. A zero from means from the beginning.
func (t Timeline) Count(typ string, from, to time.Time) int {
	n := 0
	for _, e := range t.Events {
		if e.Type == typ && inWindow(e.Time, from, to) {
			n++
		}
	}
	return n
}

// Sum adds up the numeric property prop of the events of type typ in the
// half-open window (from, to]. Events where prop is missing or not a
// number add nothing. Sum reads the raw property; what an order is worth
// (its amount, or its lines without one) is [Event.Value].
func (t Timeline) Sum(typ, prop string, from, to time.Time) float64 {
	s := 0.0
	for _, e := range t.Events {
		if e.Type == typ && inWindow(e.Time, from, to) {
			if f, ok := e.Float(prop); ok {
				s += f
			}
		}
	}
	return s
}

func inWindow(at, from, to time.Time) bool {
	return (from.IsZero() || at.After(from)) && !at.After(to)
}

// Location returns the profile's time zone. An empty or unknown zone gives
// UTC and, for an unknown one, ok false, so callers can report it.
//
// "Local" is refused like an unknown zone: it names the zone of whatever
// machine runs the evaluation, so a birthday would be due at 10:00Z on
// one server and 15:00Z on another.
func (p Profile) Location() (loc *time.Location, ok bool) {
	switch p.TimeZone {
	case "":
		return time.UTC, true
	case "Local":
		return time.UTC, false
	}
	l, err := loadLocation(p.TimeZone)
	if err != nil {
		return time.UTC, false
	}
	return l, true
}
