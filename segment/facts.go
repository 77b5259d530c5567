package segment

import (
	"time"

	"github.com/parcours-dev/parcours"
)

// Facts is everything segment knows about one customer at one instant.
// Every field has an expr tag, so a scenario can read facts.stage,
// facts.rfm.segment, facts.appetence.spend.dogs... Durations are in days
// (float64); the day count of something that never happened is +Inf, as
// everywhere in parcours (see parcours.DaysSince), and JSON writes it
// null. No field is ever NaN.
type Facts struct {
	// Stage is the lifecycle stage (prospect, new, loyal, inactive).
	Stage Stage `json:"stage" expr:"stage"`
	// OrdersInWindow counts orders in (now-Window, now].
	OrdersInWindow int `json:"orders_in_window" expr:"orders_in_window"`
	// Recency is the days since the last order; +Inf (never) without orders.
	Recency float64 `json:"recency" expr:"recency"`
	// Frequency counts every order at or before now.
	Frequency int `json:"frequency" expr:"frequency"`
	// Monetary is the total spend of those orders.
	Monetary float64 `json:"monetary" expr:"monetary"`
	// AverageBasket is Monetary / Frequency; 0 without orders.
	AverageBasket float64 `json:"average_basket" expr:"average_basket"`
	// RFM holds the scores against Config.Thresholds.
	RFM RFMScore `json:"rfm" expr:"rfm"`
	// Rhythm is the customer's own purchase cadence.
	Rhythm Rhythm `json:"rhythm" expr:"rhythm"`
	// Appetence spreads purchases over Config.Property's values.
	Appetence Appetence `json:"appetence" expr:"appetence"`
	// Favourite is the value with the largest spend share (see
	// Appetence); "" when no line carries the property.
	Favourite string `json:"favourite" expr:"favourite"`
	// PromoShare is the share of orders bought on promotion (PropPromo).
	PromoShare float64 `json:"promo_share" expr:"promo_share"`
	// PromoSpendShare is the share of spend bought on promotion.
	PromoSpendShare float64 `json:"promo_spend_share" expr:"promo_spend_share"`
	// FirstPurchase describes the first order.
	FirstPurchase FirstPurchase `json:"first_purchase" expr:"first_purchase"`
	// ChannelMix is the single order channel ("web", "store", "app"...),
	// "both" when orders came through two or more channels, "" without
	// orders. An order without a channel counts as "unknown".
	ChannelMix string `json:"channel_mix" expr:"channel_mix"`
	// Channels counts orders per channel; empty, never nil.
	Channels map[string]int `json:"channels" expr:"channels"`
	// Loyalty is the loyalty programme position (Config.Loyalty).
	Loyalty LoyaltyState `json:"loyalty" expr:"loyalty"`
	// Engagement is the last open, click and order.
	Engagement Engagement `json:"engagement" expr:"engagement"`
}

// The ChannelMix values that are not a channel name.
const (
	MixBoth    = "both"    // orders on two or more channels
	MixUnknown = "unknown" // the channel of an order without one
)

// FirstPurchase is the typology of a customer's first order; every field
// is empty or zero (Days +Inf, never) without orders.
type FirstPurchase struct {
	Category string    `json:"category" expr:"category"` // its favourite value of Config.Property, by the Favourite rule
	Channel  string    `json:"channel" expr:"channel"`   // its channel ("unknown" when empty)
	Amount   float64   `json:"amount" expr:"amount"`     // its amount
	Promo    bool      `json:"promo" expr:"promo"`       // bought on promotion
	Time     time.Time `json:"time" expr:"time"`         // when
	Days     float64   `json:"days" expr:"days"`         // days since, the customer's tenure
}

// Compute returns the facts of one customer at now.
//
// tl may be in any order and hold duplicates or events after now: Compute
// works on tl.At(now) (skipping the copy when tl is already canonical), so
// callers need not normalise. cfg is validated first (*[ConfigError]); an
// event whose properties cannot be read gives an *[EventError].
func Compute(tl parcours.Timeline, now time.Time, cfg Config) (Facts, error) {
	s, err := cfg.settings()
	if err != nil {
		return Facts{}, err
	}
	tl = canonical(tl, now)
	return compute(&tl, now, &s)
}

func compute(tl *parcours.Timeline, now time.Time, s *settings) (Facts, error) {
	a := newAcc()
	for i := range tl.Events {
		a.add(tl, &tl.Events[i], s)
	}
	return a.facts(tl, now, s, false)
}

// Facts is [Compute] with c: c.Facts(tl, now) == Compute(tl, now, c). It
// makes a Config the source of scenario's facts() (scenario.FactsSource).
func (c Config) Facts(tl parcours.Timeline, now time.Time) (Facts, error) {
	return Compute(tl, now, c)
}
