package clv

import (
	"math"
	"strconv"
	"testing"
)

// TestCDNOWSummaryFromRaw rebuilds the CDNOW calibration/holdout summary
// from the raw event log and checks every customer against cdnow_cbs.csv.
func TestCDNOWSummaryFromRaw(t *testing.T) {
	cs := cdnowSummary(t)
	want := readCSV(t, "cdnow_cbs.csv")
	if len(cs) != len(want) {
		t.Fatalf("got %d customers, want %d", len(cs), len(want))
	}
	byID := make(map[string]Customer, len(cs))
	for _, c := range cs {
		byID[c.ID] = c
	}
	for _, w := range want {
		c, ok := byID[w[0]]
		if !ok {
			t.Fatalf("customer %s missing", w[0])
		}
		x, _ := strconv.Atoi(w[1])
		xs, _ := strconv.Atoi(w[4])
		checks := []struct {
			name      string
			got, want float64
			tol       float64
		}{
			{"x", float64(c.X), float64(x), 0},
			{"t_x", c.Tx, num(t, w[2]), 1e-6},
			{"T", c.T, num(t, w[3]), 1e-6},
			{"x_star", float64(c.XStar), float64(xs), 0},
			{"zbar", c.MeanValue, num(t, w[5]), 1e-4},
			{"first_spend", c.FirstValue, num(t, w[6]), 1e-6},
			{"cal_repeat_spend", c.RepeatValue, num(t, w[7]), 1e-6},
			{"holdout_spend", c.HoldoutValue, num(t, w[8]), 1e-6},
		}
		for _, ch := range checks {
			if math.Abs(ch.got-ch.want) > ch.tol {
				t.Errorf("customer %s: %s = %v, want %v", w[0], ch.name, ch.got, ch.want)
			}
		}
		if got := c.Birth.Format("2006-01-02"); got != w[9] {
			t.Errorf("customer %s: birth %s, want %s", w[0], got, w[9])
		}
	}
	ref := loadReference(t)
	var rep, xsum, xstar int
	for _, c := range cs {
		if c.X > 0 {
			rep++
		}
		xsum += c.X
		xstar += c.XStar
	}
	if rep != ref.Data.Repeaters || xsum != ref.Data.CalibrationRepeatTransactions || xstar != ref.Data.HoldoutRepeatTransactions {
		t.Errorf("repeaters %d, calibration repeats %d, holdout repeats %d; want %d, %d, %d",
			rep, xsum, xstar, ref.Data.Repeaters, ref.Data.CalibrationRepeatTransactions, ref.Data.HoldoutRepeatTransactions)
	}
}
