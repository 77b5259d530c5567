package abtest

import "math"

// Precision notes. The reference vectors demand 1e-9 relative agreement
// with 50-digit results. math.Erfc is accurate to a few ulps down to its
// underflow, so normal tails use it directly (never 1 - CDF), and the
// normal quantile (normQuantile) is polished against it. gonum's
// Student t and incomplete beta compute log B(a, b) as a difference of
// lgamma values; for a ~ 1e7 each lgamma is ~1.5e8 and its rounding alone
// costs ~1e-9 relative in the p-value (measured 9.6e-10 at df 2e7). The
// Student t tail is therefore computed here from a continued fraction with
// a log-beta that cancels the large Stirling terms analytically, and the
// t quantile is Newton's on it (tStart, tQuantileTwoSided). abtest links
// no gonum package (see quantile.go).

const (
	lnSqrt2Pi = 0.91893853320467274178032973640561764 // log(sqrt(2*pi))
	ln10      = math.Ln10
)

// normSF is the standard normal upper tail P(Z > z).
func normSF(z float64) float64 { return 0.5 * erfcSqrt2(z) }

// normCDF is P(Z <= z).
func normCDF(z float64) float64 { return 0.5 * erfcSqrt2(-z) }

// sqrt2Lo is sqrt(2) - math.Sqrt2.
const sqrt2Lo = -9.667293313452913e-17

// erfcSqrt2 is erfc(z/sqrt 2) to full relative precision deep in the
// tail. Rounding z/sqrt 2 to x = hi costs a relative error of about
// 2 x^2 ulp in erfc (1e-13 at z = 37); the rounding error lo is added
// back by a first-order step, erfc(hi + lo) = erfc(hi) - lo 2/sqrt(pi)
// e^-hi^2.
func erfcSqrt2(z float64) float64 {
	hi := z / math.Sqrt2
	// z - hi sqrt(2), exactly up to the last term's rounding.
	lo := (math.FMA(-hi, math.Sqrt2, z) - hi*sqrt2Lo) / math.Sqrt2
	e := math.Erfc(hi)
	if math.Abs(hi) < 1 || e == 0 {
		return e
	}
	return e - lo*(2/math.SqrtPi)*math.Exp(-hi*hi)
}

// normPDF is the standard normal density.
func normPDF(z float64) float64 { return math.Exp(-0.5*z*z - lnSqrt2Pi) }

// zQuantile is the standard normal quantile (see normQuantile).
func zQuantile(p float64) float64 { return normQuantile(p) }

// zUpper returns z with P(Z > z) = q, from the upper tail itself: 1 - q
// rounds to 1 for q below 1.1e-16, so zQuantile(1 - alpha/2) would be
// +Inf there, while normQuantile's lower tail keeps full precision down
// to the smallest q.
func zUpper(q float64) float64 { return -normQuantile(q) }

// logErfc is log(erfc(x)), finite far beyond erfc's underflow.
func logErfc(x float64) float64 {
	if x < 20 {
		return math.Log(math.Erfc(x))
	}
	// erfc(x) = exp(-x^2)/(x sqrt(pi)) * sum_k (-1)^k (2k-1)!!/(2x^2)^k;
	// at x >= 20 the terms fall below 1e-17 long before they diverge.
	s, term, u := 1.0, 1.0, 1/(2*x*x)
	for k := 1; k < 30; k++ {
		term *= -float64(2*k-1) * u
		s += term
		if math.Abs(term) < 1e-17 {
			break
		}
	}
	return -x*x - math.Log(x) - 0.5*math.Log(math.Pi) + math.Log(s)
}

// log10TwoSidedNormal is log10 of erfc(|z|/sqrt2), the two-sided normal
// p-value, exact in magnitude even when the p-value underflows.
func log10TwoSidedNormal(z float64) float64 {
	return logErfc(math.Abs(z)/math.Sqrt2) / ln10
}

// stirlingCorr is lgamma(x) - [(x-1/2)log x - x + log sqrt(2 pi)] for
// x >= 10, by the Stirling series (truncation error < 1e-17 at x = 10).
func stirlingCorr(x float64) float64 {
	c := [...]float64{1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188,
		-691.0 / 360360, 1.0 / 156, -3617.0 / 122400}
	x2 := 1 / (x * x)
	s := 0.0
	for i := len(c) - 1; i >= 0; i-- {
		s = s*x2 + c[i]
	}
	return s / x
}

// lbeta is log B(a, b) for a, b > 0. For large arguments the Stirling
// terms that would cancel are removed analytically, keeping ~1e-15
// absolute accuracy where lgamma(a)+lgamma(b)-lgamma(a+b) loses ~1e-8.
func lbeta(a, b float64) float64 {
	p, q := math.Min(a, b), math.Max(a, b)
	switch {
	case p >= 10:
		corr := stirlingCorr(p) + stirlingCorr(q) - stirlingCorr(p+q)
		return -0.5*math.Log(q) + lnSqrt2Pi + corr + (p-0.5)*math.Log(p/(p+q)) + q*math.Log1p(-p/(p+q))
	case q >= 10:
		corr := stirlingCorr(q) - stirlingCorr(p+q)
		lp, _ := math.Lgamma(p)
		return lp + corr + p - p*math.Log(p+q) + (q-0.5)*math.Log1p(-p/(p+q))
	}
	lp, _ := math.Lgamma(p)
	lq, _ := math.Lgamma(q)
	lpq, _ := math.Lgamma(p + q)
	return lp + lq - lpq
}

