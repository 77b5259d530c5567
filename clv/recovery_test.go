package clv

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// simulate draws n customers in continuous time from the individual-level
// story of kind (BG/NBD, MBG/NBD or Pareto/NBD) with params, calibration
// ages T uniform in [26, 39] weeks.
func simulate(kind Kind, params []float64, n int, seed uint64) []Customer {
	src := rand.NewPCG(seed, 7)
	rng := rand.New(src)
	lambdas := distuv.Gamma{Alpha: params[0], Beta: params[1], Src: src}
	var drop distuv.Rander
	if kind == ParetoNBD {
		drop = distuv.Gamma{Alpha: params[2], Beta: params[3], Src: src}
	} else {
		drop = distuv.Beta{Alpha: params[2], Beta: params[3], Src: src}
	}
	cs := make([]Customer, n)
	for i := range cs {
		T := 26 + 13*rng.Float64()
		lam, d := lambdas.Rand(), drop.Rand()
		c := Customer{T: T}
		end := T
		if kind == ParetoNBD {
			end = math.Min(T, rng.ExpFloat64()/d) // exponential lifetime, rate d
		}
		alive := !(kind == MBGNBD && rng.Float64() < d) // MBG: may drop at once
		for t := 0.0; alive; {
			t += rng.ExpFloat64() / lam
			if t > end {
				break
			}
			c.X++
			c.Tx = t
			if kind != ParetoNBD && rng.Float64() < d {
				alive = false
			}
		}
		cs[i] = c
	}
	return cs
}

// TestParameterRecovery fits each model on data simulated from it: the
// estimates must fall within 4 standard errors of the truth. This checks
// the likelihoods and the fitting away from CDNOW, including the
// standard errors' scale.
func TestParameterRecovery(t *testing.T) {
	tests := []struct {
		kind   Kind
		params []float64
		n      int
	}{
		{BGNBD, []float64{0.5, 5, 0.8, 2.5}, 6000},
		{MBGNBD, []float64{0.6, 6, 0.9, 1.6}, 6000},
		{ParetoNBD, []float64{0.6, 10, 0.8, 12}, 3000},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			cs := simulate(tt.kind, tt.params, tt.n, 42)
			f, err := Fit(tt.kind, cs)
			if err != nil {
				t.Fatal(err)
			}
			for i, name := range tt.kind.ParamNames() {
				if z := (f.Params[i] - tt.params[i]) / f.StdErrors[i]; math.Abs(z) > 4 {
					t.Errorf("%s = %.4g ± %.2g, truth %v (z = %.1f)", name, f.Params[i], f.StdErrors[i], tt.params[i], z)
				}
			}
			t.Logf("%s: %.4g ± %.2g", tt.kind, f.Params, f.StdErrors)
		})
	}
}
