package clv

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// BGNBDModel is a BG/NBD model (Fader, Hardie & Lee 2005, "Counting your
// customers the easy way"): while active, a customer buys at a Poisson
// rate lambda ~ Gamma(R, Alpha); after each repeat purchase they drop out
// with probability p ~ Beta(A, B).
type BGNBDModel struct {
	R, Alpha, A, B float64
}

// MBGNBDModel is the modified BG/NBD model (Batislam, Denizel & Filiztekin
// 2007): as BG/NBD, but a customer may also drop out right after the
// first purchase, so customers without repeat purchases are not certainly
// alive.
type MBGNBDModel struct {
	R, Alpha, A, B float64
}

// Kind implements PurchaseModel.
func (m BGNBDModel) Kind() Kind { return BGNBD }

// Kind implements PurchaseModel.
func (m MBGNBDModel) Kind() Kind { return MBGNBD }

// Params implements PurchaseModel.
func (m BGNBDModel) Params() []float64 { return []float64{m.R, m.Alpha, m.A, m.B} }

// Params implements PurchaseModel.
func (m MBGNBDModel) Params() []float64 { return []float64{m.R, m.Alpha, m.A, m.B} }

func (m BGNBDModel) bg() betaGeo  { return betaGeo{m.R, m.Alpha, m.A, m.B, false} }
func (m MBGNBDModel) bg() betaGeo { return betaGeo{m.R, m.Alpha, m.A, m.B, true} }

// LogLikelihood implements PurchaseModel.
func (m BGNBDModel) LogLikelihood(c Customer) (float64, error) { return m.bg().logLik(c) }

// LogLikelihood implements PurchaseModel.
func (m MBGNBDModel) LogLikelihood(c Customer) (float64, error) { return m.bg().logLik(c) }

// PAlive implements PurchaseModel. Under BG/NBD a customer without repeat
// purchases is alive with probability 1.
func (m BGNBDModel) PAlive(c Customer) (float64, error) { return m.bg().pAlive(c) }

// PAlive implements PurchaseModel.
func (m MBGNBDModel) PAlive(c Customer) (float64, error) { return m.bg().pAlive(c) }

// ConditionalExpected implements PurchaseModel.
func (m BGNBDModel) ConditionalExpected(c Customer, t float64) (float64, error) {
	return m.bg().condExp(c, t)
}

// ConditionalExpected implements PurchaseModel.
func (m MBGNBDModel) ConditionalExpected(c Customer, t float64) (float64, error) {
	return m.bg().condExp(c, t)
}

// Expected is the expected number of repeat transactions of a customer
// in the first t time units after their first purchase (FHL 2005, eq. 7).
func (m BGNBDModel) Expected(t float64) (float64, error) {
	if err := checkParams(BGNBD, m.Params()); err != nil {
		return 0, err
	}
	if err := checkHorizon(t); err != nil {
		return 0, err
	}
	g := m.bg()
	v, err := g.bracket(0, 0, t)
	if err != nil {
		return 0, err
	}
	return finite(v, "expected transactions", Customer{})
}

// Expected is the expected number of repeat transactions of a customer
// in the first t time units after their first purchase (Batislam,
// Denizel & Filiztekin 2007): b/(a-1) [1 - (α/(α+t))^r 2F1(r, b+1; a+b;
// t/(α+t))]. It is the share b/(a+b) of customers who do not drop out
// at their first purchase times the alive customer's expectation, which
// this package computes by the same series as ConditionalExpected
// (stable for large t, and at a = 1).
func (m MBGNBDModel) Expected(t float64) (float64, error) {
	if err := checkParams(MBGNBD, m.Params()); err != nil {
		return 0, err
	}
	if err := checkHorizon(t); err != nil {
		return 0, err
	}
	v, err := m.bg().bracket(0, 0, t)
	if err != nil {
		return 0, err
	}
	return finite(m.B/(m.A+m.B)*v, "expected transactions", Customer{})
}

// betaGeo holds the shared algebra of BG/NBD and MBG/NBD. In MBG/NBD
// every place BG/NBD has b + x has b + x + 1, and the drop-out term also
// exists for x = 0; mod selects that.
type betaGeo struct {
	r, alpha, a, b float64
	mod            bool
}

func (g betaGeo) kind() Kind {
	if g.mod {
		return MBGNBD
	}
	return BGNBD
}

