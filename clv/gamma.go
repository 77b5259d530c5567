package clv

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// laplaceGamma returns J(s, z) = ∫_0^∞ e^-v (1+v/z)^-s dv = z^s e^z Γ(1-s, z)
// for s > 0, z > 0: the Laplace transform behind the Pareto/NBD DET
// (the paper's Tricomi function, U(s, s; z) = e^z Γ(1-s, z)).
//
// For z >= 1 the continued fraction of Γ(a, z) (a = 1-s) is used, which
// gives J = z·CF with no exponentials at all. For z < 1 and a > 0, Γ(a, z)
// comes from gonum's regularised incomplete gamma; for a <= 0 it is
// brought down from a+k in (0, 1] (or from E1 when a is an integer) by
// Γ(a, z) = (Γ(a+1, z) - z^a e^-z)/a, which is stable for z < 1 because
// z^a e^-z dominates.
func laplaceGamma(s, z float64) (float64, error) {
	if !(s > 0) || !(z > 0) || math.IsInf(z, 0) || math.IsInf(s, 0) {
		return 0, numericErr("DET: J(s=%v, z=%v) outside its domain", s, z)
	}
	a := 1 - s
	var j float64
	// Far below zero, a = 1-s would take too many recurrence steps; the
	// continued fraction converges fast there for any z.
	if z >= 1 || a < -20 {
		cf, err := gammaCF(a, z)
		if err != nil {
			return 0, err
		}
		j = z * cf
	} else {
		g := upperGamma(a, z)
		j = math.Exp(s*math.Log(z)+z) * g
	}
	if math.IsNaN(j) || math.IsInf(j, 0) || j <= 0 {
		return 0, numericErr("DET: J(s=%v, z=%v) = %v", s, z, j)
	}
	return j, nil
}

// gammaCF returns Γ(a, z) e^z z^-a by the modified Lentz evaluation of
// its continued fraction (z >= 1, any real a).
func gammaCF(a, z float64) (float64, error) {
	const tiny = 1e-300
	b := z + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i <= maxSeriesTerms; i++ {
		fi := float64(i)
		an := -fi * (fi - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			return h, nil
		}
	}
	return 0, numericErr("incomplete gamma continued fraction did not converge (a=%v, z=%v)", a, z)
}

// upperGamma returns Γ(a, z) for a < 1 and 0 < z < 1.
func upperGamma(a, z float64) float64 {
	if a > 0 {
		return math.Gamma(a) * mathext.GammaIncRegComp(a, z)
	}
	k := math.Floor(-a) + 1 // a+k in (0, 1]
	var g float64
	top := a + k
	if top == 1 && a == math.Trunc(a) {
		// a is a non-positive integer: start at Γ(0, z) = E1(z).
		top = 0
		g = expint1(z)
	} else {
		g = math.Gamma(top) * mathext.GammaIncRegComp(top, z)
	}
	for v := top - 1; v >= a-1e-9; v-- {
		g = (g - math.Exp(v*math.Log(z)-z)) / v
	}
	return g
}

// expint1 returns E1(z) for 0 < z < 1 by its power series.
func expint1(z float64) float64 {
	const eulerGamma = 0.57721566490153286061
	sum, term := 0.0, 1.0
	for n := 1; n < 200; n++ {
		term *= -z / float64(n)
		d := term / float64(n)
		sum -= d
		if math.Abs(d) < 1e-17*math.Abs(sum) {
			break
		}
	}
	return -eulerGamma - math.Log(z) + sum
}

// trigamma returns ψ'(v), the derivative of the digamma function, for
// v > 0: the recurrence ψ'(v) = ψ'(v+1) + 1/v² up to v >= 12, then the
// asymptotic series 1/v + 1/(2v²) + Σ B_2k / v^(2k+1) to B_14, whose
// first omitted term is below 1e-16 relative there. Fits use it for
// their Hessians (gonum's mathext has no trigamma).
func trigamma(v float64) float64 {
	s := 0.0
	for v < 12 {
		s += 1 / (v * v)
		v++
	}
	iv := 1 / v
	iv2 := iv * iv
	// B_2 .. B_14 = 1/6, -1/30, 1/42, -1/30, 5/66, -691/2730, 7/6.
	tail := 1.0/6 + iv2*(-1.0/30+iv2*(1.0/42+iv2*(-1.0/30+iv2*(5.0/66+iv2*(-691.0/2730+iv2*7.0/6)))))
	return s + iv + iv2/2 + iv*iv2*tail
}
