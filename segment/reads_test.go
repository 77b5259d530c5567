package segment

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

// TestEventTypesAreAllComputeReads: dropping every event of a type not in
// EventTypes changes no fact, with and without a loyalty programme, and
// dropping one of EventTypes does change some.
func TestEventTypesAreAllComputeReads(t *testing.T) {
	now := june1
	noise := []string{"page_view", parcours.Signup, parcours.CartAbandoned, "custom"}
	for _, cfg := range []Config{{}, propertyCfg, {Loyalty: &LoyaltyRules{PointsPerUnit: 1, VisitEvents: []string{"custom"},
		Tiers: []Tier{{"silver", 10}}}}} {
		types := cfg.EventTypes()
		r := rand.New(rand.NewPCG(17, 3))
		changed := map[string]bool{}
		for range 300 {
			tl := randomTimeline(r, now)
			for i := range 5 {
				tl.Events = append(tl.Events, parcours.Event{ID: "n" + string(rune('a'+i)), Type: noise[r.IntN(len(noise))],
					Time: now.Add(-time.Duration(r.IntN(500)) * time.Hour)})
			}
			want, errW := Compute(tl, now, cfg)
			kept := tl
			kept.Events = slices.DeleteFunc(slices.Clone(tl.Events), func(e parcours.Event) bool { return !slices.Contains(types, e.Type) })
			got, errG := Compute(kept, now, cfg)
			if d := cmp.Diff(want, got); d != "" || (errW == nil) != (errG == nil) {
				t.Fatalf("types %v: facts differ (-whole +slice):\n%s\n%v / %v", types, d, errW, errG)
			}
			for _, typ := range types {
				less := tl
				less.Events = slices.DeleteFunc(slices.Clone(tl.Events), func(e parcours.Event) bool { return e.Type == typ })
				if f, err := Compute(less, now, cfg); err == nil && errW == nil && !cmp.Equal(f, want) {
					changed[typ] = true
				}
			}
		}
		for _, typ := range types {
			if !changed[typ] && typ != "custom" {
				t.Errorf("types %v: dropping %s never changed the facts: it is not read", types, typ)
			}
		}
	}
}
