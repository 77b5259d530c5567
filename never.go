package parcours

import (
	"encoding/json"
	"math"
	"time"
)

// What "never" means. The number of days since something that never
// happened is +Inf (math.Inf(1)) in every parcours package: scenario's
// daysSince("order"), segment's Facts.Recency, Rhythm.Gap,
// FirstPurchase.Days and the Engagement.DaysSince* fields. +Inf is longer
// than any span, so a marketer's predicate reads the same for a customer
// who never ordered as for one who stopped long ago:
//
//	daysSince("order") > 90   // true: no order in the last 90 days
//	facts().recency < 30      // false: did not order in the last 30 days
//	facts().recency > 90      // true, the same answer as daysSince
//
// Write hasEvent("order") or facts().frequency > 0 to tell "never" apart
// from "long ago". In JSON, where +Inf has no spelling, a never day count
// is null (see [Days]).

// DaysSince returns the days, with fraction, from t to now; +Inf when t is
// the zero time, which stands for "never happened".
func DaysSince(t, now time.Time) float64 {
	if t.IsZero() {
		return math.Inf(1)
	}
	return now.Sub(t).Hours() / 24
}

// Never reports whether days is the day count of something that never
// happened (+Inf).
func Never(days float64) bool { return math.IsInf(days, 1) }

// Days is a day count as JSON writes it: a number, or null for "never"
// (+Inf). Types with float64 day counts use it to encode them; a null
// decodes back to +Inf, so a round trip keeps the meaning.
type Days float64

// MarshalJSON writes the number, or null for +Inf. NaN and -Inf, which no
// day count can be, are errors.
func (d Days) MarshalJSON() ([]byte, error) {
	if Never(float64(d)) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(d))
}

// UnmarshalJSON reads a number, or null as +Inf.
func (d *Days) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Days(math.Inf(1))
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*d = Days(f)
	return nil
}