func (g betaGeo) check(c Customer) error {
	if err := checkParams(g.kind(), []float64{g.r, g.alpha, g.a, g.b}); err != nil {
		return err
	}
	return checkCustomer(&c)
}

// off is 1 for MBG/NBD, 0 for BG/NBD.
func (g betaGeo) off() float64 {
	if g.mod {
		return 1
	}
	return 0
}

// terms returns the log-likelihood split into its x-only part and the
// two log-terms whose log-sum-exp completes it:
// LL = xPart + logAddExp(c, d), with d = -Inf when there is no drop-out
// term (BG/NBD with x = 0).
func (g betaGeo) terms(x int, tx, T float64) (xPart, c, d float64) {
	fx := float64(x)
	o := g.off()
	lg := func(v float64) float64 { l, _ := math.Lgamma(v); return l }
	xPart = lg(g.r+fx) - lg(g.r) + g.r*math.Log(g.alpha) +
		lg(g.b+fx+o) + lg(g.a+g.b) - lg(g.b) - lg(g.a+g.b+fx+o)
	c = -(g.r + fx) * math.Log(g.alpha+T)
	d = math.Inf(-1)
	if x > 0 || g.mod {
		d = math.Log(g.a) - math.Log(g.b+fx-1+o) - (g.r+fx)*math.Log(g.alpha+tx)
	}
	return xPart, c, d
}

func (g betaGeo) logLik(c Customer) (float64, error) {
	if err := g.check(c); err != nil {
		return 0, err
	}
	xp, cc, d := g.terms(c.X, c.Tx, c.T)
	return finite(xp+logAddExp(cc, d), "log-likelihood", c)
}

func (g betaGeo) pAlive(c Customer) (float64, error) {
	if err := g.check(c); err != nil {
		return 0, err
	}
	_, cc, d := g.terms(c.X, c.Tx, c.T)
	// P(alive) = 1 / (1 + e^(d-c)): the share of the "still alive" term.
	return finite(sigmoid(cc-d), "P(alive)", c)
}

func (g betaGeo) condExp(c Customer, t float64) (float64, error) {
	if err := g.check(c); err != nil {
		return 0, err
	}
	if err := checkHorizon(t); err != nil {
		return 0, err
	}
	_, cc, d := g.terms(c.X, c.Tx, c.T)
	b, err := g.bracket(c.X, c.T, t)
	if err != nil {
		return 0, err
	}
	return finite(b*sigmoid(cc-d), "conditional expectation", c)
}

// bracket is the conditional expectation of an alive customer:
//
//	(a+b'+x-1)/(a-1) * [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b'+x; a+b'+x-1; z)]
//
// with z = t/(α+T+t) and b' = b (BG/NBD) or b+1 (MBG/NBD). The 2F1 grows
// like (1-z)^-(r+x) and overflows for large x; Euler's transformation
// turns the product into (1-z)^(a-1) 2F1(a+b'-1-r, a-1; a+b'+x-1; z),
// whose series converges fast for large x, and dividing the bracket by
// (a-1) term by term removes the removable singularity at a = 1.
//
// When r is much larger than a+b' that series alternates with huge terms
// and cancels; then the original 2F1, whose terms are all positive, is
// summed in logs instead (bracketDirect).
func (g betaGeo) bracket(x int, T, t float64) (float64, error) {
	if t == 0 {
		return 0, nil
	}
	b := g.b + g.off()
	fx := float64(x)
	a := g.a
	z := t / (g.alpha + T + t)
	l := -math.Log1p(t / (g.alpha + T)) // log(1-z)
	// -expm1((a-1) l)/(a-1), and its limit -l at a = 1.
	var head float64
	if am1 := a - 1; math.Abs(am1*l) < 1e-8 {
		head = -l * (1 + am1*l/2)
	} else {
		head = -math.Expm1(am1*l) / am1
	}
	// S = sum_{n>=1} (A)_n (a)_{n-1} z^n / ((C)_n n!)
	A := a + b - 1 - g.r
	C := a + b + fx - 1
	term := A * z / C
	sum, biggest := term, math.Abs(term)
	converged := false
	for n := 1; n <= maxSeriesTerms; n++ {
		fn := float64(n)
		term *= (A + fn) * (a + fn - 1) * z / ((C + fn) * (fn + 1))
		sum += term
		biggest = math.Max(biggest, math.Abs(term))
		if math.Abs(term) <= 1e-17*math.Abs(sum) || term == 0 {
			converged = true
			break
		}
	}
	ea := math.Exp((a - 1) * l)
	v := C * (head - ea*sum)
	// Accept unless cancellation ate more than 6 of the 16 digits: the
	// rounding error of v is about 1e-16 C (head + ea·biggest).
	if converged && v > 0 && C*(head+ea*biggest)*1e-10 <= v {
		return v, nil
	}
	return g.bracketDirect(fx, C, a, b, z, l)
}

