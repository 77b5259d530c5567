package abtest

import "math"

// DefaultAlpha is the significance level used when an alpha argument is 0.
const DefaultAlpha = 0.05

// Proportion is one arm of a conversion metric: N customers, Conversions
// of whom converted (returned, ordered...). Conversions <= N.
type Proportion struct {
	N           int64 `json:"n"`
	Conversions int64 `json:"conversions"`
}

// Rate is Conversions/N (0 when N is 0).
func (p Proportion) Rate() float64 {
	if p.N == 0 {
		return 0
	}
	return float64(p.Conversions) / float64(p.N)
}

func (p Proportion) check(fn, arm string) error {
	switch {
	case p.N < 0:
		return &InputError{Func: fn, Field: arm + ".N", Reason: "negative"}
	case p.Conversions < 0:
		return &InputError{Func: fn, Field: arm + ".Conversions", Reason: "negative"}
	case p.Conversions > p.N:
		return &InputError{Func: fn, Field: arm + ".Conversions", Reason: "exceeds N"}
	case p.N == 0:
		return &UndefinedError{Func: fn, Reason: arm + " has no customers"}
	}
	return nil
}

// Sample summarises a continuous per-customer metric (revenue, profit) of
// one arm: N customers, the sample Mean and the unbiased sample Variance
// (divisor N-1). Customers without revenue count with 0.
type Sample struct {
	N        int64   `json:"n"`
	Mean     float64 `json:"mean"`
	Variance float64 `json:"variance"`
}

// SampleFromSums builds a Sample from the count, the sum and the sum of
// squares of the per-customer values, as a database returns them:
// mean = sum/n, variance = (sumSq - sum^2/n)/(n-1). With n = 1 the
// variance is 0 (and the Welch test will report it undefined). A variance
// that rounding makes slightly negative (|v| <= 1e-12 * sumSq/n) is set
// to 0; a clearly negative one is an error, since no data produce it.
func SampleFromSums(n int64, sum, sumSq float64) (Sample, error) {
	const fn = "SampleFromSums"
	switch {
	case n <= 0:
		return Sample{}, &InputError{Func: fn, Field: "n", Reason: "must be positive"}
	case !isFinite(sum) || !isFinite(sumSq):
		return Sample{}, &InputError{Func: fn, Field: "sum", Reason: "not finite"}
	case sumSq < 0:
		return Sample{}, &InputError{Func: fn, Field: "sumSq", Reason: "negative"}
	}
	fn64 := float64(n)
	mean := sum / fn64
	if n == 1 {
		return Sample{N: 1, Mean: mean}, nil
	}
	v := (sumSq - sum*mean) / (fn64 - 1)
	if v < 0 {
		if v < -1e-12*sumSq/fn64 {
			return Sample{}, &InputError{Func: fn, Field: "sumSq", Reason: "smaller than sum^2/n: not a sum of squares"}
		}
		v = 0
	}
	if !isFinite(v) || !isFinite(mean) {
		return Sample{}, &InputError{Func: fn, Field: "sumSq", Reason: "overflows"}
	}
	return Sample{N: n, Mean: mean, Variance: v}, nil
}

func (s Sample) check(fn, arm string) error {
	switch {
	case s.N < 0:
		return &InputError{Func: fn, Field: arm + ".N", Reason: "negative"}
	case !isFinite(s.Mean):
		return &InputError{Func: fn, Field: arm + ".Mean", Reason: "not finite"}
	case !isFinite(s.Variance) || s.Variance < 0:
		return &InputError{Func: fn, Field: arm + ".Variance", Reason: "must be finite and >= 0"}
	case s.N < 2:
		return &UndefinedError{Func: fn, Reason: arm + " has fewer than 2 customers: no sample variance"}
	}
	return nil
}

// alphaOrDefault validates a significance level (0 means DefaultAlpha).
func alphaOrDefault(fn string, alpha float64) (float64, error) {
	if alpha == 0 {
		return DefaultAlpha, nil
	}
	if !(alpha > 0 && alpha < 1) {
		return 0, &InputError{Func: fn, Field: "alpha", Reason: "must be in (0, 1)"}
	}
	return alpha, nil
}

// finiteAll reports whether all values are finite; analysis functions use
// it as a last guard so that no NaN or Inf ever leaves the package.
func finiteAll(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
