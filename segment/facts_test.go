package segment

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-dev/parcours"
)

// TestAlice checks every fact of one rich customer against values worked
// out by hand (see the comments) from testdata/alice.json.
func TestAlice(t *testing.T) {
	var tl parcours.Timeline
	readJSON(t, "alice.json", &tl)
	cfg := loadConfig(t)
	got, err := Compute(tl, june1, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := Facts{
		Stage:          StageLoyal, // three orders, all after 2025-12-01
		OrdersInWindow: 3,          // the 2026-06-02 order is after now
		Recency:        32,         // 2026-04-30 -> 2026-06-01
		Frequency:      3,
		Monetary:       180, // 100 + 50 + 30
		AverageBasket:  60,
		// recency 32 passes cuts 10 and 30 -> R 3; 3 orders pass 1, 2 -> F 3;
		// 180 passes 50, 100, 150 -> M 4; (R3, F3) is need_attention.
		RFM: RFMScore{R: 3, F: 3, M: 4, Segment: SegmentNeedAttention},
		// intervals 59 (Jan 1 -> Mar 1) and 60 (Mar 1 -> Apr 30) days.
		Rhythm: Rhythm{Occasions: 3, Intervals: 2, Cadence: 59.5, Mean: 59.5, Longest: 60,
			Gap: 32, Ratio: 32 / 59.5, DueIn: 27.5},
		// dogs: spend 2x30 + 3x10 = 90, 5 items; cats: 40 + 50 = 90, 2 items.
		Appetence: Appetence{Property: "category",
			Spend: map[string]float64{"dogs": 0.5, "cats": 0.5},
			Items: map[string]float64{"dogs": 5.0 / 7, "cats": 2.0 / 7}},
		Favourite:       "dogs", // spend tie, more items
		PromoShare:      1.0 / 3,
		PromoSpendShare: 100.0 / 180,
		// first order: dogs 60 vs cats 40; Jan 1 -> Jun 1 is 151 days.
		FirstPurchase: FirstPurchase{Category: "dogs", Channel: "web", Amount: 100, Promo: true,
			Time: date("2026-01-01T00:00:00Z"), Days: 151},
		ChannelMix: MixBoth,
		Channels:   map[string]int{"web": 2, "store": 1},
		// earned 180 (orders) + 10 (visit) = 190, redeemed 50; cashback
		// 5% of 180 = 9, minus 2 spent; 190 >= 100 silver, 110 short of gold.
		Loyalty: LoyaltyState{Points: 140, Earned: 190, Redeemed: 50, Visits: 1, Cashback: 7,
			Rewards: 1, TierPoints: 190, Tier: "silver", NextTier: "gold", PointsToNextTier: 110},
		// opened May 11 (21 days), never clicked, ordered Apr 30 (32 days);
		// two mails sent after the open.
		Engagement: Engagement{LastOpen: date("2026-05-11T00:00:00Z"), LastOrder: date("2026-04-30T00:00:00Z"),
			DaysSinceOpen: 21, DaysSinceClick: inf, DaysSinceOrder: 32, DaysSinceActivity: 21,
			Sent: 3, Opens: 1, SentSinceActivity: 2},
	}
	if d := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); d != "" {
		t.Errorf("facts mismatch (-want +got):\n%s", d)
	}
	golden(t, "alice.golden.json", got)
}

// TestPopulationFacts keeps the facts of every fixture customer as a
// golden file, so any change of meaning shows up in review.
func TestPopulationFacts(t *testing.T) {
	cfg := loadConfig(t)
	got := map[string]Facts{}
	for _, tl := range population(t) {
		f, err := Compute(tl, june1, cfg)
		if err != nil {
			t.Fatal(err)
		}
		got[tl.Profile.ID] = f
	}
	if got["p6-returning"].Frequency != 2 || got["p6-returning"].Stage != StageLoyal {
		t.Errorf("p6: the duplicate and the future order must not count: %+v", got["p6-returning"])
	}
	golden(t, "population-facts.golden.json", got)
}

