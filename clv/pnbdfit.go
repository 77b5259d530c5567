package clv

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// newParetoEval returns the Pareto/NBD log-likelihood of a cohort with
// its analytic gradient: the x-only part once per distinct x, the logs
// of α+T and β+T once per distinct T, and the drop-out integral with its
// parameter derivatives from the same series or quadrature as the value
// (deathIntegralGrad).
func newParetoEval(co *cohort) func(p, grad []float64) (float64, error) {
	co.points()
	laT := make([]float64, len(co.Ts))
	lbT := make([]float64, len(co.Ts))
	// The tails I(t) at each distinct (x, t), computed on first use in
	// an evaluation (cells on the quadrature branch need none).
	tailL := make([]float64, len(co.pts))
	tailG := make([][4]float64, len(co.pts))
	tailErr := make([]error, len(co.pts))
	tailDone := make([]bool, len(co.pts))
	// The series coefficients depend on x, not on t: one set per
	// distinct x, grown as the points of that x need.
	xIndex := make(map[int]int, len(co.xs))
	for i, x := range co.xs {
		xIndex[x] = i
	}
	ptX := make([]int, len(co.pts))
	ptT := make([]int, len(co.pts)) // index in times
	var times []float64
	tIndex := newKeyIndex(256)
	for j, pt := range co.pts {
		ptX[j] = xIndex[pt.x]
		i, isNew := tIndex.id([3]uint64{fbits(pt.t)})
		if isNew {
			times = append(times, pt.t)
		}
		ptT[j] = i
	}
	// log(m+t) and log(1-z) = log(m+t-d) - log(m+t) per distinct time.
	lmt := make([]float64, len(times))
	l1z := make([]float64, len(times))
	coefs := make([]seriesCoefs, len(co.xs))
	return func(p, grad []float64) (float64, error) {
		clear(tailDone)
		for i := range coefs {
			coefs[i].reset()
		}
		{
			m, d := math.Max(p[1], p[3]), math.Abs(p[1]-p[3])
			for i, t := range times {
				lmt[i] = math.Log(m + t)
				l1z[i] = math.Log(m+t-d) - lmt[i]
			}
		}
		m := ParetoNBDModel{p[0], p[1], p[2], p[3]}
		r, alpha, s, beta := p[0], p[1], p[2], p[3]
		for i, T := range co.Ts {
			laT[i], lbT[i] = math.Log(alpha+T), math.Log(beta+T)
		}
		var gr [4]float64 // (r, alpha, s, beta)
		ll := 0.0
		psiR := mathext.Digamma(r)
		for i, x := range co.xs {
			w := co.xw[i]
			ll += w * m.xPart(x)
			if grad != nil {
				gr[0] += w * (mathext.Digamma(r+float64(x)) - psiR + math.Log(alpha))
				gr[1] += w * r / alpha
				gr[2] += w * math.Log(beta)
				gr[3] += w * s / beta
			}
		}
		var dg [4]float64 // (k, s, alpha, beta) of the drop-out integral
		var dgp *[4]float64
		if grad != nil {
			dgp = &dg
		}
		ls := math.Log(s)
		var sum float64
		var prod logProduct
		for _, c := range co.cells {
			k := r + float64(c.x)
			alive := -k*laT[c.ti] - s*lbT[c.ti]
			var li float64
			a, m, b := k+s, alpha, s+1
			if alpha < beta {
				m, b = beta, k
			}
			d := math.Abs(alpha - beta)
			var top, sa float64 // cell = top + log(factor); sa = alive's weight
			var factor float64
			switch {
			case c.T <= c.tx:
				li, dg = math.Inf(-1), [4]float64{}
				top, sa, factor = alive, 1, 1
			case d/(m+c.tx) > 0.95:
				li = quadDeathGrad(k, alpha, s, beta, c.tx, c.T, dgp)
				// log(e^alive + e^dead) and sigmoid(alive - dead) from
				// one exponential.
				dead := ls + li
				diff := alive - dead
				e := math.Exp(-math.Abs(diff))
				top, sa, factor = alive, 1/(1+e), 1+e
				if diff < 0 {
					top, sa = dead, e/(1+e)
				}
			default:
				for _, j := range [2]int{c.p0, c.p1} {
					if !tailDone[j] {
						var g *[4]float64
						if grad != nil {
							g = &tailG[j]
						}
						ti := ptT[j]
						tailL[j], tailErr[j] = logTailCoefs(a, b, m, d, co.pts[j].t, lmt[ti], l1z[ti], &coefs[ptX[j]], g)
						tailDone[j] = true
					}
					if tailErr[j] != nil {
						return 0, tailErr[j]
					}
				}
				// dead = ls + l0 + log(em), em = 1 - e^(l1-l0), so
				// e^alive + e^dead = e^(ls+l0) (em + e^v) with
				// v = alive - ls - l0: one exponential and no log per
				// cell (the factor goes into prod).
				l0, l1 := tailL[c.p0], tailL[c.p1]
				em := -math.Expm1(l1 - l0)
				li = l0 // finite; below only li = -Inf matters
				if v := alive - ls - l0; v <= 0 {
					e := math.Exp(v)
					top, factor, sa = ls+l0, em+e, e/(em+e)
				} else {
					e := math.Exp(-v)
					top, factor, sa = alive, 1+em*e, 1/(1+em*e)
				}
				if grad != nil {
					combineTailsGrad(alpha, beta, em, &tailG[c.p0], &tailG[c.p1], dgp)
				}
			}
			sum += c.w * top
			prod.mul(factor, c.w)
			if grad != nil {
				wa := c.w * sa
				wd := c.w - wa
				if math.IsInf(li, -1) {
					wd = 0
				}
				gr[0] += -wa*laT[c.ti] + wd*dg[0]
				gr[1] += -wa*k/(alpha+c.T) + wd*dg[2]
				gr[2] += -wa*lbT[c.ti] + wd*(1/s+dg[1])
				gr[3] += -wa*s/(beta+c.T) + wd*dg[3]
			}
		}
		ll += sum + prod.log()
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return 0, numericErr("%s log-likelihood at %v is %v", ParetoNBD, p, ll)
		}
		if grad != nil {
			copy(grad, gr[:])
		}
		return ll, nil
	}
}

