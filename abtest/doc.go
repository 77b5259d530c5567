// Package abtest makes marketing experiments trustworthy: deterministic,
// stateless assignment of customers to variants (compatible with
// GrowthBook's SDKs), holdouts and mutually exclusive experiments, and the
// statistics to decide on the results from plain counts and sums.
//
// Assign at send time, analyse later from the host's own database:
//
//	exp, err := abtest.ParseExperiment(config) // {"key":"reactivation-90d","variants":["reminder","promo"],"holdout":0.1}
//	a, err := exp.Assign(customerID)           // a.Variant, a.HeldOut, a.InExperiment
//
//	srm, _ := abtest.SRM(counts, exp.ExpectedShares()) // check first: srm.Err() != nil means broken data
//	z, _ := abtest.ZTest(reminder, promo, 0.05)              // return rate
//	p, _ := abtest.CompareProfit(reminderSums, promoSums, 0.05) // margin after discount
//	b, _ := abtest.Bayes(reminder, promo, abtest.BetaPrior{})  // P(promo beats reminder)
//
// # Assignment
//
// Buckets are GrowthBook's (FNV-1a 32, hash versions 1 and 2, bucket
// ranges, namespaces), hashing customer IDs as UTF-8 bytes like the Go and
// Python SDKs; every official GrowthBook vector is part of the tests. See
// [Experiment.Assign] for the exact steps and for what moves when weights,
// coverage or the holdout change. Choices made where GrowthBook is silent
// or different:
//
//   - HashVersion 0 means 2 (GrowthBook's SDKs default to 1 when the field
//     is absent; set 1 explicitly to reproduce such an experiment).
//   - [Experiment.Validate] rejects what GrowthBook silently repairs:
//     weights of the wrong length or summing outside [0.99, 1.01],
//     coverage outside [0, 1]. [BucketRanges] keeps the lenient behaviour.
//   - A single variant is allowed (with a holdout it measures a scenario
//     against doing nothing); GrowthBook's run() needs two.
//   - The holdout (not a GrowthBook concept) is decided after the
//     namespace and before coverage and weights, by its own hash
//     Hash(seed+"/holdout", id): held-out customers stay held out whatever
//     the weights or coverage, and non-held-out customers get exactly
//     GrowthBook's variant.
//   - Customers outside the namespace or the coverage get
//     InExperiment false with the control (index 0), as GrowthBook
//     returns variation 0; held-out customers get Index -1 and
//     InExperiment true (they are an analysis arm). An empty customer ID
//     is an error.
//   - [InGroup] is a global control group helper: a version-2 bucket of
//     the customer under a salt, below a share.
//
// # Analysis
//
// Inputs are counts ([Proportion]) or per-arm n, mean and unbiased
// variance ([Sample], or [SampleFromSums] from sums and sums of squares).
// Control is the first argument; differences are treatment minus control;
// relative uplifts are (treatment - control)/|control|. An alpha of 0
// means 0.05. Invalid inputs return an [*InputError] ([ErrInvalidInput]);
// valid inputs for which a statistic does not exist (Welch with n < 2,
// both variances 0, a relative uplift over a zero baseline, a planned
// rate outside (0, 1)) return an [*UndefinedError] ([ErrUndefined]).
// No function returns NaN or Inf or panics, whatever the input (fuzzed).
//
// Results agree with 50-digit references (testdata/abtest-vectors.json;
// the edge cases in testdata/edge, made by its gen.py with mpmath) to
// 1e-9 relative, and in practice to ~1e-14:
//
//   - Normal tails are upper-tail functions (erfc), never 1 - CDF, with
//     the rounding of z/sqrt(2) corrected, so a one-sided p-value at
//     z = 37 keeps full relative precision (1e-15, checked against
//     mpmath); p-values that underflow float64 keep their exact
//     magnitude in Log10PValue fields.
//   - Quantiles and quadrature are written here, so that abtest links no
//     gonum package (scenario imports abtest for assignment): the normal
//     quantile starts from math.Erfinv and is polished by Newton steps on
//     log erfc; Gauss-Legendre nodes are Newton's roots of P_n (both
//     checked against gonum in the tests).
//   - Critical values are taken from the upper tail everywhere alpha is
//     used (ZTest, Welch, RelativeUplift, SampleSize): any alpha in
//     (0, 1), even 1e-300 where 1 - alpha/2 rounds to 1, gives a finite
//     exact quantile. The Student t one is solved on this package's t
//     tail, in log t, inside a bracket, from a Cornish-Fisher start.
//   - The Student t tail is computed here too: gonum takes log B(a, b) as
//     a difference of lgamma values, which costs ~1e-9 relative at df ~
//     1e7. This package uses a Stirling-corrected log-beta with the
//     incomplete-beta continued fraction for df <= 2000, and
//     Gauss-Legendre quadrature of the density beyond.
//   - [Bayes] integrates the two Beta posteriors numerically (logit
//     variable, Gauss-Legendre panels, no sampling and no lgamma), so
//     "probability to beat control" and expected loss are deterministic
//     and a 1e-30 probability keeps its relative precision. Posterior
//     parameters below 1 (priors such as Beta(0.1, 0.1)) are covered:
//     in the logit variable their density has no endpoint singularity,
//     only a long exponential tail, evaluated without cancellation;
//     priors 0.1, 0.3 and 0.5 are checked against mpmath to 1e-12.
//   - SRM p-values use the closed forms of the chi-square tail for integer
//     degrees of freedom.
//   - Degenerate data follow the references: a z-test whose pooled rate is
//     0 or 1 has z = 0 and p = 1; a zero standard error gives the interval
//     [diff, diff]; a relative uplift with zero standard error is flagged
//     Degenerate with its SE -> 0 limits.
//
// Profit is compared per enrolled customer: profit_i = revenue_i -
// discount_i (revenue may be gross margin; discount includes any
// per-customer cost), fed as n, the sums of revenue and discount and the
// sum of squared profit ([ProfitArm]), tested with Welch's t-test.
//
// Several variants: compare each with the control (Bayes, ZTest...) and
// correct the p-values with [AdjustPValues].
//
// Sequential testing: [MSPRT] gives always-valid p-values for daily
// peeking (a seeded simulation in the tests shows 1.3% false positives
// at alpha 5% over 30 daily looks, against 27% for a z-test checked
// daily); [NewGrowthBookSequential] reproduces GrowthBook's sequential
// intervals. Multiple variants: [AdjustPValues] (Bonferroni, Holm,
// Benjamini-Hochberg, Sidak). [SRM] flags sample ratio mismatch at
// p < 0.001 or any traffic in a zero-weight arm, loudly: a Mismatch field
// and an Err method returning [ErrSampleRatioMismatch].
package abtest
