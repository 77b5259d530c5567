package trigger

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/parcours-dev/parcours"
)

// ThresholdSpec fires at the event whose contribution makes a running
// total reach Value: loyalty points earned at Rate points per currency
// unit of Property "amount" reaching a tier, or, with no Property, the
// number of events (store visits) reaching 10.
//
// Rules:
//
//   - The total runs over the whole timeline, in timeline order; an event
//     whose Property is missing or not a number adds nothing (as
//     parcours.Timeline.Sum does). Negative amounts (refunds) subtract.
//   - "Reach" means total >= Value. Without Every it fires once, at the
//     first event that reaches Value; a total that falls back and rises
//     again does not fire again (a tier is reached once).
//   - With Every it fires at each event that brings the total to a new
//     multiple of Value (every 10 visits); one event that jumps several
//     multiples fires once.
//
// The firing's Event is the crossing event, its Key
// "threshold:<event ID>". A threshold only moves with events, so Next
// always reports false.
type ThresholdSpec struct {
	Types    []string `json:"types,omitempty"`    // event types counted; default ["order"]
	Property string   `json:"property,omitempty"` // numeric property summed; empty counts events
	Rate     float64  `json:"rate,omitempty"`     // multiplier of each contribution, > 0; default 1
	Value    float64  `json:"value"`              // the total to reach, > 0
	Every    bool     `json:"every,omitempty"`    // fire at each new multiple of Value
}

type thresholdTrigger struct {
	types typeSet
	prop  string
	rate  float64
	value float64
	every bool
}

func (s *ThresholdSpec) compile() (Trigger, error) {
	ts, err := checkTypes("threshold.types", s.Types, parcours.Order)
	if err != nil {
		return nil, err
	}
	t := thresholdTrigger{types: ts, prop: s.Property, rate: 1, value: s.Value, every: s.Every}
	if s.Rate != 0 {
		if !(s.Rate > 0) || math.IsInf(s.Rate, 0) {
			return nil, fieldErr("threshold.rate", "must be > 0, got %v", s.Rate)
		}
		t.rate = s.Rate
	}
	if !(s.Value > 0) || math.IsInf(s.Value, 0) {
		return nil, fieldErr("threshold.value", "must be > 0, got %v", s.Value)
	}
	return t, nil
}

func (t thresholdTrigger) scanFrom(tl parcours.Timeline, now time.Time, o ScanOptions) ([]Firing, time.Time, bool, error) {
	from := o.From
	fs, err := t.Firings(tl, now)
	if err != nil {
		return nil, time.Time{}, false, err
	}
	i := 0
	for i < len(fs) && fs[i].At.Before(from) {
		i++
	}
	return fs[i:], time.Time{}, false, nil
}

func (t thresholdTrigger) Firings(tl parcours.Timeline, now time.Time) ([]Firing, error) {
	if _, err := location(tl.Profile); err != nil {
		return nil, err
	}
	var out []Firing
	total := 0.0
	level := 0.0 // highest multiple of value reached so far
	for i, e := range tl.Events {
		if e.Time.After(now) {
			break
		}
		if !t.types.has(e.Type) {
			continue
		}
		add := 1.0
		if t.prop != "" {
			f, ok := e.Float(t.prop)
			if !ok {
				continue
			}
			add = f
		}
		total += add * t.rate
		if math.IsInf(total, 0) {
			return nil, &EvalError{Trigger: "threshold", Event: e.ID, Err: fmt.Errorf("running total overflows")}
		}
		reached := math.Floor(total / t.value)
		if reached < 1 || reached <= level || (!t.every && level >= 1) {
			continue
		}
		level = reached
		out = append(out, Firing{At: e.Time, Key: "threshold:" + eventRef(tl.Events, i), Event: e,
			Reason: reachedReason(total, reached*t.value)})
	}
	sortFirings(out)
	return out, nil
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// reachedReason writes "running total 120 reached 100" in one allocation.
func reachedReason(total, level float64) string {
	var buf [96]byte
	b := strconv.AppendFloat(append(buf[:0], "running total "...), total, 'f', -1, 64)
	return string(strconv.AppendFloat(append(b, " reached "...), level, 'f', -1, 64))
}

// Next reports false: a running total only moves with events.
func (t thresholdTrigger) Next(tl parcours.Timeline, now time.Time) (time.Time, bool, error) {
	if _, err := location(tl.Profile); err != nil {
		return time.Time{}, false, err
	}
	return time.Time{}, false, nil
}
