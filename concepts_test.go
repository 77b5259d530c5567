package parcours_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/clv"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/segment"
)

// One concept, one owner: the same question asked through every package
// gets the same answer. Each case is one customer; each package is asked
// what an order is worth, how long since the last order, and whether a
// bad order line is refused.

var conceptNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// answers is what one package says about a customer.
type answers struct {
	Worth   float64 // total value of the orders
	Over90  bool    // "no order for 90 days"
	Under30 bool    // "ordered in the last 30 days"
	Refused bool    // the customer's data was refused (a *parcours.PropError)
}

func conceptCases() []struct {
	name string
	tl   parcours.Timeline
	want answers
} {
	order := func(id string, daysAgo int, props map[string]any) parcours.Event {
		return parcours.Event{ID: id, Type: parcours.Order, Time: conceptNow.AddDate(0, 0, -daysAgo), Props: props}
	}
	ping := parcours.Event{ID: "ping", Type: "ping", Time: conceptNow.Add(-time.Hour)}
	tl := func(id string, evs ...parcours.Event) parcours.Timeline {
		return parcours.Timeline{
			Profile: parcours.Profile{ID: id, Consent: map[parcours.Channel]bool{parcours.Email: true}},
			Events:  append(evs, ping),
		}
	}
	return []struct {
		name string
		tl   parcours.Timeline
		want answers
	}{
		{
			name: "order with items and no amount",
			tl: tl("items", order("o1", 10, map[string]any{parcours.PropItems: []any{
				map[string]any{"sku": "kibble", parcours.PropPrice: 15.0, parcours.PropQuantity: 2},
				map[string]any{"sku": "toy", parcours.PropPrice: "10"},
			}})),
			want: answers{Worth: 40, Under30: true},
		},
		{
			name: "order with an amount and lines",
			tl: tl("amount", order("o1", 120, map[string]any{parcours.PropAmount: 55.0, parcours.PropItems: []any{
				map[string]any{parcours.PropPrice: 50.0},
			}})),
			want: answers{Worth: 55, Over90: true},
		},
		{
			name: "customer who never ordered",
			tl:   tl("never"),
			want: answers{Worth: 0, Over90: true},
		},
		{
			name: "bad item line",
			tl: tl("bad", order("o1", 10, map[string]any{parcours.PropAmount: 20.0, parcours.PropItems: []any{
				map[string]any{parcours.PropPrice: 20.0}, "junk",
			}})),
			want: answers{Refused: true},
		},
	}
}

func TestOneAnswerEverywhere(t *testing.T) {
	for _, tc := range conceptCases() {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]answers{
				"parcours": viaRoot(t, tc.tl),
				"segment":  viaSegment(t, tc.tl),
				"clv":      viaCLV(t, tc.tl),
				"scenario": viaScenario(t, tc.tl, `sumEvents("order", "amount", 0)`, `daysSince("order") > 90`, `daysSince("order") < 30`),
				"facts()":  viaScenario(t, tc.tl, `facts().monetary`, `facts().recency > 90`, `facts().recency < 30`),
				"engagement": viaScenario(t, tc.tl, `clv().historic_value`,
					`facts().engagement.days_since_order > 90`, `facts().engagement.days_since_order < 30`),
			}
			for pkg, a := range got {
				if d := cmp.Diff(tc.want, a); d != "" {
					t.Errorf("%s (-want +got):\n%s", pkg, d)
				}
			}
		})
	}
}

func viaRoot(t *testing.T, tl parcours.Timeline) answers {
	var a answers
	last := time.Time{}
	for _, e := range tl.Events {
		if e.Type != parcours.Order {
			continue
		}
		v, err := e.Value()
		if err != nil {
			return answers{Refused: refused(t, err)}
		}
		a.Worth += v
		last = e.Time
	}
	d := parcours.DaysSince(last, conceptNow)
	a.Over90, a.Under30 = d > 90, d < 30
	return a
}

func viaSegment(t *testing.T, tl parcours.Timeline) answers {
	f, err := segment.Compute(tl, conceptNow, segment.Config{})
	if err != nil {
		return answers{Refused: refused(t, err)}
	}
	if f.Recency != f.Engagement.DaysSinceOrder {
		t.Errorf("segment: recency %v, engagement.days_since_order %v", f.Recency, f.Engagement.DaysSinceOrder)
	}
	// JSON writes "never" as null and reads it back.
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatalf("segment: facts do not encode: %v", err)
	}
	var back segment.Facts
	if err := json.Unmarshal(b, &back); err != nil || back.Recency != f.Recency {
		t.Errorf("segment: facts JSON round trip: recency %v -> %v (%v)", f.Recency, back.Recency, err)
	}
	return answers{Worth: f.Monetary, Over90: f.Recency > 90, Under30: f.Recency < 30}
}

