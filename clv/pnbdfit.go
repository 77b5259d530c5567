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
	laT := make([]float64, len(co.Ts))
	lbT := make([]float64, len(co.Ts))
	// The tails I(t) at each distinct (x, t), computed on first use in
	// an evaluation (cells on the quadrature branch need none).
	tailL := make([]float64, len(co.pts))
	tailG := make([][4]float64, len(co.pts))
	tailErr := make([]error, len(co.pts))
	tailDone := make([]bool, len(co.pts))
	return func(p, grad []float64) (float64, error) {
		clear(tailDone)
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
		for _, c := range co.cells {
			k := r + float64(c.x)
			alive := -k*laT[c.ti] - s*lbT[c.ti]
			var li float64
			a, m, b := k+s, alpha, s+1
			if alpha < beta {
				m, b = beta, k
			}
			d := math.Abs(alpha - beta)
			switch {
			case c.T <= c.tx:
				li, dg = math.Inf(-1), [4]float64{}
			case d/(m+c.tx) > 0.95:
				li = quadDeathGrad(k, alpha, s, beta, c.tx, c.T, dgp)
			default:
				for _, j := range [2]int{c.p0, c.p1} {
					if !tailDone[j] {
						var g *[4]float64
						if grad != nil {
							g = &tailG[j]
						}
						tailL[j], tailErr[j] = logTail(a, b, m, d, co.pts[j].t, g)
						tailDone[j] = true
					}
					if tailErr[j] != nil {
						return 0, tailErr[j]
					}
				}
				li = combineTails(alpha, beta, tailL[c.p0], tailL[c.p1], &tailG[c.p0], &tailG[c.p1], dgp)
			}
			dead := ls + li
			// log(e^alive + e^dead) and the alive term's weight
			// sigmoid(alive - dead), from one exponential.
			diff := alive - dead
			e := math.Exp(-math.Abs(diff))
			top, sa := alive, 1/(1+e)
			if diff < 0 {
				top, sa = dead, e/(1+e)
			}
			ll += c.w * (top + math.Log1p(e))
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
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return 0, numericErr("%s log-likelihood at %v is %v", ParetoNBD, p, ll)
		}
		if grad != nil {
			copy(grad, gr[:])
		}
		return ll, nil
	}
}
