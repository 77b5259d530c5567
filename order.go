package parcours

import (
	"fmt"
	"math"
	"strconv"
)

// What an order is worth, and the items rule. Every package reads order
// lines and order values through Event.Items, Event.EachItem and
// Event.Value, so segment's monetary, scenario's sumEvents("order",
// "amount", ...) and clv's historic value agree on every order.

// Item is one order line of PropItems, read by the items rule (see
// [Event.EachItem]).
type Item struct {
	// Props is the line as recorded: "sku", "category", PropPrice,
	// PropQuantity and whatever else the host put there.
	Props map[string]any

	// Quantity is PropQuantity, or 1 when the line has none.
	Quantity float64

	// Price is the unit price PropPrice, or 0 when the line has none;
	// Priced tells the two apart.
	Price  float64
	Priced bool
}

// Value returns what the line is worth: Price × Quantity.
func (it Item) Value() float64 { return it.Price * it.Quantity }

// EachItem calls fn for every line of PropItems, in order, without
// allocating. This is the items rule, the same in every package:
//
//   - no PropItems (or nil) means no lines;
//   - PropItems must be a list ([]any or []map[string]any);
//   - every line must be an object (map[string]any);
//   - a line's PropQuantity and PropPrice, when present and not nil, must
//     be non-negative numbers in the sense of [ToFloat], and their product
//     must be finite.
//
// A line that breaks the rule is never skipped: EachItem stops and
// returns a *[PropError] naming it ("items[2]", "items[2].price"), so the
// caller can refuse the event instead of understating the customer.
func (e Event) EachItem(fn func(Item)) error {
	raw, ok := e.Props[PropItems]
	if !ok || raw == nil {
		return nil
	}
	switch v := raw.(type) {
	case []map[string]any:
		for i, m := range v {
			if err := e.item(i, m, fn); err != nil {
				return err
			}
		}
	case []any:
		for i, x := range v {
			m, _ := x.(map[string]any)
			if err := e.item(i, m, fn); err != nil {
				return err
			}
		}
	default:
		return e.propErr(PropItems, fmt.Sprintf("%T is not a list of objects", raw))
	}
	return nil
}

func (e Event) item(i int, m map[string]any, fn func(Item)) error {
	if m == nil {
		return e.propErr(itemPath(i, ""), "not an object")
	}
	it := Item{Props: m, Quantity: 1}
	q, ok, err := e.number(m, PropQuantity, i)
	if err != nil {
		return err
	}
	if ok {
		it.Quantity = q
	}
	if it.Price, it.Priced, err = e.number(m, PropPrice, i); err != nil {
		return err
	}
	if math.IsInf(it.Value(), 0) {
		return e.propErr(itemPath(i, ""), "price x quantity overflows")
	}
	fn(it)
	return nil
}

// Items returns the lines of PropItems under the items rule of
// [Event.EachItem]: nil without lines, or nil and a *[PropError] when a
// line breaks the rule.
func (e Event) Items() ([]Item, error) {
	var out []Item
	if err := e.EachItem(func(it Item) { out = append(out, it) }); err != nil {
		return nil, err
	}
	return out, nil
}

// Value returns what the event is worth, in the shop's currency. This is
// the one definition of an order's value every parcours package uses:
//
//   - PropAmount when present and not nil; it must be a non-negative
//     number in the sense of [ToFloat] (numeric strings and json.Number
//     included);
//   - otherwise the sum of its lines' Price × Quantity (lines without a
//     price add 0);
//   - 0 for an event with neither.
//
// The lines are checked by the items rule even when PropAmount is
// present: an order with a bad line is a bad order everywhere, whatever
// its amount. A bad amount or line gives 0 and a *[PropError].
//
// Value applies to any event type; a cart_abandoned event with lines is
// worth its cart.
func (e Event) Value() (float64, error) {
	a, hasAmount, err := e.number(e.Props, PropAmount, -1)
	if err != nil {
		return 0, err
	}
	sum := 0.0
	if err := e.EachItem(func(it Item) { sum += it.Value() }); err != nil {
		return 0, err
	}
	if hasAmount {
		return a, nil
	}
	if math.IsInf(sum, 0) {
		return 0, e.propErr(PropItems, "order total overflows")
	}
	return sum, nil
}

// number reads an optional non-negative number from m[key]; line i's
// property when i >= 0. Absent or nil gives (0, false, nil).
func (e Event) number(m map[string]any, key string, i int) (float64, bool, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return 0, false, nil
	}
	path := key
	if i >= 0 {
		path = itemPath(i, key)
	}
	f, ok := ToFloat(v)
	if !ok {
		return 0, false, e.propErr(path, fmt.Sprintf("%v is not a number", v))
	}
	if f < 0 {
		return 0, false, e.propErr(path, fmt.Sprintf("%v is negative", f))
	}
	return f, true, nil
}

func itemPath(i int, key string) string {
	p := PropItems + "[" + strconv.Itoa(i) + "]"
	if key != "" {
		p += "." + key
	}
	return p
}

func (e Event) propErr(prop, reason string) error {
	return &PropError{EventID: e.ID, Type: e.Type, Prop: prop, Reason: reason}
}

// PropError reports an event property that cannot be read under parcours'
// rules: an amount that is not a non-negative number, an items list that
// is not a list of objects, a line's price or quantity that is not a
// non-negative number. It wraps [ErrInvalid].
type PropError struct {
	EventID string // Event.ID (may be empty)
	Type    string // Event.Type
	Prop    string // the property at fault: "amount", "items", "items[2]", "items[2].price"
	Reason  string // what is wrong, in plain words
}

// Error names the event and the property at fault.
func (e *PropError) Error() string {
	return fmt.Sprintf("parcours: %s event %q: property %s: %s", e.Type, e.EventID, e.Prop, e.Reason)
}

// Unwrap returns [ErrInvalid].
func (e *PropError) Unwrap() error { return ErrInvalid }
