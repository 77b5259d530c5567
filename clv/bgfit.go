package clv

import "math"

// newBetaGeoEval returns the BG/NBD or MBG/NBD log-likelihood of a
// cohort with its analytic gradient. Logs of α+T, α+t_x and b+x-1+o
// depend on one value each and are computed once per distinct value;
// a cell then costs one exp (the weight of the drop-out term and the
// log-sum-exp share it) and a multiplication (the log1p terms of the
// log-sum-exps are summed as the log of one product, see logProduct).
func newBetaGeoEval(kind Kind, co *cohort) func(p, grad, hess []float64) (float64, error) {
	mod := kind == MBGNBD
	laT := make([]float64, len(co.Ts)) // log(α+T)
	iaT := make([]float64, len(co.Ts)) // 1/(α+T)
	lax := make([]float64, len(co.txs))
	iax := make([]float64, len(co.txs))
	lbx := make([]float64, len(co.xs)) // log(b+x-1+o)
	ibx := make([]float64, len(co.xs))
	var sc xScratch
	return func(p, grad, hess []float64) (float64, error) {
		g := betaGeo{p[0], p[1], p[2], p[3], mod}
		o := g.off()
		for i, T := range co.Ts {
			laT[i], iaT[i] = math.Log(g.alpha+T), 1/(g.alpha+T)
		}
		for i, tx := range co.txs {
			lax[i], iax[i] = math.Log(g.alpha+tx), 1/(g.alpha+tx)
		}
		var gr [4]float64
		var h hess4 // in natural parameters, upper triangle
		wantH := hess != nil
		ll := 0.0
		if co.maxX <= 4*len(co.xs)+64 {
			ll += g.xTerms(co, &gr, &h, &sc)
		} else {
			for i, x := range co.xs {
				ll += g.xGrad(x, co.xw[i], &gr, &h)
			}
		}
		for i, x := range co.xs {
			v := g.b + float64(x) - 1 + o
			lbx[i], ibx[i] = math.Log(v), 1/v
		}
		la := math.Log(g.a)
		var g0, g1, g2, g3, sum float64
		var prod logProduct // Π (1+e)^w, the log1p terms in one log
		for _, c := range co.cells {
			rx := g.r + float64(c.x)
			lT := laT[c.ti]
			cc := -rx * lT
			if !(c.x > 0 || mod) {
				g0 -= c.w * lT
				g1 -= c.w * rx * iaT[c.ti]
				sum += c.w * cc
				if wantH {
					iT := iaT[c.ti]
					h.ra -= c.w * iT
					h.aa += c.w * rx * iT * iT
				}
				continue
			}
			lx := lax[c.txi]
			d := la - lbx[c.xi] - rx*lx
			// s = sigmoid(d - c), the drop-out term's weight, and
			// log(e^c + e^d), from one exponential.
			diff := d - cc
			e := math.Exp(-math.Abs(diff))
			var s, top float64
			if diff >= 0 {
				s, top = 1/(1+e), d
			} else {
				s, top = e/(1+e), cc
			}
			g0 -= c.w * ((1-s)*lT + s*lx)
			g1 -= c.w * rx * ((1-s)*iaT[c.ti] + s*iax[c.txi])
			g2 += c.w * s
			g3 -= c.w * s * ibx[c.xi]
			sum += c.w * top
			prod.mul(1+e, c.w)
			if wantH {
				// ∇²log(e^c+e^d) = (1-s)∇²c + s∇²d + s(1-s)δδᵀ, δ = ∇d-∇c;
				// δ = (log(α+T)-log(α+t_x), (r+x)(1/(α+T)-1/(α+t_x)), 1/a, -1/(b+x-1+o)).
				iT, ix, ib := iaT[c.ti], iax[c.txi], ibx[c.xi]
				u := 1 - s
				dr, da := lT-lx, rx*(iT-ix)
				v := c.w * s * u
				h.rr += v * dr * dr
				h.ra += v*dr*da - c.w*(u*iT+s*ix)
				h.aa += v*da*da + c.w*rx*(u*iT*iT+s*ix*ix)
				h.v += v
				h.vr += v * dr
				h.va += v * da
				h.vb += v * ib
				h.vrb += v * dr * ib
				h.vab += v * da * ib
				h.vbb += v*ib*ib + c.w*s*ib*ib
				h.sA += c.w * s
			}
		}
		ll += sum + prod.log()
		gr[0] += g0
		gr[1] += g1
		gr[2] += g2 / g.a
		gr[3] += g3
		if grad != nil {
			copy(grad, gr[:])
		}
		if wantH {
			h.fill(hess, g.a)
		}
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return 0, numericErr("%s log-likelihood at %v is %v", kind, p, ll)
		}
		return ll, nil
	}
}

// hess4 accumulates the Hessian of the BG/NBD and MBG/NBD
// log-likelihood in (r, α, a, b). The entries in a and b of the cells'
// drop-out terms share the factors 1/a and 1/(b+x-1+o), so they are
// kept as sums (v... below) and combined once in fill.
type hess4 struct {
	rr, ra, aa        float64 // (r, r), (r, α), (α, α)
	xaa, xab, xbb     float64 // (a, a), (a, b), (b, b) of the x-only part
	v, vr, va         float64 // Σ w s(1-s), times δ_r, times δ_α
	vb, vrb, vab, vbb float64 // Σ w s(1-s)/(b+x-1+o), times δ_r, δ_α; Σ w (s(1-s)+s)/(b+x-1+o)²
	sA                float64 // Σ w s
}

