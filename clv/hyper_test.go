package clv

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mathext"
)

// TestHyp2F1AgainstGonum compares the Euler-transformed series with
// gonum's mathext.Hypergeo where gonum's value is finite, and shows the
// region (large parameters, z near 1) where gonum overflows and the log
// form does not: the reason this package has its own 2F1.
func TestHyp2F1AgainstGonum(t *testing.T) {
	tests := []struct {
		a, b, z     float64
		gonumFinite bool
	}{
		{1.2, 1.6, 0.1, true},
		{1.2, 1.6, 0.9, true},
		{1.2, 1.6, 0.99, true},
		{50, 1.6, 0.97, true},
		{5000, 1.6, 0.5, true},
		{500, 500, 0.02, true},
		{500, 500, 0.5, true},
		{500, 500, 0.9, false}, // 2F1 ~ e^1149
		{1000, 999.5, 0.95, false},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("a=%v,b=%v,z=%v", tt.a, tt.b, tt.z)
		f, err := hyp2f1Euler(tt.a, tt.b, tt.z)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		mine := (1-tt.b)*math.Log1p(-tt.z) + math.Log(f)
		if math.IsNaN(mine) || math.IsInf(mine, 0) {
			t.Fatalf("%s: log 2F1 = %v", name, mine)
		}
		g := math.Log(mathext.Hypergeo(tt.a, tt.b, tt.a+1, tt.z))
		if finite := !math.IsInf(g, 0) && !math.IsNaN(g); finite != tt.gonumFinite {
			t.Errorf("%s: gonum log 2F1 = %v, expected finite=%v", name, g, tt.gonumFinite)
		} else if finite && relErr(mine, g) > 1e-12 && math.Abs(mine-g) > 1e-13 {
			t.Errorf("%s: log 2F1 = %.16g, gonum %.16g", name, mine, g)
		}
	}
}

// TestDeathIntegralSeriesVsQuadrature checks the two ways of computing
// the Pareto/NBD drop-out integral against each other, on both sides of
// alpha = beta, for small and large x and short and long spans.
func TestDeathIntegralSeriesVsQuadrature(t *testing.T) {
	tests := []struct{ k, alpha, s, beta, t0, t1 float64 }{
		{0.5, 10, 0.6, 1, 0, 39},
		{0.5, 10, 0.6, 0.6, 0, 39},
		{30, 10, 0.6, 0.6, 2, 39},
		{500, 10, 0.6, 0.8, 0, 39},
		{0.5, 1, 0.6, 15, 0, 39},
		{200, 0.8, 0.6, 15, 0.1, 39},
		{3, 10, 2.5, 0.6, 5, 6},
		{26.55, 10.58, 0.61, 11.67, 30.86, 31},
		{0.55, 10.58, 0.61, 11.67, 0, 38.86},
	}
	for _, tt := range tests {
		s, err := deathIntegral(tt.k, tt.alpha, tt.s, tt.beta, tt.t0, tt.t1)
		if err != nil {
			t.Fatal(err)
		}
		q := quadDeath(tt.k, tt.alpha, tt.s, tt.beta, tt.t0, tt.t1)
		if relErr(s, q) > 1e-12 {
			t.Errorf("%+v: series %.16g, quadrature %.16g", tt, s, q)
		}
	}
}

// TestLaplaceGamma checks J(s, z) = ∫ e^-v (1+v/z)^-s dv, behind the
// Pareto/NBD DET, against direct quadrature, across both branches
// (z < 1, z >= 1) and both signs of 1-s, including integers.
func TestLaplaceGamma(t *testing.T) {
	direct := func(s, z float64) float64 {
		f := func(v float64) float64 { return math.Exp(-v) * math.Pow(1+v/z, -s) }
		// Panels refined near 0, where (1+v/z)^-s varies on the scale z.
		total, lo := 0.0, 0.0
		for w := z / 64; lo < 80; w *= 1.5 {
			hi := math.Min(lo+w, 80)
			total += quad.Fixed(f, lo, hi, 30, quad.Legendre{}, 0)
			lo = hi
		}
		return total
	}
	for _, s := range []float64{0.3, 0.606, 1, 1.5, 2, 3.7, 12.5, 21, 40} {
		for _, z := range []float64{0.01, 0.13, 0.9, 1, 5, 50} {
			got, err := laplaceGamma(s, z)
			if err != nil {
				t.Fatalf("s=%v z=%v: %v", s, z, err)
			}
			if want := direct(s, z); relErr(got, want) > 1e-9 {
				t.Errorf("J(s=%v, z=%v) = %.15g, quadrature %.15g", s, z, got, want)
			}
		}
	}
}
