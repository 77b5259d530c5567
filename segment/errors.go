package segment

import (
	"fmt"

	"github.com/parcours-dev/parcours/internal/jsonx"
)

// The package's sentinels. Each wraps parcours.ErrInvalid, the one
// sentinel for bad input in every parcours package: test for that, and
// use these only to tell the kinds apart.
var (
	// ErrConfig is wrapped by every *[ConfigError] and every
	// ParseConfig or ParseThresholds decoding error.
	//
	// Deprecated: test errors.Is(err, parcours.ErrInvalid); errors.As
	// with *[ConfigError] or *parcours.DecodeError gives the details.
	ErrConfig = jsonx.Sentinel("segment: invalid configuration")

	// ErrEvent is wrapped by every *[EventError], so callers can test for
	// any bad event with errors.Is.
	ErrEvent = jsonx.Sentinel("segment: invalid event")

	// ErrInput is returned, wrapped with context, for bad call arguments
	// that are neither configuration nor events: a migration whose start
	// is after its end, for instance.
	//
	// Deprecated: test errors.Is(err, parcours.ErrInvalid).
	ErrInput = jsonx.Sentinel("segment: invalid input")
)

// ConfigError reports a configuration value that cannot be used.
type ConfigError struct {
	Field  string // the JSON name of the offending field, dotted ("loyalty.tiers[1].points")
	Value  string // the offending value as text, when there is one
	Reason string // what is wrong, in plain words
}

// Error names the field, the value and the reason.
func (e *ConfigError) Error() string {
	if e.Value != "" {
		return fmt.Sprintf("segment: config %s = %q: %s", e.Field, e.Value, e.Reason)
	}
	return fmt.Sprintf("segment: config %s: %s", e.Field, e.Reason)
}

// Unwrap returns [ErrConfig].
func (e *ConfigError) Unwrap() error { return ErrConfig }

// EventError reports an event whose properties cannot be read: an order
// amount that is not a number or is negative, a promo flag that is not a
// bool, an order line with a bad price or quantity, and so on. Facts are
// never computed from a timeline with such an event, since skipping it
// would silently understate the customer.
type EventError struct {
	Customer string // Profile.ID of the timeline
	EventID  string // Event.ID (may be empty)
	Type     string // Event.Type
	Prop     string // the property at fault ("amount", "items[2].price"...)
	Reason   string
	Err      error // the *parcours.PropError behind it, when the root rules found it
}

// Error names the customer, the event and the property at fault.
func (e *EventError) Error() string {
	return fmt.Sprintf("segment: customer %q, %s event %q: property %s: %s",
		e.Customer, e.Type, e.EventID, e.Prop, e.Reason)
}

// Unwrap returns [ErrEvent] and Err, so errors.As finds the
// *parcours.PropError of an order value or items rule violation.
func (e *EventError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrEvent, e.Err}
	}
	return []error{ErrEvent}
}
