package abtest

import "math"

// glOrder is the Gauss-Legendre order used on every panel. Panels are
// sized so that the integrand changes by at most a factor e^2 or so across
// one, where 20 nodes are exact to rounding.
const glOrder = 20

// glNodes and glWeights are the Gauss-Legendre rule on [0, 1], computed once
// (see legendre) and never modified.
var glNodes, glWeights = func() ([]float64, []float64) {
	x, w := make([]float64, glOrder), make([]float64, glOrder)
	legendre(x, w)
	return x, w
}()

// glLower[n][m] and glUpper[n][m] integrate the m-th Lagrange basis
// polynomial of the nodes over [0, x_n] and [x_n, 1]: applied to a
// function's values at the nodes they give its partial integrals up to and
// from each node, exact for polynomials of degree < glOrder, without new
// evaluations. Computed once (by the rule itself, exact for these degrees)
// and never modified.
var glLower, glUpper = func() (lo, up [glOrder][glOrder]float64) {
	basis := func(m int, t float64) float64 {
		v := 1.0
		for r, x := range glNodes {
			if r != m {
				v *= (t - x) / (glNodes[m] - x)
			}
		}
		return v
	}
	for n, xn := range glNodes {
		for m := range glOrder {
			var a, b float64
			for q, xq := range glNodes {
				a += glWeights[q] * basis(m, xn*xq)
				b += glWeights[q] * basis(m, xn+(1-xn)*xq)
			}
			lo[n][m], up[n][m] = xn*a, (1-xn)*b
		}
	}
	return lo, up
}()

// tTailLogOneSided returns log P(T > t) for a Student t with nu degrees of
// freedom by Gauss-Legendre quadrature of the density over [t, inf),
// stepping in panels no wider than half the local scale of the log
// density and stopping once it has fallen by 60 (e^-60 ~ 1e-26 relative).
// It is used for large nu, where the incomplete-beta continued fraction is
// ill-conditioned (x = nu/(nu+t^2) is within 1e-6 of 1 and its rounding
// alone costs 1e-10 relative).
func tTailLogOneSided(t, nu float64) float64 {
	h := (nu + 1) / 2
	ell := func(s float64) float64 { return -h * math.Log1p(s*s/nu) }
	logC := -lbeta(nu/2, 0.5) - 0.5*math.Log(nu)
	l0 := ell(t)
	sum := 0.0
	s := t
	for panels := 0; panels < 100000; panels++ {
		// |l'| and |l''| of the log density give the local scale.
		d1 := 2 * h * s / (nu + s*s)
		d2 := 2 * h * math.Abs(nu-s*s) / ((nu + s*s) * (nu + s*s))
		width := 0.5 / math.Max(d1, math.Sqrt(d2))
		if width > 0.5*s && s > 1 {
			width = 0.5 * s // heavy tails: grow geometrically
		}
		part := 0.0
		for i, x := range glNodes {
			part += glWeights[i] * math.Exp(ell(s+x*width)-l0)
		}
		sum += part * width
		s += width
		if ell(s)-l0 < -60 {
			break
		}
	}
	return logC + l0 + math.Log(sum)
}
