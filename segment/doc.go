// Package segment turns a customer's timeline into the facts marketers
// target on (lifecycle stage, RFM, purchase rhythm, appetence, promo
// sensitivity, first purchase, channel mix, loyalty programme,
// engagement), and a population of timelines into the statistics they
// steer by (counts per stage and RFM segment, KPIs, stage migration).
//
//	facts, err := segment.Compute(tl, now, cfg)   // one customer
//	if facts.Stage == segment.StageInactive && facts.Favourite == "dogs" { ... }
//
//	th, err := segment.Thresholds(customers, now, cfg) // daily, population
//	cfg.Thresholds = &th                               // then per customer: facts.RFM
//	sum, err := segment.Summarize(customers, now, cfg)
//	mig, err := segment.Migrate(customers, yesterday, now, cfg)
//
// Config is data (ParseConfig reads strict JSON) and its zero value works.
// Everything is pure: now is a parameter, and the same inputs give the
// same outputs.
//
// The facts at many instants of one growing timeline (a segment trigger
// asks at every event of a history) come from a Tracker: the same answer
// as Compute at each instant, each costing the events added since the
// previous one, where computing each from nothing was quadratic in the
// history.
//
// # Semantic choices
//
// Input. Compute, Summarize and Migrate read every timeline as
// tl.At(now): events after now are ignored, order and duplicates do not
// matter. The copy At makes is skipped when the timeline is already
// canonical. An order property that is present but unusable (an amount
// that is not a non-negative number, a promo that is not a bool, items
// that are not a list of objects, a bad price or quantity) is an
// *EventError: facts are never computed by skipping data.
//
// Orders. An order's amount is parcours.Event.Value, the one rule every
// parcours package uses: PropAmount; without it, the sum of its lines'
// price x quantity (quantity 1 when absent), 0 when no line has a price.
// Lines follow the items rule of parcours.Event.EachItem: a line that is
// not an object, or a bad amount, price or quantity, is an *EventError
// (wrapping the *parcours.PropError), never skipped. Every order counts,
// whatever its amount.
//
// Lifecycle window. An order is inside the window when it happened in
// (now-Window, now], the half-open convention of parcours.Timeline.Count:
// an order exactly Window before now is outside. The default window is
// 182 days (26 weeks), the "six months" of the seed articles; Duration
// has no month unit because months differ in length.
//
// Lifecycle stage, in this order of rules:
//
//	no order at all                            -> prospect
//	no order inside the window                 -> inactive
//	exactly one order ever, inside the window  -> new
//	otherwise (>= 1 inside, >= 2 ever)         -> loyal ("loyal/active")
//
// So one old order plus one recent order is loyal (a returning customer,
// not a new one), two orders both inside the window are loyal, and a
// customer whose only order is exactly Window old is inactive.
// Facts.OrdersInWindow lets a scenario refine further.
//
// RFM. Recency is days since the last order, frequency the number of
// orders ever, monetary the total spend ever. Quintile cuts are exact
// nearest-rank order statistics over the customers with at least one
// order (see RFMThresholds), scores count the cuts passed, ties share a
// score, and the named segment comes from the R x F grid documented on
// NamedSegment. Without thresholds, or without orders, scores are 0 and
// the segment is "none".
//
// Rhythm. Orders less than Rhythm.MinGap (default one day) after the
// start of a purchase occasion belong to it. The usual cadence is the
// median interval between occasions (mean of the two middle ones for an
// even count); the rhythm is "overdue" once the gap since the last
// occasion exceeds the cadence, and "broken" once it exceeds
// BreakFactor (default 2) times the cadence, provided the customer has
// at least MinIntervals (default 2) intervals: one interval says nothing
// about a habit.
//
// Appetence. Computed on order lines, by the line property named by
// Config.Property (default "category"); lines without it are left out.
// The favourite is the value with the largest spend, then the largest
// quantity, then the alphabetically first. The first-purchase category
// applies the same rule to the first order alone.
//
// Promo. An order is on promotion when PropPromo is true; PromoShare is
// over orders, PromoSpendShare over amounts (0 when all amounts are 0).
//
// Channel mix. The channel of an order is Event.Channel, "unknown" when
// empty; ChannelMix is that channel when all orders share it, "both" when
// there are several, "" without orders.
//
// Loyalty. Points are earned per currency unit of each order (rounded
// down per order unless Fractional), per visit event, and by bonus events
// (default "points_awarded", prop "points"); redemption events (default
// "reward_redeemed") spend "points" and cashback "amount". The tier is the
// highest one whose threshold the points earned within TierPeriod reach;
// redemptions never lower it.
//
// Engagement. Last open, click and order on any channel; "days since"
// is +Inf when it never happened (see Never below); SentSinceActivity counts messages sent
// after the latest of them, the usual suppression signal.
//
// Expressions. Every Facts field has an expr tag in snake_case. Stage and
// Segment are aliases of string rather than defined types because expr
// refuses to compare a defined string type with a string literal.
//
// Never. The days since something that never happened are +Inf, the
// meaning every parcours package gives "never" (parcours.DaysSince):
// facts().recency > 90 holds for a customer who never ordered, exactly
// as daysSince("order") > 90 does, and facts().recency < 30 does not.
// Test facts().frequency > 0 to tell "never" from "long ago". JSON has no
// +Inf: Facts, Rhythm, FirstPurchase and Engagement write such a day
// count as null and read null back as +Inf (parcours.Days).
//
// Neutral values. Without orders: Recency, Rhythm.Gap and
// FirstPurchase.Days +Inf (never), every share, ratio and amount 0,
// strings "", RFM segment "none". Maps are empty, never nil. No output
// is NaN, and no output but a never day count is infinite: a total that
// overflows is an error.
//
// Population. Summarize, Thresholds and Migrate read an iter.Seq once,
// never keep events (the sequence may reuse one Timeline between yields)
// and keep at most about 24 bytes per customer with orders, for the RFM
// cuts; Migrate reads only event types and times. Shares
// are over all customers read, prospects included. KPIs, over the KPI
// period (default 365 days, (now-period, now]): active rate = customers
// with an order in the lifecycle window / customers with an order ever;
// purchase frequency = orders / customers with an order in the period;
// average basket = revenue / orders; annual spend = revenue / customers
// with an order in the period, scaled to 365 days; email open rate =
// email message_opened / email message_sent events. The optional split
// groups customers by the text of one profile attribute ("" when absent).
// Migrate counts customers with no event at or before From as prospects
// then, and reports their number as Entered.
package segment
