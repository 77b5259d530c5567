package trigger_test

import (
	"fmt"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/trigger"
)

func ExampleMoment_After() {
	paris, _ := time.LoadLocation("Europe/Paris")
	m := trigger.Moment{Weekday: "tuesday", Time: "10:00"}
	fmt.Println(m.After(at("2026-03-27T18:00:00+01:00"), paris))
	// Output: 2026-03-31 10:00:00 +0200 CEST
}

func ExampleMoment_Check() {
	fmt.Println(trigger.Moment{Time: "10:00"}.Check())
	fmt.Println(trigger.Moment{Weekday: "someday", Time: "10:00"}.Check() != nil)
	// Output:
	// <nil>
	// true
}

func ExampleParseClock() {
	hh, mm, err := trigger.ParseClock("09:30")
	fmt.Println(hh, mm, err)
	_, _, err = trigger.ParseClock("25:00")
	fmt.Println(err != nil)
	// Output:
	// 9 30 <nil>
	// true
}

func ExampleParseWeekday() {
	fmt.Println(trigger.ParseWeekday("Tuesday"))
	fmt.Println(trigger.ParseWeekday("mardi"))
	// Output:
	// Tuesday true
	// Sunday false
}

func ExampleScan() {
	s, _ := trigger.Parse([]byte(`{"event": {"types": ["order"]}}`))
	trg, _ := s.Compile()
	tl := parcours.Timeline{Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: at("2026-01-05T10:00:00Z")},
		{ID: "o2", Type: parcours.Order, Time: at("2026-03-01T10:00:00Z")},
	}}
	// Only the firings of the last 30 days: older runs are over.
	now := at("2026-03-10T00:00:00Z")
	fs, _, _, err := trigger.Scan(trg, tl, now, trigger.ScanOptions{From: now.AddDate(0, 0, -30)})
	for _, f := range fs {
		fmt.Println(f.Key, f.At.Format(time.DateOnly))
	}
	fmt.Println(err)
	// Output:
	// o2 2026-03-01
	// <nil>
}

func ExampleSpec_IsZero() {
	fmt.Println(trigger.Spec{}.IsZero(), trigger.Spec{Inactivity: &trigger.InactivitySpec{}}.IsZero())
	// Output: true false
}