// fill writes the full 4×4 Hessian (row-major) into dst.
func (h *hess4) fill(dst []float64, a float64) {
	ia := 1 / a
	set := func(i, j int, v float64) { dst[i*4+j], dst[j*4+i] = v, v }
	set(0, 0, h.rr)
	set(0, 1, h.ra)
	set(1, 1, h.aa)
	set(0, 2, h.vr*ia)
	set(0, 3, -h.vrb)
	set(1, 2, h.va*ia)
	set(1, 3, -h.vab)
	set(2, 2, h.xaa+(h.v-h.sA)*ia*ia)
	set(2, 3, h.xab-h.vb*ia)
	set(3, 3, h.xbb+h.vbb)
}

// logProduct accumulates Σ w log v as the log of Π v^w, kept as a
// mantissa and a binary exponent so that it neither overflows nor
// underflows: one multiplication per factor instead of one log. Each
// factor adds at most an ulp of relative error, so a thousand factors
// cost ~1e-13 in the log, far below the rounding of the sum itself.
type logProduct struct {
	m    float64
	e    int
	rest float64 // Σ w log v for weights that are not small integers
}

func (p *logProduct) mul(v, w float64) {
	if p.m == 0 {
		p.m = 1
	}
	switch w {
	case 1:
		p.m *= v
	case 2:
		p.m *= v * v
	default:
		p.rest += w * math.Log(v)
		return
	}
	if p.m > 0x1p500 || p.m < 0x1p-500 {
		f, e := math.Frexp(p.m)
		p.m, p.e = f, p.e+e
	}
}

func (p *logProduct) log() float64 {
	if p.m == 0 {
		return p.rest
	}
	return math.Log(p.m) + float64(p.e)*math.Ln2 + p.rest
}

// xScratch holds the running sums of xTerms.
type xScratch struct {
	lr, lb, lab, pr, pb, pab, qr, qb, qab []float64
}

// xTerms is Σ_x w_x xGrad(x) by recurrence instead of log-gamma and
// digamma calls: lgamma(v+n) - lgamma(v) = Σ_{j<n} log(v+j) and
// digamma(v+n) - digamma(v) = Σ_{j<n} 1/(v+j), accumulated once up to
// the largest x (as the log of a running product, see logProduct), then
// read at every distinct x. Used when the largest x is small next to
// the number of distinct x, as in any real cohort. The trigamma
// differences of the Hessian h come the same way, from Σ_{j<n} 1/(v+j)².
func (g betaGeo) xTerms(co *cohort, gr *[4]float64, h *hess4, sc *xScratch) float64 {
	o := int(g.off())
	n := co.maxX + o + 1
	grow := func(v []float64) []float64 {
		if cap(v) < n {
			return make([]float64, n)
		}
		return v[:n]
	}
	sc.lr, sc.lb, sc.lab = grow(sc.lr), grow(sc.lb), grow(sc.lab)
	sc.pr, sc.pb, sc.pab = grow(sc.pr), grow(sc.pb), grow(sc.pab)
	sc.qr, sc.qb, sc.qab = grow(sc.qr), grow(sc.qb), grow(sc.qab)
	ab := g.a + g.b
	var pr, pb, pab logProduct
	var sr, sb, sab, qr, qb, qab float64
	for j := range n {
		// Entry j holds the sums over the first j terms.
		sc.lr[j], sc.lb[j], sc.lab[j] = pr.log(), pb.log(), pab.log()
		sc.pr[j], sc.pb[j], sc.pab[j] = sr, sb, sab
		sc.qr[j], sc.qb[j], sc.qab[j] = qr, qb, qab
		fj := float64(j)
		pr.mul(g.r+fj, 1)
		pb.mul(g.b+fj, 1)
		pab.mul(ab+fj, 1)
		ir, ib, iab := 1/(g.r+fj), 1/(g.b+fj), 1/(ab+fj)
		sr += ir
		sb += ib
		sab += iab
		qr += ir * ir
		qb += ib * ib
		qab += iab * iab
	}
	la := math.Log(g.alpha)
	total := 0.0
	for i, x := range co.xs {
		w := co.xw[i]
		k := x + o
		total += w * (sc.lr[x] + g.r*la + sc.lb[k] - sc.lab[k])
		gr[0] += w * (sc.pr[x] + la)
		gr[1] += w * g.r / g.alpha
		gr[2] -= w * sc.pab[k]
		gr[3] += w * (sc.pb[k] - sc.pab[k])
		h.rr -= w * sc.qr[x]
		h.xaa += w * sc.qab[k]
		h.xbb += w * (sc.qab[k] - sc.qb[k])
	}
	h.xab = h.xaa
	h.ra += co.n / g.alpha
	h.aa -= co.n * g.r / (g.alpha * g.alpha)
	return total
}
