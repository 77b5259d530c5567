package trigger

import (
	"math"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
)

// Forever is a [Reads.Back] that reaches the beginning of the timeline.
const Forever = time.Duration(math.MaxInt64)

// Reads says which part of a timeline a trigger reads to list its
// firings from some instant from on. It is a guarantee: for a timeline
// whose events have distinct IDs, the firings at or after from, and Next,
// are the same on the whole timeline and on the slice holding only
//
//   - the events of Types (every type with All) at or after from minus
//     Back,
//   - the first event of each type in FirstOf, and the first event of
//     the timeline with First, whatever their age.
//
// A host uses it (through scenario.Engine.Reads) to load a slice of a long
// history instead of all of it.
type Reads struct {
	Types   []string      // event types read, sorted; nil with All
	All     bool          // events of every type are read
	Back    time.Duration // how far before from; Forever for the whole history
	FirstOf []string      // types whose first event is read, sorted
	First   bool          // the timeline's first event is read
}

// Reader is a Trigger that says what it reads. Every trigger of this
// package is one; for a Trigger that is not, assume it reads everything.
type Reader interface {
	Reads() Reads
}

// calendarSlack covers the gap between a calendar duration ("3d", counted
// in local days) and elapsed time: daylight saving changes and the rare
// zone that skipped a whole day.
const calendarSlack = 48 * time.Hour

func back(d time.Duration) time.Duration {
	if d >= Forever-calendarSlack {
		return Forever
	}
	return d + calendarSlack
}

func sortedTypes(ts ...string) []string {
	out := slices.Clone(ts)
	slices.Sort(out)
	return slices.Compact(out)
}

// reads of a matcher: its types and, when a cart can be cancelled, the
// orders that cancel it (always after the cart, so within the window).
func (m matcher) reads(b time.Duration) Reads {
	ts := []string(m.types)
	if m.types.has(parcours.CartAbandoned) {
		ts = append(slices.Clone(ts), parcours.Order)
	}
	return Reads{Types: sortedTypes(ts...), Back: b}
}

// Reads: an event fires at its own time.
func (t eventTrigger) Reads() Reads { return t.m.reads(0) }

// Reads: an event fires After its own time.
func (t delayTrigger) Reads() Reads { return t.m.reads(back(t.after)) }

// Reads: a firing at or after from follows an activity event at most
// After earlier; later activity is in the window too.
func (t inactivityTrigger) Reads() Reads {
	return Reads{Types: sortedTypes(t.types...), Back: back(t.after)}
}

// Reads: the personal rhythm is learnt from every order.
func (t repurchaseTrigger) Reads() Reads {
	return Reads{Types: sortedTypes(t.types...), Back: Forever}
}

// Reads: an order fires at most its longest delay later; a restock that
// supersedes it comes after it.
func (t depletionTrigger) Reads() Reads {
	d := t.after
	for _, x := range t.delays {
		d = max(d, x)
	}
	return Reads{Types: sortedTypes(t.types...), Back: back(d)}
}

// Reads: a running total starts at the first event.
func (t thresholdTrigger) Reads() Reads {
	return Reads{Types: sortedTypes(t.types...), Back: Forever}
}

// Reads: the date is a profile attribute or the first event of a type;
// anniversaries start at the timeline's first event.
func (t anniversaryTrigger) Reads() Reads {
	r := Reads{First: true}
	if t.first != "" {
		r.FirstOf = []string{t.first}
	}
	return r
}

// Reads: the predicate is opaque and is probed at every event since the
// first, so everything is read.
func (t whenTrigger) Reads() Reads { return Reads{All: true, Back: Forever, First: true} }
