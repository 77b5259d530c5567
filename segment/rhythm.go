package segment

import (
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

// days converts a duration to days.
func days(d time.Duration) float64 { return d.Hours() / 24 }
