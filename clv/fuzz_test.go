package clv

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// checkOutputs evaluates every per-customer quantity of every model and
// reports a NaN, an infinity, an out-of-range probability, or an error
// that wraps none of the package's sentinels. With strict, any error at
// all is a failure.
func checkOutputs(t *testing.T, params []float64, c Customer, horizon float64, strict bool) {
	t.Helper()
	typed := func(err error) bool {
		return errors.Is(err, ErrInput) || errors.Is(err, ErrParams) || errors.Is(err, ErrNumeric)
	}
	bad := func(what string, v float64, err error) {
		t.Helper()
		switch {
		case err != nil && (strict || !typed(err)):
			t.Errorf("%s(%+v, params %v): %v", what, c, params, err)
		case err == nil && (math.IsNaN(v) || math.IsInf(v, 0)):
			t.Errorf("%s(%+v, params %v) = %v", what, c, params, v)
		}
	}
	for _, k := range []Kind{BGNBD, ParetoNBD, MBGNBD} {
		m, err := NewPurchaseModel(k, params)
		if err != nil {
			if !errors.Is(err, ErrParams) {
				t.Errorf("NewPurchaseModel: untyped error %v", err)
			}
			return
		}
		ll, err := m.LogLikelihood(c)
		bad(string(k)+" LogLikelihood", ll, err)
		p, err := m.PAlive(c)
		bad(string(k)+" PAlive", p, err)
		if err == nil && !(p >= 0 && p <= 1) {
			t.Errorf("%s PAlive(%+v) = %v outside [0, 1]", k, c, p)
		}
		e, err := m.ConditionalExpected(c, horizon)
		bad(string(k)+" ConditionalExpected", e, err)
		if err == nil && e < 0 {
			t.Errorf("%s ConditionalExpected(%+v, %v) = %v < 0", k, c, horizon, e)
		}
		if pn, ok := m.(ParetoNBDModel); ok {
			d, err := pn.DiscountedExpected(c, 0.0027)
			bad("DiscountedExpected", d, err)
		}
	}
	gg := GammaGamma{params[0], params[1] + 1, params[2]}
	v, err := gg.ExpectedValue(c)
	bad("ExpectedValue", v, err)
	if c.X > 0 && c.MeanValue > 0 {
		l, err := gg.LogLikelihood(c)
		bad("GammaGamma LogLikelihood", l, err)
	}
}

// TestExtremeInputs: realistic parameters, extreme histories (frequency
// 0 and 500, T tiny, t_x = T, very old customers): every quantity must
// be a finite number, without error.
func TestExtremeInputs(t *testing.T) {
	paramSets := [][]float64{
		{0.2425928968807734, 4.413531369003333, 0.7928860113886045, 2.425752717630986},
		{0.5532755375581382, 10.577612422297099, 0.606213694392384, 11.66791418870149},
		{0.5248379648388778, 6.182991570892805, 0.8913561553496666, 1.6139993002702717},
		{2, 0.5, 1, 1},     // a = 1, s = 1: the removable singularities
		{1, 30, 3.5, 0.05}, // beta << alpha: the quadrature branch
		{0.05, 0.1, 0.2, 80},
	}
	for _, params := range paramSets {
		for _, x := range []int{0, 1, 7, 500, 10000} {
			for _, T := range []float64{1e-9, 1e-3, 1, 39, 1e4} {
				for _, frac := range []float64{0, 0.5, 1} {
					c := Customer{X: x, Tx: frac * T, T: T, MeanValue: 35}
					if x == 0 {
						c.Tx, c.MeanValue = 0, 0
					}
					for _, h := range []float64{0, 1e-6, 39, 520} {
						t.Run(fmt.Sprint(params, x, T, frac, h), func(t *testing.T) {
							checkOutputs(t, params, c, h, true)
						})
					}
				}
			}
		}
	}
}

