package segment_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/segment"
)

func buy(id, day string, amount float64, channel string, items ...map[string]any) parcours.Event {
	t, _ := time.Parse(time.DateOnly, day)
	props := map[string]any{parcours.PropAmount: amount}
	if len(items) > 0 {
		props[parcours.PropItems] = items
	}
	return parcours.Event{ID: id, Type: parcours.Order, Time: t, Channel: channel, Props: props}
}

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func customers() []parcours.Timeline {
	return []parcours.Timeline{
		{Profile: parcours.Profile{ID: "ann"}, Events: []parcours.Event{
			buy("a1", "2026-02-01", 40, "web", map[string]any{"category": "dogs", "price": 40.0}),
			buy("a2", "2026-03-01", 25, "store", map[string]any{"category": "cats", "price": 25.0}),
			buy("a3", "2026-04-01", 35, "web", map[string]any{"category": "dogs", "price": 35.0}),
		}},
		{Profile: parcours.Profile{ID: "bob"}, Events: []parcours.Event{buy("b1", "2025-03-10", 80, "store")}},
		{Profile: parcours.Profile{ID: "cat"}, Events: []parcours.Event{buy("c1", "2026-05-20", 15, "app")}},
		{Profile: parcours.Profile{ID: "dan"}, Events: []parcours.Event{
			{ID: "s", Type: parcours.Signup, Time: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}}},
	}
}

func ExampleCompute() {
	tl := customers()[0]
	f, err := segment.Compute(tl, now, segment.Config{
		Loyalty: &segment.LoyaltyRules{PointsPerUnit: 1, Tiers: []segment.Tier{{Name: "silver", Points: 50}, {Name: "gold", Points: 200}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stage:", f.Stage, "recency:", f.Recency, "frequency:", f.Frequency, "monetary:", f.Monetary)
	fmt.Println("favourite:", f.Favourite, "channels:", f.ChannelMix, "first:", f.FirstPurchase.Category)
	fmt.Println("cadence:", f.Rhythm.Cadence, "break:", f.Rhythm.Break)
	fmt.Println("tier:", f.Loyalty.Tier, "to next:", f.Loyalty.PointsToNextTier)
	// Output:
	// stage: loyal recency: 61 frequency: 3 monetary: 100
	// favourite: dogs channels: both first: dogs
	// cadence: 29.5 break: true
	// tier: silver to next: 100
}

func ExampleThresholds() {
	th, err := segment.Thresholds(slices.Values(customers()), now, segment.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("buyers:", th.Customers, "recency cuts:", th.Recency)
	f, _ := segment.Compute(customers()[2], now, segment.Config{Thresholds: &th})
	fmt.Printf("cat: R%d F%d M%d %s\n", f.RFM.R, f.RFM.F, f.RFM.M, f.RFM.Segment)
	// Output:
	// buyers: 3 recency cuts: [12 61 61 448]
	// cat: R5 F1 M1 new_customers
}

func ExampleSummarize() {
	sum, err := segment.Summarize(slices.Values(customers()), now, segment.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range sum.All.Stages {
		fmt.Printf("%s %d\n", c.Name, c.Customers)
	}
	k := sum.All.KPIs
	fmt.Printf("active rate %.2f, frequency %.2f, basket %.2f, annual spend %.2f\n",
		k.ActiveRate, k.PurchaseFrequency, k.AverageBasket, k.AnnualSpend)
	// Output:
	// prospect 1
	// new 1
	// loyal 1
	// inactive 1
	// active rate 0.67, frequency 2.00, basket 28.75, annual spend 57.50
}

func ExampleMigrate() {
	m, err := segment.Migrate(slices.Values(customers()), now.AddDate(0, -4, 0), now, segment.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("new -> loyal:", m.Moved(segment.StageNew, segment.StageLoyal))
	fmt.Println("inactive -> inactive:", m.Moved(segment.StageInactive, segment.StageInactive))
	fmt.Println("prospect -> new:", m.Moved(segment.StageProspect, segment.StageNew), "entered:", m.Entered)
	// Output:
	// new -> loyal: 1
	// inactive -> inactive: 1
	// prospect -> new: 1 entered: 2
}

func ExampleParseConfig() {
	cfg, err := segment.ParseConfig([]byte(`{"window": "90d", "property": "species",
		"loyalty": {"points_per_unit": 1, "tiers": [{"name": "gold", "points": 500}]}}`))
	fmt.Println(cfg.Window, cfg.Property, cfg.Loyalty.Tiers[0].Name, err)
	_, err = segment.ParseConfig([]byte(`{"window": "6mo"}`))
	fmt.Println(err)
	// Output:
	// 90d species gold <nil>
	// segment: invalid configuration: json line 1, column 12: window: parcours: invalid duration "6mo": unknown unit "mo" (use w, d, h, m, s, ms, us, ns)
}

func ExampleParseThresholds() {
	th, err := segment.ParseThresholds([]byte(`{"at": "2026-06-01T00:00:00Z", "customers": 1000,
		"recency": [10, 30, 60, 120], "frequency": [1, 2, 3, 5], "monetary": [50, 100, 150, 400]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%+v\n", th.Score(45, 4, 120))
	// Output:
	// {R:3 F:4 M:3 Segment:loyal}
}

func ExampleNamedSegment() {
	fmt.Println(segment.NamedSegment(5, 5), segment.NamedSegment(1, 4), segment.NamedSegment(3, 3))
	// Output:
	// champions at_risk need_attention
}
