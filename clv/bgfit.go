package clv

import "math"

// newBetaGeoEval returns the BG/NBD or MBG/NBD log-likelihood of a
// cohort with its analytic gradient. Logs of α+T, α+t_x and b+x-1+o
// depend on one value each and are computed once per distinct value;
// a cell then costs one exp and one log1p (the weight of the drop-out
// term and the log-sum-exp share the exponential).
func newBetaGeoEval(kind Kind, co *cohort) func(p, grad []float64) (float64, error) {
	mod := kind == MBGNBD
	laT := make([]float64, len(co.Ts)) // log(α+T)
	iaT := make([]float64, len(co.Ts)) // 1/(α+T)
	lax := make([]float64, len(co.txs))
	iax := make([]float64, len(co.txs))
	lbx := make([]float64, len(co.xs)) // log(b+x-1+o)
	ibx := make([]float64, len(co.xs))
	return func(p, grad []float64) (float64, error) {
		g := betaGeo{p[0], p[1], p[2], p[3], mod}
		o := g.off()
		for i, T := range co.Ts {
			laT[i], iaT[i] = math.Log(g.alpha+T), 1/(g.alpha+T)
		}
		for i, tx := range co.txs {
			lax[i], iax[i] = math.Log(g.alpha+tx), 1/(g.alpha+tx)
		}
		var gr [4]float64
		ll := 0.0
		for i, x := range co.xs {
			ll += g.xGrad(x, co.xw[i], &gr)
			v := g.b + float64(x) - 1 + o
			lbx[i], ibx[i] = math.Log(v), 1/v
		}
		la := math.Log(g.a)
		var g0, g1, g2, g3, sum float64
		for _, c := range co.cells {
			rx := g.r + float64(c.x)
			lT := laT[c.ti]
			cc := -rx * lT
			if !(c.x > 0 || mod) {
				g0 -= c.w * lT
				g1 -= c.w * rx * iaT[c.ti]
				sum += c.w * cc
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
			sum += c.w * (top + math.Log1p(e))
		}
		ll += sum
		gr[0] += g0
		gr[1] += g1
		gr[2] += g2 / g.a
		gr[3] += g3
		if grad != nil {
			copy(grad, gr[:])
		}
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return 0, numericErr("%s log-likelihood at %v is %v", kind, p, ll)
		}
		return ll, nil
	}
}