// FuzzModelFunctions: any parameters and any history give a finite
// number or a typed error, never a NaN, an infinity or a panic.
func FuzzModelFunctions(f *testing.F) {
	f.Add(0.243, 4.414, 0.793, 2.426, 0, 0.0, 38.86, 39.0)
	f.Add(0.243, 4.414, 0.793, 2.426, 500, 38.0, 38.86, 39.0)
	f.Add(0.553, 10.578, 0.606, 11.669, 500, 1e-9, 1e-9, 39.0)
	f.Add(0.553, 10.578, 0.606, 11.669, 26, 31.0, 31.0, 52.0)
	f.Add(1.0, 1.0, 1.0, 1.0, 1, 1e-12, 1e-12, 1e-12)
	f.Add(1e-8, 1e8, 1e-8, 1e8, 3, 2.0, 3.0, 1e6)
	f.Add(50.0, 0.01, 20.0, 0.01, 0, 0.0, 1e5, 1e5)
	f.Fuzz(func(t *testing.T, r, alpha, a, b float64, x int, tx, T, h float64) {
		if x > 1e6 || x < -10 {
			x %= 1000
		}
		checkOutputs(t, []float64{r, alpha, a, b}, Customer{X: x, Tx: tx, T: T, MeanValue: math.Abs(tx) + 1}, h, false)
	})
}

// FuzzParseModel: any input gives a valid model or an ErrParams error;
// a valid model round-trips and predicts finite numbers or a typed
// error.
func FuzzParseModel(f *testing.F) {
	f.Add([]byte(`{"kind":"bgnbd","params":[0.24,4.4,0.79,2.4]}`))
	f.Add([]byte(`{"kind":"pareto_nbd","params":[0.55,10.6,0.61,11.7],"unit":"day","spend":{"p":6.25,"q":3.74,"gamma":15.44},"margin":0.3,"annual_discount":0.15,"period":"2w"}`))
	f.Add([]byte(`{"kind":"mbgnbd","params":[1e300,1e-300,1,1],"period":"1d12h"}`))
	f.Add([]byte(`{"kind":"bgnbd","params":[1,1,1,1]} x`))
	f.Add([]byte(`{"kind":"gamma_gamma","params":[1,1,1]}`))
	f.Add([]byte(`null`))
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "f"}, Events: []parcours.Event{
		order("1", day(1, 1, 9), 10.0), order("2", day(2, 1, 9), 30.0), order("3", day(2, 20, 9), 5.0),
	}}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseModel(data)
		if err != nil {
			if !errors.Is(err, ErrParams) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("parsed model does not validate: %v", err)
		}
		p, err := m.Predict(tl, day(3, 1, 0), 90*24*time.Hour)
		if err != nil {
			if !errors.Is(err, ErrNumeric) && !errors.Is(err, ErrInput) {
				t.Fatalf("Predict: untyped error %v", err)
			}
			return
		}
		checkPrediction(t, p)
	})
}

func checkPrediction(t *testing.T, p Prediction) {
	t.Helper()
	for _, v := range []float64{p.PAlive, p.ExpectedPurchases, p.ExpectedOrderValue, p.Value, p.HistoricValue, p.Recency, p.Age} {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			t.Fatalf("prediction %+v has %v", p, v)
		}
	}
	if p.PAlive > 1 {
		t.Fatalf("prediction %+v: P(alive) > 1", p)
	}
}

