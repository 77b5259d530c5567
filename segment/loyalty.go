package segment

import (
	"fmt"
	"math"
	"time"

	"github.com/parcours-dev/parcours"
)

// Default loyalty event types.
const (
	DefaultRedeemEvent = "reward_redeemed" // props: "points" spent, "amount" of cashback spent
	DefaultBonusEvent  = "points_awarded"  // props: "points" granted outside orders
)

// LoyaltyRules describe a loyalty programme as data, covering the usual
// mechanics: points per currency unit, points per visit, cashback, and
// tiers on points earned. The programme's history is read from the
// timeline, so no balance is stored anywhere else.
type LoyaltyRules struct {
	// PointsPerUnit is the points earned per currency unit of an order's
	// amount (1 for "1 EUR = 1 point").
	PointsPerUnit float64 `json:"points_per_unit,omitempty"`

	// Fractional keeps fractional order points; by default each order's
	// points are rounded down to a whole number (42.90 EUR gives 42).
	Fractional bool `json:"fractional,omitempty"`

	// PointsPerVisit is the points earned per visit.
	PointsPerVisit float64 `json:"points_per_visit,omitempty"`

	// VisitEvents are the event types counted as visits; empty means
	// ["store_visit"]. Each event is one visit: the host records one per
	// visit.
	VisitEvents []string `json:"visit_events,omitempty"`

	// CashbackRate is the share of each order's amount credited to the
	// cashback balance ("cagnottage"), between 0 and 1.
	CashbackRate float64 `json:"cashback_rate,omitempty"`

	// Tiers are the status levels, by increasing threshold of points
	// earned (redemptions do not lower a tier).
	Tiers []Tier `json:"tiers,omitempty"`

	// TierPeriod is how far back earned points count towards a tier:
	// (now-TierPeriod, now]. Zero means since the first event.
	TierPeriod Duration `json:"tier_period,omitempty"`

	// RedeemEvent is the event type of a reward redemption; empty means
	// "reward_redeemed". Its "points" property (optional, non-negative)
	// is deducted from the points balance and its "amount" property
	// (optional, non-negative) from the cashback balance.
	RedeemEvent string `json:"redeem_event,omitempty"`

	// BonusEvent is the event type of points granted outside orders and
	// visits (welcome bonus, birthday, referral); empty means
	// "points_awarded". Its "points" property counts as earned.
	BonusEvent string `json:"bonus_event,omitempty"`
}

// Tier is one status level of a loyalty programme.
type Tier struct {
	Name   string  `json:"name"`   // "silver", "gold"...
	Points float64 `json:"points"` // earned points needed to reach it
}

// Validate reports every unusable rule, each a *[ConfigError] (joined
// when there are several, as Config.Validate).
func (r LoyaltyRules) Validate() error {
	var p problems
	for _, f := range []struct {
		name string
		v    float64
	}{{"points_per_unit", r.PointsPerUnit}, {"points_per_visit", r.PointsPerVisit}, {"cashback_rate", r.CashbackRate}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 {
			p.add(&ConfigError{Field: "loyalty." + f.name, Value: fmt.Sprint(f.v), Reason: "must be finite and non-negative"})
		}
	}
	if r.CashbackRate > 1 && !math.IsInf(r.CashbackRate, 0) {
		p.add(&ConfigError{Field: "loyalty.cashback_rate", Value: fmt.Sprint(r.CashbackRate), Reason: "must be at most 1"})
	}
	if r.TierPeriod < 0 {
		p.add(&ConfigError{Field: "loyalty.tier_period", Value: r.TierPeriod.String(), Reason: "must not be negative"})
	}
	for i, v := range r.VisitEvents {
		if v == "" {
			p.add(&ConfigError{Field: fmt.Sprintf("loyalty.visit_events[%d]", i), Reason: "empty event type"})
		}
	}
	names := map[string]bool{}
	for i, t := range r.Tiers {
		field := fmt.Sprintf("loyalty.tiers[%d]", i)
		if t.Name == "" {
			p.add(&ConfigError{Field: field + ".name", Reason: "empty tier name"})
		} else if names[t.Name] {
			p.add(&ConfigError{Field: field + ".name", Value: t.Name, Reason: "duplicate tier name"})
		}
		names[t.Name] = true
		if math.IsNaN(t.Points) || math.IsInf(t.Points, 0) || t.Points < 0 {
			p.add(&ConfigError{Field: field + ".points", Value: fmt.Sprint(t.Points), Reason: "must be finite and non-negative"})
		} else if i > 0 && t.Points <= r.Tiers[i-1].Points {
			p.add(&ConfigError{Field: field + ".points", Value: fmt.Sprint(t.Points), Reason: "tier thresholds must increase strictly"})
		}
	}
	redeem, bonus := r.events()
	if redeem == bonus || redeem == parcours.Order || bonus == parcours.Order {
		p.add(&ConfigError{Field: "loyalty.redeem_event", Value: redeem, Reason: "redeem, bonus and order event types must differ"})
	}
	return p.err()
}