// seriesCoefs are the coefficients of hyp2f1Euler's series for one
// (a, b): F(z) = Σ q_n z^n, with q_n da_n and q_n db_n for its
// derivatives in a and b (see hyp2f1EulerDeriv). Every point of one x
// shares them; only z differs.
type seriesCoefs struct {
	q, qa, qb []float64
	da, db    float64
}

func (c *seriesCoefs) reset() {
	c.q, c.qa, c.qb = append(c.q[:0], 1), append(c.qa[:0], 0), append(c.qb[:0], 0)
	c.da, c.db = 0, 0
}

// grow extends the coefficients to index n for parameters a, c = a+1-b.
func (cf *seriesCoefs) grow(n int, a, c float64) {
	for j := len(cf.q) - 1; j < n; j++ {
		fj := float64(j)
		ic, ia := 1/(c+fj), 1/(a+1+fj)
		q := cf.q[j] * (c + fj) * ia
		cf.da += ic - ia
		cf.db -= ic
		cf.q = append(cf.q, q)
		cf.qa = append(cf.qa, q*cf.da)
		cf.qb = append(cf.qb, q*cf.db)
	}
}

// logTailCoefs is logTail (with its derivatives in (a, b, m, d)) from
// shared series coefficients and the time's log(m+t) and log(1-z).
func logTailCoefs(a, b, m, d, t, lmt, l1z float64, cf *seriesCoefs, grad *[4]float64) (float64, error) {
	z := d / (m + t)
	c := a + 1 - b
	f, fa, fb, fz := 1.0, 0.0, 0.0, 0.0
	zp := 1.0 // z^(n-1)
	for n := 1; ; n++ {
		if n > maxSeriesTerms {
			return 0, numericErr("Pareto/NBD hypergeometric series did not converge (z = %v)", z)
		}
		if n >= len(cf.q) {
			cf.grow(n, a, c)
		}
		qz := cf.q[n] * zp // q_n z^(n-1)
		zp *= z
		term := cf.q[n] * zp
		f += term
		fa += cf.qa[n] * zp
		fb += cf.qb[n] * zp
		fz += float64(n) * qz
		// The value to 1e-17 as logTail; the derivatives, which only
		// steer the optimiser, to 1e-15 (their tails carry an extra n).
		if term*z <= 1e-17*f*(1-z) && float64(n+1)*2*term*z <= 1e-15*f*(1-z)*(1-z) {
			break
		}
	}
	if grad != nil {
		mt, mtd := m+t, m+t-d
		grad[0] = -lmt - 1/a + fa/f
		grad[1] = -l1z + fb/f
		grad[2] = -a/mt + (1-b)*(1/mtd-1/mt) - fz/f*z/mt
		grad[3] = -(1-b)/mtd + fz/f/mt
	}
	return -a*lmt - math.Log(a) + (1-b)*l1z + math.Log(f), nil
}
