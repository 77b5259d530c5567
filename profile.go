package parcours

import "time"

// Channel is a messaging channel a scenario can send on.
//
// The five standard channels are declared as constants; a host may use
// others (for example "whatsapp"): a Channel is just a name. It is an
// alias of string, not a distinct type, so that marketers' expressions
// can write profile.consent["email"] (expr does not convert a string
// literal to a named string type).
type Channel = string

// The standard messaging channels.
const (
	Email   Channel = "email"
	SMS     Channel = "sms"
	Push    Channel = "push"    // mobile app push
	WebPush Channel = "webpush" // browser push
	Postal  Channel = "postal"
)

// Profile is what a host knows about one customer outside the events.
//
// The zero Profile is valid: a customer with no attributes, no consent and
// times interpreted in UTC.
type Profile struct {
	// ID identifies the customer across web, store and app.
	ID string `json:"id" expr:"id"`

	// Attributes are free facts about the customer: "birthday",
	// "species", "department", "loyalty_member", "store"... Values are
	// what JSON decodes to (string, float64, bool, nil, []any,
	// map[string]any) or any Go value the host puts there.
	Attributes map[string]any `json:"attributes,omitempty" expr:"attributes"`

	// TimeZone is the customer's IANA time zone ("Europe/Paris"). Empty
	// means UTC. Local-time rules (birthdays, quiet hours) use it.
	TimeZone string `json:"time_zone,omitempty" expr:"time_zone"`

	// Consent records the customer's marketing opt-in per channel. A
	// channel absent from the map has no opt-in.
	Consent map[Channel]bool `json:"consent,omitempty" expr:"consent"`
}

// Attr returns the attribute named key, or nil when it is absent.
func (p Profile) Attr(key string) any { return p.Attributes[key] }

// Location returns the profile's time zone. An empty or unknown zone gives
// UTC and, for an unknown one, ok false, so callers can report it.
//
// "Local" is refused like an unknown zone: it names the zone of whatever
// machine runs the evaluation, so a birthday would be due at 10:00Z on
// one server and 15:00Z on another.
func (p Profile) Location() (loc *time.Location, ok bool) {
	switch p.TimeZone {
	case "":
		return time.UTC, true
	case "Local":
		return time.UTC, false
	}
	l, err := loadLocation(p.TimeZone)
	if err != nil {
		return time.UTC, false
	}
	return l, true
}
