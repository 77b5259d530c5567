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
func newParetoEval(co *cohort) func(p, grad, hess []float64) (float64, error) {
	co.points()
	laT := make([]float64, len(co.Ts))
	lbT := make([]float64, len(co.Ts))
	// The tails I(t) at each distinct (x, t), computed on first use in
	// an evaluation (cells on the quadrature branch need none).
	tailL := make([]float64, len(co.pts))
	tailG := make([][4]float64, len(co.pts))
	tailH := make([][16]float64, len(co.pts))
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
	return func(p, grad, hess []float64) (float64, error) {
		wantH := hess != nil
		wantG := grad != nil || wantH
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
		var gr [4]float64  // (r, alpha, s, beta)
		var hs [16]float64 // the Hessian in (r, alpha, s, beta)
		ll := 0.0
		psiR := mathext.Digamma(r)
		var tgR float64
		if wantH {
			tgR = trigamma(r)
		}
		for i, x := range co.xs {
			w := co.xw[i]
			ll += w * m.xPart(x)
			if wantG {
				gr[0] += w * (mathext.Digamma(r+float64(x)) - psiR + math.Log(alpha))
				gr[1] += w * r / alpha
				gr[2] += w * math.Log(beta)
				gr[3] += w * s / beta
			}
			if wantH {
				hs[0] += w * (trigamma(r+float64(x)) - tgR)
				hs[1] += w / alpha
				hs[5] -= w * r / (alpha * alpha)
				hs[11] += w / beta
				hs[15] -= w * s / (beta * beta)
			}
		}
		var dg [4]float64       // (k, s, alpha, beta) of the drop-out integral
		var dh [16]float64      // and its Hessian (quadrature cells)
		var tailAcc [16]float64 // Σ wd ∇² log I of the series cells, in (a, b, m, d)
		var dgp *[4]float64
		var dhp *[16]float64
		if wantG {
			dgp = &dg
		}
		if wantH {
			dhp = &dh
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
				li = quadDeathHess(k, alpha, s, beta, c.tx, c.T, dgp, dhp)
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
						var h *[16]float64
						if wantG {
							g = &tailG[j]
						}
						if wantH {
							h = &tailH[j]
						}
						ti := ptT[j]
						tailL[j], tailErr[j] = logTailCoefs(a, b, m, d, co.pts[j].t, lmt[ti], l1z[ti], &coefs[ptX[j]], g, h)
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
				if wantG {
					combineTailsGrad(alpha, beta, em, &tailG[c.p0], &tailG[c.p1], dgp)
				}
				if wantH {
					dh = [16]float64{}
					addTailsHess(&tailAcc, c.w*(1-sa), em, &tailG[c.p0], &tailG[c.p1], &tailH[c.p0], &tailH[c.p1])
				}
			}
			sum += c.w * top
			prod.mul(factor, c.w)
			if wantG {
				wa := c.w * sa
				wd := c.w - wa
				if math.IsInf(li, -1) {
					wd = 0
				}
				iaT, ibT := 1/(alpha+c.T), 1/(beta+c.T)
				gr[0] += -wa*laT[c.ti] + wd*dg[0]
				gr[1] += -wa*k*iaT + wd*dg[2]
				gr[2] += -wa*lbT[c.ti] + wd*(1/s+dg[1])
				gr[3] += -wa*s*ibT + wd*dg[3]
				if wantH {
					// ∇²log(e^alive + e^dead) = sa ∇²alive + sd ∇²dead +
					// sa sd δδᵀ, δ = ∇dead - ∇alive, in (r, α, s, β);
					// dg and dh are in (k, s, α, β).
					hs[1] -= wa * iaT
					hs[5] += wa * k * iaT * iaT
					hs[11] -= wa * ibT
					hs[15] += wa * s * ibT * ibT
					if wd != 0 {
						perm := [4]int{0, 2, 1, 3}
						for i := range 4 {
							for j := i; j < 4; j++ {
								hs[i*4+j] += wd * dh[perm[i]*4+perm[j]]
							}
						}
						hs[10] -= wd / (s * s)
						delta := [4]float64{dg[0] + laT[c.ti], dg[2] + k*iaT, 1/s + dg[1] + lbT[c.ti], dg[3] + s*ibT}
						v := wd * sa
						for i := range 4 {
							for j := i; j < 4; j++ {
								hs[i*4+j] += v * delta[i] * delta[j]
							}
						}
					}
				}
			}
		}
		ll += sum + prod.log()
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return 0, numericErr("%s log-likelihood at %v is %v", ParetoNBD, p, ll)
		}
		if wantH {
			th := mapTailsHess(alpha, beta, &tailAcc)
			perm := [4]int{0, 2, 1, 3}
			for i := range 4 {
				for j := i; j < 4; j++ {
					hs[i*4+j] += th[perm[i]*4+perm[j]]
				}
			}
		}
		if grad != nil {
			copy(grad, gr[:])
		}
		if wantH {
			for i := range 4 {
				for j := i; j < 4; j++ {
					hess[i*4+j], hess[j*4+i] = hs[i*4+j], hs[i*4+j]
				}
			}
		}
		return ll, nil
	}
}

