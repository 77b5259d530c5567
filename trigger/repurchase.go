package trigger

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
)

// RepurchaseSpec fires when the time since a customer's last order exceeds
// their own usual interval between orders times Factor (the customer who
// buys every three months and has not for four).
//
// Orders placed on the same local calendar day (profile's zone) are one
// purchase occasion: a split basket is not a rhythm. The usual interval is
// the median (or mean) of the elapsed times between the first orders of
// consecutive occasions, computed from the occasions up to and including
// the last order, and only once the customer has MinOrders occasions. The
// firing instant is the last order's time plus Factor times that interval
// (rounded to the second); like [InactivitySpec], it fires once per lapse,
// an order exactly at that instant prevents it, and the next order re-arms
// it with the interval recomputed.
//
// The firing's Event is the last order, its Key "repurchase:<order ID>".
type RepurchaseSpec struct {
	Types     []string `json:"types,omitempty"`      // event types that are orders; default ["order"]
	Stat      string   `json:"stat,omitempty"`       // "median" (default) or "mean"
	MinOrders int      `json:"min_orders,omitempty"` // occasions needed, >= 2; default 3
	Factor    float64  `json:"factor,omitempty"`     // multiplier of the usual interval, in (0, 100]; default 1
}

type repurchaseTrigger struct {
	types     typeSet
	mean      bool
	minOrders int
	factor    float64
}

func (s *RepurchaseSpec) compile() (Trigger, error) {
	ts, err := checkTypes("repurchase.types", s.Types, parcours.Order)
	if err != nil {
		return nil, err
	}
	t := repurchaseTrigger{types: ts, minOrders: 3, factor: 1}
	switch s.Stat {
	case "", "median":
	case "mean":
		t.mean = true
	default:
		return nil, fieldErr("repurchase.stat", "want median or mean, got %q", s.Stat)
	}
	if s.MinOrders != 0 {
		if s.MinOrders < 2 {
			return nil, fieldErr("repurchase.min_orders", "must be >= 2 (an interval needs two orders), got %d", s.MinOrders)
		}
		t.minOrders = s.MinOrders
	}
	if s.Factor != 0 {
		if !(s.Factor > 0 && s.Factor <= 100) {
			return nil, fieldErr("repurchase.factor", "must be in (0, 100], got %v", s.Factor)
		}
		t.factor = s.Factor
	}
	return t, nil
}

// due holds, per event index, the lapse instant of an order (zero when
// the history is too short) and the usual interval it came from.
type due struct {
	at    time.Time
	usual time.Duration
}

// plan computes the lapse instant after each order.
func (t repurchaseTrigger) plan(tl parcours.Timeline) (map[int]due, *time.Location, error) {
	loc, err := location(tl.Profile)
	if err != nil {
		return nil, nil, err
	}
	plan := map[int]due{}
	var starts []time.Time // first order time of each occasion
	var lastDay string
	for i, e := range tl.Events {
		if !t.types.has(e.Type) {
			continue
		}
		if d := day(e.Time, loc); d != lastDay {
			starts = append(starts, e.Time)
			lastDay = d
		}
		if len(starts) < t.minOrders {
			continue
		}
		usual := t.usual(starts)
		f := math.Round(float64(usual) * t.factor / float64(time.Second))
		if f > float64(math.MaxInt64/int64(time.Second)) {
			return nil, nil, &EvalError{Trigger: "repurchase", Event: e.ID, Err: fmt.Errorf("usual interval %v times %v is too long", usual, t.factor)}
		}
		plan[i] = due{at: e.Time.Add(time.Duration(f) * time.Second), usual: usual}
	}
	return plan, loc, nil
}

// usual returns the median or mean interval between consecutive starts.
func (t repurchaseTrigger) usual(starts []time.Time) time.Duration {
	gaps := make([]time.Duration, len(starts)-1)
	for i := range gaps {
		gaps[i] = starts[i+1].Sub(starts[i])
	}
	if t.mean {
		// Sum in float: hundreds of multi-year gaps would overflow.
		var s float64
		for _, g := range gaps {
			s += float64(g)
		}
		return time.Duration(math.Round(s / float64(len(gaps))))
	}
	slices.Sort(gaps)
	n := len(gaps)
	if n%2 == 1 {
		return gaps[n/2]
	}
	return gaps[n/2-1] + (gaps[n/2]-gaps[n/2-1])/2
}

func (t repurchaseTrigger) Firings(tl parcours.Timeline, now time.Time) ([]Firing, error) {
	plan, loc, err := t.plan(tl)
	if err != nil {
		return nil, err
	}
	var out []Firing
	lapse := func(i int) (time.Time, bool) { d, ok := plan[i]; return d.at, ok }
	lapses(tl.Events, t.types, lapse, func(i int, at time.Time) {
		if at.After(now) {
			return
		}
		e := tl.Events[i]
		out = append(out, Firing{At: at, Key: "repurchase:" + eventRef(tl.Events, i), Event: e,
			Reason: fmt.Sprintf("no %s since %s, usual interval %s x %v", t.types, day(e.Time, loc), parcours.Duration(plan[i].usual.Round(time.Hour)), t.factor)})
	})
	sortFirings(out)
	return out, nil
}

// Next returns the lapse instant after the last order when still ahead.
func (t repurchaseTrigger) Next(tl parcours.Timeline, now time.Time) (time.Time, bool, error) {
	plan, _, err := t.plan(tl)
	if err != nil {
		return time.Time{}, false, err
	}
	for i := len(tl.Events) - 1; i >= 0; i-- {
		if t.types.has(tl.Events[i].Type) {
			if d, ok := plan[i]; ok && d.at.After(now) {
				return d.at, true, nil
			}
			break
		}
	}
	return time.Time{}, false, nil
}