func (r LoyaltyRules) events() (redeem, bonus string) {
	redeem, bonus = r.RedeemEvent, r.BonusEvent
	if redeem == "" {
		redeem = DefaultRedeemEvent
	}
	if bonus == "" {
		bonus = DefaultBonusEvent
	}
	return redeem, bonus
}

// LoyaltyState is a customer's loyalty programme position, replayed from
// the timeline. Without a programme (Config.Loyalty nil) every field is
// zero or empty.
type LoyaltyState struct {
	Points           float64 `json:"points" expr:"points"`                           // balance: earned minus redeemed (negative if the host redeemed points the timeline never shows earned)
	Earned           float64 `json:"earned" expr:"earned"`                           // points ever earned (orders, visits, bonuses)
	Redeemed         float64 `json:"redeemed" expr:"redeemed"`                       // points ever redeemed
	Visits           int     `json:"visits" expr:"visits"`                           // visit events
	Cashback         float64 `json:"cashback" expr:"cashback"`                       // cashback balance: credited minus spent
	Rewards          int     `json:"rewards" expr:"rewards"`                         // redemption events
	TierPoints       float64 `json:"tier_points" expr:"tier_points"`                 // points earned within the tier period
	Tier             string  `json:"tier" expr:"tier"`                               // highest tier reached, "" below the first
	NextTier         string  `json:"next_tier" expr:"next_tier"`                     // the tier above, "" at the top
	PointsToNextTier float64 `json:"points_to_next_tier" expr:"points_to_next_tier"` // 0 at the top
}

// loyalty replays the programme over a canonical timeline.
func loyalty(tl *parcours.Timeline, now time.Time, r *LoyaltyRules) (LoyaltyState, error) {
	var st LoyaltyState
	if r == nil {
		return st, nil
	}
	redeem, bonus := r.events()
	visits := r.VisitEvents
	if len(visits) == 0 {
		visits = []string{parcours.StoreVisit}
	}
	tierStart := windowStart(now, time.Duration(r.TierPeriod), tl.Profile)
	counts := func(t time.Time) bool {
		return r.TierPeriod == 0 || t.After(tierStart)
	}
	earn := func(t time.Time, p float64) {
		st.Earned += p
		if counts(t) {
			st.TierPoints += p
		}
	}
	for i := range tl.Events {
		e := &tl.Events[i]
		for _, v := range visits {
			if e.Type == v {
				st.Visits++
				earn(e.Time, r.PointsPerVisit)
				break
			}
		}
		switch e.Type {
		case parcours.Order:
			a, err := amount(tl, e)
			if err != nil {
				return LoyaltyState{}, err
			}
			p := a * r.PointsPerUnit
			if !r.Fractional {
				p = math.Floor(p)
			}
			earn(e.Time, p)
			st.Cashback += a * r.CashbackRate
		case redeem:
			p, _, err := number(tl, e, e.Props, "points", "points")
			if err != nil {
				return LoyaltyState{}, err
			}
			c, _, err := number(tl, e, e.Props, "amount", "amount")
			if err != nil {
				return LoyaltyState{}, err
			}
			st.Rewards++
			st.Redeemed += p
			st.Cashback -= c
		case bonus:
			p, _, err := number(tl, e, e.Props, "points", "points")
			if err != nil {
				return LoyaltyState{}, err
			}
			earn(e.Time, p)
		}
	}
	st.Points = st.Earned - st.Redeemed
	for _, t := range r.Tiers {
		if st.TierPoints >= t.Points {
			st.Tier = t.Name
			continue
		}
		st.NextTier = t.Name
		st.PointsToNextTier = t.Points - st.TierPoints
		break
	}
	if math.IsInf(st.Earned, 0) || math.IsInf(st.Cashback, 0) || math.IsInf(st.Points, 0) || math.IsNaN(st.Points) || math.IsNaN(st.Cashback) {
		return LoyaltyState{}, &EventError{Customer: tl.Profile.ID, Type: parcours.Order, Prop: parcours.PropAmount, Reason: "loyalty totals overflow"}
	}
	return st, nil
}
