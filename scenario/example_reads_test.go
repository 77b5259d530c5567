package scenario_test

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

// A host with years of history per customer loads only what the Engine
// reads: here, abandoned carts and orders of the horizon, the runs' sends,
// and the channel events of all time. A run lasts at most 32 days: its
// send may go out up to 2 days late and is reported 30 more days.
func ExampleEngine_Reads() {
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
	r := eng.Reads()
	for _, typ := range slices.Sorted(maps.Keys(r.Types)) {
		s := r.Types[typ]
		back := "all time"
		if s.Back != scenario.Forever {
			back = parcours.Duration(s.Back).String()
		}
		fmt.Printf("%-15s %s\n", typ, back)
	}
	fmt.Println("other types read:", !r.Other.IsZero())

	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1"}, Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: now.AddDate(-3, 0, 0)},
		{ID: "v1", Type: "page_view", Time: now.Add(-time.Hour)},
		{ID: "c1", Type: parcours.CartAbandoned, Time: now.Add(-2 * time.Hour)},
	}}
	for _, e := range r.Slice(tl, now).Events {
		fmt.Println("loaded", e.ID)
	}
	// Output:
	// cart_abandoned  32d
	// message_bounced all time
	// message_clicked all time
	// message_opened  all time
	// message_sent    32d
	// order           32d
	// signup          all time
	// unsubscribed    all time
	// other types read: false
	// loaded c1
}
