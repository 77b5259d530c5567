package segment

import (
	"encoding/json"

	"github.com/parcours-dev/parcours"
)

// JSON for the types holding "never" day counts: +Inf has no JSON
// spelling, so those fields are written null and read back as +Inf
// (parcours.Days). The outer field of the same name shadows the embedded
// one in encoding/json.

// MarshalJSON writes Recency null when the customer never ordered.
func (f Facts) MarshalJSON() ([]byte, error) {
	type plain Facts
	return json.Marshal(struct {
		plain
		Recency parcours.Days `json:"recency"`
	}{plain(f), parcours.Days(f.Recency)})
}

// UnmarshalJSON reads a null Recency as +Inf.
func (f *Facts) UnmarshalJSON(b []byte) error {
	type plain Facts
	var v struct {
		*plain
		Recency parcours.Days `json:"recency"`
	}
	v.plain, v.Recency = (*plain)(f), parcours.Days(f.Recency)
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	f.Recency = float64(v.Recency)
	return nil
}

// MarshalJSON writes Days null without a first purchase.
func (p FirstPurchase) MarshalJSON() ([]byte, error) {
	type plain FirstPurchase
	return json.Marshal(struct {
		plain
		Days parcours.Days `json:"days"`
	}{plain(p), parcours.Days(p.Days)})
}

// UnmarshalJSON reads a null Days as +Inf.
func (p *FirstPurchase) UnmarshalJSON(b []byte) error {
	type plain FirstPurchase
	var v struct {
		*plain
		Days parcours.Days `json:"days"`
	}
	v.plain, v.Days = (*plain)(p), parcours.Days(p.Days)
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	p.Days = float64(v.Days)
	return nil
}

// MarshalJSON writes Gap null without orders.
func (r Rhythm) MarshalJSON() ([]byte, error) {
	type plain Rhythm
	return json.Marshal(struct {
		plain
		Gap parcours.Days `json:"gap"`
	}{plain(r), parcours.Days(r.Gap)})
}

// UnmarshalJSON reads a null Gap as +Inf.
func (r *Rhythm) UnmarshalJSON(b []byte) error {
	type plain Rhythm
	var v struct {
		*plain
		Gap parcours.Days `json:"gap"`
	}
	v.plain, v.Gap = (*plain)(r), parcours.Days(r.Gap)
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	r.Gap = float64(v.Gap)
	return nil
}

// MarshalJSON writes the never day counts null.
func (e Engagement) MarshalJSON() ([]byte, error) {
	type plain Engagement
	return json.Marshal(struct {
		plain
		Open     parcours.Days `json:"days_since_open"`
		Click    parcours.Days `json:"days_since_click"`
		Order    parcours.Days `json:"days_since_order"`
		Activity parcours.Days `json:"days_since_activity"`
	}{plain(e), parcours.Days(e.DaysSinceOpen), parcours.Days(e.DaysSinceClick), parcours.Days(e.DaysSinceOrder), parcours.Days(e.DaysSinceActivity)})
}

// UnmarshalJSON reads null day counts as +Inf.
func (e *Engagement) UnmarshalJSON(b []byte) error {
	type plain Engagement
	var v struct {
		*plain
		Open     parcours.Days `json:"days_since_open"`
		Click    parcours.Days `json:"days_since_click"`
		Order    parcours.Days `json:"days_since_order"`
		Activity parcours.Days `json:"days_since_activity"`
	}
	v.plain = (*plain)(e)
	v.Open, v.Click = parcours.Days(e.DaysSinceOpen), parcours.Days(e.DaysSinceClick)
	v.Order, v.Activity = parcours.Days(e.DaysSinceOrder), parcours.Days(e.DaysSinceActivity)
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	e.DaysSinceOpen, e.DaysSinceClick = float64(v.Open), float64(v.Click)
	e.DaysSinceOrder, e.DaysSinceActivity = float64(v.Order), float64(v.Activity)
	return nil
}