// bracketDirect is bracket from the untransformed 2F1(r+x, b'+x; C; z),
// summed with a running scale so that it cannot overflow: positive terms
// when C > 0, no cancellation.
func (g betaGeo) bracketDirect(fx, C, a, b, z, l float64) (float64, error) {
	p, q := g.r+fx, b+fx
	if !(C > 0) || math.Abs(a-1) < 1e-9 {
		return 0, numericErr("BG/NBD expectation: no stable series for r=%v, a=%v, b=%v, x=%v", g.r, g.a, g.b, fx)
	}
	// log F = logScale + log(sum), terms relative to exp(logScale).
	logScale, sum, term := 0.0, 1.0, 1.0
	for n := 0; ; n++ {
		if n > maxSeriesTerms {
			return 0, numericErr("BG/NBD expectation series did not converge (z = %v)", z)
		}
		fn := float64(n)
		ratio := (p + fn) * (q + fn) * z / ((C + fn) * (fn + 1))
		term *= ratio
		sum += term
		if sum > 1e250 {
			logScale += math.Log(sum)
			term /= sum
			sum = 1
		}
		// Past the peak the ratios tend to z: bound the tail by the
		// larger of the two.
		if rb := math.Max(ratio, z); rb < 1 && term*rb/(1-rb) <= 1e-17*sum {
			break
		}
	}
	bracket := -math.Expm1(p*l + logScale + math.Log(sum))
	// bracket is in [0, 1] with an absolute rounding error of a few
	// 1e-16 per term: below 1e-9 fewer than 6 digits are left.
	if !(bracket > 1e-9) {
		return 0, numericErr("BG/NBD expectation: precision lost for r=%v, a=%v, b=%v, x=%v, z=%v", g.r, g.a, g.b, fx, z)
	}
	return C * bracket / (a - 1), nil
}

// maxSeriesTerms bounds every series of this package; beyond it the
// computation reports ErrNumeric.
const maxSeriesTerms = 200_000

// xGrad adds w times the gradient and the Hessian of the x-only part of
// the log-likelihood to gr and h and returns w times that part.
func (g betaGeo) xGrad(x int, w float64, gr *[4]float64, h *hess4) float64 {
	fx := float64(x)
	o := g.off()
	ps := mathext.Digamma
	lg := func(v float64) float64 { l, _ := math.Lgamma(v); return l }
	v := lg(g.r+fx) - lg(g.r) + g.r*math.Log(g.alpha) +
		lg(g.b+fx+o) + lg(g.a+g.b) - lg(g.b) - lg(g.a+g.b+fx+o)
	gr[0] += w * (ps(g.r+fx) - ps(g.r) + math.Log(g.alpha))
	gr[1] += w * g.r / g.alpha
	gr[2] += w * (ps(g.a+g.b) - ps(g.a+g.b+fx+o))
	gr[3] += w * (ps(g.b+fx+o) + ps(g.a+g.b) - ps(g.b) - ps(g.a+g.b+fx+o))
	ab := trigamma(g.a+g.b) - trigamma(g.a+g.b+fx+o)
	h.rr += w * (trigamma(g.r+fx) - trigamma(g.r))
	h.ra += w / g.alpha
	h.aa -= w * g.r / (g.alpha * g.alpha)
	h.xaa += w * ab
	h.xab += w * ab
	h.xbb += w * (ab + trigamma(g.b+fx+o) - trigamma(g.b))
	return w * v
}

// logAddExp returns log(e^a + e^b) without overflow.
func logAddExp(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(b, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// sigmoid returns 1/(1+e^-v) without overflow.
func sigmoid(v float64) float64 {
	if v >= 0 {
		return 1 / (1 + math.Exp(-v))
	}
	e := math.Exp(v)
	return e / (1 + e)
}
