package clv

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestTrigamma checks trigamma against scipy.special.polygamma(1, v)
// (scipy 1.10.1), on both sides of the switch to the asymptotic series.
func TestTrigamma(t *testing.T) {
	for _, c := range [][2]float64{
		{1e-08, 1e+16},
		{0.1, 101.43329915079275},
		{0.5, 4.93480220054468},
		{1, 1.6449340668482266},
		{2.5, 0.4903577561002349},
		{11.9, 0.08766320119000418},
		{12, 0.0869018728717684},
		{12.5, 0.08328522460157839},
		{100, 0.010050166663333573},
		{1000000.0, 1.0000005000001667e-06},
	} {
		if got := trigamma(c[0]); math.Abs(got-c[1]) > 4e-15*c[1] {
			t.Errorf("trigamma(%v) = %.17g, scipy %.17g", c[0], got, c[1])
		}
	}
}

// TestAnalyticHessians compares every model's analytic Hessian with
// central differences of its analytic gradient (itself checked against
// differences of the likelihood by TestAnalyticGradients) at the points
// of that test, which reach every branch: both forms of the x-only
// terms, MBG/NBD's x = 0 term, Pareto/NBD's two series forms and its
// quadrature.
func TestAnalyticHessians(t *testing.T) {
	cs := cdnowSummary(t)
	forDerivativePoints(t, cs, checkHessian)
	o, err := newObjective(GammaGammaKind, cs)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][]float64{{6.25, 3.74, 15.4}, {0.5, 1.2, 300}} {
		checkHessian(t, o, p)
	}
}

func checkHessian(t *testing.T, o *objective, p []float64) {
	t.Helper()
	k := len(p)
	g := make([]float64, k)
	h := make([]float64, k*k)
	ll, err := o.evalH(p, g, h)
	if err != nil {
		t.Fatal(err)
	}
	g0 := make([]float64, k)
	if ll0, _ := o.eval(p, g0); ll0 != ll || fmt.Sprint(g0) != fmt.Sprint(g) {
		t.Errorf("evalH gives %v %v, eval %v %v", ll, g, ll0, g0)
	}
	q := make([]float64, k)
	gp := make([]float64, k)
	gm := make([]float64, k)
	for j := range p {
		// Central differences in log p_j of the gradient: p_j dg_i/dp_j.
		const step = 1e-5
		copy(q, p)
		q[j] = p[j] * math.Exp(step)
		if _, err := o.eval(q, gp); err != nil {
			t.Fatal(err)
		}
		q[j] = p[j] * math.Exp(-step)
		if _, err := o.eval(q, gm); err != nil {
			t.Fatal(err)
		}
		for i := range p {
			num := (gp[i] - gm[i]) / (2 * step)
			got := h[i*k+j] * p[j]
			// Per customer and per unit of the parameter's log (p_i).
			scale := p[i] / o.n
			if d := math.Abs(got-num) * scale; d > 1e-6*(1+math.Abs(num)*scale) {
				t.Errorf("%s at %v: p_%d dg_%d/dp_%d analytic %.10g, numeric %.10g", o.kind, p, j, i, j, got, num)
			}
		}
	}
	for i := range k {
		for j := range k {
			if h[i*k+j] != h[j*k+i] {
				t.Errorf("Hessian not symmetric at (%d, %d)", i, j)
			}
		}
	}
}

// TestNewtonStarts fits CDNOW from several start points, near and far
// from the optimum (parameters a factor 100 off, swapped scales): every
// fit must converge by the Newton iteration itself (no fallback) to the
// reference estimates on the same data (1e-3 relative, the tolerance of
// TestFitCDNOW) with the same log-likelihood (0.01).
func TestNewtonStarts(t *testing.T) {
	cs := cdnowSummary(t)
	ref := loadReference(t)
	starts := map[Kind][][]float64{
		BGNBD:          {{0.1, 1, 0.1, 1}, {10, 100, 10, 100}, {1, 0.1, 5, 0.5}, {0.01, 30, 0.5, 50}},
		MBGNBD:         {{0.1, 1, 0.1, 1}, {10, 100, 10, 100}, {1, 0.1, 5, 0.5}},
		ParetoNBD:      {{0.1, 1, 0.1, 1}, {10, 100, 10, 100}, {1, 0.5, 1, 50}, {1, 50, 1, 0.5}},
		GammaGammaKind: {{0.1, 0.1, 1}, {100, 100, 1000}, {1, 10, 0.1}},
	}
	for _, k := range []Kind{BGNBD, MBGNBD, ParetoNBD, GammaGammaKind} {
		m := ref.Models[string(k)]
		un := m.Unrounded
		if un == nil {
			un = m.UnroundedZbar
		}
		for _, init := range starts[k] {
			t.Run(fmt.Sprint(k, init), func(t *testing.T) {
				f, err := FitFrom(k, cs, init)
				if err != nil {
					t.Fatal(err)
				}
				if f.Status != newtonStatus || f.Iterations > 40 {
					t.Errorf("status %s after %d iterations, want Newton's convergence", f.Status, f.Iterations)
				}
				for i, name := range k.ParamNames() {
					if e := relErr(f.Params[i], un.Params[name]); e > 1e-3 {
						t.Errorf("%s = %.7g, reference %.7g (rel. error %.2g)", name, f.Params[i], un.Params[name], e)
					}
				}
				if d := f.LogLikelihood - un.LogLikelihood; math.Abs(d) > 0.01 {
					t.Errorf("LL = %.4f, reference %.4f", f.LogLikelihood, un.LogLikelihood)
				}
			})
		}
	}
}

