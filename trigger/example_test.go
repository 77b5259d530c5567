package trigger_test

import (
	"fmt"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/trigger"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// print lists the firings and the next instant of trg on tl at now.
func print(spec string, tl parcours.Timeline, now time.Time) {
	s, err := trigger.Parse([]byte(spec))
	if err != nil {
		fmt.Println(err)
		return
	}
	trg, err := s.Compile()
	if err != nil {
		fmt.Println(err)
		return
	}
	show(trg, tl, now)
}

func show(trg trigger.Trigger, tl parcours.Timeline, now time.Time) {
	tl = tl.At(now)
	fs, err := trg.Firings(tl, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range fs {
		fmt.Printf("%s %s: %s\n", f.At.UTC().Format(time.RFC3339), f.Key, f.Reason)
	}
	if next, ok, err := trg.Next(tl, now); err != nil {
		fmt.Println(err)
	} else if ok {
		fmt.Println("next:", next.UTC().Format(time.RFC3339))
	} else {
		fmt.Println("next: none")
	}
}

func ExampleParse() {
	s, err := trigger.Parse([]byte(`{"inactivity": {"after": "90d"}}`))
	fmt.Println(s.Inactivity.After, err)
	_, err = trigger.Parse([]byte(`{"inactivity": {"after": "90d", "dayz": 1}}`))
	fmt.Println(err)
	// Output:
	// 90d <nil>
	// trigger: bad JSON: json line 1, column 33: inactivity.dayz: unknown field "dayz"
}

func ExampleSpec_Compile() {
	s := trigger.Spec{Inactivity: &trigger.InactivitySpec{}}
	_, err := s.Compile()
	fmt.Println(err)
	// Output: trigger: inactivity.after: must be > 0, got 0s
}

// Welcome on signup or account creation; a reminder for an abandoned cart
// unless it was ordered.
func ExampleEventSpec() {
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1", TimeZone: "Europe/Paris"}, Events: []parcours.Event{
		{ID: "s1", Type: parcours.Signup, Time: at("2026-03-01T10:00:00Z")},
		{ID: "k1", Type: parcours.CartAbandoned, Time: at("2026-03-02T10:00:00Z"), Props: map[string]any{"cart": "A"}},
		{ID: "k2", Type: parcours.CartAbandoned, Time: at("2026-03-03T10:00:00Z"), Props: map[string]any{"cart": "B"}},
		{ID: "o1", Type: parcours.Order, Time: at("2026-03-03T11:00:00Z"), Props: map[string]any{"cart": "B"}},
	}}
	now := at("2026-03-04T00:00:00Z")
	print(`{"event": {"types": ["signup", "account_created"]}}`, tl, now)
	print(`{"event": {"types": ["cart_abandoned"]}}`, tl, now)
	// Output:
	// 2026-03-01T10:00:00Z s1: signup s1
	// next: none
	// 2026-03-02T10:00:00Z k1: cart_abandoned k1
	// next: none
}

// A satisfaction survey three days after each in-store purchase; the
// firing keeps the order, so the message can name the store.
func ExampleDelaySpec() {
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1", TimeZone: "Europe/Paris"}, Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Channel: "store", Time: at("2026-03-27T15:00:00+01:00"), Props: map[string]any{"store": "Lyon"}},
		{ID: "o2", Type: parcours.Order, Channel: "web", Time: at("2026-03-28T15:00:00+01:00")},
	}}
	print(`{"delay": {"types": ["order"], "after": "3d", "where": "event.channel == \"store\""}}`, tl, at("2026-04-01T00:00:00Z"))
	// Output:
	// 2026-03-30T13:00:00Z o1: 3d after order o1
	// next: none
}

// A birthday message at 09:00 local time a week before; 29 February
// births are celebrated on 28 February in other years. Birthdays before
// the customer's first event are not replayed.
func ExampleAnniversarySpec() {
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1", TimeZone: "Europe/Paris",
		Attributes: map[string]any{"birthday": "2000-02-29"}},
		Events: []parcours.Event{{ID: "s1", Type: parcours.Signup, Time: at("2022-06-01T10:00:00Z")}}}
	print(`{"anniversary": {"attribute": "birthday", "at": "09:00", "offset": "-7d"}}`, tl, at("2025-01-01T00:00:00Z"))
	// Output:
	// 2023-02-21T08:00:00Z anniversary:2023: anniversary 23 of birthday 2000-02-29
	// 2024-02-22T08:00:00Z anniversary:2024: anniversary 24 of birthday 2000-02-29
	// next: 2025-02-21T08:00:00Z
}

