package trigger

import (
	"errors"
	"fmt"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/internal/jsonx"
	"github.com/parcours-dev/parcours/internal/sandbox"
)

// ErrSpec is matched (with [errors.Is]) by every error [Spec.Compile] and
// [Parse] return for an invalid specification. It wraps
// parcours.ErrInvalid.
//
// Deprecated: test errors.Is(err, parcours.ErrInvalid), the one sentinel
// for bad input in every parcours package; errors.As with *[FieldError]
// or *parcours.DecodeError gives the details.
var ErrSpec = jsonx.Sentinel("trigger: invalid spec")

// ErrBudget is wrapped by the *[EvalError] of a "where" expression that
// spent its budget: too many operations, or too many bytes of strings
// and arrays built, in one run (see the package documentation's limits).
// It is the same error as scenario.ErrBudget.
var ErrBudget = sandbox.ErrBudget

// ErrNoMember is wrapped by the error [SegmentSpec] compilation returns when
// no membership function was supplied: a segment cannot be described in
// JSON alone, the host or the scenario package sets [SegmentSpec.Member].
var ErrNoMember = errors.New("segment membership function not set (SegmentSpec.Member is set from Go, not JSON)")

// FieldError reports an invalid field of a [Spec]. Field is the JSON path
// of the field, such as "inactivity.after"; it is empty when the whole
// document is at fault (bad JSON, no kind or several kinds set).
type FieldError struct {
	Field string // JSON path, e.g. "delay.after"
	Msg   string // what is wrong, e.g. "must be > 0"
	Err   error  // optional underlying cause
}

// Error describes the failure: "trigger: <field>: <message>[: <cause>]".
func (e *FieldError) Error() string {
	s := "trigger: "
	if e.Field != "" {
		s += e.Field + ": "
	}
	s += e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is makes every FieldError match [ErrSpec] and parcours.ErrInvalid.
func (e *FieldError) Is(target error) bool { return target == ErrSpec || target == parcours.ErrInvalid }

// Unwrap returns the underlying cause, if any.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// ZoneError reports a profile whose TimeZone is not a known IANA zone.
// Triggers refuse to compute local calendar instants in a guessed zone.
type ZoneError struct {
	Profile string // profile ID
	Zone    string // the unknown zone name
}

// Error describes the failure: the profile and the zone.
func (e *ZoneError) Error() string {
	return fmt.Sprintf("trigger: profile %q: unknown time zone %q", e.Profile, e.Zone)
}

// AttrError reports a profile attribute that a trigger needs in a given
// form (a date) and that holds something else.
type AttrError struct {
	Profile string // profile ID
	Attr    string // attribute name
	Value   any    // the offending value
	Msg     string // what was expected
}

// Error describes the failure: the profile, the attribute and its value.
func (e *AttrError) Error() string {
	return fmt.Sprintf("trigger: profile %q: attribute %q = %#v: %s", e.Profile, e.Attr, e.Value, e.Msg)
}

// EvalError reports a failure while evaluating a trigger on a timeline: a
// "where" expression that fails or does not return a bool, or a
// membership/predicate function that returned an error.
type EvalError struct {
	Trigger string // trigger kind, e.g. "event", "when"
	Event   string // ID of the event being examined, if any
	Err     error
}

// Error describes the failure: the trigger kind, the event and the cause.
func (e *EvalError) Error() string {
	if e.Event != "" {
		return fmt.Sprintf("trigger: %s: event %q: %v", e.Trigger, e.Event, e.Err)
	}
	return fmt.Sprintf("trigger: %s: %v", e.Trigger, e.Err)
}

// Unwrap returns the underlying cause.
func (e *EvalError) Unwrap() error { return e.Err }
