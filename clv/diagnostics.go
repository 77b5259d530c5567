package clv

import (
	"math"
	"strconv"
)

// TrackingRow is one line of the tracking table: the customers with a
// given calibration frequency, their actual repeat transactions in the
// holdout and the model's conditional expectation of them.
type TrackingRow struct {
	// Frequency is the calibration frequency x ("0" .. "6"), "7+" for
	// the last class, or "total".
	Frequency string  `json:"frequency"`
	Customers int     `json:"customers"`
	Actual    float64 `json:"actual"`    // sum of x_star
	Predicted float64 `json:"predicted"` // sum of E[Y(holdout) | x, t_x, T]
	// ActualMean and PredictedMean are per customer (0 for an empty row).
	ActualMean    float64 `json:"actual_mean"`
	PredictedMean float64 `json:"predicted_mean"`
}

// Tracking is the classic holdout diagnostic (Fader, Hardie & Lee 2005,
// figure 4): predicted vs actual holdout repeat transactions by
// calibration frequency 0..6 and 7+, and in total.
type Tracking struct {
	// Rows are the frequency classes 0 .. 6 and 7+, in that order.
	Rows []TrackingRow `json:"rows"`
	// Total sums every customer.
	Total TrackingRow `json:"total"`
}

// TrackHoldout builds the tracking table of m on customers summarised
// with a holdout (Customer.XStar), for a holdout of the given length in
// the model's time unit.
func TrackHoldout(m PurchaseModel, cs []Customer, holdout float64) (Tracking, error) {
	if err := checkHorizon(holdout); err != nil {
		return Tracking{}, err
	}
	const classes = 8 // 0..6, 7+
	var tr Tracking
	tr.Rows = make([]TrackingRow, classes)
	for i := range tr.Rows {
		tr.Rows[i].Frequency = strconv.Itoa(i)
	}
	tr.Rows[classes-1].Frequency = "7+"
	tr.Total.Frequency = "total"
	for _, c := range cs {
		e, err := m.ConditionalExpected(c, holdout)
		if err != nil {
			return Tracking{}, err
		}
		r := &tr.Rows[min(c.X, classes-1)]
		for _, row := range []*TrackingRow{r, &tr.Total} {
			row.Customers++
			row.Actual += float64(c.XStar)
			row.Predicted += e
		}
	}
	for _, row := range append([]*TrackingRow{&tr.Total}, rowPtrs(tr.Rows)...) {
		if row.Customers > 0 {
			row.ActualMean = row.Actual / float64(row.Customers)
			row.PredictedMean = row.Predicted / float64(row.Customers)
		}
	}
	return tr, nil
}

func rowPtrs(rs []TrackingRow) []*TrackingRow {
	out := make([]*TrackingRow, len(rs))
	for i := range rs {
		out[i] = &rs[i]
	}
	return out
}

// Independence reports the Gamma-Gamma model's key assumption: that a
// customer's mean transaction value does not depend on how often they
// buy. FHL (2005) find a correlation of 0.11 on CDNOW and accept it.
type Independence struct {
	// Customers is the number of repeat customers (x >= 1) used.
	Customers int `json:"customers"`
	// Correlation is Pearson's correlation between x and the mean repeat
	// transaction value among them.
	Correlation float64 `json:"correlation"`
}

// CheckIndependence computes the frequency/spend correlation among the
// customers with repeat transactions. It wraps ErrInput with fewer than
// 3 such customers or when either variable is constant.
func CheckIndependence(cs []Customer) (Independence, error) {
	var n, sx, sz float64
	for i := range cs {
		c := &cs[i]
		if c.X >= 1 {
			n++
			sx += float64(c.X)
			sz += c.MeanValue
		}
	}
	if n < 3 {
		return Independence{}, inputErr("independence check needs at least 3 repeat customers, got %v", n)
	}
	mx, mz := sx/n, sz/n
	var cxz, cxx, czz float64
	for i := range cs {
		c := &cs[i]
		if c.X >= 1 {
			dx, dz := float64(c.X)-mx, c.MeanValue-mz
			cxz += dx * dz
			cxx += dx * dx
			czz += dz * dz
		}
	}
	r := cxz / math.Sqrt(cxx*czz)
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return Independence{}, inputErr("independence check: frequency or spend is constant among repeat customers")
	}
	return Independence{Customers: int(n), Correlation: r}, nil
}