// The 90-day lapsed customer: once per lapse, again after a comeback.
func ExampleInactivitySpec() {
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1", TimeZone: "Europe/Paris"}, Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: at("2026-01-02T10:00:00+01:00")},
		{ID: "o2", Type: parcours.Order, Time: at("2026-05-01T10:00:00+02:00")},
	}}
	print(`{"inactivity": {"after": "90d"}}`, tl, at("2026-06-01T00:00:00Z"))
	// Output:
	// 2026-04-02T08:00:00Z inactivity:o1: no order for 90d since 2026-01-02
	// next: 2026-07-30T08:00:00Z
}

// A customer who buys every month or so, late by half her usual interval.
func ExampleRepurchaseSpec() {
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1"}}
	for i, d := range []string{"2026-01-01", "2026-02-01", "2026-03-03", "2026-04-01"} {
		tl.Events = append(tl.Events, parcours.Event{ID: fmt.Sprint("o", i+1), Type: parcours.Order, Time: at(d + "T12:00:00Z")})
	}
	print(`{"repurchase": {"stat": "median", "min_orders": 3, "factor": 1.5}}`, tl, at("2026-05-01T00:00:00Z"))
	print(`{"repurchase": {"stat": "median", "min_orders": 3, "factor": 1.5}}`, tl, at("2026-06-01T00:00:00Z"))
	// Output:
	// next: 2026-05-16T12:00:00Z
	// 2026-05-16T12:00:00Z repurchase:o4: no order since 2026-04-01, usual interval 30d x 1.5
	// next: none
}

// The kibble stock alert: 14 days after the order, 21 for an XL bag.
func ExampleDepletionSpec() {
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1", TimeZone: "Europe/Paris"}, Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: at("2026-03-01T10:00:00+01:00"), Props: map[string]any{
			"items": []any{map[string]any{"category": "kibble", "size": "XL"}}}},
	}}
	print(`{"depletion": {"item": {"category": "kibble"}, "after": "14d", "by": "size", "delays": {"XL": "21d"}}}`, tl, at("2026-03-23T00:00:00Z"))
	// Output:
	// 2026-03-22T09:00:00Z depletion:o1: order o1 holds category=kibble size=XL
	// next: none
}

// The 500-point tier at one point per euro.
func ExampleThresholdSpec() {
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1"}, Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: at("2026-01-10T10:00:00Z"), Props: map[string]any{"amount": 320.0}},
		{ID: "o2", Type: parcours.Order, Time: at("2026-02-10T10:00:00Z"), Props: map[string]any{"amount": 199.9}},
	}}
	print(`{"threshold": {"property": "amount", "rate": 1, "value": 500}}`, tl, at("2026-03-01T00:00:00Z"))
	// Output:
	// 2026-02-10T10:00:00Z threshold:o2: running total 519.9 reached 500
	// next: none
}

// A segment from JSON gets its membership test from Go.
func ExampleSegmentSpec() {
	s, _ := trigger.Parse([]byte(`{"segment": {"name": "active", "on": "exit"}}`))
	_, err := s.Compile()
	fmt.Println(err)
	s.Segment.Member = func(tl parcours.Timeline, now time.Time) (bool, error) {
		last, ok := tl.Last(parcours.Order)
		return ok && now.Sub(last.Time) < 30*24*time.Hour, nil
	}
	trg, _ := s.Compile()
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1"}, Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: at("2026-01-01T10:00:00Z")},
	}}
	show(trg, tl, at("2026-03-01T00:00:00Z"))
	// Output:
	// trigger: segment.member: segment active: segment membership function not set (SegmentSpec.Member is set from Go, not JSON)
	// 2026-01-31T10:00:00Z when:2026-01-31T10:00:00Z: left segment active
	// next: none
}

// "Loyal": two orders within 60 days.
func loyal(tl parcours.Timeline, now time.Time) (bool, error) {
	return tl.Count(parcours.Order, now.Add(-60*24*time.Hour), now) >= 2, nil
}

