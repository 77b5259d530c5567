package scenario

import (
	"fmt"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// TestQuietCustomerCostsNothingPerScenario: for a customer none of whose
// events fires a scenario, the common case of a daily run, evaluating
// 100 scenarios allocates no more than evaluating one (issue 12: no
// allocation per scenario that does not fire).
func TestQuietCustomerCostsNothingPerScenario(t *testing.T) {
	if raceOn || testing.Short() {
		t.Skip("allocation counts: the race detector's sync.Pool drops memory on purpose")
	}
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "q", TimeZone: "Europe/Paris", Consent: map[parcours.Channel]bool{parcours.Email: true}}}
	for i := range 30 {
		tl.Events = append(tl.Events, parcours.Event{ID: fmt.Sprint("p", i), Type: "page_view", Channel: "app", Time: benchEnd.Add(-time.Duration(30-i) * 30 * time.Hour)})
	}
	allocs := map[int]float64{}
	for _, n := range []int{1, 20, 100} {
		eng := benchEngine(t, n)
		if r := eng.Evaluate(tl, benchEnd); len(r.Due)+len(r.Skipped)+len(r.Deferred)+len(r.Errors) > 0 {
			t.Fatalf("%d scenarios: the customer is not quiet: %+v", n, r)
		}
		allocs[n] = testing.AllocsPerRun(20, func() { eng.Evaluate(tl, benchEnd) })
	}
	if allocs[100] > allocs[1] || allocs[20] > allocs[1] {
		t.Errorf("allocations per evaluation by scenario count %v: more scenarios cost more", allocs)
	}
	t.Logf("allocations per evaluation by scenario count: %v", allocs)
}
