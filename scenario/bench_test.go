package scenario

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// benchTimeline is a customer of two years with 50 events: orders,
// visits, carts, a signup and the messages of earlier runs.
func benchTimeline() (parcours.Timeline, time.Time) {
	t0 := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Profile: parcours.Profile{
		ID: "c1", TimeZone: "Europe/Paris",
		Consent:    map[parcours.Channel]bool{parcours.Email: true, parcours.SMS: true},
		Attributes: map[string]any{"species": "cat", "first_name": "Léa"},
	}}
	types := []string{parcours.Order, parcours.StoreVisit, parcours.CartAbandoned, parcours.MessageOpened, parcours.Order}
	tl.Events = append(tl.Events, parcours.Event{ID: "s", Type: parcours.Signup, Time: t0})
	for i := 1; i < 50; i++ {
		tl.Events = append(tl.Events, parcours.Event{
			ID: fmt.Sprintf("e%02d", i), Type: types[i%len(types)], Time: t0.Add(time.Duration(i) * 13 * 24 * time.Hour),
			Channel: "web", Props: map[string]any{"amount": float64(10 + i), "cart": fmt.Sprint("c", i)},
		})
	}
	return tl, t0.Add(50 * 13 * 24 * time.Hour)
}

// issueMix are the scenario files BenchmarkEvaluate ran when issue 12
// measured it (1,257 allocations per evaluation with 20 scenarios):
// fixed, so that its figure stays comparable as testdata/scenarios grows.
// BenchmarkEvaluateAll runs them all.
var issueMix = []string{"cart", "catalogue", "invoice", "lapsed", "newsletter-welcome", "reminder", "welcome"}

// benchScenarios returns n scenarios cycling through the files named
// (all of testdata/scenarios when names is nil), renamed to stay unique.
func benchScenarios(b *testing.B, n int, names []string) []Scenario {
	paths, _ := filepath.Glob("testdata/scenarios/*.json")
	if names != nil {
		paths = paths[:0]
		for _, n := range names {
			paths = append(paths, filepath.Join("testdata", "scenarios", n+".json"))
		}
	}
	var base []Scenario
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		more, err := parseOneOrMany(raw)
		if err != nil {
			b.Fatal(err)
		}
		base = append(base, more...)
	}
	var out []Scenario
	for i := 0; i < n; i++ {
		s := base[i%len(base)]
		s.ID = fmt.Sprintf("%s-%d", s.ID, i)
		out = append(out, s)
	}
	return out
}

// BenchmarkEvaluate is the benchmark issue 12 measured, on its mix of
// scenarios (issueMix).
func BenchmarkEvaluate(b *testing.B) { benchEvaluate(b, issueMix) }

// BenchmarkEvaluateAll is BenchmarkEvaluate on every scenario of
// testdata/scenarios: journeys, schedules and segment triggers too. A
// segment trigger by stage tests facts() at every event and grid point
// of the history (segment.Compute each time): it dominates this mix.
func BenchmarkEvaluateAll(b *testing.B) { benchEvaluate(b, nil) }

func benchEvaluate(b *testing.B, names []string) {
	tl, now := benchTimeline()
	for _, n := range []int{1, 20} {
		b.Run(fmt.Sprintf("scenarios=%d/events=%d", n, len(tl.Events)), func(b *testing.B) {
			eng, err := Compile(benchScenarios(b, n, names))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				eng.Evaluate(tl, now)
			}
		})
	}
}

// BenchmarkEvaluatePolicies is issue 3's figure: 20 scenarios with every
// policy on.
func BenchmarkEvaluatePolicies(b *testing.B) {
	tl, now := benchTimeline()
	eng, err := Compile(benchScenarios(b, 20, issueMix), WithPolicy(Policy{
		Caps:         []Cap{{Channels: []parcours.Channel{parcours.Email}, Max: 3, Window: parcours.Duration(7 * 24 * time.Hour)}, {Max: 5, Window: parcours.Duration(7 * 24 * time.Hour)}},
		Priority:     &Priority{Gap: parcours.Duration(12 * time.Hour)},
		QuietHours:   []QuietHours{{Channels: []parcours.Channel{parcours.SMS}, From: "21:00", To: "09:00"}},
		Suppression:  &Suppression{After: parcours.Duration(180 * 24 * time.Hour)},
		ControlGroup: &ControlGroup{Share: 0.05, Salt: "bench"},
	}))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		eng.Evaluate(tl, now)
	}
}
