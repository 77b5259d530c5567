package segment

import (
	"cmp"
	"fmt"
	"iter"
	"math"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
)

// Summary is the statistics of a population at one instant: what a host
// recomputes daily to steer by.
type Summary struct {
	At        time.Time `json:"at"`         // the instant summarised
	Window    Duration  `json:"window"`     // lifecycle window used
	KPIPeriod Duration  `json:"kpi_period"` // KPI look-back used
	// Thresholds are the RFM cuts the segments were scored with:
	// Config.Thresholds when given, else computed from this population.
	Thresholds RFMThresholds `json:"thresholds"`
	// All is the whole population.
	All Stats `json:"all"`
	// SplitBy is Config.SplitBy; Groups holds one entry per distinct
	// value of that attribute (rendered as text; "" for customers
	// without it), sorted by Key. Both are empty without a split.
	SplitBy string  `json:"split_by,omitempty"`
	Groups  []Group `json:"groups,omitempty"`
}

// Group is the statistics of the customers sharing one attribute value.
type Group struct {
	Key   string `json:"key"`
	Stats Stats  `json:"stats"`
}

// Stats counts a set of customers by lifecycle stage and RFM segment and
// gives its KPIs.
type Stats struct {
	Customers int     `json:"customers"` // timelines read, prospects included
	Stages    []Count `json:"stages"`    // one per stage, in Stages() order
	Segments  []Count `json:"segments"`  // one per segment, in Segments() order; prospects are in "none"
	KPIs      KPIs    `json:"kpis"`
}

// Count is how many customers are in one stage or segment, and their
// share of Stats.Customers (0 when there are none).
type Count struct {
	Name      string  `json:"name"`
	Customers int     `json:"customers"`
	Share     float64 `json:"share"`
}

// KPIs are the business and relational indicators of a set of customers.
// Ratios with a zero denominator are 0. "In the period" means in
// (at-KPIPeriod, at].
type KPIs struct {
	Buyers int `json:"buyers"` // customers with at least one order ever
	Active int `json:"active"` // customers with an order in the lifecycle window (stages new and loyal)
	// ActiveRate is Active / Buyers: the share of customers still active.
	ActiveRate   float64 `json:"active_rate"`
	PeriodBuyers int     `json:"period_buyers"` // customers with an order in the period
	Orders       int     `json:"orders"`        // orders in the period
	Revenue      float64 `json:"revenue"`       // their total amount
	// PurchaseFrequency is Orders / PeriodBuyers.
	PurchaseFrequency float64 `json:"purchase_frequency"`
	// AverageBasket is Revenue / Orders.
	AverageBasket float64 `json:"average_basket"`
	// AnnualSpend is Revenue / PeriodBuyers scaled to 365 days:
	// the spend per active customer per year.
	AnnualSpend  float64 `json:"annual_spend"`
	EmailsSent   int     `json:"emails_sent"`   // message_sent on channel "email" in the period
	EmailsOpened int     `json:"emails_opened"` // message_opened on channel "email" in the period
	// EmailOpenRate is EmailsOpened / EmailsSent. It counts open events:
	// a host that records several opens of one message inflates it.
	EmailOpenRate float64 `json:"email_open_rate"`
}

// basics is what the population functions need from one timeline; it is
// computed without allocating.
type basics struct {
	orders, recent int
	last           time.Time
	spend          float64
	periodOrders   int
	periodSpend    float64
	sent, opened   int
}

func scan(tl *parcours.Timeline, now time.Time, s *settings) (basics, error) {
	var b basics
	periodStart, windowStart := windowStart(now, s.period, tl.Profile), windowStart(now, s.window, tl.Profile)
	for i := range tl.Events {
		e := &tl.Events[i]
		switch e.Type {
		case parcours.Order:
			a, err := amount(tl, e)
			if err != nil {
				return basics{}, err
			}
			b.orders++
			b.spend += a
			b.last = e.Time
			if e.Time.After(windowStart) { // and not after now: the timeline is canonical
				b.recent++
			}
			if e.Time.After(periodStart) {
				b.periodOrders++
				b.periodSpend += a
			}
		case parcours.MessageSent:
			if e.Channel == string(parcours.Email) && e.Time.After(periodStart) {
				b.sent++
			}
		case parcours.MessageOpened:
			if e.Channel == string(parcours.Email) && e.Time.After(periodStart) {
				b.opened++
			}
		}
	}
	if math.IsInf(b.spend, 0) {
		return basics{}, &EventError{Customer: tl.Profile.ID, Type: parcours.Order, Prop: parcours.PropAmount, Reason: "total spend overflows"}
	}
	return b, nil
}

// buyer is what is kept per customer with orders until the RFM cuts are
// known: the memory of a population run.
type buyer struct {
	recency, monetary float64
	orders            int32
	group             int32
}

// accum accumulates one Stats.
type accum struct {
	customers int
	stages    [4]int
	segments  [len(segmentNames)]int
	k         KPIs
}

func (a *accum) add(b *basics) {
	a.customers++
	a.stages[stageIndex(lifecycle(b.orders, b.recent))]++
	if b.orders > 0 {
		a.k.Buyers++
	}
	if b.recent > 0 {
		a.k.Active++
	}
	if b.periodOrders > 0 {
		a.k.PeriodBuyers++
	}
	a.k.Orders += b.periodOrders
	a.k.Revenue += b.periodSpend
	a.k.EmailsSent += b.sent
	a.k.EmailsOpened += b.opened
}

