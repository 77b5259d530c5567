package segment

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-dev/parcours"
)

// TestTrackerIsCompute asks a Tracker for the facts the way a segment
// trigger does (at each event and between events, on growing prefixes
// of one canonical timeline, with look-aheads and look-backs that make
// it start over) and checks every answer against Compute, under several
// configurations, with bad events and non-canonical timelines too.
func TestTrackerIsCompute(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	cfgs := []Config{{}, propertyCfg, {Window: Duration(30 * 24 * time.Hour), Rhythm: RhythmRules{MinGap: Duration(48 * time.Hour)}}}
	fastCalls := 0
	for seed := range uint64(60) {
		r := rand.New(rand.NewPCG(seed, 99))
		raw := randomTimeline(r, now)
		raw.Profile.TimeZone = []string{"", "Europe/Paris", "America/New_York"}[seed%3]
		if seed%7 == 3 && len(raw.Events) > 0 { // an order that cannot be read
			raw.Events[r.IntN(len(raw.Events))].Props = map[string]any{parcours.PropAmount: "lots"}
			raw.Events[len(raw.Events)-1].Type = parcours.Order
		}
		canon, _ := raw.Canonical(now)
		for ci, cfg := range cfgs {
			tr := cfg.Tracker()
			check := func(tl parcours.Timeline, at time.Time, what string) {
				t.Helper()
				want, werr := Compute(tl, at, cfg)
				got, gerr := tr.Facts(tl, at)
				if fmt.Sprint(werr) != fmt.Sprint(gerr) {
					t.Fatalf("seed %d cfg %d %s: error %v, Compute's %v", seed, ci, what, gerr, werr)
				}
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.EquateNaNs()); diff != "" {
					t.Fatalf("seed %d cfg %d %s: Tracker differs from Compute (-Compute +Tracker):\n%s", seed, ci, what, diff)
				}
			}
			evs := canon.Events
			for i := range evs {
				at := evs[i].Time
				// The events known at at: up to the last one at that instant.
				j := i
				for j+1 < len(evs) && !evs[j+1].Time.After(at) {
					j++
				}
				prefix := parcours.Timeline{Profile: canon.Profile, Events: evs[:j+1]}
				check(prefix, at, fmt.Sprintf("at event %d", i))
				check(prefix, at.Add(time.Duration(r.IntN(72))*time.Hour), fmt.Sprintf("after event %d", i))
				fastCalls += 2
				if r.IntN(10) == 0 { // a look-back: starts over
					check(parcours.Timeline{Profile: canon.Profile, Events: evs[:j/2]}, at, "look-back")
				}
			}
			check(canon, now.Add(400*24*time.Hour), "look-ahead")
			check(raw, now, "the raw timeline") // not canonical: Compute's view
			other := canon
			other.Profile.ID = "someone else"
			check(other, now, "another customer")
			check(parcours.Timeline{Profile: canon.Profile}, now, "no events")
			// The same events, copied: another array, so it starts over.
			check(parcours.Timeline{Profile: canon.Profile, Events: slices.Clone(evs)}, now, "a copy")
		}
	}
	if fastCalls < 1000 {
		t.Errorf("only %d calls on growing prefixes", fastCalls)
	}
}

func BenchmarkTracker(b *testing.B) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(1, 1))
	var evs []parcours.Event
	for i := range 2000 {
		evs = append(evs, parcours.Event{ID: fmt.Sprint("e", 100000+i), Type: []string{parcours.Order, parcours.MessageSent, parcours.MessageOpened}[r.IntN(3)],
			Time: now.Add(time.Duration(i-2000) * 9 * time.Hour), Props: map[string]any{parcours.PropAmount: 20.0}})
	}
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c"}, Events: evs}
	for _, name := range []string{"compute", "tracker"} {
		b.Run(name+"/events=2000", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tr := Config{}.Tracker()
				for i := range evs {
					p := parcours.Timeline{Profile: tl.Profile, Events: evs[:i+1]}
					if name == "compute" {
						Compute(p, evs[i].Time, Config{})
					} else {
						tr.Facts(p, evs[i].Time)
					}
				}
			}
		})
	}
}