// betaCF evaluates the continued fraction of the incomplete beta function
// (modified Lentz) for I_x(a, b) = front * betaCF / a.
func betaCF(a, b, x float64) float64 {
	const tiny = 1e-300
	const eps = 1e-16
	qab, qap, qam := a+b, a+1, a-1
	c, d := 1.0, 1-qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m < 1_000_000; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return h
}

// logIncBetaLower is log I_x(a, b), the log regularized incomplete beta.
// The caller passes log x and log y (y = 1 - x) computed without rounding
// x first: with a ~ 1e7, a*log(x) would otherwise amplify the rounding of
// x to 1e-9. It must only be called with x <= (a+1)/(a+b+2), where the
// continued fraction converges fast.
func logIncBetaLower(a, b, x, logx, logy float64) float64 {
	front := a*logx + b*logy - lbeta(a, b) - math.Log(a)
	return front + math.Log(betaCF(a, b, x))
}

// studentTTwoSided returns the two-sided p-value 2 P(T > |t|) of a
// Student t with nu degrees of freedom, and its natural log (finite even
// when the p-value underflows to 0).
func studentTTwoSided(t, nu float64) (p, logp float64) {
	t = math.Abs(t)
	if nu > 1e10 { // t is normal to better than 1e-9 relative here
		return erfcSqrt2(t), logErfc(t / math.Sqrt2)
	}
	if t == 0 {
		return 1, 0
	}
	if nu > 2000 && t > 0.5 {
		lp := math.Ln2 + tTailLogOneSided(t, nu)
		return math.Exp(lp), lp
	}
	// p = I_x(nu/2, 1/2) with x = nu/(nu+t^2), y = t^2/(nu+t^2):
	// log x = -log1p(t^2/nu), log y = -log1p(nu/t^2).
	a, b := nu/2, 0.5
	x := nu / (nu + t*t)
	logx := -log1pSq(t, nu)
	logy := -math.Log1p(nu / t / t)
	if x <= (a+1)/(a+b+2) {
		lp := logIncBetaLower(a, b, x, logx, logy)
		return math.Exp(lp), lp
	}
	// Near the centre p is large: use the symmetry I_x(a,b) = 1 - I_y(b,a).
	q := math.Exp(logIncBetaLower(b, a, t*t/(nu+t*t), logy, logx))
	p = 1 - q
	return p, math.Log(p)
}

// studentTLogPDF is the log of the Student t density, finite for any t.
func studentTLogPDF(t, nu float64) float64 {
	return -lbeta(nu/2, 0.5) - 0.5*math.Log(nu) - (nu+1)/2*log1pSq(t, nu)
}

// log1pSq is log(1 + t^2/nu) without overflow of t^2 for t up to the
// float64 range (heavy-tailed quantiles at tiny alpha reach 1e100 and more).
func log1pSq(t, nu float64) float64 {
	t = math.Abs(t)
	if t > 1e100 {
		return 2*math.Log(t) - math.Log(nu) + math.Log1p(nu/t/t)
	}
	return math.Log1p(t * t / nu)
}

// tQuantileTwoSided returns t > 0 with 2 P(T > t) = alpha, solved on the
// precise tail above (never from 1 - alpha/2, which rounds to 1 for tiny
// alpha). The root is found in log t by Newton steps kept inside a
// bracket: the normal quantile is a lower bound (Student tails are
// heavier), and the bracket grows until the tail is below alpha/2.
func tQuantileTwoSided(alpha, nu float64) float64 {
	z := zUpper(alpha / 2)
	if nu > 1e10 || !isFinite(z) {
		return z
	}
	target := math.Log(alpha)
	// g(s) = log(2 P(T > e^s)) - log alpha decreases in s.
	g := func(s float64) (v, dv float64) {
		t := math.Exp(s)
		_, lp := studentTTwoSided(t, nu)
		// d/ds log p = -2 t f(t) / p.
		return lp - target, -2 * math.Exp(s+studentTLogPDF(t, nu)-lp)
	}
	lo, hi := math.Log(z), math.Log(z)+1
	for range 2000 {
		if v, _ := g(hi); v < 0 {
			break
		}
		lo, hi = hi, hi+1
	}
	s := lo
	if q := tStart(alpha, nu); q > z && isFinite(q) && math.Log(q) < hi {
		s = math.Log(q)
	}
	for range 200 {
		v, dv := g(s)
		if v == 0 {
			break
		}
		if v > 0 {
			lo = s
		} else {
			hi = s
		}
		next := s - v/dv
		if !(next > lo && next < hi) {
			next = (lo + hi) / 2
		}
		if math.Abs(next-s) <= 1e-16*math.Max(1, math.Abs(s)) {
			s = next
			break
		}
		s = next
	}
	return math.Exp(s)
}
