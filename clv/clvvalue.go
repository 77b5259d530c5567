package clv

import (
	"math"
	"time"

	"github.com/parcours-dev/parcours"
)

// maxPeriods bounds the cash-flow periods of a value, and so its cost:
// 5000 periods are a daily value over more than 13 years.
const maxPeriods = 5000

// DiscountedPurchases is the discounted expected number of c's
// transactions over n periods of length period (in model time units),
// with a discount rate of rate per period:
//
//	sum_{i=1..n} (E[Y(i·period)] - E[Y((i-1)·period)]) / (1+rate)^i
//
// where E[Y(t)] is m.ConditionalExpected(c, t): the discrete cash-flow
// form used by the lifetimes library and the reference's
// "bgnbd_12m_1pct". Multiply by margin and expected order value for CLV.
func DiscountedPurchases(m PurchaseModel, c Customer, period float64, n int, rate float64) (float64, error) {
	if !(period > 0) || math.IsInf(period, 0) || n < 0 || n > maxPeriods {
		return 0, inputErr("discounting: period %v and count %d, want period > 0 and 0 <= count <= %d", period, n, maxPeriods)
	}
	if !(rate > -1) || math.IsInf(rate, 0) {
		return 0, inputErr("discounting: rate %v per period, want a finite number > -1", rate)
	}
	total, prev := 0.0, 0.0
	for i := 1; i <= n; i++ {
		e, err := m.ConditionalExpected(c, float64(i)*period)
		if err != nil {
			return 0, err
		}
		total += (e - prev) / math.Pow(1+rate, float64(i))
		prev = e
	}
	return finite(total, "discounted purchases", c)
}

// HistoricValue is the historic CLV of the customer of tl at now: margin
// × the value of every order at or before now (retried orders counted
// once). It needs no model, so it serves customers with too little
// history for one; a timeline without orders is worth 0. margin must be
// in [0, 1].
func HistoricValue(tl parcours.Timeline, now time.Time, margin float64) (float64, error) {
	if !(margin >= 0 && margin <= 1) {
		return 0, inputErr("margin %v outside [0, 1]", margin)
	}
	c, ok, err := summarizeTimeline(canonicalAt(tl, now), Period{CalibrationEnd: now})
	if err != nil || !ok {
		return 0, err
	}
	return margin * (c.FirstValue + c.RepeatValue), nil
}
