package trigger

import (
	"fmt"
	"math"
	"slices"
	"strconv"
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

// due holds the lapse instant planned after an order (at event position
// pos) and the usual interval it came from.
type due struct {
	pos   int
	at    time.Time
	usual time.Duration
}

// plan computes the lapse instant after each order with enough history,
// in timeline order. The intervals are kept sorted as they come (and
// summed in order for the mean), so the usual interval of every order
// costs no new sort: linear in practice, where re-sorting at each order
// was quadratic.
func (t repurchaseTrigger) plan(tl parcours.Timeline) ([]due, *time.Location, error) {
	loc, err := location(tl.Profile)
	if err != nil {
		return nil, nil, err
	}
	var plan []due
	var last time.Time // first order time of the latest occasion
	occasions := 0
	var gapBuf [32]time.Duration // most customers: no allocation
	gaps := gapBuf[:0]           // sorted
	var sum float64              // of the gaps, in order
	lastDay, started := int64(0), false
	for i, e := range tl.Events {
		if !t.types.has(e.Type) {
			continue
		}
		if d := parcours.DayNumber(e.Time, loc); !started || d != lastDay {
			if occasions > 0 {
				g := e.Time.Sub(last)
				k, _ := slices.BinarySearch(gaps, g)
				gaps = slices.Insert(gaps, k, g)
				sum += float64(g)
			}
			last, lastDay, started = e.Time, d, true
			occasions++
		}
		if occasions < t.minOrders {
			continue
		}
		usual := t.usual(gaps, sum)
		f := math.Round(float64(usual) * t.factor / float64(time.Second))
		if f > float64(math.MaxInt64/int64(time.Second)) {
			return nil, nil, &EvalError{Trigger: "repurchase", Event: e.ID, Err: fmt.Errorf("usual interval %v times %v is too long", usual, t.factor)}
		}
		plan = append(plan, due{pos: i, at: e.Time.Add(time.Duration(f) * time.Second), usual: usual})
	}
	return plan, loc, nil
}

// usual returns the median of the sorted gaps, or their mean (sum being
// their total, added in timeline order).
func (t repurchaseTrigger) usual(gaps []time.Duration, sum float64) time.Duration {
	if t.mean {
		// Summed in float: hundreds of multi-year gaps would overflow.
		return time.Duration(math.Round(sum / float64(len(gaps))))
	}
	n := len(gaps)
	if n%2 == 1 {
		return gaps[n/2]
	}
	return gaps[n/2-1] + (gaps[n/2]-gaps[n/2-1])/2
}

func (t repurchaseTrigger) Firings(tl parcours.Timeline, now time.Time) ([]Firing, error) {
	fs, _, _, err := t.scanFrom(tl, now, ScanOptions{})
	return fs, err
}

// Next returns the lapse instant after the last order when still ahead.
func (t repurchaseTrigger) Next(tl parcours.Timeline, now time.Time) (time.Time, bool, error) {
	_, next, ok, err := t.scanFrom(tl, now, ScanOptions{})
	return next, ok, err
}

func (t repurchaseTrigger) scanFrom(tl parcours.Timeline, now time.Time, o ScanOptions) ([]Firing, time.Time, bool, error) {
	from, dst := o.From, o.Buf
	plan, loc, err := t.plan(tl)
	if err != nil {
		return nil, time.Time{}, false, err
	}
	out := dst[:0]
	var next earliest
	// lapses asks about orders in timeline order: a cursor finds each
	// one's plan.
	k := 0
	find := func(i int) (due, bool) {
		for k < len(plan) && plan[k].pos < i {
			k++
		}
		if k < len(plan) && plan[k].pos == i {
			return plan[k], true
		}
		return due{}, false
	}
	lapse := func(i int) (time.Time, bool) { d, ok := find(i); return d.at, ok }
	lapses(tl, o.Index, t.types, lapse, func(i int, at time.Time) {
		if !next.fires(at, now, from) { // only the last order can lapse after now
			return
		}
		e := tl.Events[i]
		d, _ := find(i)
		out = append(out, Firing{At: at, Key: "repurchase:" + eventRef(tl.Events, i), Event: e,
			Reason: t.reason(e, loc, d.usual)})
	})
	sortFirings(out)
	return out, next.at, next.ok, nil
}

// reason writes "no order since 2026-03-01, usual interval 30d x 1" in
// one allocation.
func (t repurchaseTrigger) reason(e parcours.Event, loc *time.Location, usual time.Duration) string {
	var buf [128]byte
	b := t.types.appendTo(append(buf[:0], "no "...))
	b = append(appendDay(append(b, " since "...), e.Time, loc), ", usual interval "...)
	b, _ = parcours.Duration(usual.Round(time.Hour)).AppendText(b)
	return string(strconv.AppendFloat(append(b, " x "...), t.factor, 'g', -1, 64))
}
