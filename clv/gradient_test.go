package clv

import (
	"fmt"
	"math"
	"testing"
)

// TestAnalyticGradients compares every model's analytic gradient (as the
// fit uses it) with central differences of its log-likelihood, at points
// that reach each branch: α > β and α < β (the two forms of Pareto/NBD's
// tail series), z(t_x) > 0.95 (its quadrature), MBG/NBD's x = 0 term, and
// a cohort whose largest x makes the x-only terms use log-gamma calls.
func TestAnalyticGradients(t *testing.T) {
	cs := cdnowSummary(t)
	forDerivativePoints(t, cs, checkGradient)
	o, err := newObjective(GammaGammaKind, cs)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][]float64{{6.25, 3.74, 15.4}, {0.5, 1.2, 300}} {
		checkGradient(t, o, p)
	}
}

func checkGradient(t *testing.T, o *objective, p []float64) {
	t.Helper()
	g := make([]float64, len(p))
	if _, err := o.eval(p, g); err != nil {
		t.Fatal(err)
	}
	q := make([]float64, len(p))
	for i := range p {
		// Central differences in log p_i: d/dlog p = p dLL/dp.
		const h = 1e-5
		copy(q, p)
		q[i] = p[i] * math.Exp(h)
		fp, err := o.eval(q, nil)
		if err != nil {
			t.Fatal(err)
		}
		q[i] = p[i] * math.Exp(-h)
		fm, err := o.eval(q, nil)
		if err != nil {
			t.Fatal(err)
		}
		num := (fp - fm) / (2 * h)
		got := g[i] * p[i]
		// Differences of a sum over thousands of customers carry ~1e-8
		// relative noise; compare per customer.
		if d := math.Abs(got-num) / o.n; d > 1e-6*(1+math.Abs(num)/o.n) {
			t.Errorf("%s at %v: d/dlog p[%d] analytic %.10g, numeric %.10g", o.kind, p, i, got, num)
		}
	}
}

// forDerivativePoints runs check at the points of the purchase models
// that reach each branch of their derivatives, on CDNOW and on a cohort
// whose largest x makes the x-only terms use log-gamma calls.
func forDerivativePoints(t *testing.T, cs []Customer, check func(*testing.T, *objective, []float64)) {
	big := append([]Customer{}, cs[:200]...)
	big = append(big, Customer{X: 3000, Tx: 38, T: 39})
	points := map[Kind][][]float64{
		BGNBD:     {{0.24, 4.4, 0.79, 2.4}, {2, 0.5, 1, 1}, {0.05, 30, 3, 0.2}},
		MBGNBD:    {{0.52, 6.2, 0.89, 1.6}, {2, 0.5, 1, 1}},
		ParetoNBD: {{0.55, 10.6, 0.61, 11.7}, {0.55, 12.9, 0.98, 31.8}, {1, 30, 3.5, 0.05}, {0.05, 0.1, 0.2, 80}},
	}
	for _, data := range []struct {
		name string
		cs   []Customer
	}{{"cdnow", cs}, {"large x", big}} {
		for kind, pts := range points {
			o, err := newObjective(kind, data.cs)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range pts {
				t.Run(fmt.Sprint(data.name, kind, p), func(t *testing.T) {
					check(t, o, p)
				})
			}
		}
	}
}