// TestProspectNeutral spells out the documented neutral values.
func TestProspectNeutral(t *testing.T) {
	tl := timeline(parcours.Event{ID: "s", Type: parcours.Signup, Time: date("2026-01-01T00:00:00Z")})
	th := RFMThresholds{Recency: [4]float64{1, 2, 3, 4}}
	got, err := Compute(tl, june1, Config{Thresholds: &th, Loyalty: &LoyaltyRules{Tiers: []Tier{{Name: "base", Points: 0}, {Name: "gold", Points: 10}}}})
	if err != nil {
		t.Fatal(err)
	}
	want := Facts{
		Stage: StageProspect, Recency: inf,
		RFM:           RFMScore{Segment: SegmentNone},
		Rhythm:        Rhythm{Gap: inf},
		Appetence:     Appetence{Property: "category", Spend: map[string]float64{}, Items: map[string]float64{}},
		FirstPurchase: FirstPurchase{Days: inf},
		Channels:      map[string]int{},
		Loyalty:       LoyaltyState{Tier: "base", NextTier: "gold", PointsToNextTier: 10},
		Engagement:    Engagement{DaysSinceOpen: inf, DaysSinceClick: inf, DaysSinceOrder: inf, DaysSinceActivity: inf},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestLifecycle covers every boundary of the stage rules at 2026-06-01
// with the default window, whose start is exactly 2025-12-01T00:00Z.
func TestLifecycle(t *testing.T) {
	const edge = "2025-12-01T00:00:00Z"
	tests := []struct {
		name   string
		evs    []parcours.Event
		window Duration
		want   Stage
		recent int
	}{
		{"no events", nil, 0, StageProspect, 0},
		{"signup only", []parcours.Event{{ID: "s", Type: parcours.Signup, Time: date("2026-05-01T00:00:00Z")}}, 0, StageProspect, 0},
		{"cart but no order", []parcours.Event{{ID: "c", Type: parcours.CartAbandoned, Time: date("2026-05-01T00:00:00Z")}}, 0, StageProspect, 0},
		{"only order after now", []parcours.Event{order("o", "2026-06-01T00:00:01Z", 10, "web")}, 0, StageProspect, 0},
		{"one order exactly at window start", []parcours.Event{order("o", edge, 10, "web")}, 0, StageInactive, 0},
		{"one order a second inside", []parcours.Event{order("o", "2025-12-01T00:00:01Z", 10, "web")}, 0, StageNew, 1},
		{"one order a second outside", []parcours.Event{order("o", "2025-11-30T23:59:59Z", 10, "web")}, 0, StageInactive, 0},
		{"one order exactly now", []parcours.Event{order("o", "2026-06-01T00:00:00Z", 10, "web")}, 0, StageNew, 1},
		{"one old and one recent", []parcours.Event{order("a", "2025-01-01T00:00:00Z", 10, "web"), order("b", "2026-05-01T00:00:00Z", 10, "web")}, 0, StageLoyal, 1},
		{"old order at the edge and one recent", []parcours.Event{order("a", edge, 10, "web"), order("b", "2026-05-01T00:00:00Z", 10, "web")}, 0, StageLoyal, 1},
		{"two recent", []parcours.Event{order("a", "2026-01-01T00:00:00Z", 10, "web"), order("b", "2026-05-01T00:00:00Z", 10, "web")}, 0, StageLoyal, 2},
		{"two old", []parcours.Event{order("a", "2025-01-01T00:00:00Z", 10, "web"), order("b", "2025-06-01T00:00:00Z", 10, "web")}, 0, StageInactive, 0},
		{"same order recorded twice", []parcours.Event{order("a", "2026-05-01T00:00:00Z", 10, "web"), order("a", "2026-05-01T00:00:00Z", 10, "web")}, 0, StageNew, 1},
		{"two orders without IDs", []parcours.Event{order("", "2026-05-01T00:00:00Z", 10, "web"), order("", "2026-05-01T00:00:00Z", 10, "web")}, 0, StageLoyal, 2},
		{"recent order plus a future one", []parcours.Event{order("a", "2026-05-01T00:00:00Z", 10, "web"), order("b", "2026-07-01T00:00:00Z", 10, "web")}, 0, StageNew, 1},
		{"30-day window, order 40 days ago", []parcours.Event{order("a", "2026-04-22T00:00:00Z", 10, "web")}, Duration(30 * 24 * time.Hour), StageInactive, 0},
		{"30-day window, order 29 days ago", []parcours.Event{order("a", "2026-05-03T00:00:00Z", 10, "web")}, Duration(30 * 24 * time.Hour), StageNew, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Compute(timeline(tt.evs...), june1, Config{Window: tt.window})
			if err != nil {
				t.Fatal(err)
			}
			if f.Stage != tt.want || f.OrdersInWindow != tt.recent {
				t.Errorf("stage %q, %d in window; want %q, %d", f.Stage, f.OrdersInWindow, tt.want, tt.recent)
			}
		})
	}
}

// TestRhythm checks cadence, overdue and break by hand.
func TestRhythm(t *testing.T) {
	every10 := []parcours.Event{order("a", "2026-04-01T00:00:00Z", 10, "web"), order("b", "2026-04-11T00:00:00Z", 10, "web"), order("c", "2026-04-21T00:00:00Z", 10, "web")}
	tests := []struct {
		name string
		evs  []parcours.Event
		now  time.Time
		cfg  Config
		want Rhythm
	}{
		{"on time", every10, date("2026-04-26T00:00:00Z"), Config{},
			Rhythm{Occasions: 3, Intervals: 2, Cadence: 10, Mean: 10, Longest: 10, Gap: 5, Ratio: 0.5, DueIn: 5}},
		{"overdue, not broken", every10, date("2026-05-06T00:00:00Z"), Config{},
			Rhythm{Occasions: 3, Intervals: 2, Cadence: 10, Mean: 10, Longest: 10, Gap: 15, Ratio: 1.5, DueIn: -5, Overdue: true}},
		{"exactly twice the cadence is not a break", every10, date("2026-05-11T00:00:00Z"), Config{},
			Rhythm{Occasions: 3, Intervals: 2, Cadence: 10, Mean: 10, Longest: 10, Gap: 20, Ratio: 2, DueIn: -10, Overdue: true}},
		{"broken", every10, date("2026-05-16T00:00:00Z"), Config{},
			Rhythm{Occasions: 3, Intervals: 2, Cadence: 10, Mean: 10, Longest: 10, Gap: 25, Ratio: 2.5, DueIn: -15, Overdue: true, Break: true}},
		{"break factor 3", every10, date("2026-05-16T00:00:00Z"), Config{Rhythm: RhythmRules{BreakFactor: 3}},
			Rhythm{Occasions: 3, Intervals: 2, Cadence: 10, Mean: 10, Longest: 10, Gap: 25, Ratio: 2.5, DueIn: -15, Overdue: true}},
		{"one interval never breaks", every10[:2], date("2026-06-01T00:00:00Z"), Config{},
			Rhythm{Occasions: 2, Intervals: 1, Cadence: 10, Mean: 10, Longest: 10, Gap: 51, Ratio: 5.1, DueIn: -41, Overdue: true}},
		{"one interval breaks with min_intervals 1", every10[:2], date("2026-06-01T00:00:00Z"), Config{Rhythm: RhythmRules{MinIntervals: 1}},
			Rhythm{Occasions: 2, Intervals: 1, Cadence: 10, Mean: 10, Longest: 10, Gap: 51, Ratio: 5.1, DueIn: -41, Overdue: true, Break: true}},
		{"same-day orders are one occasion",
			[]parcours.Event{order("a", "2026-04-01T09:00:00Z", 10, "web"), order("b", "2026-04-01T18:00:00Z", 10, "store"), order("c", "2026-04-02T08:59:59Z", 1, "web"), order("d", "2026-04-02T09:00:00Z", 1, "web")},
			date("2026-04-03T09:00:00Z"), Config{},
			Rhythm{Occasions: 2, Intervals: 1, Cadence: 1, Mean: 1, Longest: 1, Gap: 1, Ratio: 1, DueIn: 0}},
		{"median of uneven intervals",
			[]parcours.Event{order("a", "2026-01-01T00:00:00Z", 1, ""), order("b", "2026-01-03T00:00:00Z", 1, ""), order("c", "2026-01-13T00:00:00Z", 1, ""), order("d", "2026-02-12T00:00:00Z", 1, "")},
			date("2026-02-13T00:00:00Z"), Config{},
			Rhythm{Occasions: 4, Intervals: 3, Cadence: 10, Mean: 14, Longest: 30, Gap: 1, Ratio: 0.1, DueIn: 9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Compute(timeline(tt.evs...), tt.now, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, f.Rhythm, cmpopts.EquateApprox(0, 1e-12)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestOrderReading covers amounts derived from lines, appetence on
// another property, channel mix and fractional loyalty points.
func TestOrderReading(t *testing.T) {
	lines := func(ls ...map[string]any) map[string]any { return map[string]any{parcours.PropItems: toAny(ls)} }
	e1 := parcours.Event{ID: "1", Type: parcours.Order, Time: date("2026-05-01T00:00:00Z"), Channel: "store",
		Props: lines(map[string]any{"species": "cats", "price": 12.5, "quantity": 2}, map[string]any{"species": "rodents", "price": "5"}, map[string]any{"category": "toys"})}
	e2 := parcours.Event{ID: "2", Type: parcours.Order, Time: date("2026-05-10T00:00:00Z"), Channel: "store",
		Props: map[string]any{parcours.PropAmount: 42.9, parcours.PropPromo: "true"}}
	f, err := Compute(timeline(e2, e1), june1, Config{Property: "species", Loyalty: &LoyaltyRules{PointsPerUnit: 1, CashbackRate: 0.1}})
	if err != nil {
		t.Fatal(err)
	}
	// e1: no amount, lines 25 + 5 + 0 = 30. e2: 42.9, 42 points.
	if f.Monetary != 72.9 || f.FirstPurchase.Amount != 30 {
		t.Errorf("monetary %v, first amount %v; want 72.9, 30", f.Monetary, f.FirstPurchase.Amount)
	}
	if f.Loyalty.Earned != 72 || f.Loyalty.Cashback != 7.29 {
		t.Errorf("earned %v cashback %v; want 72, 7.29", f.Loyalty.Earned, f.Loyalty.Cashback)
	}
	wantApp := Appetence{Property: "species", Spend: map[string]float64{"cats": 25.0 / 30, "rodents": 5.0 / 30}, Items: map[string]float64{"cats": 2.0 / 3, "rodents": 1.0 / 3}}
	if d := cmp.Diff(wantApp, f.Appetence, cmpopts.EquateApprox(0, 1e-12)); d != "" {
		t.Errorf("appetence (-want +got):\n%s", d)
	}
	if f.Favourite != "cats" || f.FirstPurchase.Category != "cats" || f.ChannelMix != "store" || f.PromoShare != 0.5 {
		t.Errorf("favourite %q first %q mix %q promo %v", f.Favourite, f.FirstPurchase.Category, f.ChannelMix, f.PromoShare)
	}
	g, err := Compute(timeline(e1, e2), june1, Config{Loyalty: &LoyaltyRules{PointsPerUnit: 1, Fractional: true}})
	if err != nil {
		t.Fatal(err)
	}
	if g.Loyalty.Earned != 72.9 || g.Favourite != "toys" {
		t.Errorf("fractional earned %v favourite %q; want 72.9, toys", g.Loyalty.Earned, g.Favourite)
	}
	h, err := Compute(timeline(order("a", "2026-05-01T00:00:00Z", 1, ""), order("b", "2026-05-02T00:00:00Z", 1, "app")), june1, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if h.ChannelMix != MixBoth || h.FirstPurchase.Channel != MixUnknown || h.Channels["app"] != 1 {
		t.Errorf("mix %q first channel %q", h.ChannelMix, h.FirstPurchase.Channel)
	}
}

func toAny(ls []map[string]any) []any {
	out := make([]any, len(ls))
	for i, l := range ls {
		out[i] = l
	}
	return out
}

// TestLoyaltyTiers checks tier periods, bonuses and the top tier.
func TestLoyaltyTiers(t *testing.T) {
	rules := &LoyaltyRules{PointsPerUnit: 2, TierPeriod: Duration(365 * 24 * time.Hour),
		Tiers: []Tier{{Name: "silver", Points: 100}, {Name: "gold", Points: 200}}}
	tl := timeline(
		order("old", "2025-01-01T00:00:00Z", 100, "web"), // 200 points, outside the tier period
		order("new", "2026-05-01T00:00:00Z", 60, "web"),  // 120 points
		parcours.Event{ID: "b", Type: DefaultBonusEvent, Time: date("2026-05-02T00:00:00Z"), Props: map[string]any{"points": 100}},
		parcours.Event{ID: "r", Type: DefaultRedeemEvent, Time: date("2026-05-03T00:00:00Z"), Props: map[string]any{"points": 300}},
	)
	f, err := Compute(tl, june1, Config{Loyalty: rules})
	if err != nil {
		t.Fatal(err)
	}
	want := LoyaltyState{Points: 120, Earned: 420, Redeemed: 300, Rewards: 1, TierPoints: 220, Tier: "gold"}
	if d := cmp.Diff(want, f.Loyalty); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestEventErrors: unreadable properties are typed errors naming the
// property, never silent zeros.
func TestEventErrors(t *testing.T) {
	at := date("2026-05-01T00:00:00Z")
	ev := func(props map[string]any) parcours.Event {
		return parcours.Event{ID: "x", Type: parcours.Order, Time: at, Props: props}
	}
	tests := []struct {
		name string
		e    parcours.Event
		cfg  Config
		prop string
	}{
		{"amount not a number", ev(map[string]any{"amount": "abc"}), Config{}, "amount"},
		{"negative amount", ev(map[string]any{"amount": -5}), Config{}, "amount"},
		{"promo not a bool", ev(map[string]any{"amount": 5, "promo": "maybe"}), Config{}, "promo"},
		{"items not a list", ev(map[string]any{"items": "shoes"}), Config{}, "items"},
		{"line not an object", ev(map[string]any{"items": []any{"shoes"}}), Config{}, "items[0]"},
		{"bad price", ev(map[string]any{"items": []any{map[string]any{"price": true}}}), Config{}, "items[0].price"},
		{"negative quantity", ev(map[string]any{"amount": 1, "items": []any{map[string]any{"quantity": -1}}}), Config{}, "items[0].quantity"},
		{"line total overflows", ev(map[string]any{"amount": 1, "items": []any{map[string]any{"price": 1e308, "quantity": 10}}}), Config{}, "items[0]"},
		{"derived total overflows", ev(map[string]any{"items": []any{map[string]any{"price": 1e308}, map[string]any{"price": 1e308}}}), Config{}, "items"},
		{"bad redemption", parcours.Event{ID: "r", Type: DefaultRedeemEvent, Time: at, Props: map[string]any{"points": "many"}}, Config{Loyalty: &LoyaltyRules{}}, "points"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compute(parcours.Timeline{Profile: parcours.Profile{ID: "cust"}, Events: []parcours.Event{tt.e}}, june1, tt.cfg)
			var ee *EventError
			if !errors.As(err, &ee) || !errors.Is(err, ErrEvent) {
				t.Fatalf("error %v, want an *EventError", err)
			}
			if ee.Prop != tt.prop || ee.Customer != "cust" {
				t.Errorf("prop %q customer %q, want %q, cust", ee.Prop, ee.Customer, tt.prop)
			}
		})
	}
	// The same bad event stops a population run.
	seq := func(yield func(parcours.Timeline) bool) { yield(timeline(tests[0].e)) }
	if _, err := Summarize(seq, june1, Config{}); !errors.Is(err, ErrEvent) {
		t.Errorf("Summarize error %v, want ErrEvent", err)
	}
	if _, err := Compute(timeline(), june1, Config{Window: -1}); !errors.Is(err, ErrConfig) {
		t.Errorf("negative window: %v", err)
	}
}

// TestEngagement: clicks count as activity, sends after it accumulate.
func TestEngagement(t *testing.T) {
	msg := func(id, typ, at string) parcours.Event {
		return parcours.Event{ID: id, Type: typ, Channel: "email", Time: date(at)}
	}
	tl := timeline(
		msg("s1", parcours.MessageSent, "2026-01-01T00:00:00Z"),
		msg("c1", parcours.MessageClicked, "2026-01-02T12:00:00Z"),
		msg("s2", parcours.MessageSent, "2026-03-01T00:00:00Z"),
		msg("s3", parcours.MessageSent, "2026-04-01T00:00:00Z"),
		msg("o1", parcours.MessageOpened, "2025-12-01T00:00:00Z"),
		msg("b1", parcours.MessageBounced, "2026-04-02T00:00:00Z"),
	)
	f, err := Compute(tl, june1, Config{})
	if err != nil {
		t.Fatal(err)
	}
	// Jan 1 -> Jun 1 is 151 days, so Jan 2 12:00 is 149.5; Dec 1 -> Jun 1 is 182.
	want := Engagement{LastOpen: date("2025-12-01T00:00:00Z"), LastClick: date("2026-01-02T12:00:00Z"),
		DaysSinceOpen: 182, DaysSinceClick: 149.5, DaysSinceOrder: inf, DaysSinceActivity: 149.5,
		Sent: 3, Opens: 1, Clicks: 1, SentSinceActivity: 2}
	if d := cmp.Diff(want, f.Engagement); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if f.Stage != StageProspect {
		t.Errorf("messages alone make stage %q, want prospect", f.Stage)
	}
}
