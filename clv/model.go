package clv

import (
	"fmt"
	"math"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/internal/jsonx"
)

// Model is a fitted model as a host stores it (JSON, see ParseModel) and
// passes to scenario evaluation: a purchase model, an optional spend
// model and the settings that turn them into a customer value.
type Model struct {
	// Kind is the purchase model: BGNBD, ParetoNBD or MBGNBD.
	Kind Kind `json:"kind"`
	// Params are its parameters in Kind.ParamNames() order, in Unit.
	Params []float64 `json:"params"`
	// Unit is the time unit the model was fitted in; zero means Week.
	Unit Unit `json:"unit,omitempty"`
	// Spend is the Gamma-Gamma spend model. Without it the expected
	// order value is the customer's own mean order value so far.
	Spend *GammaGamma `json:"spend,omitempty"`
	// Margin is the share of an order's value that counts as value, in
	// [0, 1]; zero means 1 (value = revenue).
	Margin float64 `json:"margin,omitempty"`
	// AnnualDiscount is the yearly discount rate of future value (0.15
	// for 15 %); zero means no discounting.
	AnnualDiscount float64 `json:"annual_discount,omitempty"`
	// Period is the length of the cash-flow periods of the value; zero
	// means a month (365.25/12 days).
	Period parcours.Duration `json:"period,omitempty"`
}

// Prediction is what a model says about one customer at a given time,
// for a horizon: [parcours.Prediction], which lives in the root package so
// that scenario's clv() can read it without linking this package (and
// gonum) into hosts that never fit a model.
type Prediction = parcours.Prediction

// ParseModel reads a Model from strict JSON and validates it. Unknown
// fields, values of the wrong type, bad syntax and trailing data are each
// a *parcours.DecodeError (field path, line, column; all of them,
// joined); every error wraps ErrParams and parcours.ErrInvalid, and the
// Model is zero with any error.
func ParseModel(data []byte) (Model, error) {
	var m Model
	if err := jsonx.Decode(data, &m); err != nil {
		return Model{}, fmt.Errorf("%w: model JSON: %w", ErrParams, err)
	}
	if err := m.Validate(); err != nil {
		return Model{}, err
	}
	return m, nil
}

// Validate checks the kind, parameters and settings; errors wrap
// ErrParams.
func (m Model) Validate() error {
	if _, err := NewPurchaseModel(m.Kind, m.Params); err != nil {
		return err
	}
	if _, err := m.Unit.days(); err != nil {
		return paramsErr("model unit %q is neither %q nor %q", string(m.Unit), Week, Day)
	}
	if m.Spend != nil {
		if err := checkParams(GammaGammaKind, m.Spend.Params()); err != nil {
			return err
		}
		if !(m.Spend.Q > 1) {
			return paramsErr("spend model q = %v <= 1 has no finite mean", m.Spend.Q)
		}
	}
	if !(m.Margin >= 0 && m.Margin <= 1) {
		return paramsErr("margin %v outside [0, 1]", m.Margin)
	}
	if !(m.AnnualDiscount >= 0) || math.IsInf(m.AnnualDiscount, 0) {
		return paramsErr("annual discount %v, want a finite number >= 0", m.AnnualDiscount)
	}
	if m.Period < 0 {
		return paramsErr("period %v is negative", m.Period)
	}
	return nil
}

// Predict summarises tl as it stood at now (orders of now's calendar day
// included, see Summarize) and predicts over the horizon that follows.
// It wraps ErrNoOrders when the customer has no order yet, ErrParams for
// an invalid model, ErrInput for bad events (a missing amount, an unknown
// time zone) or a negative horizon.
func (m Model) Predict(tl parcours.Timeline, now time.Time, horizon time.Duration) (Prediction, error) {
	if err := m.Validate(); err != nil {
		return Prediction{}, err
	}
	if horizon < 0 {
		return Prediction{}, inputErr("horizon %v is negative", horizon)
	}
	pm, _ := NewPurchaseModel(m.Kind, m.Params)
	c, ok, err := summarizeTimeline(canonicalAt(tl, now), Period{Unit: m.Unit, CalibrationEnd: now})
	if err != nil {
		return Prediction{}, err
	}
	if !ok {
		return Prediction{}, fmt.Errorf("%w: customer %q: no order at or before %s", ErrNoOrders, tl.Profile.ID, now.Format(time.RFC3339))
	}
	unit, _ := m.Unit.days()
	h := horizon.Hours() / 24 / unit
	p := Prediction{Frequency: c.X, Recency: c.Tx, Age: c.T}
	if p.PAlive, err = pm.PAlive(c); err != nil {
		return Prediction{}, err
	}
	if p.ExpectedPurchases, err = pm.ConditionalExpected(c, h); err != nil {
		return Prediction{}, err
	}
	if m.Spend != nil {
		if p.ExpectedOrderValue, err = m.Spend.ExpectedValue(c); err != nil {
			return Prediction{}, err
		}
	} else {
		p.ExpectedOrderValue = (c.FirstValue + c.RepeatValue) / float64(c.X+1)
	}
	margin := m.Margin
	if margin == 0 {
		margin = 1
	}
	disc, err := m.discounted(pm, c, h, unit)
	if err != nil {
		return Prediction{}, err
	}
	p.Value = margin * p.ExpectedOrderValue * disc
	p.HistoricValue = margin * (c.FirstValue + c.RepeatValue)
	for _, v := range []float64{p.ExpectedOrderValue, p.Value, p.HistoricValue} {
		if _, err := finite(v, "predicted value", c); err != nil {
			return Prediction{}, err
		}
	}
	return p, nil
}

// discounted returns the discounted expected purchases over h: periods
// of m.Period, the last one possibly partial, each discounted by
// (1+annual)^-(end of period in years).
func (m Model) discounted(pm PurchaseModel, c Customer, h, unit float64) (float64, error) {
	period := m.Period.Days() / unit
	if period == 0 {
		period = 365.25 / 12 / unit
	}
	if h == 0 {
		return 0, nil
	}
	n := math.Ceil(h / period)
	if n > maxPeriods {
		return 0, inputErr("horizon %v is more than %d periods of %v", h, maxPeriods, period)
	}
	yearUnits := 365.25 / unit
	total, prev := 0.0, 0.0
	for i := 1.0; i <= n; i++ {
		t := math.Min(i*period, h)
		e, err := pm.ConditionalExpected(c, t)
		if err != nil {
			return 0, err
		}
		total += (e - prev) * math.Pow(1+m.AnnualDiscount, -t/yearUnits)
		prev = e
	}
	return total, nil
}
