package segment

import (
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// TestWindowCalendarDays: the 182-day lifecycle window counts calendar
// days in the customer's zone, like the inactivity trigger, so "inactive"
// begins at the same local minute across the spring change. One order on
// 2026-01-10 at 10:00 CET (09:00Z); 182 local days later is 2026-07-11 at
// 10:00 CEST, 08:00Z (an elapsed 182*24h would end at 09:00Z).
func TestWindowCalendarDays(t *testing.T) {
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c", TimeZone: "Europe/Paris"},
		Events: []parcours.Event{{ID: "o", Type: parcours.Order, Time: time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC),
			Props: map[string]any{parcours.PropAmount: 30.0}}}}
	for _, tc := range []struct {
		at   time.Time
		want Stage
	}{
		{time.Date(2026, 7, 11, 7, 59, 0, 0, time.UTC), StageNew},
		{time.Date(2026, 7, 11, 8, 0, 0, 0, time.UTC), StageInactive},
		{time.Date(2026, 7, 11, 8, 30, 0, 0, time.UTC), StageInactive},
	} {
		f, err := Compute(tl, tc.at, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if f.Stage != tc.want {
			t.Errorf("at %s: stage %q, want %q", tc.at.Format(time.RFC3339), f.Stage, tc.want)
		}
	}
}
