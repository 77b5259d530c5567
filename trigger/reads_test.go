package trigger

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

// readSpecs holds, for each kind of Spec (its JSON name), valid specs
// whose reads TestReadsEveryKind and TestReadsSliceProperty check. A new
// kind must be added here, and its trigger must implement Reader.
var readSpecs = map[string][]Spec{
	"event": {{Event: &EventSpec{Types: []string{parcours.Order, parcours.CartAbandoned}}}},
	"delay": {{Delay: &DelaySpec{Types: []string{parcours.CartAbandoned}, After: days(1)}},
		{Delay: &DelaySpec{Types: []string{parcours.Order}, After: days(7), Where: `event.props.amount > 20`}}},
	"anniversary": {{Anniversary: &AnniversarySpec{Attribute: "birthday"}},
		{Anniversary: &AnniversarySpec{FirstEvent: parcours.Order, Offset: days(-7)}}},
	"inactivity": {{Inactivity: &InactivitySpec{After: days(30)}},
		{Inactivity: &InactivitySpec{Types: []string{parcours.Order, "page_view"}, After: days(10)}}},
	"repurchase": {{Repurchase: &RepurchaseSpec{}}},
	"depletion": {{Depletion: &DepletionSpec{Item: map[string]string{"category": "kibble"}, After: days(14),
		By: "size", Delays: map[string]parcours.Duration{"XL": days(21)}}}},
	"threshold": {{Threshold: &ThresholdSpec{Property: parcours.PropAmount, Value: 150, Every: true}}},
	"schedule": {{Schedule: &ScheduleSpec{At: "2026-11-27T08:00"}},
		{Schedule: &ScheduleSpec{Every: "week", Weekday: "monday", Time: "10:00", From: "2026-01-05"}}},
	"segment": {{Segment: &SegmentSpec{Name: "two orders", Member: func(tl parcours.Timeline, at time.Time) (bool, error) {
		n := 0
		for _, e := range tl.Events {
			if e.Type == parcours.Order && at.Sub(e.Time) < 60*24*time.Hour {
				n++
			}
		}
		return n >= 2, nil
	}}}},
}

// TestReadsEveryKind fails when a kind of Spec has no test spec here or
// compiles to a trigger that cannot say what it reads.
func TestReadsEveryKind(t *testing.T) {
	st := reflect.TypeFor[Spec]()
	for i := range st.NumField() {
		f := st.Field(i)
		name, _, _ := cut(f.Tag.Get("json"))
		specs, ok := readSpecs[name]
		if !ok || len(specs) == 0 {
			t.Errorf("kind %q has no spec in readSpecs: add one, and make its trigger implement Reader", name)
			continue
		}
		for _, s := range specs {
			trg := compile(t, s)
			if _, ok := trg.(Reader); !ok {
				t.Errorf("kind %q: %T does not implement Reader", name, trg)
			}
		}
	}
	if _, ok := When(nil, WhenOptions{}).(Reader); !ok {
		t.Error("When does not implement Reader")
	}
}

func cut(tag string) (string, string, bool) {
	for i := range len(tag) {
		if tag[i] == ',' {
			return tag[:i], tag[i+1:], true
		}
	}
	return tag, "", false
}

// slice keeps what r says the trigger reads for firings from on.
func slice(tl parcours.Timeline, r Reads, from time.Time) parcours.Timeline {
	out := tl
	out.Events = nil
	firstOf := map[string]bool{}
	for i, e := range tl.Events {
		keep := (r.All || slices.Contains(r.Types, e.Type)) &&
			(r.Back == Forever || !e.Time.Before(from.Add(-r.Back)))
		if r.First && i == 0 {
			keep = true
		}
		if slices.Contains(r.FirstOf, e.Type) && !firstOf[e.Type] {
			firstOf[e.Type], keep = true, true
		}
		if keep {
			out.Events = append(out.Events, e)
		}
	}
	return out
}

// randomTimeline is a customer of a pet shop over about a year and a half.
func randomTimeline(rng *rand.Rand) parcours.Timeline {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c", TimeZone: "Europe/Paris",
		Attributes: map[string]any{"birthday": "1990-03-31"}}}
	n := rng.IntN(40)
	for i := range n {
		at := start.Add(time.Duration(rng.Int64N(int64(540 * 24 * time.Hour)))).Truncate(time.Minute)
		e := parcours.Event{ID: fmt.Sprintf("e%03d", i), Time: at}
		switch rng.IntN(5) {
		case 0, 1:
			e.Type = parcours.Order
			size := []string{"M", "XL"}[rng.IntN(2)]
			cat := []string{"kibble", "toys"}[rng.IntN(2)]
			e.Props = map[string]any{parcours.PropAmount: float64(5 + rng.IntN(80)), parcours.PropCart: fmt.Sprint("c", rng.IntN(3)),
				parcours.PropItems: []any{map[string]any{"category": cat, "size": size}}}
		case 2:
			e.Type = parcours.CartAbandoned
			e.Props = map[string]any{parcours.PropCart: fmt.Sprint("c", rng.IntN(3))}
		case 3:
			e.Type = "page_view"
		default:
			e.Type = parcours.Signup
		}
		tl.Events = append(tl.Events, e)
	}
	return tl
}

// TestReadsSliceProperty checks the guarantee of Reads on generated
// timelines: from any instant on, the slice gives the same firings and
// the same Next as the whole timeline.
func TestReadsSliceProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 1))
	for name, specs := range readSpecs {
		for k, s := range specs {
			trg := compile(t, s)
			r := trg.(Reader).Reads()
			for range 150 {
				tl := randomTimeline(rng)
				now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC).Add(-time.Duration(rng.IntN(200)) * 24 * time.Hour)
				from := now.Add(-time.Duration(rng.IntN(120)) * 24 * time.Hour)
				whole := tl.At(now)
				part := slice(whole, r, from)
				check := func(what string, x, y any) {
					if d := cmp.Diff(x, y); d != "" {
						t.Fatalf("%s[%d] %s from %s at %s (-whole +slice):\n%s", name, k, what, from, now, d)
					}
				}
				fw, errW := trg.Firings(whole, now)
				fp, errP := trg.Firings(part, now)
				check("error", fmt.Sprint(errW), fmt.Sprint(errP))
				check("firings", since(fw, from), since(fp, from))
				nw, okW, errW := trg.Next(whole, now)
				np, okP, errP := trg.Next(part, now)
				check("next", fmt.Sprint(nw, okW, errW), fmt.Sprint(np, okP, errP))
			}
		}
	}
}

func since(fs []Firing, from time.Time) []Firing {
	var out []Firing
	for _, f := range fs {
		if !f.At.Before(from) {
			out = append(out, f)
		}
	}
	return out
}