// TestTrustRegionStep checks the subproblem's optimality conditions
// (Moré & Sorensen): p minimises g·p + ½ pᵀHp over ||p|| <= delta iff
// (H + λI) p = -g for some λ >= 0 with H + λI positive semidefinite and
// λ = 0 unless ||p|| = delta. Cases: a Newton step inside the region,
// one cut at the boundary, an indefinite H, and the hard case (g with
// no component along the negative curvature).
func TestTrustRegionStep(t *testing.T) {
	tests := []struct {
		name   string
		h, g   []float64
		delta  float64
		newton bool // the answer is the Newton step
	}{
		{"newton inside", []float64{4, 1, 1, 3}, []float64{1, 2}, 10, true},
		{"newton cut", []float64{4, 1, 1, 3}, []float64{10, 20}, 1, false},
		{"indefinite", []float64{-2, 0.5, 0.5, 1}, []float64{1, -1}, 1.5, false},
		{"hard case", []float64{-1, 0, 0, 2}, []float64{0, 1}, 2, false},
		{"four parameters", []float64{2, 0.3, 0, 0.1, 0.3, -0.5, 0.2, 0, 0, 0.2, 1, 0.4, 0.1, 0, 0.4, 3}, []float64{0.3, -0.2, 0.5, 0.1}, 0.7, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := len(tt.g)
			var tr trScratch
			p := make([]float64, k)
			pred, ok := tr.step(tt.h, tt.g, k, tt.delta, p)
			if !ok || !(pred > 0) {
				t.Fatalf("step failed: ok %v, predicted decrease %v", ok, pred)
			}
			hp := make([]float64, k)
			for i := range k {
				for j := range k {
					hp[i] += tt.h[i*k+j] * p[j]
				}
			}
			// λ from the stationarity condition projected on p.
			pp, lam := 0.0, 0.0
			for i := range k {
				pp += p[i] * p[i]
				lam -= p[i] * (hp[i] + tt.g[i])
			}
			lam /= pp
			for i := range k {
				if r := hp[i] + lam*p[i] + tt.g[i]; math.Abs(r) > 1e-9 {
					t.Errorf("(H + λI)p + g = %v at %d, λ = %v, p = %v", r, i, lam, p)
				}
			}
			pn := math.Sqrt(pp)
			switch {
			case tt.newton && math.Abs(lam) > 1e-9:
				t.Errorf("λ = %v, want the Newton step (λ = 0), p = %v", lam, p)
			case !tt.newton && math.Abs(pn-tt.delta) > 1e-9:
				t.Errorf("||p|| = %v, want the boundary %v", pn, tt.delta)
			case lam < -1e-9 || pn > tt.delta*(1+1e-12):
				t.Errorf("λ = %v, ||p|| = %v outside the conditions", lam, pn)
			}
			// H + λI positive semidefinite: its smallest eigenvalue.
			a := mat.NewSymDense(k, nil)
			for i := range k {
				for j := i; j < k; j++ {
					v := tt.h[i*k+j]
					if i == j {
						v += lam
					}
					a.SetSym(i, j, v)
				}
			}
			var es mat.EigenSym
			if !es.Factorize(a, false) || es.Values(nil)[0] < -1e-9 {
				t.Errorf("H + λI not positive semidefinite (λ = %v)", lam)
			}
		})
	}
}

