package trigger_test

import (
	"fmt"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/trigger"
)

// A Monday 10:00 newsletter fires at 10:00 on each customer's own clock,
// before and after the October change in Paris.
func ExampleScheduleSpec() {
	t, err := trigger.Spec{Schedule: &trigger.ScheduleSpec{
		Every: "week", Weekday: "monday", Time: "10:00", From: "2026-10-19",
	}}.Compile()
	if err != nil {
		panic(err)
	}
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1", TimeZone: "Europe/Paris"}}
	fs, _ := t.Firings(tl, time.Date(2026, 10, 27, 0, 0, 0, 0, time.UTC))
	for _, f := range fs {
		fmt.Println(f.Key, f.At.UTC().Format(time.RFC3339))
	}
	// Output:
	// schedule:2026-10-19T10:00 2026-10-19T08:00:00Z
	// schedule:2026-10-26T10:00 2026-10-26T09:00:00Z
}
