package clv

import (
	"math"
)

// cell is a distinct (x, t_x, T) of a summary with the number of
// customers sharing it. Likelihoods are sums over customers, so a cell
// is evaluated once and weighted: on real data x and T take few values
// and t_x is a whole number of days, so a million customers collapse to
// far fewer cells.
type cell struct {
	x     int
	tx, T float64
	w     float64
}

type cellKey struct {
	x     int
	tx, T float64
}

// cohort is an aggregated summary: cells in order of first appearance
// (so sums are done in a deterministic order), and the total weight per
// distinct x for the terms that depend on x alone.
type cohort struct {
	cells []cell
	xs    []int
	xw    []float64
	n     float64
	meanT float64
	meanX float64
}

func aggregate(cs []Customer) (cohort, error) {
	var co cohort
	if len(cs) == 0 {
		return co, inputErr("no customers to fit")
	}
	index := make(map[cellKey]int)
	xIndex := make(map[int]int)
	for _, c := range cs {
		if err := checkCustomer(c); err != nil {
			return co, err
		}
		k := cellKey{c.X, c.Tx, c.T}
		if c.X == 0 {
			k.tx = 0
		}
		i, ok := index[k]
		if !ok {
			i = len(co.cells)
			index[k] = i
			co.cells = append(co.cells, cell{x: k.x, tx: k.tx, T: k.T})
		}
		co.cells[i].w++
		j, ok := xIndex[c.X]
		if !ok {
			j = len(co.xs)
			xIndex[c.X] = j
			co.xs = append(co.xs, c.X)
			co.xw = append(co.xw, 0)
		}
		co.xw[j]++
		co.meanT += c.T
		co.meanX += float64(c.X)
	}
	co.n = float64(len(cs))
	co.meanT /= co.n
	co.meanX /= co.n
	return co, nil
}

// purchaseObjective builds the likelihood of BG/NBD, MBG/NBD (analytic
// gradient) or Pareto/NBD (central-difference gradient in
// log-parameters: its 2F1 terms have no cheap derivative).
func purchaseObjective(kind Kind, cs []Customer) (*objective, error) {
	co, err := aggregate(cs)
	if err != nil {
		return nil, err
	}
	if co.meanX == 0 {
		return nil, &FitError{Kind: kind, Reason: "no customer has a repeat transaction: the purchase rate is not identified"}
	}
	// A start where the mean purchase rate r/alpha matches the data.
	scale := co.meanT / math.Max(co.meanX, 0.01)
	if !(scale > 0) || math.IsInf(scale, 0) {
		scale = 1
	}
	o := &objective{kind: kind, n: co.n, scale: math.Min(math.Max(scale, 1e-3), 1e6), cells: len(co.cells)}
	switch kind {
	case BGNBD, MBGNBD:
		mod := kind == MBGNBD
		o.eval = func(p, grad []float64) (float64, error) {
			g := betaGeo{p[0], p[1], p[2], p[3], mod}
			var gr [4]float64
			ll := 0.0
			for i, x := range co.xs {
				ll += g.xGrad(x, co.xw[i], &gr)
			}
			for _, c := range co.cells {
				ll += g.cellGrad(c.x, c.tx, c.T, c.w, &gr)
			}
			if grad != nil {
				copy(grad, gr[:])
			}
			if math.IsNaN(ll) || math.IsInf(ll, 0) {
				return 0, numericErr("%s log-likelihood at %v is %v", kind, p, ll)
			}
			return ll, nil
		}
	case ParetoNBD:
		total := func(p []float64) (float64, error) {
			m := ParetoNBDModel{p[0], p[1], p[2], p[3]}
			ll := 0.0
			for i, x := range co.xs {
				ll += co.xw[i] * m.xPart(x)
			}
			for _, c := range co.cells {
				alive, dead, err := m.terms(c.x, c.tx, c.T)
				if err != nil {
					return 0, err
				}
				ll += c.w * logAddExp(alive, dead)
			}
			if math.IsNaN(ll) || math.IsInf(ll, 0) {
				return 0, numericErr("%s log-likelihood at %v is %v", kind, p, ll)
			}
			return ll, nil
		}
		o.eval = numericGrad(total)
	}
	return o, nil
}

// numericGrad wraps a log-likelihood with a central-difference gradient
// taken in log-parameters (relative steps), returned per natural
// parameter.
func numericGrad(f func(p []float64) (float64, error)) func(p, grad []float64) (float64, error) {
	return func(p, grad []float64) (float64, error) {
		ll, err := f(p)
		if err != nil || grad == nil {
			return ll, err
		}
		const h = 1e-5
		q := make([]float64, len(p))
		for i := range p {
			copy(q, p)
			q[i] = p[i] * math.Exp(h)
			fp, err := f(q)
			if err != nil {
				return 0, err
			}
			q[i] = p[i] * math.Exp(-h)
			fm, err := f(q)
			if err != nil {
				return 0, err
			}
			grad[i] = (fp - fm) / (2 * h) / p[i]
		}
		return ll, nil
	}
}

// spendObjective builds the Gamma-Gamma likelihood on the repeat
// customers.
func spendObjective(cs []Customer) (*objective, error) {
	type row struct{ x, z float64 }
	var rows []row
	mean := 0.0
	for _, c := range cs {
		if c.X < 1 {
			continue
		}
		if !(c.MeanValue > 0) || math.IsInf(c.MeanValue, 0) {
			return nil, inputErr("customer %q: %d repeat transactions with mean value %v; Gamma-Gamma needs values > 0", c.ID, c.X, c.MeanValue)
		}
		rows = append(rows, row{float64(c.X), c.MeanValue})
		mean += c.MeanValue
	}
	if len(rows) < 3 {
		return nil, inputErr("Gamma-Gamma needs at least 3 customers with repeat transactions, got %d", len(rows))
	}
	mean /= float64(len(rows))
	o := &objective{kind: GammaGammaKind, n: float64(len(rows)), scale: mean, cells: len(rows)}
	o.eval = func(p, grad []float64) (float64, error) {
		g := GammaGamma{p[0], p[1], p[2]}
		var gr [3]float64
		ll := 0.0
		for _, r := range rows {
			ll += g.logLikGrad(r.x, r.z, 1, &gr)
		}
		if grad != nil {
			copy(grad, gr[:])
		}
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return 0, numericErr("gamma_gamma log-likelihood at %v is %v", p, ll)
		}
		return ll, nil
	}
	return o, nil
}
