package scenario_test

import (
	"fmt"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

// A segment trigger loaded from JSON names a membership function the host
// registers with WithSegment.
func ExampleWithSegment() {
	sc, err := scenario.Parse([]byte(`{"id": "vip", "trigger": {"segment": {"name": "vip"}},
		"steps": [{"id": "hi", "send": {"channels": ["email"], "template": "vip-welcome"}}]}`))
	if err != nil {
		panic(err)
	}
	vip := func(tl parcours.Timeline, at time.Time) (bool, error) {
		return tl.Count(parcours.Order, time.Time{}, at) >= 2, nil
	}
	eng, err := scenario.Compile([]scenario.Scenario{sc}, scenario.WithSegment("vip", vip))
	if err != nil {
		panic(err)
	}
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{
		Profile: parcours.Profile{ID: "c1", Consent: map[parcours.Channel]bool{parcours.Email: true}},
		Events: []parcours.Event{
			{ID: "o1", Type: parcours.Order, Time: t0},
			{ID: "o2", Type: parcours.Order, Time: t0.Add(72 * time.Hour)},
		},
	}
	for _, a := range eng.Evaluate(tl, t0.Add(73*time.Hour)).Due {
		fmt.Println(a.CustomerID, a.Template, a.DueAt.Format(time.RFC3339))
	}
	// Output: c1 vip-welcome 2026-03-04T10:00:00Z
}
