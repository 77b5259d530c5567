// Package clv predicts customer lifetime value with the buy-till-you-die
// models of the marketing literature, fitted by maximum likelihood:
// BG/NBD (Fader, Hardie & Lee 2005), Pareto/NBD (Schmittlein, Morrison &
// Colombo 1987), MBG/NBD (Batislam, Denizel & Filiztekin 2007) for the
// purchases and Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV") for
// the spend. Its tests reproduce the published CDNOW estimates from the
// raw transactions, and the reference's per-customer values to 1e-6.
//
// Typical use: summarise a cohort, fit, store the model, predict.
//
//	cs, err := clv.Summarize(timelines, clv.Period{CalibrationEnd: end})
//	purchases, err := clv.Fit(clv.BGNBD, cs)
//	spend, err := clv.Fit(clv.GammaGammaKind, cs)
//	gg, _ := spend.GammaGamma()
//	m := clv.Model{Kind: purchases.Kind, Params: purchases.Params, Spend: &gg,
//		Margin: 0.3, AnnualDiscount: 0.15}
//	// store json.Marshal(m); later clv.ParseModel(data), then:
//	p, err := m.Predict(timeline, now, 365*24*time.Hour)
//	// p.PAlive, p.ExpectedPurchases, p.ExpectedOrderValue, p.Value
//
// # Summaries
//
// Summarize (from parcours timelines) and SummarizeRows (from plain rows
// of a host's database) reduce orders to the literature's sufficient
// statistics (x, t_x, T, zbar) with these conventions:
//
//   - Orders are events of type parcours.Order; their value is
//     parcours.Event.Value, the rule every parcours package shares:
//     PropAmount, a number >= 0 (numeric strings are accepted as
//     parcours.ToFloat does), or without it the sum of the lines' price ×
//     quantity (0 with neither). A negative or non-numeric amount, or a
//     bad line, is an ErrInput error wrapping the *parcours.PropError,
//     never skipped. Orders sharing a non-empty event ID are retries and
//     count once.
//   - clv has no "days since" quantity: Prediction.Recency is the
//     literature's t_x, the time from the first to the last repeat
//     purchase, not the days since the last order. For that, and for
//     "never" (+Inf), see parcours.DaysSince, facts().recency and
//     daysSince in scenario. A customer who never ordered has no
//     prediction (ErrNoOrders) and a HistoricValue of 0.
//   - Orders on the same calendar day are one transaction, whose value is
//     their sum. The day is taken in the customer's time zone
//     (Profile.TimeZone, UTC when empty, an unknown zone is an error); for
//     rows, in the Location of Row.Time. CDNOW dates are plain dates.
//   - The first purchase day is the customer's birth (t = 0) and is not a
//     repeat transaction. Times are whole days since birth divided by the
//     unit (Week = 7 days, the default, or Day).
//   - Periods are whole days: the calibration period holds every day up to
//     and including CalibrationEnd's date; the optional holdout the
//     following days up to and including HoldoutEnd's date. T is the
//     number of days from birth to CalibrationEnd's date. With CDNOW's
//     end 1997-09-30 this gives exactly cdnow_cbs.csv.
//   - Customers whose first order is after the calibration end, and
//     timelines without orders, are not in the cohort: they give no row.
//   - MeanValue (zbar) is the mean value of the calibration repeat
//     transactions, the first purchase excluded, as in FHL (2005).
//
// # Fitting
//
// Fit maximises the log-likelihood over the logarithms of the
// parameters (all must be positive) by a trust-region Newton iteration
// (each step minimises the quadratic model within a radius, solved
// exactly from the eigendecomposition of the 3×3 or 4×4 Hessian; the
// radius, 3 in log-parameters at first, doubles after good steps at the
// boundary and shrinks after poor ones, so near the optimum every step
// is the pure Newton step), in the caller's goroutine. Every model has an
// analytic gradient and Hessian, computed in the same pass as the value:
// trigamma differences by the same recurrences as the digamma ones, and
// for Pareto/NBD through the drop-out integral's own series
// (differentiated twice term by term, with the coefficients' derivatives
// shared per x) or quadrature (differentiated under the integral sign:
// the weighted mean of the log integrand's Hessian plus the weighted
// covariance of its gradient, on the same nodes). From the default
// start a fit takes 5 to 10 Newton iterations on CDNOW where BFGS took
// about 25; TestNewtonStarts checks convergence to the reference from
// starts a factor 100 off. When the iteration fails (a radius shrunk to
// nothing, or 200 iterations), typically because no maximum exists, Fit falls back
// to gonum/optimize's BFGS from the same start, which runs its method in
// an internal goroutine (this package starts none itself). A fit is
// accepted when the gradient of the mean log-likelihood per customer
// with respect to the log-parameters has a norm of at most 1e-5 (the
// iteration goes on to 1e-9, at most one more Newton step, so that the
// estimates are the maximum to about 8 digits whatever the path from
// the start); otherwise, or when a parameter leaves
// [1e-8, 1e8] (the likelihood is then flat along a limit of the model,
// such as no heterogeneity or no visible drop-out), Fit returns a
// *FitError that says why.
//
// Standard errors come from the inverse of the observed information in
// log-parameters, mapped back by the delta method (se(p) = p se(log p)).
// Fit computes them by default: they come from the Hessian the Newton
// iteration ends with, so they cost a 4×4 inversion (after the BFGS
// fallback, central differences of the analytic gradient: 2k gradient
// passes). Being that cheap, they are not made lazy or opt-in: a
// FitResult stays a plain value that marshals with its standard errors. When the Hessian is not negative definite the
// fit is kept with a Warning and no standard errors. FitWith with
// FitOptions.NoStdErrors skips them.
//
// Customers with the same (x, t_x, T) contribute the same likelihood, so
// the data are first collapsed into distinct cells with weights (in
// order of first appearance, so sums are deterministic), and the terms
// that depend on x alone (log-gamma, digamma, by recurrence up to the
// largest x) are computed once per distinct x, those that depend on T or
// t_x alone once per distinct value, Pareto/NBD's tail integrals once per
// distinct (x, t) with series coefficients shared per x, and the log1p
// terms of the per-cell log-sum-exps are summed as the log of one
// product. Gamma-Gamma's log-gamma and trigamma terms are computed once
// per distinct x, and a customer costs a multiplication and a division
// per evaluation. The cells are numbered by an open-addressing index on
// the bits of (x, t_x, T). Times on whole days keep cells few: a
// generated 1,000,000-customer cohort has about 106,000 cells and fits
// BG/NBD in under a second (0.16 s).
//
// clv/bench/run.sh times Fit (standard errors included), Fit without
// them, and scipy's L-BFGS-B on the same likelihoods, in one run. On
// CDNOW (2,357 customers) a Fit takes 0.15 to 2.5 ms of CPU, 30 to 65
// times less than scipy (the ratios of December 2026 on 2 cores; the
// script prints them).
//
// Gamma-Gamma is fitted on the customers with x >= 1, whose MeanValue
// must be > 0 (an error otherwise). Its log-likelihood is the density of
// zbar (as the reference reports, -4055.92 on CDNOW); the density of the
// total x·zbar, which some secondary sources quote (-4659), differs by the
// constant -Σ log x. CheckIndependence reports the frequency/spend
// correlation the model assumes away (0.11 on CDNOW, as FHL found).
//
// # Numerics
//
// Pareto/NBD needs the Gauss hypergeometric 2F1(a, b; a+1; z), which
// grows like (1-z)^-b and overflows double precision for large
// frequencies (gonum's mathext.Hypergeo returns +Inf at a = b = 500,
// z = 0.9; see the tests). This package writes the likelihood's
// drop-out part as ∫_{t_x}^{T} (α+τ)^-(r+x) (β+τ)^-(s+1) dτ, evaluates
// its closed form through Euler's transformation 2F1(a, b; a+1; z) =
// (1-z)^(1-b) 2F1(1, a+1-b; a+1; z), a series of positive terms bounded
// by 1/(1-z), entirely in logs; when z > 0.95 that series is slow and
// the integral is computed by composite 24-point Gauss-Legendre
// quadrature (gonum's nodes) in log(min(α,β)+τ) instead. Tests check the
// two against each other to 1e-12.
//
// The BG/NBD and MBG/NBD conditional expectations use Euler's
// transformation too, which turns the overflowing (1-z)^(r+x) 2F1(...)
// into a fast series for large x and removes the removable singularity
// at a = 1; when r is much larger than a+b that series cancels and the
// untransformed positive series is summed with a running scale instead.
// When neither keeps 6 significant digits, the functions return
// ErrNumeric: no function of this package returns NaN or Inf.
//
// The Pareto/NBD DET (discounted expected transactions, FHL 2005 "RFM
// and CLV") uses the identity U(s, s; z) = e^z Γ(1-s, z), with the
// continued fraction of the upper incomplete gamma for z >= 1 and
// gonum's regularised incomplete gamma with the downward recurrence
// below.
//
// # Predictions
//
// Model.Predict summarises the timeline at now (orders of now's date up
// to now included) and gives, for a horizon h in the model's unit:
// PAlive (under BG/NBD a customer without repeat purchases is alive with
// probability 1, a property of that model), ExpectedPurchases (the
// conditional expectation over h), ExpectedOrderValue (Gamma-Gamma's
// conditional mean when the model has a spend part, its population mean
// pγ/(q-1) for x = 0; without one, the customer's own mean order value,
// first order included), Value and HistoricValue. Value is margin ×
// expected order value × Σ ΔE[Y(t_i)] (1+AnnualDiscount)^-(t_i in years),
// over periods of Period (default one month, the last one cut at the
// horizon; at most 5000 periods), the discrete cash-flow form of the
// lifetimes library. HistoricValue is margin × the value of every order
// so far: the historic CLV, for customers with too little data. A
// timeline without orders gives ErrNoOrders.
package clv