func (a *accum) stats(period time.Duration) Stats {
	st := Stats{Customers: a.customers, KPIs: a.k}
	share := func(n int) float64 { return ratio(float64(n), float64(a.customers)) }
	for i, name := range Stages() {
		st.Stages = append(st.Stages, Count{Name: name, Customers: a.stages[i], Share: share(a.stages[i])})
	}
	for i, name := range segmentNames {
		st.Segments = append(st.Segments, Count{Name: name, Customers: a.segments[i], Share: share(a.segments[i])})
	}
	k := &st.KPIs
	k.ActiveRate = ratio(float64(k.Active), float64(k.Buyers))
	k.PurchaseFrequency = ratio(float64(k.Orders), float64(k.PeriodBuyers))
	k.AverageBasket = ratio(k.Revenue, float64(k.Orders))
	k.AnnualSpend = ratio(k.Revenue, float64(k.PeriodBuyers)) * (365 * 24 * float64(time.Hour)) / float64(period)
	k.EmailOpenRate = ratio(float64(k.EmailsOpened), float64(k.EmailsSent))
	return st
}

// ratio is a/b, or 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// Summarize reads a population once and returns its statistics at now.
//
// Each timeline is read as tl.At(now) (see [Compute]); the sequence may
// reuse one Timeline value between yields, since nothing is kept from it
// but a few numbers per customer with orders (about 24 bytes) and the
// split key. RFM segments are scored against cfg.Thresholds, or, when nil,
// against the cuts of this very population (then returned in
// Summary.Thresholds). Errors (*[ConfigError], *[EventError], or
// [ErrInput] for a total that overflows) stop the run.
func Summarize(customers iter.Seq[parcours.Timeline], now time.Time, cfg Config) (Summary, error) {
	s, err := cfg.settings()
	if err != nil {
		return Summary{}, err
	}
	var (
		all     accum
		groups  []accum
		keys    []string
		index   = map[string]int32{}
		buyers  []buyer
		scanErr error
	)
	for tl := range customers {
		tl = canonical(tl, now)
		b, err := scan(&tl, now, &s)
		if err != nil {
			scanErr = err
			break
		}
		all.add(&b)
		g := int32(-1)
		if s.splitBy != "" {
			key := propText(tl.Profile.Attributes[s.splitBy])
			var ok bool
			if g, ok = index[key]; !ok {
				g = int32(len(keys))
				index[key] = g
				keys = append(keys, key)
				groups = append(groups, accum{})
			}
			groups[g].add(&b)
		}
		if b.orders > 0 {
			if b.orders > math.MaxInt32 {
				scanErr = &EventError{Customer: tl.Profile.ID, Type: parcours.Order, Reason: "too many orders"}
				break
			}
			buyers = append(buyers, buyer{recency: days(now.Sub(b.last)), monetary: b.spend, orders: int32(b.orders), group: g})
		}
	}
	if scanErr != nil {
		return Summary{}, scanErr
	}
	if math.IsInf(all.k.Revenue, 0) {
		return Summary{}, fmt.Errorf("%w: total revenue overflows", ErrInput)
	}
	th := cfg.Thresholds
	if th == nil {
		th = cutsOf(buyers, now)
	}
	prospects := func(a *accum) { a.segments[segNone] += a.customers - a.k.Buyers }
	prospects(&all)
	for i := range groups {
		prospects(&groups[i])
	}
	for _, b := range buyers {
		seg := segmentIndex(th.Score(b.recency, int(b.orders), b.monetary).Segment)
		all.segments[seg]++
		if b.group >= 0 {
			groups[b.group].segments[seg]++
		}
	}
	sum := Summary{
		At: now, Window: Duration(s.window), KPIPeriod: Duration(s.period),
		Thresholds: *th, All: all.stats(s.period), SplitBy: s.splitBy,
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
	for _, i := range order {
		sum.Groups = append(sum.Groups, Group{Key: keys[i], Stats: groups[i].stats(s.period)})
	}
	for _, st := range append([]Stats{sum.All}, groupStats(sum.Groups)...) {
		if k := st.KPIs; math.IsInf(k.AnnualSpend, 0) || math.IsInf(k.AverageBasket, 0) {
			return Summary{}, fmt.Errorf("%w: KPIs overflow", ErrInput)
		}
	}
	return sum, nil
}

// cutsOf computes the quintile cuts of the buyers.
func cutsOf(buyers []buyer, now time.Time) *RFMThresholds {
	vals := make([]float64, len(buyers))
	th := &RFMThresholds{At: now, Customers: len(buyers)}
	for i, b := range buyers {
		vals[i] = b.recency
	}
	th.Recency = quintiles(vals)
	for i, b := range buyers {
		vals[i] = float64(b.orders)
	}
	th.Frequency = quintiles(vals)
	for i, b := range buyers {
		vals[i] = b.monetary
	}
	th.Monetary = quintiles(vals)
	return th
}

// Thresholds reads a population and returns its RFM quintile cuts at now,
// the snapshot to pass in Config.Thresholds (see [RFMThresholds] for the
// method). cfg.Thresholds is ignored.
func Thresholds(customers iter.Seq[parcours.Timeline], now time.Time, cfg Config) (RFMThresholds, error) {
	cfg.Thresholds, cfg.SplitBy = nil, ""
	sum, err := Summarize(customers, now, cfg)
	if err != nil {
		return RFMThresholds{}, err
	}
	return sum.Thresholds, nil
}

func groupStats(gs []Group) []Stats {
	out := make([]Stats, len(gs))
	for i, g := range gs {
		out[i] = g.Stats
	}
	return out
}
