package segment

import (
	"math"
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
	start := windowStart(now, s.window, tl.Profile)
	f := Facts{
		Recency:       math.Inf(1),
		Channels:      map[string]int{},
		FirstPurchase: FirstPurchase{Days: math.Inf(1)},
	}
	var (
		times      []time.Time
		all        = newTally()
		promoN     int
		promoSpend float64
		lastAct    time.Time
		eng        = &f.Engagement
	)
	for i := range tl.Events {
		e := &tl.Events[i]
		switch e.Type {
		case parcours.MessageSent:
			eng.Sent++
			eng.SentSinceActivity++
			continue
		case parcours.MessageOpened:
			eng.Opens++
			eng.LastOpen = e.Time
		case parcours.MessageClicked:
			eng.Clicks++
			eng.LastClick = e.Time
		case parcours.Order:
			eng.LastOrder = e.Time
		default:
			continue
		}
		lastAct, eng.SentSinceActivity = e.Time, 0
		if e.Type != parcours.Order {
			continue
		}
		a, err := amount(tl, e)
		if err != nil {
			return Facts{}, err
		}
		promo, err := boolProp(tl, e, parcours.PropPromo)
		if err != nil {
			return Facts{}, err
		}
		var first tally
		if f.Frequency == 0 {
			first = newTally()
		}
		err = eachLine(tl, e, s.property, func(l line) {
			all.add(l)
			if first.spend != nil {
				first.add(l)
			}
		})
		if err != nil {
			return Facts{}, err
		}
		ch := e.Channel
		if ch == "" {
			ch = MixUnknown
		}
		if f.Frequency == 0 {
			f.FirstPurchase = FirstPurchase{Category: first.favourite(), Channel: ch, Amount: a, Promo: promo, Time: e.Time, Days: days(now.Sub(e.Time))}
		}
		f.Frequency++
		f.Monetary += a
		f.Channels[ch]++
		if promo {
			promoN++
			promoSpend += a
		}
		if inWindow(e.Time, start, now) {
			f.OrdersInWindow++
		}
		times = append(times, e.Time)
	}
	if math.IsInf(f.Monetary, 0) || math.IsInf(all.spendTotal, 0) || math.IsInf(all.itemsTotal, 0) {
		return Facts{}, &EventError{Customer: tl.Profile.ID, Type: parcours.Order, Prop: parcours.PropAmount, Reason: "total spend overflows"}
	}
	f.Stage = lifecycle(f.Frequency, f.OrdersInWindow)
	f.RFM = RFMScore{Segment: SegmentNone}
	if f.Frequency > 0 {
		last := times[len(times)-1]
		f.Recency = days(now.Sub(last))
		f.AverageBasket = f.Monetary / float64(f.Frequency)
		f.PromoShare = float64(promoN) / float64(f.Frequency)
		if f.Monetary > 0 {
			f.PromoSpendShare = promoSpend / f.Monetary
		}
		if s.thresholds != nil {
			f.RFM = s.thresholds.Score(f.Recency, f.Frequency, f.Monetary)
		}
	}
	switch len(f.Channels) {
	case 0:
	case 1:
		for ch := range f.Channels {
			f.ChannelMix = ch
		}
	default:
		f.ChannelMix = MixBoth
	}
	f.Rhythm = rhythm(times, now, s)
	f.Appetence = all.shares(s.property)
	f.Favourite = all.favourite()
	eng.DaysSinceOpen = since(eng.LastOpen, now)
	eng.DaysSinceClick = since(eng.LastClick, now)
	eng.DaysSinceOrder = since(eng.LastOrder, now)
	eng.DaysSinceActivity = since(lastAct, now)
	var err error
	if f.Loyalty, err = loyalty(tl, now, s.loyalty); err != nil {
		return Facts{}, err
	}
	return f, nil
}

// Facts is [Compute] with c: c.Facts(tl, now) == Compute(tl, now, c). It
// makes a Config the source of scenario's facts() (scenario.FactsSource).
func (c Config) Facts(tl parcours.Timeline, now time.Time) (Facts, error) {
	return Compute(tl, now, c)
}
