package scenario

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// This file builds the workload of the evaluator-speed benchmark (issue
// 12): the 20 scenarios and full policy of testdata/bench, and seeded
// customer timelines of two years whose last 40 days were replayed
// through those scenarios, so the message_sent, message_opened and
// message_clicked events are the ones a host would have recorded.

// benchEnd is the instant the generated histories end.
var benchEnd = time.Date(2026, 6, 15, 14, 0, 0, 0, time.UTC)

func loadBench(t testing.TB) ([]Scenario, Policy) {
	t.Helper()
	raw, err := os.ReadFile("testdata/bench/scenarios.json")
	if err != nil {
		t.Fatal(err)
	}
	ss, err := parseOneOrMany(raw)
	if err != nil {
		t.Fatal(err)
	}
	raw, err = os.ReadFile("testdata/bench/policy.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePolicy(raw)
	if err != nil {
		t.Fatal(err)
	}
	return ss, p
}

var benchZones = []string{"Europe/Paris", "Europe/Paris", "America/New_York", "UTC", "Asia/Tokyo", "Australia/Sydney"}

// genBase returns a customer's own history: n events over the two years
// before benchEnd (a signup, maybe an app account, then page views,
// orders with lines, carts, store visits, a rare bounce or unsubscribe).
func genBase(seed uint64, n int) parcours.Timeline {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	p := parcours.Profile{
		ID:       fmt.Sprintf("c%d", seed),
		TimeZone: benchZones[rng.IntN(len(benchZones))],
		Consent: map[parcours.Channel]bool{
			parcours.Email: rng.Float64() < 0.9, parcours.SMS: rng.Float64() < 0.5, parcours.Push: rng.Float64() < 0.4,
		},
		Attributes: map[string]any{"first_name": "Léa"},
	}
	if rng.Float64() < 0.8 {
		p.Attributes["birthday"] = fmt.Sprintf("%d-%02d-%02d", 1950+rng.IntN(55), 1+rng.IntN(12), 1+rng.IntN(28))
	}
	start := benchEnd.Add(-730 * 24 * time.Hour)
	span := benchEnd.Sub(start)
	evs := []parcours.Event{{ID: "su", Type: parcours.Signup, Time: start.Add(time.Duration(rng.IntN(3600)) * time.Second), Channel: "web"}}
	if rng.Float64() < 0.5 {
		ch := "web"
		if rng.Float64() < 0.6 {
			ch = "app"
		}
		evs = append(evs, parcours.Event{ID: "ac", Type: parcours.AccountCreated, Time: evs[0].Time.Add(time.Duration(1+rng.IntN(72)) * time.Hour), Channel: ch})
	}
	cats := []string{"kibble", "food", "toys", "litter"}
	sizes := []string{"S", "M", "XL"}
	carts := 0
	for i := 0; len(evs) < n; i++ {
		// A quarter of the activity is recent: customers worth
		// evaluating are the active ones.
		at := start.Add(time.Duration(rng.Int64N(int64(span)))).Truncate(time.Second)
		if rng.Float64() < 0.25 {
			at = benchEnd.Add(-time.Duration(rng.Int64N(int64(60 * 24 * time.Hour)))).Truncate(time.Second)
		}
		id := fmt.Sprintf("e%d", i)
		var e parcours.Event
		switch x := rng.Float64(); {
		case x < 0.45:
			e = parcours.Event{Type: "page_view", Channel: []string{"web", "app"}[rng.IntN(2)],
				Props: map[string]any{parcours.PropCategory: cats[rng.IntN(len(cats))]}}
		case x < 0.60:
			ch := []string{"web", "web", "store", "app"}[rng.IntN(4)]
			var lines []any
			total := 0.0
			for range 1 + rng.IntN(3) {
				price := math.Round((5+rng.Float64()*60)*100) / 100
				total += price
				lines = append(lines, map[string]any{parcours.PropCategory: cats[rng.IntN(len(cats))], "size": sizes[rng.IntN(len(sizes))], "sku": fmt.Sprint("sku", rng.IntN(50))})
			}
			props := map[string]any{parcours.PropAmount: math.Round(total*100) / 100, parcours.PropItems: lines}
			if ch == "store" {
				props[parcours.PropStore] = fmt.Sprint("st", rng.IntN(5))
			}
			if carts > 0 && rng.Float64() < 0.4 {
				props[parcours.PropCart] = fmt.Sprint("k", rng.IntN(carts))
			}
			e = parcours.Event{Type: parcours.Order, Channel: ch, Props: props}
		case x < 0.70:
			props := map[string]any{parcours.PropCart: fmt.Sprint("k", carts)}
			carts++
			if rng.Float64() < 0.9 {
				props[parcours.PropAmount] = math.Round((10+rng.Float64()*150)*100) / 100
			}
			e = parcours.Event{Type: parcours.CartAbandoned, Channel: "web", Props: props}
		case x < 0.80:
			e = parcours.Event{Type: parcours.StoreVisit, Channel: "store", Props: map[string]any{parcours.PropStore: fmt.Sprint("st", rng.IntN(5))}}
		case x < 0.803:
			e = parcours.Event{Type: parcours.MessageBounced, Channel: parcours.Email, Props: map[string]any{parcours.PropHard: true}}
		case x < 0.806:
			e = parcours.Event{Type: parcours.Unsubscribed, Channel: parcours.Email}
		default:
			e = parcours.Event{Type: "app_open", Channel: "app"}
		}
		e.ID, e.Time = id, at
		evs = append(evs, e)
	}
	return parcours.Timeline{Profile: p, Events: evs}
}

// genTimeline is genBase with its last 40 days replayed: the customer is
// evaluated once a day (at an hour of its own) by the hand-written
// evaluator, each due action is recorded sent five minutes later, and some
// are opened and clicked. For one customer in three the scheduler stopped
// four days before the end, so actions are due at the end. The events are
// returned in canonical order, as hosts usually store them.
func genTimeline(seed uint64, n int) parcours.Timeline {
	tl := genBase(seed, n)
	tl, _ = tl.Canonical(benchEnd.Add(1000 * 24 * time.Hour))
	base := tl.Events
	rng := rand.New(rand.NewPCG(seed, 7))
	h := newHand()
	from := benchEnd.Add(-40 * 24 * time.Hour).Add(time.Duration(rng.IntN(24*60)) * time.Minute)
	until := benchEnd
	if seed%3 == 0 {
		until = until.Add(-4 * 24 * time.Hour)
	}
	var msgs []parcours.Event
	sent := 0
	for at := from; !at.After(until); at = at.Add(24 * time.Hour) {
		// The timeline as of at, already canonical: the base events up
		// to at and the messages recorded so far.
		evs := slices.Clone(base[:sort.Search(len(base), func(i int) bool { return base[i].Time.After(at) })])
		for _, m := range msgs {
			if !m.Time.After(at) {
				evs = append(evs, m)
			}
		}
		slices.SortFunc(evs, func(a, b parcours.Event) int { return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.ID, b.ID)) })
		res := h.evaluate(parcours.Timeline{Profile: tl.Profile, Events: evs}, at)
		for _, a := range res.Due {
			sent++
			s := a.SentEvent(fmt.Sprintf("m%d", sent), at.Add(5*time.Minute))
			msgs = append(msgs, s)
			if a.Channel == parcours.SMS || rng.Float64() > 0.35 {
				continue
			}
			props := map[string]any{parcours.PropScenario: a.Scenario, parcours.PropRun: a.Run, parcours.PropStep: a.Step}
			open := s.Time.Add(time.Duration(10+rng.IntN(48*60)) * time.Minute)
			msgs = append(msgs, parcours.Event{ID: fmt.Sprintf("o%d", sent), Type: parcours.MessageOpened, Time: open, Channel: s.Channel, Props: props})
			if rng.Float64() < 0.3 {
				msgs = append(msgs, parcours.Event{ID: fmt.Sprintf("k%d", sent), Type: parcours.MessageClicked, Time: open.Add(time.Minute), Channel: s.Channel, Props: props})
			}
		}
	}
	tl.Events = append(slices.Clone(base), msgs...)
	tl, _ = tl.Canonical(benchEnd.Add(1000 * 24 * time.Hour))
	return tl
}
