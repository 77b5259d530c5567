package parcours_test

import (
	"fmt"
	"time"

	"github.com/parcours-dev/parcours"
)

func ExampleTimeline_At() {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Events: []parcours.Event{
		{ID: "o2", Type: parcours.Order, Time: t0.Add(48 * time.Hour)},
		{ID: "o1", Type: parcours.Order, Time: t0},
		{ID: "o1", Type: parcours.Order, Time: t0},                     // a retry: counted once
		{ID: "o3", Type: parcours.Order, Time: t0.Add(96 * time.Hour)}, // after now: not yet
	}}
	for _, e := range tl.At(t0.Add(72 * time.Hour)).Events {
		fmt.Println(e.ID, e.Time.Format("Jan 2"))
	}
	// Output:
	// o1 Mar 1
	// o2 Mar 3
}

func ExampleTimeline_Sum() {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: t0, Props: map[string]any{parcours.PropAmount: 30.0}},
		{ID: "o2", Type: parcours.Order, Time: t0.Add(24 * time.Hour), Props: map[string]any{parcours.PropAmount: "12.5"}},
	}}.At(t0.Add(48 * time.Hour))
	fmt.Println(tl.Sum(parcours.Order, parcours.PropAmount, time.Time{}, t0.Add(48*time.Hour)), tl.Count(parcours.Order, t0, t0.Add(48*time.Hour)))
	// Output: 42.5 1
}

func ExampleParseDuration() {
	d, err := parcours.ParseDuration("1d12h")
	fmt.Println(d.Std(), d, err)
	_, err = parcours.ParseDuration("3 months")
	fmt.Println(err)
	// Output:
	// 36h0m0s 1d12h <nil>
	// parcours: invalid duration "3 months": unknown unit " months" (use w, d, h, m, s, ms, us, ns)
}

func ExampleToFloat() {
	for _, v := range []any{42, "19.90", true} {
		f, ok := parcours.ToFloat(v)
		fmt.Println(f, ok)
	}
	// Output:
	// 42 true
	// 19.9 true
	// 0 false
}

func ExampleProfile_Location() {
	loc, ok := parcours.Profile{TimeZone: "Pacific/Kiritimati"}.Location()
	fmt.Println(loc, ok)
	loc, ok = parcours.Profile{TimeZone: "Europe/Atlantis"}.Location()
	fmt.Println(loc, ok)
	// Output:
	// Pacific/Kiritimati true
	// UTC false
}

// LocalTime turns a customer's wall-clock time into an instant; a time
// skipped by the spring-forward change moves on by the gap.
func ExampleLocalTime() {
	paris, _ := time.LoadLocation("Europe/Paris")
	fmt.Println(parcours.LocalTime(2026, time.March, 29, 9, 0, 0, 0, paris).UTC())
	fmt.Println(parcours.LocalTime(2026, time.March, 29, 2, 30, 0, 0, paris).UTC())
	// Output:
	// 2026-03-29 07:00:00 +0000 UTC
	// 2026-03-29 01:30:00 +0000 UTC
}

// AddCalendar counts whole days on the customer's calendar: one day after
// 15:00 on the eve of the change is 15:00 again, 23 hours later.
func ExampleAddCalendar() {
	paris, _ := time.LoadLocation("Europe/Paris")
	order := time.Date(2026, 3, 28, 14, 0, 0, 0, time.UTC)
	next := parcours.AddCalendar(order, 24*time.Hour, paris)
	fmt.Println(next, next.Sub(order))
	// Output: 2026-03-29 15:00:00 +0200 CEST 23h0m0s
}

// DayNumber tells whether two instants fall on the same local day.
func ExampleDayNumber() {
	paris, _ := time.LoadLocation("Europe/Paris")
	a := time.Date(2026, 6, 1, 21, 30, 0, 0, time.UTC) // 23:30 in Paris
	b := time.Date(2026, 6, 1, 22, 30, 0, 0, time.UTC) // 00:30 the next day
	fmt.Println(parcours.DayNumber(a, paris) == parcours.DayNumber(b, paris))
	// Output: false
}

// Canonical reads a timeline without copying it when it already is
// canonical, and reports events that share an ID but are not retries.
func ExampleTimeline_Canonical() {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1"}, Events: []parcours.Event{
		{ID: "e1", Type: parcours.Order, Time: t0},
		{ID: "e1", Type: parcours.Unsubscribed, Time: t0.Add(time.Hour)}, // a different record
	}}
	view, conflicts := tl.Canonical(t0.Add(24 * time.Hour))
	for _, e := range view.Events {
		fmt.Println(e.ID, e.Type)
	}
	fmt.Println(conflicts[0])
	// Output:
	// e1 order
	// e1#2 unsubscribed
	// parcours: customer "c1": 2 different events share ID "e1" (e1 order at 2026-03-01T09:00:00Z, e1#2 unsubscribed at 2026-03-01T10:00:00Z); all kept
}

// IsCanonical tells whether a stored timeline is already in the form
// every parcours package reads.
func ExampleTimeline_IsCanonical() {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Events: []parcours.Event{{ID: "b", Time: t0}, {ID: "a", Time: t0}}}
	fmt.Println(tl.IsCanonical(t0), tl.At(t0).IsCanonical(t0))
	// Output: false true
}
