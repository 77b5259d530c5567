package parcours

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// Standard event types. Hosts may record any other type; these are the ones
// parcours itself gives a meaning to.
const (
	Order          = "order"           // a purchase, web or store
	CartAbandoned  = "cart_abandoned"  // a recognised customer left a cart
	Signup         = "signup"          // newsletter subscription
	AccountCreated = "account_created" // customer account opened
	StoreVisit     = "store_visit"     // identified visit in a store

	// The message lifecycle, recorded back by the host after it acted on
	// an action parcours returned. Their Channel is the messaging channel
	// (email, sms...) and their properties carry PropScenario, PropRun,
	// PropStep and PropKey copied from the action.
	MessageSent    = "message_sent"
	MessageOpened  = "message_opened"
	MessageClicked = "message_clicked"
	MessageBounced = "message_bounced" // PropHard true for a hard bounce

	// ActionDone records that the host carried out an action that is not
	// a message (a scenario's "do" step: credit points, create a promo
	// code, tag, call a webhook). Its properties are those of
	// MessageSent plus PropKind; policies do not count it as a message.
	ActionDone   = "action_done"
	Unsubscribed = "unsubscribed" // Channel empty means every channel
)

// Standard property keys. Numbers may be any Go numeric type or a JSON
// number; the accessors below convert.
const (
	PropAmount   = "amount"   // order total, in the shop's currency (see Event.Value)
	PropItems    = "items"    // order lines: a list of objects (see Event.EachItem)
	PropPrice    = "price"    // on an item: its unit price
	PropQuantity = "quantity" // on an item: how many; 1 when absent
	PropPromo    = "promo"    // bool: bought on promotion
	PropStore    = "store"    // store ID when bought or visited in store
	PropCart     = "cart"     // cart ID, on cart_abandoned and order
	PropCategory = "category" // on an item: its category or department

	PropScenario      = "scenario"      // on message events: scenario ID
	PropRun           = "run"           // on message events: run ID
	PropStep          = "step"          // on message events: step ID
	PropKey           = "key"           // on message events: idempotency key
	PropVariant       = "variant"       // on message_sent: experiment variant, when any
	PropTransactional = "transactional" // on message_sent: not marketing
	PropHard          = "hard"          // on message_bounced: hard bounce
	PropKind          = "kind"          // on action_done: the action's kind
)

// Event is one thing that happened to a customer.
//
// The zero Event is valid but carries no meaning; timelines keep it anyway,
// since dropping input silently is worse than keeping a blank.
type Event struct {
	// ID identifies the event; a timeline counts events with the same ID
	// once. It should be unique per customer.
	ID string `json:"id" expr:"id"`

	// Type is one of the constants above or a host-defined type.
	Type string `json:"type" expr:"type"`

	// Time is when it happened.
	Time time.Time `json:"time" expr:"time"`

	// Channel is where it happened: "web", "store", "app" for customer
	// actions; the messaging channel for message events.
	Channel string `json:"channel,omitempty" expr:"channel"`

	// Props are the event's properties (amount, items, promo, store...).
	Props map[string]any `json:"props,omitempty" expr:"props"`
}

// Prop returns the property named key, or nil when it is absent.
func (e Event) Prop(key string) any { return e.Props[key] }

// Float returns the property named key as a number. It accepts every Go
// numeric type, json.Number and numeric strings, and reports false for
// anything else, including NaN and infinities.
func (e Event) Float(key string) (float64, bool) { return ToFloat(e.Props[key]) }

// String returns the property named key when it is a string.
func (e Event) String(key string) (string, bool) {
	s, ok := e.Props[key].(string)
	return s, ok
}

// Bool returns the property named key when it is a bool, or the strings
// "true"/"false".
func (e Event) Bool(key string) (bool, bool) {
	switch v := e.Props[key].(type) {
	case bool:
		return v, true
	case string:
		b, err := strconv.ParseBool(v)
		return b, err == nil
	}
	return false, false
}

// ToFloat converts a property value to float64. It accepts every Go numeric
// type, json.Number and numeric strings; it reports false for anything
// else, and for NaN and infinities, which no marketing quantity can be.
func ToFloat(v any) (float64, bool) {
	var f float64
	switch n := v.(type) {
	case float64:
		f = n
	case float32:
		f = float64(n)
	case int:
		f = float64(n)
	case int8:
		f = float64(n)
	case int16:
		f = float64(n)
	case int32:
		f = float64(n)
	case int64:
		f = float64(n)
	case uint:
		f = float64(n)
	case uint8:
		f = float64(n)
	case uint16:
		f = float64(n)
	case uint32:
		f = float64(n)
	case uint64:
		f = float64(n)
	case json.Number:
		x, err := n.Float64()
		if err != nil {
			return 0, false
		}
		f = x
	case string:
		x, err := strconv.ParseFloat(n, 64)
		if err != nil {
			return 0, false
		}
		f = x
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}
