package segment

import (
	"fmt"
	"math"

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
	priced   bool
}

// eachLine calls fn for every line of e's PropItems without allocating.
// Lines that are not objects, a quantity or price that is not a
// non-negative number and a list that is not a list are errors.
func eachLine(tl *parcours.Timeline, e *parcours.Event, property string, fn func(line)) error {
	raw, ok := e.Props[parcours.PropItems]
	if !ok || raw == nil {
		return nil
	}
	one := func(i int, m map[string]any) error {
		if m == nil {
			return eventErr(tl, e, fmt.Sprintf("items[%d]", i), "not an object")
		}
		q, hasQ, err := number(tl, e, m, "quantity", fmt.Sprintf("items[%d].quantity", i))
		if err != nil {
			return err
		}
		if !hasQ {
			q = 1
		}
		p, hasP, err := number(tl, e, m, "price", fmt.Sprintf("items[%d].price", i))
		if err != nil {
			return err
		}
		if math.IsInf(p*q, 0) {
			return eventErr(tl, e, fmt.Sprintf("items[%d]", i), "price x quantity overflows")
		}
		fn(line{value: propText(m[property]), spend: p * q, quantity: q, priced: hasP})
		return nil
	}
	switch v := raw.(type) {
	case []map[string]any:
		for i, m := range v {
			if err := one(i, m); err != nil {
				return err
			}
		}
	case []any:
		for i, it := range v {
			m, _ := it.(map[string]any)
			if err := one(i, m); err != nil {
				return err
			}
		}
	default:
		return eventErr(tl, e, parcours.PropItems, fmt.Sprintf("%T is not a list of objects", raw))
	}
	return nil
}

// amount returns the order total: PropAmount when present, else the sum
// of the priced lines (0 when no line has a price).
func amount(tl *parcours.Timeline, e *parcours.Event) (float64, error) {
	a, ok, err := number(tl, e, e.Props, parcours.PropAmount, parcours.PropAmount)
	if err != nil || ok {
		return a, err
	}
	sum := 0.0
	err = eachLine(tl, e, "", func(l line) { sum += l.spend })
	if err == nil && math.IsInf(sum, 0) {
		err = eventErr(tl, e, parcours.PropItems, "order total overflows")
	}
	return sum, err
}
