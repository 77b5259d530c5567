package segment

import (
	"maps"
	"math"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
)

// acc is the pass compute makes over a customer's events, split in two:
// add takes the events one by one, oldest first, and keeps what depends
// on the events alone; facts turns that into the Facts at an instant.
// Compute runs both once; a Tracker adds the events as they come and asks
// for the facts at many instants, each costing only what is new. Being
// the same code, both give the same Facts, bit for bit: every sum adds
// the same numbers in the same order.
type acc struct {
	f          Facts // the parts that depend on the events alone
	times      []time.Time
	all        tally
	promoN     int
	promoSpend float64
	lastAct    time.Time
	err        error // the first event that could not be read: the answer from then on

	// The purchase occasions of Rhythm: the current one's start, the
	// intervals in order, their running sum and their sorted copy.
	occStart  time.Time
	occasions int
	gapSum    float64
	longest   float64
	gaps      []float64 // sorted
}

func newAcc() acc {
	return acc{
		f:   Facts{Recency: math.Inf(1), Channels: map[string]int{}, FirstPurchase: FirstPurchase{Days: math.Inf(1)}},
		all: newTally(),
	}
}

// add takes event e of tl, the next in time order.
func (a *acc) add(tl *parcours.Timeline, e *parcours.Event, s *settings) {
	if a.err != nil {
		return
	}
	f, eng := &a.f, &a.f.Engagement
	switch e.Type {
	case parcours.MessageSent:
		eng.Sent++
		eng.SentSinceActivity++
		return
	case parcours.MessageOpened:
		eng.Opens++
		eng.LastOpen = e.Time
	case parcours.MessageClicked:
		eng.Clicks++
		eng.LastClick = e.Time
	case parcours.Order:
		eng.LastOrder = e.Time
	default:
		return
	}
	a.lastAct, eng.SentSinceActivity = e.Time, 0
	if e.Type != parcours.Order {
		return
	}
	amt, err := amount(tl, e)
	if err != nil {
		a.err = err
		return
	}
	promo, err := boolProp(tl, e, parcours.PropPromo)
	if err != nil {
		a.err = err
		return
	}
	var first tally
	if f.Frequency == 0 {
		first = newTally()
	}
	err = eachLine(tl, e, s.property, func(l line) {
		a.all.add(l)
		if first.spend != nil {
			first.add(l)
		}
	})
	if err != nil {
		a.err = err
		return
	}
	ch := e.Channel
	if ch == "" {
		ch = MixUnknown
	}
	if f.Frequency == 0 {
		f.FirstPurchase = FirstPurchase{Category: first.favourite(), Channel: ch, Amount: amt, Promo: promo, Time: e.Time}
	}
	f.Frequency++
	f.Monetary += amt
	f.Channels[ch]++
	if promo {
		a.promoN++
		a.promoSpend += amt
	}
	a.times = append(a.times, e.Time)
	a.occasion(e.Time, s)
}

// occasion counts an order at t into the purchase occasions: orders
// closer than MinGap to the start of the current occasion belong to it.
func (a *acc) occasion(t time.Time, s *settings) {
	if a.occasions == 0 {
		a.occStart, a.occasions = t, 1
		return
	}
	if t.Sub(a.occStart) < s.minGap {
		return
	}
	g := days(t.Sub(a.occStart))
	a.gapSum += g
	a.longest = max(a.longest, g)
	k, _ := slices.BinarySearch(a.gaps, g)
	a.gaps = slices.Insert(a.gaps, k, g)
	a.occStart = t
	a.occasions++
}

// facts returns the Facts at now of the events added, all of tl's events
// up to now. shared says the accumulation goes on after: what the Facts
// hold of it is then copied.
func (a *acc) facts(tl *parcours.Timeline, now time.Time, s *settings, shared bool) (Facts, error) {
	if a.err != nil {
		return Facts{}, a.err
	}
	f := a.f
	if shared {
		f.Channels = maps.Clone(f.Channels)
	}
	start := windowStart(now, s.window, tl.Profile)
	// Order times are ascending: those in (start, now] are a range.
	lo, _ := slices.BinarySearchFunc(a.times, start, func(t, start time.Time) int {
		if t.After(start) {
			return 1
		}
		return -1
	})
	hi, _ := slices.BinarySearchFunc(a.times, now, func(t, now time.Time) int {
		if t.After(now) {
			return 1
		}
		return -1
	})
	f.OrdersInWindow = max(hi-lo, 0)
	if f.Frequency > 0 {
		f.FirstPurchase.Days = days(now.Sub(f.FirstPurchase.Time))
	}
	if math.IsInf(f.Monetary, 0) || math.IsInf(a.all.spendTotal, 0) || math.IsInf(a.all.itemsTotal, 0) {
		return Facts{}, &EventError{Customer: tl.Profile.ID, Type: parcours.Order, Prop: parcours.PropAmount, Reason: "total spend overflows"}
	}
	f.Stage = lifecycle(f.Frequency, f.OrdersInWindow)
	f.RFM = RFMScore{Segment: SegmentNone}
	if f.Frequency > 0 {
		last := a.times[len(a.times)-1]
		f.Recency = days(now.Sub(last))
		f.AverageBasket = f.Monetary / float64(f.Frequency)
		f.PromoShare = float64(a.promoN) / float64(f.Frequency)
		if f.Monetary > 0 {
			f.PromoSpendShare = a.promoSpend / f.Monetary
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
	f.Rhythm = a.rhythm(now, s)
	f.Appetence = a.all.shares(s.property)
	f.Favourite = a.all.favourite()
	eng := &f.Engagement
	eng.DaysSinceOpen = since(eng.LastOpen, now)
	eng.DaysSinceClick = since(eng.LastClick, now)
	eng.DaysSinceOrder = since(eng.LastOrder, now)
	eng.DaysSinceActivity = since(a.lastAct, now)
	var err error
	if f.Loyalty, err = loyalty(tl, now, s.loyalty); err != nil {
		return Facts{}, err
	}
	return f, nil
}

// rhythm returns the Rhythm at now of the occasions counted.
func (a *acc) rhythm(now time.Time, s *settings) Rhythm {
	r := Rhythm{Gap: math.Inf(1)}
	if a.occasions == 0 {
		return r
	}
	r.Occasions = a.occasions
	r.Gap = days(now.Sub(a.occStart))
	r.Intervals = len(a.gaps)
	if len(a.gaps) == 0 {
		return r
	}
	r.Longest = a.longest
	r.Mean = a.gapSum / float64(len(a.gaps))
	if n := len(a.gaps); n%2 == 1 {
		r.Cadence = a.gaps[n/2]
	} else {
		r.Cadence = (a.gaps[n/2-1] + a.gaps[n/2]) / 2
	}
	r.Ratio = r.Gap / r.Cadence
	r.DueIn = r.Cadence - r.Gap
	r.Overdue = r.Gap > r.Cadence
	r.Break = r.Intervals >= s.minIntervals && r.Gap > s.breakFactor*r.Cadence
	return r
}
