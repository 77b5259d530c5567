package parcours_test

import (
	"fmt"
	"math"
	"time"

	"github.com/parcours-dev/parcours"
)

var exNow = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func exTimeline() parcours.Timeline {
	return parcours.Timeline{Profile: parcours.Profile{ID: "c1", Attributes: map[string]any{"species": "cat"}}, Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: exNow.AddDate(0, 0, -40), Props: map[string]any{parcours.PropAmount: 30.0}},
		{ID: "v1", Type: parcours.StoreVisit, Time: exNow.AddDate(0, 0, -20)},
		{ID: "o2", Type: parcours.Order, Time: exNow.AddDate(0, 0, -5), Props: map[string]any{parcours.PropAmount: "12.5", parcours.PropPromo: "true", parcours.PropStore: "Nantes"}},
	}}
}

func ExampleAddDays() {
	paris, _ := time.LoadLocation("Europe/Paris")
	sat := time.Date(2026, 3, 28, 18, 0, 0, 0, paris) // the night before summer time
	fmt.Println(parcours.AddDays(sat, 1, paris))
	// Output: 2026-03-29 18:00:00 +0200 CEST
}

func ExampleDaysOf() {
	fmt.Println(parcours.DaysOf(90), parcours.DaysOf(math.MaxInt) == parcours.MaxDuration)
	// Output: 90d true
}

func ExampleDuration_Add() {
	wait, _ := parcours.ParseDuration("3d")
	fmt.Println(wait.Add(parcours.Duration(12*time.Hour)), parcours.MaxDuration.Add(wait) == parcours.MaxDuration)
	// Output: 3d12h true
}

func ExampleDuration_AppendText() {
	wait, _ := parcours.ParseDuration("1d12h")
	b, _ := wait.AppendText([]byte("wait "))
	fmt.Println(string(b))
	// Output: wait 1d12h
}

func ExampleDuration_Days() {
	d, _ := parcours.ParseDuration("1d12h")
	fmt.Println(d.Days())
	// Output: 1.5
}

func ExampleDuration_Std() {
	d, _ := parcours.ParseDuration("2w")
	fmt.Println(exNow.Add(d.Std()).Format(time.DateOnly))
	// Output: 2026-03-24
}

func ExampleEvent_Prop() {
	e := exTimeline().Events[2]
	fmt.Println(e.Prop(parcours.PropStore), e.Prop("missing"))
	// Output: Nantes <nil>
}

func ExampleEvent_Float() {
	e := exTimeline().Events[2]
	f, ok := e.Float(parcours.PropAmount) // a numeric string converts
	fmt.Println(f, ok)
	_, ok = e.Float(parcours.PropStore)
	fmt.Println(ok)
	// Output:
	// 12.5 true
	// false
}

func ExampleEvent_String() {
	s, ok := exTimeline().Events[2].String(parcours.PropStore)
	fmt.Println(s, ok)
	// Output: Nantes true
}

func ExampleEvent_Bool() {
	promo, ok := exTimeline().Events[2].Bool(parcours.PropPromo) // "true" reads as true
	fmt.Println(promo, ok)
	// Output: true true
}

func ExampleItem_Value() {
	items, _ := parcours.Event{Props: map[string]any{parcours.PropItems: []any{
		map[string]any{parcours.PropPrice: 4.5, parcours.PropQuantity: 2},
	}}}.Items()
	fmt.Println(items[0].Value())
	// Output: 9
}

func ExampleNever() {
	tl := exTimeline()
	last, _ := tl.Last("message_clicked")
	fmt.Println(parcours.Never(parcours.DaysSince(last.Time, exNow)))
	// Output: true
}

func ExampleProfile_Attr() {
	p := exTimeline().Profile
	fmt.Println(p.Attr("species"), p.Attr("birthday"))
	// Output: cat <nil>
}

func ExampleTimeline_Count() {
	tl := exTimeline()
	fmt.Println(tl.Count(parcours.Order, time.Time{}, exNow), tl.Count(parcours.Order, exNow.AddDate(0, 0, -30), exNow))
	// Output: 2 1
}

func ExampleTimeline_First() {
	e, ok := exTimeline().First(parcours.Order)
	fmt.Println(e.ID, ok)
	// Output: o1 true
}

func ExampleTimeline_Last() {
	tl := exTimeline()
	e, ok := tl.Last(parcours.Order)
	fmt.Println(e.ID, ok)
	_, ok = tl.Last(parcours.Signup)
	fmt.Println(ok)
	// Output:
	// o2 true
	// false
}

func ExampleTimeline_Upto() {
	tl := exTimeline().At(exNow) // canonical first
	for _, e := range tl.Upto(exNow.AddDate(0, 0, -10)) {
		fmt.Println(e.ID)
	}
	// Output:
	// o1
	// v1
}
