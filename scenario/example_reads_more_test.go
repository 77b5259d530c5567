package scenario_test

import (
	"fmt"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

func cartEngine() *scenario.Engine {
	eng, err := scenario.Compile([]scenario.Scenario{{
		ID: "cart", Trigger: scenario.Trigger{On: []string{parcours.CartAbandoned}},
		Exit:        []string{`event.type == "order"`},
		MaxLateness: parcours.Duration(2 * 24 * time.Hour),
		Steps: []scenario.Step{{ID: "remind", Send: &scenario.Send{
			Channels: []parcours.Channel{parcours.Email}, Template: "cart"}}},
	}})
	if err != nil {
		panic(err)
	}
	return eng
}

func ExampleReads_Slice() {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1"}, Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: now.AddDate(-3, 0, 0)}, // too old to matter
		{ID: "v1", Type: "page_view", Time: now.Add(-time.Hour)},      // never read
		{ID: "k1", Type: parcours.CartAbandoned, Time: now.Add(-2 * time.Hour)},
	}}
	for _, e := range cartEngine().Reads().Slice(tl, now).Events {
		fmt.Println(e.ID)
	}
	// Output: k1
}

func ExampleReads_Span() {
	r := cartEngine().Reads()
	fmt.Println(parcours.Duration(r.Span(parcours.Order).Back), r.Span("page_view").IsZero())
	// Output: 32d true
}

func ExampleSpan_IsZero() {
	fmt.Println(scenario.Span{}.IsZero(), scenario.Span{Prior: true}.IsZero())
	// Output: true false
}
