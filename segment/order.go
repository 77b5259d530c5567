package segment

import (
	"errors"
	"fmt"

	"github.com/parcours-dev/parcours"
)

// Reading order events. Every property the facts use is checked: a value
// that is present but unusable is an *EventError, never a silent zero.

// eventErr builds the EventError for property prop of e.
func eventErr(tl *parcours.Timeline, e *parcours.Event, prop, reason string) error {
	return &EventError{Customer: tl.Profile.ID, EventID: e.ID, Type: e.Type, Prop: prop, Reason: reason}
}

// number reads an optional non-negative number: absent or nil gives
// (0, false, nil).
func number(tl *parcours.Timeline, e *parcours.Event, m map[string]any, key, name string) (float64, bool, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return 0, false, nil
	}
	f, ok := parcours.ToFloat(v)
	if !ok {
		return 0, false, eventErr(tl, e, name, fmt.Sprintf("%v is not a number", v))
	}
	if f < 0 {
		return 0, false, eventErr(tl, e, name, fmt.Sprintf("%v is negative", f))
	}
	return f, true, nil
}

// boolProp reads an optional bool property (absent or nil is false).
func boolProp(tl *parcours.Timeline, e *parcours.Event, key string) (bool, error) {
	v, ok := e.Props[key]
	if !ok || v == nil {
		return false, nil
	}
	b, ok := e.Bool(key)
	if !ok {
		return false, eventErr(tl, e, key, fmt.Sprintf("%v is not a bool", v))
	}
	return b, nil
}

// line is one order line as the facts see it.
type line struct {
	value    string  // the appetence property's value, "" when absent
	spend    float64 // price x quantity, 0 without a price
	quantity float64 // 1 when absent
}

// eachLine calls fn for every line of e's PropItems, under the items rule
// of parcours.Event.EachItem: a bad line is an *EventError, never skipped.
func eachLine(tl *parcours.Timeline, e *parcours.Event, property string, fn func(line)) error {
	err := e.EachItem(func(it parcours.Item) {
		fn(line{value: propText(it.Props[property]), spend: it.Value(), quantity: it.Quantity})
	})
	return wrapProp(tl, err)
}

// amount returns what order e is worth: parcours.Event.Value.
func amount(tl *parcours.Timeline, e *parcours.Event) (float64, error) {
	a, err := e.Value()
	return a, wrapProp(tl, err)
}

// wrapProp turns the root package's *parcours.PropError into an
// *EventError naming the customer; it keeps the PropError in the chain.
func wrapProp(tl *parcours.Timeline, err error) error {
	if err == nil {
		// Before errors.As, whose target escapes: no allocation per order.
		return nil
	}
	var pe *parcours.PropError
	if !errors.As(err, &pe) {
		return err
	}
	return &EventError{Customer: tl.Profile.ID, EventID: pe.EventID, Type: pe.Type, Prop: pe.Prop, Reason: pe.Reason, Err: pe}
}
