package abtest

import (
	"errors"
	"fmt"

	"github.com/parcours-dev/parcours/internal/jsonx"
)

// Sentinel errors. Every error returned by this package wraps exactly one of
// them, so callers can branch with [errors.Is] and read the details with
// [errors.As] on the typed errors below. The three about bad input
// (ErrInvalidExperiment, ErrEmptyCustomerID, ErrInvalidInput) wrap
// parcours.ErrInvalid, the one sentinel for bad input in every parcours
// package.
var (
	// ErrInvalidExperiment reports an [Experiment] that fails
	// [Experiment.Validate] or cannot be parsed.
	ErrInvalidExperiment = jsonx.Sentinel("abtest: invalid experiment")
	// ErrEmptyCustomerID reports an empty customer ID passed to
	// [Experiment.Assign]: an unknown customer cannot be bucketed
	// deterministically (GrowthBook excludes empty hash values too).
	ErrEmptyCustomerID = jsonx.Sentinel("abtest: empty customer ID")
	// ErrInvalidInput reports analysis inputs that are not data at all:
	// negative counts, conversions above the sample size, NaN or infinite
	// values, a significance level outside (0, 1).
	//
	// Deprecated: test errors.Is(err, parcours.ErrInvalid).
	ErrInvalidInput = jsonx.Sentinel("abtest: invalid input")
	// ErrUndefined reports valid inputs for which the requested statistic
	// is mathematically undefined (a Welch test with n < 2, a relative
	// uplift over a zero baseline, ...). No NaN is ever returned instead.
	ErrUndefined = errors.New("abtest: statistic undefined")
	// ErrSampleRatioMismatch is returned by [SRMResult.Err] when the
	// observed traffic split contradicts the configured weights: the
	// experiment's assignment or logging is broken and no other result of
	// that experiment should be trusted.
	ErrSampleRatioMismatch = errors.New("abtest: sample ratio mismatch")
)

// ConfigError is an [Experiment] validation or parse error. It wraps
// [ErrInvalidExperiment].
type ConfigError struct {
	Field  string // JSON field name, e.g. "weights"; empty for the document
	Reason string
	Err    error // underlying error (JSON decoding), may be nil
}

// Error describes the invalid field and why.
func (e *ConfigError) Error() string {
	s := "abtest: invalid experiment"
	if e.Field != "" {
		s += ": " + e.Field
	}
	s += ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns [ErrInvalidExperiment] and the underlying error, if any.
func (e *ConfigError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrInvalidExperiment, e.Err}
	}
	return []error{ErrInvalidExperiment}
}

// InputError reports an invalid analysis input. It wraps [ErrInvalidInput].
type InputError struct {
	Func   string // analysis function, e.g. "ZTest"
	Field  string // offending input, e.g. "Treatment.Conversions"
	Reason string
}

// Error names the function, the input and the reason.
func (e *InputError) Error() string {
	return fmt.Sprintf("abtest: %s: invalid %s: %s", e.Func, e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidInput].
func (e *InputError) Unwrap() error { return ErrInvalidInput }

// UndefinedError reports a statistic that is undefined for the given
// inputs. It wraps [ErrUndefined].
type UndefinedError struct {
	Func   string // analysis function, e.g. "Welch"
	Reason string
}

// Error names the function and why the statistic does not exist.
func (e *UndefinedError) Error() string {
	return fmt.Sprintf("abtest: %s: undefined: %s", e.Func, e.Reason)
}

// Unwrap returns [ErrUndefined].
func (e *UndefinedError) Unwrap() error { return ErrUndefined }

// SRMError is returned by [SRMResult.Err] when a sample ratio mismatch is
// detected. It wraps [ErrSampleRatioMismatch].
type SRMError struct {
	PValue      float64 // chi-square p-value of the observed split
	Threshold   float64 // p-value below which a mismatch is flagged
	LeakingArms []int   // arms with zero weight that received traffic
}

// Error says loudly that the experiment's results must not be trusted.
func (e *SRMError) Error() string {
	if len(e.LeakingArms) > 0 {
		return fmt.Sprintf("abtest: sample ratio mismatch: traffic in zero-weight arms %v (p = %.3g)", e.LeakingArms, e.PValue)
	}
	return fmt.Sprintf("abtest: sample ratio mismatch: p = %.3g < %g; assignment or logging is broken, do not trust this experiment's results", e.PValue, e.Threshold)
}

// Unwrap returns [ErrSampleRatioMismatch].
func (e *SRMError) Unwrap() error { return ErrSampleRatioMismatch }
