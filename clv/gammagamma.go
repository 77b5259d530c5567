package clv

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// GammaGamma is the Gamma-Gamma spend model (Fader, Hardie & Lee 2005,
// "RFM and CLV"; Colombo & Jiang 1999): transaction values of a customer
// are Gamma(P, nu) with nu ~ Gamma(Q, Gamma) across customers. It assumes
// that spend is independent of the purchase process; see Independence.
type GammaGamma struct {
	P     float64 `json:"p"`
	Q     float64 `json:"q"`
	Gamma float64 `json:"gamma"`
}

// Params returns p, q, gamma.
func (g GammaGamma) Params() []float64 { return []float64{g.P, g.Q, g.Gamma} }

// LogLikelihood is the log density of c's mean repeat-transaction value
// c.MeanValue given its c.X transactions (the form the reference fits;
// the density of the total x·zbar differs by -log x). It needs X >= 1 and
// MeanValue > 0.
func (g GammaGamma) LogLikelihood(c Customer) (float64, error) {
	if err := checkParams(GammaGammaKind, g.Params()); err != nil {
		return 0, err
	}
	if c.X < 1 || !(c.MeanValue > 0) || math.IsInf(c.MeanValue, 0) {
		return 0, inputErr("customer %q: Gamma-Gamma needs x >= 1 and a mean value > 0, got x=%d, zbar=%v", c.ID, c.X, c.MeanValue)
	}
	var gr [3]float64
	return finite(g.logLikGrad(float64(c.X), c.MeanValue, 1, &gr), "spend log-likelihood", c)
}

// logLikGrad returns w·log f(zbar | x) and adds its gradient with respect
// to (p, q, gamma) to gr.
func (g GammaGamma) logLikGrad(x, zbar, w float64, gr *[3]float64) float64 {
	lg := func(v float64) float64 { l, _ := math.Lgamma(v); return l }
	px := g.P * x
	lgz := math.Log(g.Gamma + x*zbar)
	ll := lg(px+g.Q) - lg(px) - lg(g.Q) + g.Q*math.Log(g.Gamma) +
		(px-1)*math.Log(zbar) + px*math.Log(x) - (px+g.Q)*lgz
	ps := mathext.Digamma(px + g.Q)
	gr[0] += w * x * (ps - mathext.Digamma(px) + math.Log(zbar) + math.Log(x) - lgz)
	gr[1] += w * (ps - mathext.Digamma(g.Q) + math.Log(g.Gamma) - lgz)
	gr[2] += w * (g.Q/g.Gamma - (px+g.Q)/(g.Gamma+x*zbar))
	return w * ll
}

// ExpectedValue is the expected value of c's future transactions given
// their history: p(γ + x·zbar)/(p·x + q - 1). For a customer without
// repeat transactions it is the population mean pγ/(q-1). It needs
// q > 1 (otherwise the mean spend is infinite) and wraps ErrParams when
// not.
func (g GammaGamma) ExpectedValue(c Customer) (float64, error) {
	if err := checkParams(GammaGammaKind, g.Params()); err != nil {
		return 0, err
	}
	if !(g.Q > 1) {
		return 0, paramsErr("gamma_gamma: q = %v <= 1 has no finite mean spend", g.Q)
	}
	if c.X < 0 || !(c.MeanValue >= 0) || math.IsInf(c.MeanValue, 0) {
		return 0, inputErr("customer %q: x = %d, zbar = %v", c.ID, c.X, c.MeanValue)
	}
	x := float64(c.X)
	if c.X == 0 {
		return finite(g.P*g.Gamma/(g.Q-1), "expected value", c)
	}
	return finite(g.P*(g.Gamma+x*c.MeanValue)/(g.P*x+g.Q-1), "expected value", c)
}
