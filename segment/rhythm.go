package segment

import (
	"math"
	"slices"
	"time"
)

// Rhythm describes a customer's own buying cadence. Orders closer than
// RhythmRules.MinGap to the start of the current purchase occasion belong
// to that occasion; intervals run from one occasion's first order to the
// next one's. Without intervals every number is 0 and both signals are
// false.
type Rhythm struct {
	Occasions int     `json:"occasions" expr:"occasions"` // purchase occasions
	Intervals int     `json:"intervals" expr:"intervals"` // Occasions - 1, or 0
	Cadence   float64 `json:"cadence" expr:"cadence"`     // usual interval: the median, in days
	Mean      float64 `json:"mean" expr:"mean"`           // mean interval, in days
	Longest   float64 `json:"longest" expr:"longest"`     // longest interval, in days
	Gap       float64 `json:"gap" expr:"gap"`             // days since the last occasion began; +Inf (never) without orders
	Ratio     float64 `json:"ratio" expr:"ratio"`         // Gap / Cadence, 0 without a cadence
	Overdue   bool    `json:"overdue" expr:"overdue"`     // Gap > Cadence (the usual delay is passed)
	Break     bool    `json:"break" expr:"break"`         // Gap > BreakFactor x Cadence, with at least MinIntervals intervals
	DueIn     float64 `json:"due_in" expr:"due_in"`       // Cadence - Gap: days until the usual delay is reached (negative when overdue); 0 without a cadence
}

// rhythm computes the facts from the order times (ascending) at now.
func rhythm(orders []time.Time, now time.Time, s *settings) Rhythm {
	r := Rhythm{Gap: math.Inf(1)}
	if len(orders) == 0 {
		return r
	}
	var gaps []float64
	start := orders[0]
	r.Occasions = 1
	for _, t := range orders[1:] {
		if t.Sub(start) < s.minGap {
			continue
		}
		gaps = append(gaps, days(t.Sub(start)))
		start = t
		r.Occasions++
	}
	r.Gap = days(now.Sub(start))
	r.Intervals = len(gaps)
	if len(gaps) == 0 {
		return r
	}
	sum := 0.0
	for _, g := range gaps {
		sum += g
		r.Longest = max(r.Longest, g)
	}
	r.Mean = sum / float64(len(gaps))
	slices.Sort(gaps)
	if n := len(gaps); n%2 == 1 {
		r.Cadence = gaps[n/2]
	} else {
		r.Cadence = (gaps[n/2-1] + gaps[n/2]) / 2
	}
	r.Ratio = r.Gap / r.Cadence
	r.DueIn = r.Cadence - r.Gap
	r.Overdue = r.Gap > r.Cadence
	r.Break = r.Intervals >= s.minIntervals && r.Gap > s.breakFactor*r.Cadence
	return r
}

// days converts a duration to days.
func days(d time.Duration) float64 { return d.Hours() / 24 }
