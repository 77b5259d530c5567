package clv

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// FitResult is the outcome of a maximum-likelihood fit.
type FitResult struct {
	// Kind is the fitted model.
	Kind Kind `json:"kind"`
	// Params are the estimates, in Kind.ParamNames() order.
	Params []float64 `json:"params"`
	// StdErrors are the asymptotic standard errors of Params, from the
	// inverse of the Hessian of the log-likelihood: the analytic Hessian
	// the fit ends with (central differences of the analytic gradient
	// after the BFGS fallback). Empty when that Hessian is not negative
	// definite (Warning says so) or when FitOptions.NoStdErrors asked
	// for none.
	StdErrors []float64 `json:"std_errors,omitempty"`
	// LogLikelihood is the maximised log-likelihood, summed over
	// customers.
	LogLikelihood float64 `json:"log_likelihood"`
	// Customers is the number of customers used; Cells the number of
	// distinct (x, t_x, T) rows the likelihood was evaluated on.
	Customers int `json:"customers"`
	Cells     int `json:"cells"`
	// Status is "GradientThreshold" when the fit's Newton iteration
	// converged (the name gonum/optimize gives the same criterion), or
	// gonum/optimize's termination status when the fit fell back to its
	// BFGS (see doc.go). Iterations and Evaluations count the
	// iterations and likelihood evaluations of both.
	Status      string `json:"status"`
	Iterations  int    `json:"iterations"`
	Evaluations int    `json:"evaluations"`
	// GradientNorm is the norm of the gradient of the mean log-likelihood
	// with respect to the log-parameters at the optimum.
	GradientNorm float64 `json:"gradient_norm"`
	// Warning reports a usable fit with a caveat (no standard errors).
	Warning string `json:"warning,omitempty"`
	// Independence is, for a Gamma-Gamma fit, the check of its
	// assumption that spend does not depend on frequency (see
	// CheckIndependence); nil for the purchase models or when it cannot
	// be computed (constant frequency or spend).
	Independence *Independence `json:"independence,omitempty"`
}

// Model returns the fitted purchase model (not for GammaGammaKind).
func (f FitResult) Model() (PurchaseModel, error) { return NewPurchaseModel(f.Kind, f.Params) }

// GammaGamma returns the fitted spend model (only for GammaGammaKind).
func (f FitResult) GammaGamma() (GammaGamma, error) {
	if f.Kind != GammaGammaKind {
		return GammaGamma{}, paramsErr("%s fit is not a spend model", f.Kind)
	}
	if err := checkParams(f.Kind, f.Params); err != nil {
		return GammaGamma{}, err
	}
	return GammaGamma{P: f.Params[0], Q: f.Params[1], Gamma: f.Params[2]}, nil
}

// paramFloor and paramCeiling bound the estimates a fit accepts: beyond
// them the likelihood is flat along a limit of the model (a parameter
// running to 0 or infinity), and the "optimum" is an artefact.
const (
	paramFloor   = 1e-8
	paramCeiling = 1e8
)

// gradTolerance is the largest norm of the gradient of the mean
// log-likelihood (per customer, in log-parameters) accepted as an optimum.
const gradTolerance = 1e-5

// Fit estimates a model by maximum likelihood on a calibration summary,
// by a trust-region Newton iteration in log-parameter space (so
// parameters stay positive without constraints), with gonum/optimize's
// BFGS as the fallback; standard errors included (see doc.go, Fitting).
// Customers with identical (x, t_x, T) are evaluated once, with a
// weight: see doc.go.
//
// For the purchase models every customer is used; for GammaGammaKind the
// customers with X >= 1, whose MeanValue must then be > 0. A fit that
// does not reach a stationary point returns a *FitError (wrapping ErrFit)
// that says why.
func Fit(kind Kind, cs []Customer) (FitResult, error) {
	return FitFrom(kind, cs, nil)
}

// FitFrom is Fit starting the optimiser at init (in Kind.ParamNames()
// order); nil init means the default start: r, a, s, p, q = 1; alpha,
// beta and BG/NBD's and MBG/NBD's b at the data's time scale (mean T /
// mean x), gamma at the mean spend.
func FitFrom(kind Kind, cs []Customer, init []float64) (FitResult, error) {
	return FitWith(kind, cs, FitOptions{Init: init})
}

// FitOptions are the settings of FitWith. The zero value is Fit: the
// default start, standard errors computed.
type FitOptions struct {
	// Init is the starting point in Kind.ParamNames() order; nil means
	// the default start (see FitFrom).
	Init []float64
	// NoStdErrors skips the standard errors, for hosts that refit often
	// and only use the estimates. They cost little (the inversion of the
	// Hessian the fit ends with; 2k gradient passes for k parameters
	// after the BFGS fallback).
	NoStdErrors bool
}

// FitWith is Fit with options.
func FitWith(kind Kind, cs []Customer, opts FitOptions) (FitResult, error) {
	obj, err := newObjective(kind, cs)
	if err != nil {
		return FitResult{}, err
	}
	init := opts.Init
	if init == nil {
		init = obj.start()
	} else if err := checkParams(kind, init); err != nil {
		return FitResult{}, err
	}
	obj.noStdErrors = opts.NoStdErrors
	f, err := obj.fit(init)
	if kind == GammaGammaKind {
		if ind, ierr := CheckIndependence(cs); ierr == nil {
			f.Independence = &ind
		}
	}
	return f, err
}

