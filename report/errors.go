package report

import (
	"errors"
	"fmt"
)

// ErrConfig is wrapped by every *[ConfigError].
var ErrConfig = errors.New("report: invalid configuration")

// ErrEvent is wrapped by every *[EventError].
var ErrEvent = errors.New("report: invalid event")

// ErrInput is returned, wrapped with context, when totals overflow.
var ErrInput = errors.New("report: invalid input")

// ConfigError reports a configuration value or argument that cannot be
// used.
type ConfigError struct {
	Field  string // the JSON name of the field, or the argument
	Value  string // the offending value as text, when there is one
	Reason string
}

// Error names the field, the value and the reason.
func (e *ConfigError) Error() string {
	if e.Value != "" {
		return fmt.Sprintf("report: %s = %q: %s", e.Field, e.Value, e.Reason)
	}
	return fmt.Sprintf("report: %s: %s", e.Field, e.Reason)
}

// Unwrap returns [ErrConfig].
func (e *ConfigError) Unwrap() error { return ErrConfig }

// EventError reports an event the report cannot read, such as an order
// whose value is not a number: revenue is never computed by skipping it.
type EventError struct {
	Customer string // Profile.ID of the timeline
	EventID  string
	Err      error // what is wrong
}

// Error names the customer, the event and the problem.
func (e *EventError) Error() string {
	return fmt.Sprintf("report: customer %q, event %q: %v", e.Customer, e.EventID, e.Err)
}

// Unwrap returns [ErrEvent] and the underlying error.
func (e *EventError) Unwrap() []error { return []error{ErrEvent, e.Err} }