// TestNewtonAgreesWithBFGS fits cohorts simulated from each model over
// a range of parameters (fast and slow buyers, early and late drop-out,
// α on either side of β) by Fit's Newton iteration and by gonum's BFGS,
// an independent optimiser, from the same default start: both must
// reach the same maximum (log-likelihood to 1e-6 per customer,
// estimates to 1e-3 relative), and Newton must get there by itself.
func TestNewtonAgreesWithBFGS(t *testing.T) {
	cases := []struct {
		kind   Kind
		params []float64
	}{
		{BGNBD, []float64{0.3, 3, 0.5, 4}},
		{BGNBD, []float64{2, 10, 2, 1}},
		{MBGNBD, []float64{0.8, 8, 1.5, 3}},
		{MBGNBD, []float64{0.2, 2, 0.4, 1}},
		{ParetoNBD, []float64{0.4, 5, 0.5, 20}},
		{ParetoNBD, []float64{1.5, 12, 1.2, 4}},
	}
	for i, c := range cases {
		cs := simulate(c.kind, c.params, 1500, uint64(100+i))
		t.Run(fmt.Sprint(c.kind, c.params), func(t *testing.T) {
			compareBFGS(t, c.kind, cs)
		})
	}
	// A retailer's cohort in whole days: 20,000 customers, thousands of
	// cells, a time scale of hundreds of days (far from the start).
	for i, c := range cases[:4] {
		cs := simulate(c.kind, c.params, 20000, uint64(300+i))
		for j := range cs {
			cs[j].T, cs[j].Tx = math.Floor(cs[j].T*7), math.Floor(cs[j].Tx*7)
			if cs[j].X == 0 {
				cs[j].Tx = 0
			}
		}
		t.Run(fmt.Sprint(c.kind, c.params, " in days"), func(t *testing.T) {
			compareBFGS(t, c.kind, cs)
		})
	}
	// Gamma-Gamma: the mean of x Gamma(p, ν) values is Gamma(px, xν),
	// ν ~ Gamma(q, γ).
	for i, par := range [][]float64{{6, 4, 15}, {1.5, 2.5, 40}} {
		src := rand.NewPCG(uint64(7+i), 3)
		nu := distuv.Gamma{Alpha: par[1], Beta: par[2], Src: src}
		var cs []Customer
		for j := range 800 {
			x := 1 + j%7
			z := distuv.Gamma{Alpha: par[0] * float64(x), Beta: float64(x) * nu.Rand(), Src: src}.Rand()
			cs = append(cs, Customer{X: x, Tx: 1, T: 2, MeanValue: z})
		}
		t.Run(fmt.Sprint(GammaGammaKind, par), func(t *testing.T) {
			compareBFGS(t, GammaGammaKind, cs)
		})
	}
}

func compareBFGS(t *testing.T, kind Kind, cs []Customer) {
	t.Helper()
	f, err := Fit(kind, cs)
	if err != nil {
		t.Fatal(err)
	}
	if f.Status != newtonStatus {
		t.Errorf("Newton fell back to BFGS (%s after %d iterations)", f.Status, f.Iterations)
	}
	o, err := newObjective(kind, cs)
	if err != nil {
		t.Fatal(err)
	}
	th := o.start()
	for i := range th {
		th[i] = math.Log(th[i])
	}
	g, err := o.bfgs(th, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d := math.Abs(f.LogLikelihood-g.LogLikelihood) / o.n; d > 1e-6 {
		t.Errorf("LL Newton %.6f, BFGS %.6f", f.LogLikelihood, g.LogLikelihood)
	}
	for i, name := range kind.ParamNames() {
		if e := relErr(f.Params[i], g.Params[i]); e > 1e-3 {
			t.Errorf("%s Newton %.6g, BFGS %.6g", name, f.Params[i], g.Params[i])
		}
		if e := relErr(f.StdErrors[i], g.StdErrors[i]); e > 1e-2 {
			t.Errorf("se(%s) Newton %.6g, BFGS %.6g", name, f.StdErrors[i], g.StdErrors[i])
		}
	}
	t.Logf("%s: Newton %d iterations, BFGS %d; %.4g", kind, f.Iterations, g.Iterations, f.Params)
}

// TestCholSolve solves a small system with a known solution and refuses
// matrices that are not positive definite.
func TestCholSolve(t *testing.T) {
	a := []float64{4, 2, 0.4, 2, 5, 1, 0.4, 1, 3}
	x := []float64{1, -2, 3}
	b := make([]float64, 3)
	for i := range 3 {
		for j := range 3 {
			b[i] += a[i*3+j] * x[j]
		}
	}
	if !cholSolve(append([]float64(nil), a...), 3, b) {
		t.Fatal("positive definite matrix refused")
	}
	for i := range x {
		if math.Abs(b[i]-x[i]) > 1e-14 {
			t.Errorf("x = %v, want %v", b, x)
		}
	}
	if cholSolve([]float64{1, 2, 2, 1}, 2, []float64{1, 1}) {
		t.Error("indefinite matrix accepted")
	}
}
