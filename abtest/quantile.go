package abtest

import "math"

// The few numerics abtest took from gonum, written here so that abtest,
// which scenario imports for experiment assignment, links no gonum
// package into a host's binary. Each is checked against gonum and the
// reference vectors in quantile_test.go.

// legendre fills x and w with the Gauss-Legendre rule of order len(x) on
// [0, 1], nodes descending (as gonum lists them, so sums keep their
// order): the roots of P_n by Newton's method from
// Tricomi's estimate, weights 2/((1-r^2) P_n'(r)^2), halved for [0, 1].
func legendre(x, w []float64) {
	n := len(x)
	for i := range (n + 1) / 2 {
		// The i-th largest root, by Newton on P_n from cos(pi (i+3/4)/(n+1/2)).
		r := math.Cos(math.Pi * (float64(i) + 0.75) / (float64(n) + 0.5))
		var dp float64
		for range 100 {
			p0, p1 := 1.0, r // P_0, P_1
			for k := 2; k <= n; k++ {
				p0, p1 = p1, (float64(2*k-1)*r*p1-float64(k-1)*p0)/float64(k)
			}
			dp = float64(n) * (r*p1 - p0) / (r*r - 1) // P_n'(r)
			step := p1 / dp
			r -= step
			if math.Abs(step) < 1e-17 {
				break
			}
		}
		if n == 1 {
			dp = 1
		}
		wi := 1 / ((1 - r*r) * dp * dp) // 2/(...) halved for [0, 1]
		x[i], w[i] = (1+r)/2, wi
		x[n-1-i], w[n-1-i] = (1-r)/2, wi
	}
}

// normQuantile is the standard normal quantile: z with P(Z <= z) = p.
// In the centre it is math.Erfinv (Wichura's AS241 rational
// approximation); in the tails it starts from Erfinv or the tail
// asymptote and is polished by Newton steps on log P(Z <= z), computed
// with math.Erfc, which keeps full relative precision there. p outside [0, 1] or NaN gives NaN.
func normQuantile(p float64) float64 {
	switch {
	case !(p >= 0 && p <= 1):
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	case p > 0.5:
		return -normQuantile(1 - p) // 1-p is exact for p in (0.5, 1)
	case p == 0.5:
		return 0
	}
	// Lower tail, p < 0.5, z < 0. Newton on g(z) = log Phi(z) - log p,
	// g'(z) = phi(z)/Phi(z).
	logp := math.Log(p)
	newton := func(z float64) (float64, float64) {
		logPhi := logErfc(-z/math.Sqrt2) - math.Ln2
		logphi := -0.5*z*z - lnSqrt2Pi
		step := (logPhi - logp) * math.Exp(logPhi-logphi)
		return z - step, step
	}
	switch {
	case p >= 1e-3:
		// Erfinv is within 1e-15 relative here (checked with mpmath).
		return math.Sqrt2 * math.Erfinv(2*p-1)
	case p > 1e-8:
		// 2p-1 rounds near -1: Erfinv is good to ~1e-12; one quadratic
		// step gives full precision.
		z, _ := newton(math.Sqrt2 * math.Erfinv(2*p-1))
		return z
	}
	// -z ~ sqrt(2L - log(2L) - log(2 pi)), L = -log p.
	l := -math.Log(p)
	z := -math.Sqrt(2*l - math.Log(2*l) - math.Log(2*math.Pi))
	for range 50 {
		var step float64
		if z, step = newton(z); math.Abs(step) <= 1e-16*math.Abs(z) {
			break
		}
	}
	return z
}

// tStart returns t > 0 with 2 P(T > t) = alpha for a Student t with nu
// degrees of freedom, by Newton steps on log p against log t (where the
// heavy tails are nearly straight lines) from the Cornish-Fisher
// expansion of t around the normal quantile (Abramowitz and Stegun
// 26.7.5; its first term only for small nu, where the series diverges).
// tQuantileTwoSided polishes it.
func tStart(alpha, nu float64) float64 {
	z := zUpper(alpha / 2)
	z2 := z * z
	t := z + z*(z2+1)/(4*nu)
	if nu >= 30 {
		g2 := z * ((5*z2+16)*z2 + 3) / 96
		g3 := z * (((3*z2+19)*z2+17)*z2 - 15) / 384
		g4 := z * ((((79*z2+776)*z2+1482)*z2-1920)*z2 - 945) / 92160
		t += g2/(nu*nu) + g3/(nu*nu*nu) + g4/(nu*nu*nu*nu)
	}
	if !(t > 0) || math.IsInf(t, 0) {
		return z
	}
	// Near the root log p carries ~1e-14 of rounding: stop at 1e-12 (the
	// polish in t follows) or when a step no longer shrinks.
	loga := math.Log(alpha)
	last := math.Inf(1)
	for range 100 {
		_, logp := studentTTwoSided(t, nu)
		// d log p / d log t = -2 t f(t) / p.
		slope := -2 * t * math.Exp(studentTLogPDF(t, nu)-logp)
		du := (logp - loga) / slope
		if !isFinite(du) || math.Abs(du) >= last {
			break
		}
		t *= math.Exp(-du)
		if last = math.Abs(du); last <= 1e-12 {
			break
		}
	}
	return t
}
