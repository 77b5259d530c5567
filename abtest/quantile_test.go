package abtest

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// The tests may use gonum; the package may not (see quantile.go).

func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Max(math.Abs(want), 1e-300)
}

func TestLegendreMatchesGonum(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 20, 21} {
		x, w := make([]float64, n), make([]float64, n)
		gx, gw := make([]float64, n), make([]float64, n)
		legendre(x, w)
		quad.Legendre{}.FixedLocations(gx, gw, 0, 1)
		for i := range n {
			if math.Abs(x[i]-gx[i]) > 1e-15 || relErr(w[i], gw[i]) > 1e-13 {
				t.Errorf("n=%d node %d: (%v, %v), gonum (%v, %v)", n, i, x[i], w[i], gx[i], gw[i])
			}
		}
	}
	// And the rule is exact for x^39 on [0, 1].
	s := 0.0
	for i, x := range glNodes {
		s += glWeights[i] * math.Pow(x, 39)
	}
	if relErr(s, 1.0/40) > 1e-14 {
		t.Errorf("integral of x^39 = %v, want 1/40", s)
	}
}

func TestNormQuantile(t *testing.T) {
	// Reference values: mpmath at 50 digits, the root of
	// log(ncdf(z)) = log(p) (mpmath.findroot).
	for _, tc := range []struct{ p, z float64 }{
		{0.975, 1.95996398454005423552459443052},
		{1e-10, -6.36134090240405620469537582827},
		{1e-20, -9.26234008979840757371735697788},
		{1e-300, -37.0470962993611992372229625079},
	} {
		if got := normQuantile(tc.p); relErr(got, tc.z) > 1e-14 {
			t.Errorf("normQuantile(%v) = %v, want %v", tc.p, got, tc.z)
		}
	}
	for _, p := range []float64{1e-300, 1e-100, 1e-20, 1e-9, 1e-5, 0.001, 0.025, 0.1, 0.3, 0.4999, 0.5, 0.5001, 0.7, 0.9, 0.975, 0.999, 1 - 1e-9} {
		got, want := normQuantile(p), distuv.UnitNormal.Quantile(p)
		if relErr(got, want) > 1e-14 && math.Abs(got-want) > 1e-15 {
			t.Errorf("normQuantile(%v) = %v, gonum %v", p, got, want)
		}
		if back := normCDF(got); p > 1e-300 && relErr(back, p) > 1e-13 {
			t.Errorf("normCDF(normQuantile(%v)) = %v", p, back)
		}
	}
	if !math.IsInf(normQuantile(0), -1) || !math.IsInf(normQuantile(1), 1) || !math.IsNaN(normQuantile(-0.1)) || !math.IsNaN(normQuantile(math.NaN())) {
		t.Error("edge cases of normQuantile")
	}
}

func TestTQuantile(t *testing.T) {
	for _, nu := range []float64{1, 2, 3, 4.5, 10, 30, 100, 2500, 1e6, 1e9} {
		for _, alpha := range []float64{1e-12, 1e-6, 0.001, 0.05, 0.2, 0.9} {
			got := tQuantileTwoSided(alpha, nu)
			if p, _ := studentTTwoSided(got, nu); relErr(p, alpha) > 1e-12 {
				t.Errorf("nu %v alpha %v: t %v gives p %v", nu, alpha, got, p)
			}
			// gonum's t loses ~1e-9 to lgamma cancellation at large nu
			// (see special.go): compare where it is exact.
			if nu <= 1e4 && alpha >= 1e-6 {
				want := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}.Quantile(1 - alpha/2)
				if relErr(got, want) > 1e-9 {
					t.Errorf("nu %v alpha %v: t %v, gonum %v", nu, alpha, got, want)
				}
			}
		}
	}
	// Closed forms: nu = 1 is Cauchy, t = tan(pi (1 - alpha) / 2).
	if got, want := tQuantileTwoSided(1e-8, 1), math.Tan(math.Pi*(1-1e-8)/2); relErr(got, want) > 1e-7 {
		t.Errorf("Cauchy: %v, want %v", got, want)
	}
}
