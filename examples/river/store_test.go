package riverhost

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

// TestStoreLoadsTheSlice: what the worker loads from the database is
// the slice Engine.Reads describes (or, for types read through Other, a
// superset that evaluates the same), and evaluates as the whole timeline.
func TestStoreLoadsTheSlice(t *testing.T) {
	ctx := context.Background()
	h, err := Open(ctx, Config{DSN: filepath.Join(t.TempDir(), "s.sqlite"), Sender: newSink(), Options: shopOptions()})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	shop := Shop(5, 40, simFrom, 90)
	for _, c := range shop {
		if err := h.st.putCustomer(ctx, h.st.db, c.Profile); err != nil {
			t.Fatal(err)
		}
		if _, err := h.st.addEvents(ctx, h.st.db, c.Profile.ID, c.Events); err != nil {
			t.Fatal(err)
		}
	}
	eng, err := scenario.Compile(ShopScenarios(), shopOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	everything := scenario.Reads{Other: scenario.Span{Back: scenario.Forever}}
	withOther := eng.Reads()
	withOther.Other = scenario.Span{Back: 10 * 24 * time.Hour, Prior: true} // other types: a superset is loaded
	for _, r := range []scenario.Reads{eng.Reads(), everything, withOther} {
		loaded, total := 0, 0
		for _, c := range shop {
			for _, now := range []time.Time{simFrom, simFrom.Add(45 * 24 * time.Hour), simFrom.Add(89 * 24 * time.Hour)} {
				whole, err := h.st.wholeTimeline(ctx, h.st.db, c.Profile.ID)
				if err != nil {
					t.Fatal(err)
				}
				got, err := h.st.timeline(ctx, h.st.db, whole.Profile, r, now)
				if err != nil {
					t.Fatal(err)
				}
				want := r.Slice(whole, now)
				if r.Other.Prior {
					if len(got.Events) < len(want.Events) {
						t.Fatalf("%s at %s: loaded %d events, fewer than the slice's %d", c.Profile.ID, now, len(got.Events), len(want.Events))
					}
				} else if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
					t.Fatalf("%s at %s: loaded (-slice +got):\n%s", c.Profile.ID, now, d)
				}
				if d := cmp.Diff(eng.Evaluate(whole, now), eng.Evaluate(got, now), cmpopts.IgnoreFields(scenario.Result{}, "Errors"), cmpopts.EquateEmpty()); d != "" {
					t.Fatalf("%s at %s: evaluation of what was loaded differs (-whole +loaded):\n%s", c.Profile.ID, now, d)
				}
				loaded += len(got.Events)
				total += len(whole.At(now).Events)
			}
		}
		t.Logf("loaded %d of %d events", loaded, total)
	}
	_ = parcours.Order
}