func viaCLV(t *testing.T, tl parcours.Timeline) answers {
	v, err := clv.HistoricValue(tl, conceptNow, 1)
	if err != nil {
		return answers{Refused: refused(t, err)}
	}
	// clv has no "days since"; it only has to agree on the value.
	d := parcours.DaysSince(lastOrder(tl), conceptNow)
	return answers{Worth: v, Over90: d > 90, Under30: d < 30}
}

func lastOrder(tl parcours.Timeline) time.Time {
	e, _ := tl.At(conceptNow).Last(parcours.Order)
	return e.Time
}

// viaScenario evaluates three expressions as a send's vars.
func viaScenario(t *testing.T, tl parcours.Timeline, worth, over90, under30 string) answers {
	model := clv.Model{Kind: clv.BGNBD, Params: []float64{0.24, 4.4, 0.79, 2.4}}
	eng, err := scenario.Compile([]scenario.Scenario{{
		ID:      "probe",
		Trigger: scenario.Trigger{On: []string{"ping"}},
		Steps: []scenario.Step{{ID: "s", Send: &scenario.Send{
			Channels: []parcours.Channel{parcours.Email}, Template: "t",
			Vars: map[string]string{"worth": worth, "over90": over90, "under30": under30},
		}}},
	}}, scenario.WithCLV(model, 28*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	res := eng.Evaluate(tl, conceptNow)
	if len(res.Errors) > 0 {
		return answers{Refused: refused(t, errors.Join(res.Errors...))}
	}
	if len(res.Due) != 1 {
		t.Fatalf("scenario: due %v", res.Due)
	}
	v := res.Due[0].Vars
	w, _ := parcours.ToFloat(v["worth"])
	return answers{Worth: w, Over90: v["over90"] == true, Under30: v["under30"] == true}
}

// refused reports whether err is the root package's refusal of a bad
// order, found with errors.As through every package's wrapping.
func refused(t *testing.T, err error) bool {
	t.Helper()
	var pe *parcours.PropError
	if !errors.As(err, &pe) || !errors.Is(err, parcours.ErrInvalid) {
		t.Errorf("error %v is not a *parcours.PropError wrapping ErrInvalid", err)
		return false
	}
	if !strings.HasPrefix(pe.Prop, parcours.PropItems) {
		t.Errorf("PropError names %q, want the item line", pe.Prop)
	}
	return true
}

func ExampleEvent_Value() {
	o := parcours.Event{ID: "o1", Type: parcours.Order, Props: map[string]any{
		parcours.PropItems: []any{
			map[string]any{"sku": "kibble-2kg", parcours.PropPrice: 15.0, parcours.PropQuantity: 2},
			map[string]any{"sku": "toy", parcours.PropPrice: "10"},
		},
	}}
	v, err := o.Value()
	fmt.Println(v, err)

	o.Props[parcours.PropItems] = []any{"kibble-2kg"}
	_, err = o.Value()
	fmt.Println(err)
	// Output:
	// 40 <nil>
	// parcours: order event "o1": property items[0]: not an object
}

func ExampleDaysSince() {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Events: []parcours.Event{
		{ID: "v1", Type: parcours.StoreVisit, Time: now.AddDate(0, 0, -100)},
	}}
	for _, typ := range []string{parcours.StoreVisit, parcours.Order} {
		last, _ := tl.Last(typ) // zero Time when there is none
		d := parcours.DaysSince(last.Time, now)
		fmt.Printf("%s: %v days, never %v, over 90 %v\n", typ, d, parcours.Never(d), d > 90)
	}
	// Output:
	// store_visit: 100 days, never false, over 90 true
	// order: +Inf days, never true, over 90 true
}

func ExampleDays() {
	b, _ := json.Marshal(map[string]parcours.Days{"open": 3.5, "order": parcours.Days(math.Inf(1))})
	fmt.Println(string(b))
	// Output: {"open":3.5,"order":null}
}

func ExampleEvent_EachItem() {
	o := parcours.Event{ID: "o1", Type: parcours.Order, Props: map[string]any{
		parcours.PropItems: []any{
			map[string]any{"category": "dogs", parcours.PropPrice: 12.5, parcours.PropQuantity: 2},
			map[string]any{"category": "cats"},
		},
	}}
	err := o.EachItem(func(it parcours.Item) {
		fmt.Println(it.Props["category"], it.Quantity, it.Priced, it.Value())
	})
	fmt.Println(err)
	// Output:
	// dogs 2 true 25
	// cats 1 false 0
	// <nil>
}

func ExampleEvent_Items() {
	o := parcours.Event{ID: "o1", Type: parcours.Order, Props: map[string]any{
		parcours.PropItems: []any{map[string]any{"sku": "a", parcours.PropPrice: -3}},
	}}
	items, err := o.Items()
	var pe *parcours.PropError
	fmt.Println(items == nil, errors.As(err, &pe), pe.Prop)
	// Output: true true items[0].price
}
