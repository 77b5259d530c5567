package trigger

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-dev/parcours"
)

// TestScanIsFiringsAndNext checks Scan, with every option, against what
// Firings and Next return, for every kind of trigger on generated
// histories: reasons left out are what Explain writes, From only drops
// the earlier firings, a Buf full of stale firings changes nothing, and
// an Index (one type or several merged) reads the same events.
func TestScanIsFiringsAndNext(t *testing.T) {
	specs := []string{
		`{"event": {"types": ["cart_abandoned"]}}`,
		`{"event": {"types": ["order"], "where": "event.channel == \"web\""}}`,
		`{"delay": {"types": ["order"], "after": "3d"}}`,
		`{"delay": {"types": ["store_visit", "order", "cart_abandoned"], "after": "2h"}}`,
		`{"event": {"types": ["page_view", "order"], "where": "event.type != \"order\" || event.channel == \"store\""}}`,
		`{"delay": {"types": ["page_view"], "after": "1h", "where": "event.type in [\"page_view\"]"}}`,
		`{"inactivity": {"after": "90d"}}`,
		`{"repurchase": {"min_orders": 2}}`,
		`{"threshold": {"property": "amount", "value": 100, "every": true}}`,
		`{"depletion": {"item": {"sku": "kibble"}, "after": "14d"}}`,
		`{"anniversary": {"first_event": "order"}}`,
		`{"anniversary": {"attribute": "birthday", "at": "10:00"}}`,
	}
	t0 := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	stale := make([]Firing, 3, 64)
	for i := range stale {
		stale[i] = Firing{Key: fmt.Sprint("stale", i), At: t0}
	}
	firings := 0
	for _, src := range specs {
		spec, err := Parse([]byte(src))
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		trg, err := spec.Compile()
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		for seed := range uint64(20) {
			tl := scanHistory(seed, t0)
			now := t0.Add(time.Duration(100+seed*10) * 24 * time.Hour) // some histories go on after now
			fs, err := trg.Firings(tl, now)
			if err != nil {
				t.Fatal(err)
			}
			next, ok, err := trg.Next(tl, now)
			if err != nil {
				t.Fatal(err)
			}
			from := now.Add(-100 * 24 * time.Hour)
			var want []Firing
			for _, f := range fs {
				if !f.At.Before(from) {
					want = append(want, f)
				}
			}
			firings += len(want)
			ix := positions(tl)
			for _, o := range []ScanOptions{{From: from}, {From: from, NoReasons: true}, {From: from, Buf: stale[:]}, {From: from, NoReasons: true, Buf: stale[:1]},
				{From: from, Index: ix}, {From: from, NoReasons: true, Buf: stale[:2], Index: ix}} {
				got, gnext, gok, err := Scan(trg, tl, now, o)
				if err != nil {
					t.Fatal(err)
				}
				for i := range got {
					got[i].Reason = Explain(trg, got[i])
				}
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s, seed %d, %+v: Scan's firings differ from Firings' (-want +got):\n%s", src, seed, o, diff)
				}
				if !gnext.Equal(next) || gok != ok {
					t.Errorf("%s, seed %d: Scan's next %v %v, Next's %v %v", src, seed, gnext, gok, next, ok)
				}
			}
		}
	}
	if firings < 100 {
		t.Errorf("only %d firings compared", firings)
	}
}

// positions is a test Index: the positions of each type, by a scan.
type positions parcours.Timeline

func (p positions) Positions(typ string) []int32 {
	var out []int32
	for i, e := range p.Events {
		if e.Type == typ {
			out = append(out, int32(i))
		}
	}
	return out
}

func scanHistory(seed uint64, t0 time.Time) parcours.Timeline {
	rng := rand.New(rand.NewPCG(seed, 11))
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c", TimeZone: "Europe/Paris", Attributes: map[string]any{"birthday": fmt.Sprintf("1990-%02d-%02d", 1+seed%12, 1+seed%28)}}}
	at := t0
	for i := range 60 + rng.IntN(60) {
		at = at.Add(time.Duration(1+rng.IntN(96)) * time.Hour)
		e := parcours.Event{ID: fmt.Sprint("e", i), Time: at}
		switch r := rng.IntN(10); {
		case r < 4:
			e.Type = "page_view"
		case r < 6:
			e.Type = parcours.CartAbandoned
			e.Props = map[string]any{parcours.PropCart: fmt.Sprint("c", rng.IntN(4))}
		default:
			e.Type, e.Channel = parcours.Order, []string{"web", "store"}[rng.IntN(2)]
			e.Props = map[string]any{"amount": float64(10 + rng.IntN(90)), "items": []any{map[string]any{"sku": []string{"kibble", "toy"}[rng.IntN(2)], "quantity": 1.0, "price": 10.0}}}
			if rng.IntN(3) > 0 { // most orders close a cart
				e.Props[parcours.PropCart] = fmt.Sprint("c", rng.IntN(4))
			}
		}
		tl.Events = append(tl.Events, e)
	}
	return tl
}