// objective is a log-likelihood over aggregated data.
type objective struct {
	kind Kind
	n    float64 // number of customers (sum of weights)
	// eval returns the total log-likelihood at natural params p and, if
	// grad is not nil, stores its gradient with respect to p there.
	eval func(p []float64, grad []float64) (float64, error)
	// evalH is eval with, if hess is not nil, the Hessian with respect
	// to p stored there (k×k, row-major); nil for a model without an
	// analytic Hessian.
	evalH func(p, grad, hess []float64) (float64, error)
	// scale is a typical time (purchase models) or spend (Gamma-Gamma).
	scale float64
	cells int
	// noStdErrors skips the standard errors (FitOptions.NoStdErrors).
	noStdErrors bool
}

func newObjective(kind Kind, cs []Customer) (*objective, error) {
	switch kind {
	case BGNBD, MBGNBD, ParetoNBD:
		return purchaseObjective(kind, cs)
	case GammaGammaKind:
		return spendObjective(cs)
	}
	return nil, paramsErr("unknown model kind %q", string(kind))
}

func (o *objective) start() []float64 {
	switch o.kind {
	case GammaGammaKind:
		return []float64{1, 1, o.scale}
	default:
		return []float64{1, o.scale, 1, o.scale}
	}
}

// problem turns eval into gonum's minimisation of the mean negative
// log-likelihood in log-parameters. Points where the likelihood cannot
// be computed are +Inf, which the line search backs away from.
func (o *objective) problem() optimize.Problem {
	nat := make([]float64, 0, 4)
	g := make([]float64, 4)
	// gonum asks for the value and then the gradient at the same point;
	// one pass computes both, so the last point's results are kept.
	var (
		last   []float64
		lastF  float64
		lastG  = make([]float64, 4)
		lastOK bool
	)
	at := func(th []float64) {
		if last != nil && slices.Equal(last, th) {
			return
		}
		last = append(last[:0], th...)
		nat = expAll(nat[:0], th)
		ll, err := o.eval(nat, g[:len(th)])
		lastOK = err == nil && !math.IsNaN(ll) && !math.IsInf(ll, 0)
		lastF = -ll / o.n
		for i := range th {
			v := -g[i] * nat[i] / o.n
			if !lastOK || math.IsNaN(v) || math.IsInf(v, 0) {
				v = 0
			}
			lastG[i] = v
		}
	}
	return optimize.Problem{
		Func: func(th []float64) float64 {
			at(th)
			if !lastOK {
				return math.Inf(1)
			}
			return lastF
		},
		Grad: func(grad, th []float64) {
			at(th)
			copy(grad, lastG[:len(th)])
		},
	}
}

func expAll(dst, th []float64) []float64 {
	for _, v := range th {
		dst = append(dst, math.Exp(v))
	}
	return dst
}

func (o *objective) fit(init []float64) (FitResult, error) {
	th := make([]float64, len(init))
	for i, p := range init {
		th[i] = math.Log(p)
	}
	nr := o.newton(th, gradTolerance/1e4)
	if nr.converged {
		b := nr.best
		return o.result(optimum{
			p: append([]float64(nil), b.p...), ll: b.ll, grad: b.gp,
			status: newtonStatus, iterations: nr.iterations, evaluations: nr.evaluations,
			hess: b.h,
		})
	}
	// The fallback: gonum's BFGS from the same start. Newton fails
	// mostly where the likelihood is flat along a limit of the model
	// (no maximum exists); BFGS then runs to that limit, which result
	// reports, as it did before Newton came first.
	return o.bfgs(th, nr.iterations, nr.evaluations)
}

// bfgs fits by gonum/optimize's BFGS from th, counting iters and evals
// already spent.
func (o *objective) bfgs(th []float64, iters, evals int) (FitResult, error) {
	settings := &optimize.Settings{
		GradientThreshold: gradTolerance / 100,
		MajorIterations:   2000,
	}
	res, err := optimize.Minimize(o.problem(), th, settings, &optimize.BFGS{})
	if res == nil {
		return FitResult{}, &FitError{Kind: o.kind, Reason: "optimiser failed", Err: err}
	}
	p := expAll(nil, res.X)
	// One pass gives the reported log-likelihood and the gradient checked
	// by result.
	g := make([]float64, len(p))
	ll, lerr := o.eval(p, g)
	if err == nil {
		err = lerr
	}
	if lerr == nil && err == nil && res.Status != optimize.GradientThreshold {
		err = errors.New(res.Status.String())
	}
	return o.result(optimum{
		p: p, ll: ll, grad: g, llErr: lerr, err: err,
		status: res.Status.String(), iterations: iters + res.Stats.MajorIterations,
		evaluations: evals + res.Stats.FuncEvaluations,
	})
}