func ExampleEnter() {
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1"}, Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: at("2026-01-01T10:00:00Z")},
		{ID: "o2", Type: parcours.Order, Time: at("2026-01-20T10:00:00Z")},
	}}
	show(trigger.Enter(loyal), tl, at("2026-02-01T00:00:00Z"))
	// Output:
	// 2026-01-20T10:00:00Z when:2026-01-20T10:00:00Z: entered segment
	// next: none
}

func ExampleExit() {
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1"}, Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: at("2026-01-01T10:00:00Z")},
		{ID: "o2", Type: parcours.Order, Time: at("2026-01-20T10:00:00Z")},
	}}
	show(trigger.Exit(loyal), tl, at("2026-02-01T00:00:00Z"))
	// Output:
	// next: 2026-03-02T10:00:00Z
}

// A custom condition: the customer spent 100 or more over the last 30 days.
func ExampleWhen() {
	big := func(tl parcours.Timeline, now time.Time) (bool, error) {
		return tl.Sum(parcours.Order, parcours.PropAmount, now.Add(-30*24*time.Hour), now) >= 100, nil
	}
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1"}, Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: at("2026-01-01T10:00:00Z"), Props: map[string]any{"amount": 60}},
		{ID: "o2", Type: parcours.Order, Time: at("2026-01-15T10:00:00Z"), Props: map[string]any{"amount": 50}},
		{ID: "o3", Type: parcours.Order, Time: at("2026-03-01T10:00:00Z"), Props: map[string]any{"amount": 120}},
	}}
	show(trigger.When(big, trigger.WhenOptions{Reason: "spent 100 in 30 days"}), tl, at("2026-04-01T00:00:00Z"))
	// Output:
	// 2026-01-15T10:00:00Z when:2026-01-15T10:00:00Z: spent 100 in 30 days
	// 2026-03-01T10:00:00Z when:2026-03-01T10:00:00Z: spent 100 in 30 days
	// next: none
}

func ExampleLocalTime() {
	paris, _ := time.LoadLocation("Europe/Paris")
	fmt.Println(trigger.LocalTime(2026, time.March, 29, 2, 30, 0, 0, paris))   // skipped: moved forward
	fmt.Println(trigger.LocalTime(2026, time.October, 25, 2, 30, 0, 0, paris)) // twice: the first
	// Output:
	// 2026-03-29 03:30:00 +0200 CEST
	// 2026-10-25 02:30:00 +0200 CEST
}

// AppendExplain writes the reasons of the firings a caller reports into
// its own buffer.
func ExampleAppendExplain() {
	trg, err := trigger.Spec{Event: &trigger.EventSpec{Types: []string{parcours.CartAbandoned}}}.Compile()
	if err != nil {
		panic(err)
	}
	t0 := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Events: []parcours.Event{{ID: "c1", Type: parcours.CartAbandoned, Time: t0}}}
	fs, _, _, _ := trigger.Scan(trg, tl, t0.Add(time.Hour), trigger.ScanOptions{NoReasons: true})
	b := []byte("trigger: ")
	b = trigger.AppendExplain(b, trg, fs[0])
	fmt.Println(string(b))
	// Output: trigger: cart_abandoned c1
}

// Explain writes the reason of a firing Scan left without one: a caller
// explains only the firings it reports.
func ExampleExplain() {
	trg, err := trigger.Spec{Delay: &trigger.DelaySpec{Types: []string{parcours.Order}, After: parcours.Duration(3 * 24 * time.Hour)}}.Compile()
	if err != nil {
		panic(err)
	}
	t0 := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Events: []parcours.Event{
		{ID: "o0", Type: parcours.Order, Time: t0.AddDate(0, 0, -30)},
		{ID: "o1", Type: parcours.Order, Time: t0},
		{ID: "o2", Type: parcours.Order, Time: t0.AddDate(0, 0, 10)},
	}}
	now := t0.AddDate(0, 0, 11)
	fs, next, ok, err := trigger.Scan(trg, tl, now, trigger.ScanOptions{From: t0, NoReasons: true})
	for _, f := range fs {
		fmt.Println(f.Key, f.At.Format(time.DateOnly), trigger.Explain(trg, f))
	}
	fmt.Println(next.Format(time.DateOnly), ok, err)
	// Output:
	// o1 2026-05-04 3d after order o1
	// 2026-05-14 true <nil>
}
