package parcours

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
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
//   - events sharing a non-empty ID and identical in every field (type,
//     instant, channel, properties) are retries of one record and counted
//     once. Events sharing an ID but differing in content conflict: all
//     are kept, so that neither hides the other (an order and an
//     unsubscribe recorded under one ID both count), and the second and
//     later copies, in canonical order, get the ID suffixed with "#2",
//     "#3"... so every ID stays unique; [Timeline.Canonical] reports them.
//     Copies at the same instant are ordered by type, channel and
//     properties, so the choice does not depend on input order.
//     Events with an empty ID are all kept, in input order at equal times.
//
// At does not modify t; the result shares the profile's maps with t but
// has its own event slice.
func (t Timeline) At(now time.Time) Timeline {
	c, _ := t.Canonical(now)
	if len(c.Events) > 0 && len(t.Events) > 0 && &c.Events[0] == &t.Events[0] {
		c.Events = slices.Clone(c.Events)
	}
	return c
}

// Canonical is [Timeline.At] for readers: it returns the same canonical
// view, but shares t's event slice when t already is canonical (sorted,
// nothing after now, no repeated ID), which is how hosts usually store
// timelines, so the common case costs one linear check and no copy. The
// result must not be modified. It also reports each set of events that
// share an ID but differ in content (see At), in ID order; nil when there
// are none.
//
// This is the one canonical view of a timeline: every parcours package
// reads timelines through it.
func (t Timeline) Canonical(now time.Time) (Timeline, []*ConflictError) {
	if t.IsCanonical(now) {
		return t, nil
	}
	evs := make([]Event, 0, len(t.Events))
	for _, e := range t.Events {
		if !e.Time.After(now) {
			evs = append(evs, e)
		}
	}
	slices.SortStableFunc(evs, compareEvents)
	// Group the events of each repeated ID; most IDs occur once, and a
	// timeline with no repeat needs no more than the map.
	first := make(map[string]int, len(evs))
	var repeats map[string][]int // ID -> positions in out of its distinct copies
	out := evs[:0]
	for _, e := range evs {
		if e.ID == "" {
			out = append(out, e)
			continue
		}
		i, seen := first[e.ID]
		if !seen {
			first[e.ID] = len(out)
			out = append(out, e)
			continue
		}
		copies := repeats[e.ID]
		if copies == nil {
			copies = []int{i}
		}
		if slices.ContainsFunc(copies, func(j int) bool { return sameEvent(&out[j], &e) }) {
			continue // a retry
		}
		if repeats == nil {
			repeats = map[string][]int{}
		}
		repeats[e.ID] = append(copies, len(out))
		out = append(out, e)
	}
	if len(repeats) == 0 {
		return Timeline{Profile: t.Profile, Events: out}, nil
	}
	ids := make([]string, 0, len(repeats))
	for id := range repeats {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	conflicts := make([]*ConflictError, 0, len(ids))
	for _, id := range ids {
		c := &ConflictError{Customer: t.Profile.ID, ID: id}
		for k, j := range repeats[id] {
			c.Events = append(c.Events, out[j])
			if k > 0 {
				out[j].ID = id + "#" + strconv.Itoa(k+1)
			}
		}
		conflicts = append(conflicts, c)
	}
	// A renamed ID may sort differently among events at the same instant.
	slices.SortStableFunc(out, func(a, b Event) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.ID, b.ID))
	})
	return Timeline{Profile: t.Profile, Events: out}, conflicts
}

// compareEvents orders events by time, then ID, then, for copies sharing
// an ID, by content, so conflicting copies get their suffixes the same
// way whatever the input order. Events without ID keep their input order.
func compareEvents(a, b Event) int {
	if c := cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.ID, b.ID)); c != 0 || a.ID == "" {
		return c
	}
	if c := cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Channel, b.Channel)); c != 0 {
		return c
	}
	if reflect.DeepEqual(a.Props, b.Props) {
		return 0
	}
	return cmp.Compare(fmt.Sprint(a.Props), fmt.Sprint(b.Props))
}

// sameEvent reports whether two events with the same ID are copies of one
// record.
func sameEvent(a, b *Event) bool {
	return a.Type == b.Type && a.Time.Equal(b.Time) && a.Channel == b.Channel &&
		(len(a.Props) == 0 && len(b.Props) == 0 || reflect.DeepEqual(a.Props, b.Props))
}

// ConflictError reports events of one customer that share an ID but
// differ in content: two records, not a retry. parcours keeps them all
// (see [Timeline.At]) and reports them, since the host's data needs a
// look: an ID should name one record.
type ConflictError struct {
	Customer string  // the profile's ID
	ID       string  // the shared ID
	Events   []Event // the distinct copies, in canonical order, as recorded
}

// Error says which ID conflicts and how the copies were renamed.
func (e *ConflictError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "parcours: customer %q: %d different events share ID %q (", e.Customer, len(e.Events), e.ID)
	for k, ev := range e.Events {
		if k > 0 {
			b.WriteString(", ")
		}
		id := e.ID
		if k > 0 {
			id += "#" + strconv.Itoa(k+1)
		}
		fmt.Fprintf(&b, "%s %s at %s", id, ev.Type, ev.Time.UTC().Format(time.RFC3339))
	}
	b.WriteString("); all kept")
	return b.String()
}

// IsCanonical reports whether t already is in the canonical form at now
// (see [Timeline.At]): sorted by time then ID, nothing after now, no
// repeated non-empty ID. It takes one linear pass: repeats are found with
// an open-addressing set of 64-bit ID hashes (on the stack for short
// timelines), a hash match being confirmed by comparing the IDs.
func (t Timeline) IsCanonical(now time.Time) bool {
	evs := t.Events
	var small [512]uint64
	var set []uint64
	if 2*len(evs) <= len(small) {
		set = small[:]
	} else {
		n := 1024
		for n < 2*len(evs) {
			n *= 2
		}
		set = make([]uint64, n)
	}
	mask := uint64(len(set) - 1)
	for i := range evs {
		e := &evs[i]
		if e.Time.After(now) {
			return false
		}
		if i > 0 {
			p := &evs[i-1]
			if c := p.Time.Compare(e.Time); c > 0 || c == 0 && p.ID > e.ID {
				return false
			}
		}
		if e.ID == "" {
			continue
		}
		h := hashID(e.ID)
		for j := h & mask; ; j = (j + 1) & mask {
			if set[j] == 0 {
				set[j] = h
				break
			}
			if set[j] == h && repeated(evs[:i], e.ID) {
				return false
			}
		}
	}
	return true
}

// repeated reports whether id occurs in evs; called on a hash match only.
func repeated(evs []Event, id string) bool {
	for i := range evs {
		if evs[i].ID == id {
			return true
		}
	}
	return false
}

// hashID is 64-bit FNV-1a, never 0 (the empty slot).
func hashID(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	if h == 0 {
		h = 1
	}
	return h
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