// newtonStatus is FitResult.Status when the Newton iteration converged:
// the name of gonum's status for the same criterion.
const newtonStatus = "GradientThreshold"

// optimum is what an optimiser returns to result.
type optimum struct {
	p      []float64
	ll     float64
	grad   []float64 // of ll in p
	llErr  error     // ll not computable at p
	err    error     // the optimiser's own failure, if any
	status string

	iterations, evaluations int
	// hess is the Hessian of -ll/n in log-parameters at p, as the
	// Newton iteration computed it; nil after the BFGS fallback, whose
	// standard errors then come from central differences.
	hess []float64
}

// result checks an optimum (parameters inside [paramFloor, paramCeiling],
// gradient norm at most gradTolerance) and adds the standard errors.
func (o *objective) result(op optimum) (FitResult, error) {
	p, g, err := op.p, op.grad, op.err
	out := FitResult{
		Kind: o.kind, Params: p, LogLikelihood: op.ll, Customers: int(o.n), Cells: o.cells,
		Status: op.status, Iterations: op.iterations, Evaluations: op.evaluations,
	}
	if op.llErr != nil {
		return out, &FitError{Kind: o.kind, Reason: "log-likelihood not computable at the optimum", Err: op.llErr}
	}
	if checkParams(o.kind, p) != nil {
		return out, &FitError{Kind: o.kind, Reason: "a parameter ran to 0 or infinity (the data do not identify the model)", Err: err}
	}
	for i, v := range p {
		if v < paramFloor || v > paramCeiling {
			return out, &FitError{Kind: o.kind, Reason: fmt.Sprintf(
				"%s = %.3g ran to the edge of the parameter space (the data do not identify the model, e.g. no heterogeneity or no visible drop-out)",
				o.kind.ParamNames()[i], v)}
		}
	}
	norm := 0.0
	for i := range g {
		v := g[i] * p[i] / o.n
		norm += v * v
	}
	out.GradientNorm = math.Sqrt(norm)
	if !(out.GradientNorm <= gradTolerance) {
		reason := "no stationary point reached (gradient norm too large)"
		if err == nil {
			err = errors.New(op.status)
		}
		return out, &FitError{Kind: o.kind, Reason: reason, Err: err}
	}
	if o.noStdErrors {
		return out, nil
	}
	var se []float64
	var ok bool
	if op.hess != nil {
		se, ok = o.stdErrorsFrom(op.hess, p)
	} else {
		se, ok = o.stdErrors(p)
	}
	if ok {
		out.StdErrors = se
	} else {
		out.Warning = "Hessian not negative definite at the optimum: no standard errors"
	}
	return out, nil
}

// stdErrors inverts the observed information in log-parameters (central
// differences of the gradient) and maps it back by the delta method:
// se(p) = p·se(log p).
func (o *objective) stdErrors(p []float64) ([]float64, bool) {
	k := len(p)
	h := mat.NewSymDense(k, nil)
	gp := make([]float64, k)
	gm := make([]float64, k)
	q := make([]float64, k)
	logGrad := func(dst []float64, th []float64) bool {
		q = expAll(q[:0], th)
		if _, err := o.eval(q, dst); err != nil {
			return false
		}
		for i := range dst {
			dst[i] *= q[i]
		}
		return true
	}
	th := make([]float64, k)
	for i := range p {
		th[i] = math.Log(p[i])
	}
	const step = 1e-4
	cols := make([][]float64, k)
	for j := range k {
		th[j] += step
		okp := logGrad(gp, th)
		th[j] -= 2 * step
		okm := logGrad(gm, th)
		th[j] += step
		if !okp || !okm {
			return nil, false
		}
		cols[j] = make([]float64, k)
		for i := range k {
			cols[j][i] = -(gp[i] - gm[i]) / (2 * step) // information = -Hessian
		}
	}
	for i := range k {
		for j := i; j < k; j++ {
			h.SetSym(i, j, (cols[i][j]+cols[j][i])/2)
		}
	}
	return invertInfo(h, p)
}

// stdErrorsFrom is stdErrors from the Hessian of -LL/n in
// log-parameters (k×k, row-major), as the Newton iteration leaves it.
func (o *objective) stdErrorsFrom(hess, p []float64) ([]float64, bool) {
	k := len(p)
	h := mat.NewSymDense(k, nil)
	for i := range k {
		for j := i; j < k; j++ {
			h.SetSym(i, j, o.n*(hess[i*k+j]+hess[j*k+i])/2)
		}
	}
	return invertInfo(h, p)
}

// invertInfo maps the observed information h in log-parameters to the
// standard errors of p: se(p_i) = p_i sqrt((h^-1)_ii).
func invertInfo(h *mat.SymDense, p []float64) ([]float64, bool) {
	k := len(p)
	var ch mat.Cholesky
	if !ch.Factorize(h) {
		return nil, false
	}
	var cov mat.SymDense
	if err := ch.InverseTo(&cov); err != nil {
		return nil, false
	}
	se := make([]float64, k)
	for i := range k {
		v := cov.At(i, i)
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, false
		}
		se[i] = p[i] * math.Sqrt(v)
	}
	return se, true
}
