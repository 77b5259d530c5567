package scenario

import (
	"slices"
	"sort"
	"time"

	"github.com/parcours-dev/parcours"
)

// index answers the questions expressions and runs ask of the canonical
// timeline of one evaluation, each built on first use and kept for the
// rest of the evaluation: the positions of each event type, the value of
// each event of a type, the message events of each run. Every question is
// asked of a prefix of the timeline (the events up to an instant), so the
// answers are a binary search away instead of a scan of the history.
//
// The answers are the scans' answers, in the same order where order
// matters: sums add up the same numbers latest first, as the scan did, so
// they are equal to the last bit.
type index struct {
	evs    []parcours.Event
	byType map[string][]int32 // type -> positions
	values map[string][]value // type -> value of each position (sumEvents of "amount")
	msgs   map[msgKey][]int32 // type and run -> positions of message events

	// The blocks the slices of byType and values are carved from, kept
	// by a pooled evaluation for the next one (see Engine.Evaluate).
	posBlock []int32
	valBlock []value
}

// reset forgets the timeline, keeping the memory for the next one.
func (x *index) reset() {
	x.evs = nil
	clear(x.byType)
	clear(x.values)
	x.msgs = nil      // built whole on first use: nil says "not yet"
	clear(x.valBlock) // values hold errors, which may hold the events
	x.posBlock, x.valBlock = x.posBlock[:0], x.valBlock[:0]
}

type value struct {
	v   float64
	err error
}

type msgKey struct{ typ, run string }

// positions returns the positions of the events of type typ.
func (x *index) positions(typ string) []int32 {
	if p, ok := x.byType[typ]; ok {
		return p
	}
	start := len(x.posBlock)
	for i := range x.evs {
		if x.evs[i].Type == typ {
			x.posBlock = append(x.posBlock, int32(i))
		}
	}
	// Capped, so that nothing appended to the block later lands in it.
	end := len(x.posBlock)
	p := x.posBlock[start:end:end]
	if x.byType == nil {
		x.byType = map[string][]int32{}
	}
	x.byType[typ] = p
	return p
}

// Positions is positions, for trigger.ScanOptions.Index: the triggers
// read only the events of their types.
func (x *index) Positions(typ string) []int32 { return x.positions(typ) }

// prefix reports whether events is a prefix of the indexed timeline, the
// only shape the index answers for.
func (x *index) prefix(events []parcours.Event) bool {
	return len(events) == 0 || len(events) <= len(x.evs) && &events[0] == &x.evs[0]
}

// span returns the range [lo, hi) of p whose events are among the first n
// and later than from (all of the first n when from is zero).
func (x *index) span(p []int32, n int, from time.Time) (lo, hi int) {
	hi = sort.Search(len(p), func(k int) bool { return int(p[k]) >= n })
	if from.IsZero() {
		return 0, hi
	}
	lo = sort.Search(hi, func(k int) bool { return x.evs[p[k]].Time.After(from) })
	return lo, hi
}

// amounts returns the values (parcours.Event.Value) of the events of type
// typ, by position in positions(typ).
func (x *index) amounts(typ string) []value {
	if v, ok := x.values[typ]; ok {
		return v
	}
	p := x.positions(typ)
	start := len(x.valBlock)
	x.valBlock = slices.Grow(x.valBlock, len(p))
	for _, i := range p {
		var v value
		v.v, v.err = x.evs[i].Value()
		x.valBlock = append(x.valBlock, v)
	}
	end := len(x.valBlock)
	v := x.valBlock[start:end:end]
	if x.values == nil {
		x.values = map[string][]value{}
	}
	x.values[typ] = v
	return v
}

// messages returns the positions of the events of type typ (opened,
// clicked) whose run property is run.
func (x *index) messages(typ, run string) []int32 {
	if x.msgs == nil {
		x.msgs = map[msgKey][]int32{}
		for _, t := range [...]string{parcours.MessageOpened, parcours.MessageClicked} {
			for _, i := range x.positions(t) {
				if r, ok := x.evs[i].Props[parcours.PropRun].(string); ok {
					k := msgKey{t, r}
					x.msgs[k] = append(x.msgs[k], i)
				}
			}
		}
	}
	return x.msgs[msgKey{typ, run}]
}
