package clv

import (
	"errors"
	"fmt"

	"github.com/parcours-dev/parcours/internal/jsonx"
)

// Sentinel errors. Every error this package returns wraps one of them, so
// callers can test the kind of failure with errors.Is. ErrInput and
// ErrParams wrap parcours.ErrInvalid, the one sentinel for bad input in
// every parcours package.
var (
	// ErrInput reports unusable input data: a negative or non-numeric
	// amount, a bad order line, an unknown time zone, a customer summary
	// outside its domain.
	//
	// Deprecated: test errors.Is(err, parcours.ErrInvalid).
	ErrInput = jsonx.Sentinel("clv: invalid input")

	// ErrParams reports model parameters outside their domain (not
	// positive, not finite, wrong count), an unknown model kind or a
	// model document that does not decode.
	//
	// Deprecated: test errors.Is(err, parcours.ErrInvalid); errors.As
	// with *parcours.DecodeError gives a decoding error's details.
	ErrParams = jsonx.Sentinel("clv: invalid parameters")

	// ErrNoOrders reports a timeline without any order up to the time of
	// the prediction: the customer has no birth, no model applies.
	ErrNoOrders = errors.New("clv: customer has no orders")

	// ErrFit reports a maximum-likelihood fit that did not produce a
	// usable optimum; the error is a *FitError that says why.
	ErrFit = errors.New("clv: fit failed")

	// ErrNumeric reports a quantity that could not be computed to a finite
	// value (a series that did not converge, an overflow that no
	// transformation could avoid). No NaN or Inf is ever returned instead.
	ErrNumeric = errors.New("clv: numerical failure")
)

// FitError tells why a fit failed. It wraps ErrFit.
type FitError struct {
	Kind   Kind   // the model being fitted
	Reason string // what went wrong, in words
	Err    error  // the underlying error, if any (from gonum/optimize or the data)
}

// Error implements error.
func (e *FitError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("clv: fitting %s: %s: %v", e.Kind, e.Reason, e.Err)
	}
	return fmt.Sprintf("clv: fitting %s: %s", e.Kind, e.Reason)
}

// Unwrap lets errors.Is find ErrFit and the underlying error.
func (e *FitError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrFit, e.Err}
	}
	return []error{ErrFit}
}

func inputErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInput}, args...)...)
}

func paramsErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrParams}, args...)...)
}

func numericErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrNumeric}, args...)...)
}
