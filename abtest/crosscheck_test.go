package abtest

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestStudentTAgainstGonum cross-checks the Student t tail with gonum's
// (independent code) where gonum is accurate: moderate df.
func TestStudentTAgainstGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		nu := 1 + r.Float64()*r.Float64()*5000
		tt := r.Float64() * 8
		want := 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}.Survival(tt)
		got, lp := studentTTwoSided(tt, nu)
		if math.Abs(got-want) > 1e-10*want {
			t.Errorf("t=%v df=%v: p = %.17g, gonum %.17g", tt, nu, got, want)
		}
		if math.Abs(lp-math.Log(want)) > 1e-9 {
			t.Errorf("t=%v df=%v: log p = %v, gonum %v", tt, nu, lp, math.Log(want))
		}
		alpha := 0.001 + r.Float64()*0.2
		q := tQuantileTwoSided(alpha, nu)
		if back, _ := studentTTwoSided(q, nu); math.Abs(back-alpha) > 1e-12*alpha {
			t.Errorf("quantile(%v, %v) = %v maps back to %v", alpha, nu, q, back)
		}
	}
}

// TestBayesAgainstGonum cross-checks P(B > A) and the expected loss with a
// plain integral over [0, 1] of gonum's Beta density and CDF (independent
// code, accurate for these moderate posteriors).
func TestBayesAgainstGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 25 {
		na, nb := 1+r.Int64N(400), 1+r.Int64N(400)
		xa, xb := r.Int64N(na+1), r.Int64N(nb+1)
		prior := BetaPrior{Alpha: 0.5 + r.Float64()*3, Beta: 0.5 + r.Float64()*3}
		got, err := Bayes(Proportion{na, xa}, Proportion{nb, xb}, prior)
		if err != nil {
			t.Fatal(err)
		}
		A := distuv.Beta{Alpha: got.PosteriorControl[0], Beta: got.PosteriorControl[1]}
		B := distuv.Beta{Alpha: got.PosteriorTreatment[0], Beta: got.PosteriorTreatment[1]}
		f := func(x float64) float64 { return B.Prob(x) * A.CDF(x) }
		want := integrateUnit(f)
		if math.Abs(got.ProbTreatmentBeats-want) > 1e-10*math.Max(want, 1e-3) {
			t.Errorf("%+v: P(B>A) = %.12g, gonum integral %.12g", got, got.ProbTreatmentBeats, want)
		}
		// E[max(A - B, 0)] = int B.pdf(y) int_y^1 (1 - A.CDF(x)) dx dy,
		// checked through the symmetric identity
		// lossB - lossA = E[A] - E[B].
		if d := (got.ExpectedLossTreatment - got.ExpectedLossControl) - (got.MeanControl - got.MeanTreatment); math.Abs(d) > 1e-12 {
			t.Errorf("%+v: loss identity off by %v", got, d)
		}
	}
}

// integrateUnit integrates f over (0, 1) with Gauss-Legendre on panels
// refined geometrically towards both ends, where Beta densities with
// parameters below 1 are singular.
func integrateUnit(f func(float64) float64) float64 {
	edges := []float64{0, 1}
	for k := 1; k <= 60; k++ {
		edges = append(edges, math.Ldexp(0.5, -k), 1-math.Ldexp(0.5, -k))
	}
	for i := 1; i < 2000; i++ {
		edges = append(edges, float64(i)/2000)
	}
	slices.Sort(edges)
	edges = slices.Compact(edges)
	sum := 0.0
	for i := 0; i+1 < len(edges); i++ {
		if edges[i+1] > edges[i] {
			sum += quad.Fixed(f, edges[i], edges[i+1], 30, quad.Legendre{}, 0)
		}
	}
	return sum
}
