package trigger

import (
	"fmt"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// benchTimeline is a 50-event customer over two years in Paris: orders
// with items and amounts, carts, visits, a signup and messages.
func benchTimeline() (parcours.Timeline, time.Time) {
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "b", TimeZone: "Europe/Paris",
		Attributes: map[string]any{"birthday": "1984-02-29"}}}
	at := time.Date(2025, 1, 3, 9, 0, 0, 0, time.UTC)
	types := []string{parcours.Order, parcours.StoreVisit, parcours.Order, parcours.CartAbandoned, parcours.MessageSent}
	for i := range 50 {
		typ := types[i%len(types)]
		if i == 0 {
			typ = parcours.Signup
		}
		at = at.Add(time.Duration(5+i%17) * 24 * time.Hour).Add(time.Duration(i%7) * time.Hour)
		tl.Events = append(tl.Events, parcours.Event{ID: fmt.Sprint("e", i), Type: typ, Time: at, Channel: "web",
			Props: map[string]any{
				parcours.PropAmount: float64(20 + i%9*10),
				parcours.PropCart:   fmt.Sprint("k", i%4),
				parcours.PropItems:  []any{map[string]any{parcours.PropCategory: "kibble", "size": []string{"M", "XL"}[i%2]}},
			}})
	}
	now := at.Add(30 * 24 * time.Hour)
	return tl.At(now), now
}

var benchSpecs = []struct{ name, spec string }{
	{"event", `{"event": {"types": ["cart_abandoned"]}}`},
	{"event-where", `{"event": {"types": ["order"], "where": "event.channel == \"web\" && event.props.amount >= 50"}}`},
	{"delay", `{"delay": {"types": ["order"], "after": "3d"}}`},
	{"anniversary", `{"anniversary": {"attribute": "birthday", "at": "09:00", "offset": "-7d"}}`},
	{"inactivity", `{"inactivity": {"after": "10d"}}`},
	{"repurchase", `{"repurchase": {"factor": 1.2}}`},
	{"depletion", `{"depletion": {"item": {"category": "kibble"}, "after": "14d", "by": "size", "delays": {"XL": "21d"}}}`},
	{"threshold", `{"threshold": {"property": "amount", "value": 100, "every": true}}`},
}

func BenchmarkFirings(b *testing.B) {
	tl, now := benchTimeline()
	run := func(name string, trg Trigger) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := trg.Firings(tl, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, s := range benchSpecs {
		spec, err := Parse([]byte(s.spec))
		if err != nil {
			b.Fatal(err)
		}
		trg, err := spec.Compile()
		if err != nil {
			b.Fatal(err)
		}
		run(s.name, trg)
	}
	run("when-lapsed-10d", When(lapsedFor(10*24*time.Hour), WhenOptions{}))
	run("segment-exit", Exit(activeWithin(10*24*time.Hour)))
}

func BenchmarkNext(b *testing.B) {
	tl, now := benchTimeline()
	for _, c := range []struct {
		name string
		trg  Trigger
	}{
		{"inactivity", compileB(b, `{"inactivity": {"after": "90d"}}`)},
		{"when-lapsed-90d", When(lapsedFor(90*24*time.Hour), WhenOptions{})},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := c.trg.Next(tl, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func compileB(b *testing.B, js string) Trigger {
	s, err := Parse([]byte(js))
	if err != nil {
		b.Fatal(err)
	}
	trg, err := s.Compile()
	if err != nil {
		b.Fatal(err)
	}
	return trg
}
