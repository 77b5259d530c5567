package clv

import (
	"math"

	"gonum.org/v1/gonum/mathext"
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
	// xi, ti and txi index the cell's x, T and t_x in the cohort's
	// distinct values, so that terms depending on one of them alone
	// (logs of α+T, of α+t_x, of b+x) are computed once per value; p0
	// and p1 index its (x, t_x) and (x, T) in the distinct points, for
	// Pareto/NBD's tail integrals, which depend on x and one time.
	xi, ti, txi int
	p0, p1      int
}

// point is a distinct (x, t) at which Pareto/NBD's tail integral is
// taken.
type point struct {
	x int
	t float64
}

// cohort is an aggregated summary: cells in order of first appearance
// (so sums are done in a deterministic order), and the total weight per
// distinct x for the terms that depend on x alone.
type cohort struct {
	cells []cell
	xs    []int
	xw    []float64
	Ts    []float64 // distinct T
	txs   []float64 // distinct t_x
	pts   []point   // distinct (x, t_x) and (x, T)
	n     float64
	meanT float64
	meanX float64
	maxX  int
}

func aggregate(cs []Customer) (cohort, error) {
	var co cohort
	if len(cs) == 0 {
		return co, inputErr("no customers to fit")
	}
	index := newKeyIndex(min(len(cs), 1<<10))
	var ws []float64 // customers per cell
	for i := range cs {
		c := &cs[i] // a Customer is ~120 bytes: no copy
		if err := checkCustomer(c); err != nil {
			return co, err
		}
		tx := c.Tx
		if c.X == 0 {
			tx = 0
		}
		i, isNew := index.id([3]uint64{uint64(c.X), fbits(tx), fbits(c.T)})
		if isNew {
			ws = append(ws, 0)
		}
		ws[i]++
		co.meanT += c.T
		co.meanX += float64(c.X)
		co.maxX = max(co.maxX, c.X)
	}
	co.cells = make([]cell, len(ws))
	for i, k := range index.keys {
		co.cells[i] = cell{x: int(k[0]), tx: math.Float64frombits(k[1]), T: math.Float64frombits(k[2]), w: ws[i]}
	}
	co.n = float64(len(cs))
	co.meanT /= co.n
	co.meanX /= co.n
	// Distinct x (a slice index for the usual small x), T and t_x, in
	// order of first appearance.
	var xSlot []int
	var xMap map[int]int
	if co.maxX < 1<<16 {
		xSlot = make([]int, co.maxX+1)
	} else {
		xMap = make(map[int]int)
	}
	tIndex := newKeyIndex(64)
	txIndex := newKeyIndex(256)
	for i := range co.cells {
		c := &co.cells[i]
		var j int
		var ok bool
		if xSlot != nil {
			j, ok = xSlot[c.x]-1, xSlot[c.x] > 0
		} else {
			j, ok = xMap[c.x]
		}
		if !ok {
			j = len(co.xs)
			if xSlot != nil {
				xSlot[c.x] = j + 1
			} else {
				xMap[c.x] = j
			}
			co.xs = append(co.xs, c.x)
			co.xw = append(co.xw, 0)
		}
		co.xw[j] += c.w
		c.xi = j
		j, ok = tIndex.id([3]uint64{fbits(c.T)})
		if ok {
			co.Ts = append(co.Ts, c.T)
		}
		c.ti = j
		j, ok = txIndex.id([3]uint64{fbits(c.tx)})
		if ok {
			co.txs = append(co.txs, c.tx)
		}
		c.txi = j
	}
	return co, nil
}

// points fills co.pts and the cells' p0, p1 (Pareto/NBD only).
func (co *cohort) points() {
	pIndex := newKeyIndex(len(co.cells))
	pt := func(x int, t float64) int {
		j, isNew := pIndex.id([3]uint64{uint64(x), fbits(t)})
		if isNew {
			co.pts = append(co.pts, point{x, t})
		}
		return j
	}
	for i := range co.cells {
		c := &co.cells[i]
		c.p0, c.p1 = pt(c.x, c.tx), pt(c.x, c.T)
	}
}

// purchaseObjective builds the likelihood of BG/NBD, MBG/NBD or
// Pareto/NBD, each with its analytic gradient and Hessian.
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
		e := newBetaGeoEval(kind, &co)
		o.evalH = e
		o.eval = func(p, g []float64) (float64, error) { return e(p, g, nil) }
	case ParetoNBD:
		e := newParetoEval(&co)
		o.evalH = e
		o.eval = func(p, g []float64) (float64, error) { return e(p, g, nil) }
	}
	return o, nil
}

// spendObjective builds the Gamma-Gamma likelihood on the repeat
// customers.
func spendObjective(cs []Customer) (*objective, error) {
	var xs, zs []float64
	mean := 0.0
	for i := range cs {
		c := &cs[i]
		if c.X < 1 {
			continue
		}
		if !(c.MeanValue > 0) || math.IsInf(c.MeanValue, 0) {
			return nil, inputErr("customer %q: %d repeat transactions with mean value %v; Gamma-Gamma needs values > 0", c.ID, c.X, c.MeanValue)
		}
		xs = append(xs, float64(c.X))
		zs = append(zs, c.MeanValue)
		mean += c.MeanValue
	}
	if len(xs) < 3 {
		return nil, inputErr("Gamma-Gamma needs at least 3 customers with repeat transactions, got %d", len(xs))
	}
	mean /= float64(len(xs))
	o := &objective{kind: GammaGammaKind, n: float64(len(xs)), scale: mean, cells: len(xs)}
	e := newSpendEval(xs, zs)
	o.evalH = e
	o.eval = func(p, g []float64) (float64, error) { return e(p, g, nil) }
	return o, nil
}

