package clv

import (
	"math"
)

// Kind names a model.
type Kind string

// The models of this package.
const (
	// BGNBD is the beta-geometric/NBD model of Fader, Hardie & Lee (2005):
	// parameters r, alpha, a, b.
	BGNBD Kind = "bgnbd"
	// ParetoNBD is the Pareto/NBD model of Schmittlein, Morrison &
	// Colombo (1987): parameters r, alpha, s, beta.
	ParetoNBD Kind = "pareto_nbd"
	// MBGNBD is the modified BG/NBD of Batislam, Denizel & Filiztekin
	// (2007), where a customer may also drop out right after the first
	// purchase: parameters r, alpha, a, b.
	MBGNBD Kind = "mbgnbd"
	// GammaGammaKind is the Gamma-Gamma spend model of Fader, Hardie &
	// Lee (2005, "RFM and CLV"): parameters p, q, gamma.
	GammaGammaKind Kind = "gamma_gamma"
)

// ParamNames returns the names of the kind's parameters, in the order
// used by every []float64 of parameters in this package, or nil for an
// unknown kind.
func (k Kind) ParamNames() []string {
	switch k {
	case BGNBD, MBGNBD:
		return []string{"r", "alpha", "a", "b"}
	case ParetoNBD:
		return []string{"r", "alpha", "s", "beta"}
	case GammaGammaKind:
		return []string{"p", "q", "gamma"}
	}
	return nil
}

// checkParams verifies the count and domain (finite, > 0) of params.
func checkParams(k Kind, params []float64) error {
	names := k.ParamNames()
	if names == nil {
		return paramsErr("unknown model kind %q", string(k))
	}
	if len(params) != len(names) {
		return paramsErr("%s takes %d parameters %v, got %d", k, len(names), names, len(params))
	}
	for i, p := range params {
		if !(p > 0) || math.IsInf(p, 0) {
			return paramsErr("%s: %s = %v, want a finite number > 0", k, names[i], p)
		}
	}
	return nil
}

// PurchaseModel is a fitted buy-till-you-die model: BG/NBD, Pareto/NBD or
// MBG/NBD. Times are in the unit of the summary it was fitted on. Every
// method returns an error wrapping ErrInput for a customer outside the
// domain (negative counts or times, Tx > T) and ErrNumeric rather than a
// NaN or an infinity.
type PurchaseModel interface {
	// Kind names the model.
	Kind() Kind
	// Params returns the parameters in Kind().ParamNames() order.
	Params() []float64
	// LogLikelihood is the log of the likelihood of c's calibration
	// history (x, t_x, T), as in the published fits.
	LogLikelihood(c Customer) (float64, error)
	// PAlive is the probability that c is still active at T.
	PAlive(c Customer) (float64, error)
	// ConditionalExpected is the expected number of transactions of c in
	// the next t time units, given the history.
	ConditionalExpected(c Customer, t float64) (float64, error)
}

// NewPurchaseModel returns the purchase model of kind k with params in
// k.ParamNames() order. It wraps ErrParams for an unknown kind, the
// Gamma-Gamma kind, or parameters that are not finite and positive.
func NewPurchaseModel(k Kind, params []float64) (PurchaseModel, error) {
	if k == GammaGammaKind {
		return nil, paramsErr("%s is a spend model, not a purchase model", k)
	}
	if err := checkParams(k, params); err != nil {
		return nil, err
	}
	p := params
	switch k {
	case BGNBD:
		return BGNBDModel{R: p[0], Alpha: p[1], A: p[2], B: p[3]}, nil
	case MBGNBD:
		return MBGNBDModel{R: p[0], Alpha: p[1], A: p[2], B: p[3]}, nil
	default:
		return ParetoNBDModel{R: p[0], Alpha: p[1], S: p[2], Beta: p[3]}, nil
	}
}

// checkCustomer verifies that c is a possible history.
func checkCustomer(c *Customer) error {
	switch {
	case c.X < 0:
		return inputErr("customer %q: x = %d < 0", c.ID, c.X)
	case !(c.T >= 0) || math.IsInf(c.T, 0):
		return inputErr("customer %q: T = %v, want a finite number >= 0", c.ID, c.T)
	case !(c.Tx >= 0) || c.Tx > c.T:
		return inputErr("customer %q: t_x = %v, want 0 <= t_x <= T = %v", c.ID, c.Tx, c.T)
	}
	return nil
}

func checkHorizon(t float64) error {
	if !(t >= 0) || math.IsInf(t, 0) {
		return inputErr("horizon t = %v, want a finite number >= 0", t)
	}
	return nil
}

// finite returns v, or an ErrNumeric error naming what when v is NaN or
// infinite.
func finite(v float64, what string, c Customer) (float64, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, numericErr("%s for customer %q (x=%d, t_x=%v, T=%v) is %v", what, c.ID, c.X, c.Tx, c.T, v)
	}
	return v, nil
}
