package segment

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// RFMThresholds are the quintile cut points of a population, the snapshot
// a host computes daily ([Thresholds] or [Summarize]) and passes in
// [Config].Thresholds to score single customers.
//
// Each array holds the cuts c1 <= c2 <= c3 <= c4. They are computed over
// the customers with at least one order, by exact order statistics: with
// the n values sorted ascending v[0..n-1], ck = v[ceil(k*n/5)-1], the
// smallest value that at least k fifths of the customers do not exceed
// (the nearest-rank quantile). Scores then count the cuts a value is
// strictly beyond:
//
//	F = 1 + #{k : frequency > Fk}   M = 1 + #{k : monetary > Mk}
//	R = 5 - #{k : recency   > Rk}   (recency in days: recent is better)
//
// so ties always get the same score, and a value equal to a cut stays in
// the lower quintile. With many tied values (most customers order once)
// some scores are never given; that is the honest reading of the data.
type RFMThresholds struct {
	// At is the instant the snapshot was computed for.
	At time.Time `json:"at"`
	// Customers is how many customers with orders the cuts come from.
	Customers int `json:"customers"`
	// Recency cuts, in days since the last order.
	Recency [4]float64 `json:"recency"`
	// Frequency cuts, in orders.
	Frequency [4]float64 `json:"frequency"`
	// Monetary cuts, in total spend.
	Monetary [4]float64 `json:"monetary"`
}

// ParseThresholds reads a snapshot from strict JSON and validates it.
func ParseThresholds(data []byte) (RFMThresholds, error) {
	var t RFMThresholds
	if err := strictJSON(data, &t); err != nil {
		return RFMThresholds{}, err
	}
	if err := t.Validate(); err != nil {
		return RFMThresholds{}, err
	}
	return t, nil
}

// Validate checks that every cut is finite and non-negative and that each
// array is non-decreasing, reporting every cut that is not (each a
// *[ConfigError], joined when there are several).
func (t RFMThresholds) Validate() error {
	var p problems
	if t.Customers < 0 {
		p.add(&ConfigError{Field: "thresholds.customers", Value: fmt.Sprint(t.Customers), Reason: "must not be negative"})
	}
	for _, a := range []struct {
		name string
		cuts [4]float64
	}{{"recency", t.Recency}, {"frequency", t.Frequency}, {"monetary", t.Monetary}} {
		for i, c := range a.cuts {
			if math.IsNaN(c) || math.IsInf(c, 0) || c < 0 {
				p.add(&ConfigError{Field: fmt.Sprintf("thresholds.%s[%d]", a.name, i), Value: fmt.Sprint(c), Reason: "must be finite and non-negative"})
			} else if i > 0 && c < a.cuts[i-1] {
				p.add(&ConfigError{Field: fmt.Sprintf("thresholds.%s[%d]", a.name, i), Value: fmt.Sprint(c), Reason: "cuts must not decrease"})
			}
		}
	}
	return p.err()
}

// quintiles returns the nearest-rank cuts of vals, sorting vals in place.
// An empty slice gives zero cuts.
func quintiles(vals []float64) [4]float64 {
	var c [4]float64
	n := len(vals)
	if n == 0 {
		return c
	}
	slices.Sort(vals)
	for k := 1; k <= 4; k++ {
		i := (k*n+4)/5 - 1 // ceil(k*n/5) - 1
		c[k-1] = vals[i]
	}
	return c
}

// above counts the cuts v is strictly greater than.
func above(v float64, cuts *[4]float64) int {
	n := 0
	for _, c := range cuts {
		if v > c {
			n++
		}
	}
	return n
}

// RFMScore is a customer's RFM scores and named segment. Customers without
// orders, and every customer when no thresholds are given, have scores 0
// and the segment [SegmentNone].
type RFMScore struct {
	R       int     `json:"r" expr:"r"` // recency score, 1 (long ago) to 5 (recent)
	F       int     `json:"f" expr:"f"` // frequency score, 1 to 5
	M       int     `json:"m" expr:"m"` // monetary score, 1 to 5
	Segment Segment `json:"segment" expr:"segment"`
}

// Score rates a customer against the cuts; orders 0 gives the zero
// score with SegmentNone.
func (t RFMThresholds) Score(recencyDays float64, orders int, monetary float64) RFMScore {
	if orders <= 0 {
		return RFMScore{Segment: SegmentNone}
	}
	s := RFMScore{
		R: 5 - above(recencyDays, &t.Recency),
		F: 1 + above(float64(orders), &t.Frequency),
		M: 1 + above(monetary, &t.Monetary),
	}
	s.Segment = NamedSegment(s.R, s.F)
	return s
}

// Segment is a named RFM segment. Like [Stage] it is an alias of string so
// that expressions compare it with string literals.
type Segment = string

// The named RFM segments; see [NamedSegment] for the mapping.
const (
	SegmentChampions         Segment = "champions"
	SegmentLoyal             Segment = "loyal"
	SegmentPotentialLoyalist Segment = "potential_loyalist"
	SegmentNewCustomers      Segment = "new_customers"
	SegmentPromising         Segment = "promising"
	SegmentNeedAttention     Segment = "need_attention"
	SegmentAboutToSleep      Segment = "about_to_sleep"
	SegmentAtRisk            Segment = "at_risk"
	SegmentCannotLose        Segment = "cannot_lose"
	SegmentHibernating       Segment = "hibernating"
	SegmentNone              Segment = "none" // no orders, or no thresholds to score against
)

// Segments lists the named segments in the order reports use, SegmentNone
// last.
func Segments() []Segment { return slices.Clone(segmentNames[:]) }

// segmentNames is read-only: the order of Segments().
var segmentNames = [...]Segment{SegmentChampions, SegmentLoyal, SegmentPotentialLoyalist,
	SegmentNewCustomers, SegmentPromising, SegmentNeedAttention,
	SegmentAboutToSleep, SegmentAtRisk, SegmentCannotLose,
	SegmentHibernating, SegmentNone}

// segNone is the index of SegmentNone in segmentNames.
const segNone = len(segmentNames) - 1

// segmentGrid[r-1][f-1] is the segment of scores (r, f).
var segmentGrid = [5][5]uint8{
	//        F=1  F=2  F=3  F=4  F=5
	/* R=1 */ {9, 9, 7, 7, 8},
	/* R=2 */ {9, 9, 7, 7, 8},
	/* R=3 */ {6, 6, 5, 1, 1},
	/* R=4 */ {4, 2, 2, 1, 1},
	/* R=5 */ {3, 2, 2, 0, 0},
}

// NamedSegment maps recency and frequency scores to the classic named
// segment (the R x F grid; the monetary score does not enter the name):
//
//	         F=1             F=2                 F=3                 F=4          F=5
//	R=5  new_customers   potential_loyalist  potential_loyalist  champions    champions
//	R=4  promising       potential_loyalist  potential_loyalist  loyal        loyal
//	R=3  about_to_sleep  about_to_sleep      need_attention      loyal        loyal
//	R=2  hibernating     hibernating         at_risk             at_risk      cannot_lose
//	R=1  hibernating     hibernating         at_risk             at_risk      cannot_lose
//
// Scores outside 1..5 give SegmentNone.
func NamedSegment(r, f int) Segment {
	if r < 1 || r > 5 || f < 1 || f > 5 {
		return SegmentNone
	}
	return segmentNames[segmentGrid[r-1][f-1]]
}

// segmentIndex returns the position of s in Segments().
func segmentIndex(s Segment) int {
	for i, x := range segmentNames {
		if x == s {
			return i
		}
	}
	return segNone
}
