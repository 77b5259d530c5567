package scenario

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-dev/parcours"
)

// TestPooledEvaluationForgetsTheCustomer evaluates customers of very
// different histories one after another on one Engine, whose evaluations
// reuse each other's memory, and checks each Result against an Engine
// that starts from nothing every time: nothing of one customer may leak
// into the next one's answer.
func TestPooledEvaluationForgetsTheCustomer(t *testing.T) {
	eng := benchEngine(t, 20)
	fresh := *eng
	fresh.evals = nil // no reuse: every evaluation from new memory
	var tls []parcours.Timeline
	for i, n := range []int{300, 10, 120, 0, 50, 500, 35, 80, 200, 20, 60} {
		tls = append(tls, genTimeline(uint64(7000+i), n))
	}
	instants := []time.Time{benchEnd, benchEnd.Add(-61 * time.Hour), benchEnd.Add(31 * time.Hour), benchEnd.Add(9 * 24 * time.Hour)}
	var due, skipped int
	for round := range 3 {
		for i := range tls {
			tl := tls[(i*(round+2))%len(tls)] // another order each round
			now := instants[(i+round)%len(instants)]
			got, want := eng.Evaluate(tl, now), fresh.Evaluate(tl, now)
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("round %d, customer %s (%d events): pooled evaluation differs (-fresh +pooled):\n%s", round, tl.Profile.ID, len(tl.Events), diff)
			}
			due += len(got.Due)
			skipped += len(got.Skipped)
		}
	}
	if due == 0 || skipped == 0 {
		t.Errorf("nothing to compare: %d due, %d skipped", due, skipped)
	}
}

// TestUptoFrom checks the galloping search against Timeline.Upto from
// every valid starting point, on times with ties.
func TestUptoFrom(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var evs []parcours.Event
	for i := range 40 {
		evs = append(evs, parcours.Event{Time: t0.Add(time.Duration(i/3) * time.Hour)}) // three per hour
	}
	tl := parcours.Timeline{Events: evs}
	for q := -2; q < 16; q++ {
		at := t0.Add(time.Duration(q)*time.Hour - time.Duration(q%2)*time.Minute)
		want := len(tl.Upto(at))
		for from := 0; from <= want; from++ {
			if got := uptoFrom(evs, from, at); got != want {
				t.Errorf("uptoFrom(%d, %v) = %d, want %d", from, at, got, want)
			}
		}
	}
	if got := uptoFrom(nil, 0, t0); got != 0 {
		t.Errorf("no events: %d", got)
	}
}