// seriesCoefs are the coefficients of hyp2f1Euler's series for one
// (a, b): F(z) = Σ q_n z^n, with q_n da_n and q_n db_n for its
// derivatives in a and b (see hyp2f1EulerDeriv), and the second
// derivatives q_n (da_n² + daa_n), q_n (da_n db_n + dab_n) and
// q_n (db_n² - dab_n), where daa_n = Σ_{j<n} 1/(a+1+j)² - 1/(c+j)² and
// dab_n = Σ_{j<n} 1/(c+j)² (c = a+1-b) are the second derivatives of
// log q_n. Every point of one x shares them; only z differs.
type seriesCoefs struct {
	q, qa, qb, qaa, qab, qbb []float64
	da, db, daa, dab         float64
}

func (c *seriesCoefs) reset() {
	c.q, c.qa, c.qb = append(c.q[:0], 1), append(c.qa[:0], 0), append(c.qb[:0], 0)
	c.qaa, c.qab, c.qbb = append(c.qaa[:0], 0), append(c.qab[:0], 0), append(c.qbb[:0], 0)
	c.da, c.db, c.daa, c.dab = 0, 0, 0, 0
}

// grow extends the coefficients to index n for parameters a, c = a+1-b.
func (cf *seriesCoefs) grow(n int, a, c float64) {
	for j := len(cf.q) - 1; j < n; j++ {
		fj := float64(j)
		ic, ia := 1/(c+fj), 1/(a+1+fj)
		q := cf.q[j] * (c + fj) * ia
		cf.da += ic - ia
		cf.db -= ic
		cf.daa += ia*ia - ic*ic
		cf.dab += ic * ic
		cf.q = append(cf.q, q)
		cf.qa = append(cf.qa, q*cf.da)
		cf.qb = append(cf.qb, q*cf.db)
		cf.qaa = append(cf.qaa, q*(cf.da*cf.da+cf.daa))
		cf.qab = append(cf.qab, q*(cf.da*cf.db+cf.dab))
		cf.qbb = append(cf.qbb, q*(cf.db*cf.db-cf.dab))
	}
}

// logTailCoefs is logTail (with its derivatives in (a, b, m, d)) from
// shared series coefficients and the time's log(m+t) and log(1-z); with
// hess not nil also its Hessian in (a, b, m, d) (4×4, row-major).
func logTailCoefs(a, b, m, d, t, lmt, l1z float64, cf *seriesCoefs, grad *[4]float64, hess *[16]float64) (float64, error) {
	z := d / (m + t)
	c := a + 1 - b
	f, fa, fb, fz := 1.0, 0.0, 0.0, 0.0
	var faa, fab, fbb, faz, fbz, fzz float64
	zp := 1.0    // z^(n-1)
	zprev := 0.0 // z^(n-2), unused at n = 1
	for n := 1; ; n++ {
		if n > maxSeriesTerms {
			return 0, numericErr("Pareto/NBD hypergeometric series did not converge (z = %v)", z)
		}
		if n >= len(cf.q) {
			cf.grow(n, a, c)
		}
		fn := float64(n)
		qz := cf.q[n] * zp // q_n z^(n-1)
		if hess != nil {
			faz += fn * cf.qa[n] * zp
			fbz += fn * cf.qb[n] * zp
			fzz += fn * (fn - 1) * cf.q[n] * zprev
			zprev = zp
		}
		zp *= z
		term := cf.q[n] * zp
		f += term
		fa += cf.qa[n] * zp
		fb += cf.qb[n] * zp
		fz += fn * qz
		if hess != nil {
			faa += cf.qaa[n] * zp
			fab += cf.qab[n] * zp
			fbb += cf.qbb[n] * zp
		}
		// The value to 1e-17 as logTail; the derivatives, which only
		// steer the optimiser, to 1e-15 (their tails carry an extra n).
		if term*z <= 1e-17*f*(1-z) && float64(n+1)*2*term*z <= 1e-15*f*(1-z)*(1-z) {
			break
		}
	}
	mt, mtd := m+t, m+t-d
	if grad != nil {
		grad[0] = -lmt - 1/a + fa/f
		grad[1] = -l1z + fb/f
		grad[2] = -a/mt + (1-b)*(1/mtd-1/mt) - fz/f*z/mt
		grad[3] = -(1-b)/mtd + fz/f/mt
	}
	if hess != nil {
		// z = d/(m+t): z_m = -z/(m+t), z_d = 1/(m+t), z_mm = 2z/(m+t)²,
		// z_md = -1/(m+t)², z_dd = 0. Second derivatives of log F are
		// F_xy/F - F_x F_y/F².
		zm, zd := -z/mt, 1/mt
		ua, ub, uz := fa/f, fb/f, fz/f
		lzz := fzz/f - uz*uz
		laz, lbz := faz/f-ua*uz, fbz/f-ub*uz
		imt, imtd := 1/mt, 1/mtd
		h := [4][4]float64{}
		h[0][0] = 1/(a*a) + faa/f - ua*ua
		h[0][1] = fab/f - ua*ub
		h[0][2] = -imt + laz*zm
		h[0][3] = laz * zd
		h[1][1] = fbb/f - ub*ub
		h[1][2] = -(imtd - imt) + lbz*zm
		h[1][3] = imtd + lbz*zd
		h[2][2] = a*imt*imt + (1-b)*(imt*imt-imtd*imtd) + lzz*zm*zm + uz*2*z*imt*imt
		h[2][3] = (1-b)*imtd*imtd + lzz*zm*zd - uz*imt*imt
		h[3][3] = -(1-b)*imtd*imtd + lzz*zd*zd
		for i := range 4 {
			for j := i; j < 4; j++ {
				hess[i*4+j], hess[j*4+i] = h[i][j], h[i][j]
			}
		}
	}
	return -a*lmt - math.Log(a) + (1-b)*l1z + math.Log(f), nil
}