// fuzzZones are the zones FuzzPredict tries: none, UTC, zones with DST,
// half-hour and 45-minute offsets, "Local" (refused) and an unknown name.
// A fuzzed zone string that is not one of them is mapped to one by its
// length: random bytes are never a zone, and each failed zone lookup
// reads the whole zone database (milliseconds), which made minimising a
// long fuzzed zone string stall the fuzzer for tens of seconds while
// testing nothing new.
var fuzzZones = []string{"", "UTC", "Europe/Paris", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham", "Local", "Nowhere/Else"}

// FuzzPredict: timelines of any shape (order count, spacing, amounts,
// zone) and any horizon give a finite prediction or a typed error.
func FuzzPredict(f *testing.F) {
	f.Add(uint16(1), uint32(24), 10.0, int64(90*24), uint8(0), "")
	f.Add(uint16(500), uint32(1), 0.0, int64(0), uint8(1), "Europe/Paris")
	f.Add(uint16(600), uint32(13), 1e12, int64(1e6), uint8(2), "Asia/Tokyo")
	f.Add(uint16(3), uint32(1e6), 5.0, int64(-5), uint8(0), "Nowhere/Else")
	f.Fuzz(func(t *testing.T, n uint16, gapHours uint32, amount float64, horizonHours int64, kind uint8, zone string) {
		n %= 1000
		if !slices.Contains(fuzzZones, zone) {
			zone = fuzzZones[len(zone)%len(fuzzZones)]
		}
		start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		tl := parcours.Timeline{Profile: parcours.Profile{ID: "f", TimeZone: zone}}
		at := start
		for i := range int(n) {
			tl.Events = append(tl.Events, order(fmt.Sprint(i), at, amount))
			at = at.Add(time.Duration(gapHours%100000) * time.Hour)
		}
		kinds := []Kind{BGNBD, ParetoNBD, MBGNBD}
		params := [][]float64{{0.243, 4.414, 0.793, 2.426}, {0.553, 10.578, 0.606, 11.669}, {0.525, 6.183, 0.891, 1.614}}
		k := int(kind) % 3
		m := Model{Kind: kinds[k], Params: params[k], Spend: &GammaGamma{6.25, 3.74, 15.44}, AnnualDiscount: 0.1, Margin: 0.3}
		horizon := time.Duration(horizonHours%(24*3650)) * time.Hour
		p, err := m.Predict(tl, at, horizon)
		if err != nil {
			if !errors.Is(err, ErrNoOrders) && !errors.Is(err, ErrInput) && !errors.Is(err, ErrNumeric) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		checkPrediction(t, p)
	})
}

// FuzzFit: any small cohort gives, for every model, either a fit whose
// estimates, log-likelihood and standard errors are finite, positive
// where they must be, at a stationary point (gradient norm at most
// 1e-5), or an error wrapping one of the package's sentinels; never a
// panic. Each customer takes 4 bytes: x, t_x and T in days, spend.
func FuzzFit(f *testing.F) {
	f.Add([]byte{0, 0, 30, 9, 2, 10, 35, 20, 5, 28, 30, 12, 0, 0, 12, 1, 1, 3, 20, 40})
	f.Add([]byte{3, 20, 20, 5, 3, 20, 20, 5, 3, 20, 20, 5, 3, 20, 20, 5})
	f.Add([]byte{1, 1, 200, 1, 9, 100, 200, 255, 0, 0, 200, 0, 2, 50, 51, 7, 0, 0, 3, 0, 4, 2, 90, 30})
	f.Fuzz(func(t *testing.T, data []byte) {
		var cs []Customer
		for i := 0; i+3 < len(data) && len(cs) < 60; i += 4 {
			x, tx, T := int(data[i]%12), float64(data[i+1])/7, float64(data[i+2])/7
			if tx > T {
				tx, T = T, tx
			}
			if x == 0 {
				tx = 0
			}
			cs = append(cs, Customer{X: x, Tx: tx, T: T, MeanValue: 1 + float64(data[i+3])})
		}
		for _, k := range []Kind{BGNBD, MBGNBD, ParetoNBD, GammaGammaKind} {
			fr, err := Fit(k, cs)
			if err != nil {
				if !errors.Is(err, ErrInput) && !errors.Is(err, ErrFit) && !errors.Is(err, ErrNumeric) && !errors.Is(err, ErrParams) {
					t.Errorf("%s: untyped error %v", k, err)
				}
				continue
			}
			bad := !(fr.GradientNorm <= gradTolerance) || math.IsNaN(fr.LogLikelihood) || math.IsInf(fr.LogLikelihood, 0)
			for i, p := range fr.Params {
				bad = bad || !(p >= paramFloor && p <= paramCeiling)
				if fr.StdErrors != nil {
					bad = bad || !(fr.StdErrors[i] > 0) || math.IsInf(fr.StdErrors[i], 0)
				}
			}
			if bad {
				t.Errorf("%s on %+v: %+v", k, cs, fr)
			}
		}
	})
}