// newSpendEval returns the Gamma-Gamma log-likelihood of customers with
// x[i] repeat transactions of mean value z[i], with its gradient. Per
// customer
//
//	log Γ(px+q) - log Γ(px) - log Γ(q) + q log γ + (px-1) log z + px log x - (px+q) log(γ+xz)
//
// so the log-gamma and digamma terms are computed once per distinct x
// (with the number of customers sharing it), the terms in log z and
// log x are constants summed once, and the logs of γ + x z are summed
// per distinct x as the log of a product (see logProduct): a customer
// costs a multiplication and a division.
func newSpendEval(xs, zs []float64) func(p, grad, hess []float64) (float64, error) {
	xIndex := newKeyIndex(64)
	var dx, nx []float64 // distinct x and their counts
	var sumLogZ, sumXLog float64
	xz := make([]float64, len(xs))
	xi := make([]int, len(xs)) // index of x[i] in dx
	for i, x := range xs {
		j, isNew := xIndex.id([3]uint64{fbits(x)})
		if isNew {
			dx = append(dx, x)
			nx = append(nx, 0)
		}
		nx[j]++
		xi[i] = j
		lz := math.Log(zs[i])
		sumLogZ += lz
		sumXLog += x * lz
		xz[i] = x * zs[i]
	}
	for j, x := range dx {
		sumXLog += nx[j] * x * math.Log(x)
	}
	n := float64(len(xs))
	lg := func(v float64) float64 { l, _ := math.Lgamma(v); return l }
	// Π_{i in x} (γ + x z_i) per distinct x as mantissa × 2^exponent
	// (logProduct's representation, inlined: this loop is most of an
	// evaluation).
	pm := make([]float64, len(dx))
	pe := make([]int, len(dx))
	s1 := make([]float64, len(dx)) // Σ 1/(γ+xz) per distinct x
	s2 := make([]float64, len(dx)) // Σ 1/(γ+xz)²
	return func(par, grad, hess []float64) (float64, error) {
		p, q, g := par[0], par[1], par[2]
		ll := -n*lg(q) + n*q*math.Log(g) + p*sumXLog - sumLogZ
		gp, gq, gg := sumXLog, n*(math.Log(g)-mathext.Digamma(q)), n*q/g
		for j, x := range dx {
			px := p * x
			ll += nx[j] * (lg(px+q) - lg(px))
			if grad != nil {
				ps := mathext.Digamma(px + q)
				gp += nx[j] * x * (ps - mathext.Digamma(px))
				gq += nx[j] * ps
			}
		}
		// Σ (p x + q) log(γ + x z) = p Σ_x x log Π_{i in x} v_i + q Σ_x
		// log Π_{i in x} v_i: per customer a multiplication (logProduct),
		// per distinct x a log.
		for j := range pm {
			pm[j], pe[j] = 1, 0
		}
		clear(s1)
		clear(s2)
		for i := range xs {
			v := g + xz[i]
			j := xi[i]
			m := pm[j] * v
			if m > 0x1p500 || m < 0x1p-500 {
				f, e := math.Frexp(m)
				m, pe[j] = f, pe[j]+e
			}
			pm[j] = m
			iv := 1 / v
			s1[j] += iv
			s2[j] += iv * iv
		}
		for j, x := range dx {
			l := math.Log(pm[j]) + float64(pe[j])*math.Ln2
			ll -= (p*x + q) * l
			gp -= x * l
			gq -= l
			gg -= (p*x + q) * s1[j]
		}
		if hess != nil {
			spendHess(hess, p, q, g, n, dx, nx, s1, s2)
		}
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return 0, numericErr("gamma_gamma log-likelihood at %v is %v", par, ll)
		}
		if grad != nil {
			grad[0], grad[1], grad[2] = gp, gq, gg
		}
		return ll, nil
	}
}

// spendHess writes the Hessian of the Gamma-Gamma log-likelihood in
// (p, q, γ) (row-major 3×3) from the per-x sums s1 = Σ 1/(γ+xz) and
// s2 = Σ 1/(γ+xz)².
func spendHess(h []float64, p, q, g, n float64, dx, nx, s1, s2 []float64) {
	tq := trigamma(q)
	var pp, pq, qq, pg, qg, gg float64
	for j, x := range dx {
		px := p * x
		t := trigamma(px + q)
		pp += nx[j] * x * x * (t - trigamma(px))
		pq += nx[j] * x * t
		qq += nx[j] * t
		pg -= x * s1[j]
		qg -= s1[j]
		gg += (px + q) * s2[j]
	}
	qq -= n * tq
	qg += n / g
	gg -= n * q / (g * g)
	h[0], h[1], h[2] = pp, pq, pg
	h[3], h[4], h[5] = pq, qq, qg
	h[6], h[7], h[8] = pg, qg, gg
}
