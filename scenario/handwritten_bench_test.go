package scenario

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/trigger"
)

func benchEngine(t testing.TB, n int) *Engine {
	t.Helper()
	ss, p := loadBench(t)
	eng, err := Compile(copies(ss, n), WithPolicy(p))
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

// copies returns n scenarios cycling through ss, renamed past the first
// round so that IDs stay unique.
func copies(ss []Scenario, n int) []Scenario {
	out := make([]Scenario, 0, n)
	for i := range n {
		s := ss[i%len(ss)]
		if i >= len(ss) {
			s.ID = fmt.Sprintf("%s-%d", s.ID, i/len(ss))
		}
		out = append(out, s)
	}
	return out
}

// TestHandWrittenAgrees checks the benchmark's two sides against each
// other: on generated customers of 10 to 300 events, at four instants
// around the end of their history (before it, at it, a day and nine days
// later), the Engine and the hand-written evaluator return the same Due,
// Deferred and Skipped, every field, and the Engine reports no error.
func TestHandWrittenAgrees(t *testing.T) {
	eng := benchEngine(t, 20)
	h := newHand()
	n := 600
	if testing.Short() {
		n = 80
	}
	sizes := []int{10, 20, 35, 50, 80, 120, 200}
	var due, deferred, skipped int
	for seed := range uint64(n) {
		tl := genTimeline(seed, sizes[seed%uint64(len(sizes))])
		if seed%5 == 1 { // the slow path of the canonical view too
			rand.New(rand.NewPCG(seed, 3)).Shuffle(len(tl.Events), func(i, j int) { tl.Events[i], tl.Events[j] = tl.Events[j], tl.Events[i] })
		}
		for _, now := range []time.Time{benchEnd.Add(-61 * time.Hour), benchEnd, benchEnd.Add(31 * time.Hour), benchEnd.Add(9 * 24 * time.Hour)} {
			got := eng.Evaluate(tl, now)
			want := h.evaluate(tl, now)
			if len(got.Errors) > 0 {
				t.Fatalf("seed %d at %s: errors %v", seed, now, got.Errors)
			}
			got.Next, want.Next = time.Time{}, time.Time{}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("seed %d (%d events) at %s: Engine differs from the hand-written evaluator (-hand +engine):\n%s", seed, len(tl.Events), now, diff)
			}
			due += len(got.Due)
			deferred += len(got.Deferred)
			skipped += len(got.Skipped)
		}
	}
	// A comparison of empty results would prove nothing.
	if due < n/4 || deferred < n/40 || skipped < n/4 {
		t.Errorf("too few actions to compare: %d due, %d deferred, %d skipped", due, deferred, skipped)
	}
	t.Logf("%d timelines: %d due, %d deferred, %d skipped, all equal", n, due, deferred, skipped)
}

// loop runs f b.N times on one OS thread and reports its CPU time per
// operation as cpu-ns/op (Linux), the figure to compare on a loaded
// machine.
func loop(b *testing.B, f func(i int)) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	start, n := threadCPU(), 0
	for b.Loop() {
		f(n)
		n++
	}
	if cpu := threadCPU() - start; cpu > 0 && n > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/op")
	}
}

// benchSizes are the base events per customer of the benchmark.
var benchSizes = []int{10, 50, 500, 2000, 5000}

// benchCustomers returns a few generated customers of n base events, so a
// benchmark does not measure one lucky timeline.
func benchCustomers(n int) []parcours.Timeline {
	tls := make([]parcours.Timeline, 4)
	for i := range tls {
		tls[i] = genTimeline(uint64(1000+i), n)
	}
	return tls
}

// BenchmarkVersusHandWritten runs the Engine and the hand-written
// evaluator side by side on the same customers (20 scenarios, full
// policy) at 10 to 5,000 base events. Compare the two with benchstat.
func BenchmarkVersusHandWritten(b *testing.B) {
	eng := benchEngine(b, 20)
	h := newHand()
	for _, n := range benchSizes {
		tls := benchCustomers(n)
		b.Run(fmt.Sprintf("events=%d/parcours", n), func(b *testing.B) {
			loop(b, func(i int) { eng.Evaluate(tls[i%len(tls)], benchEnd) })
		})
		b.Run(fmt.Sprintf("events=%d/hand", n), func(b *testing.B) {
			loop(b, func(i int) { h.evaluate(tls[i%len(tls)], benchEnd) })
		})
	}
}

// BenchmarkScenarioCount is the Engine at 1, 5, 20 and 100 scenarios (the
// 20 repeated under new IDs) on customers of 50 base events, beside the
// hand-written evaluator run once per 20 scenarios.
func BenchmarkScenarioCount(b *testing.B) {
	tls := benchCustomers(50)
	h := newHand()
	for _, n := range []int{1, 5, 20, 100} {
		eng := benchEngine(b, n)
		b.Run(fmt.Sprintf("scenarios=%d/parcours", n), func(b *testing.B) {
			loop(b, func(i int) { eng.Evaluate(tls[i%len(tls)], benchEnd) })
		})
		b.Run(fmt.Sprintf("scenarios=%d/hand", n), func(b *testing.B) {
			// The hand-written side has the 20 scenarios; 100 of them
			// are five times its work.
			loop(b, func(i int) {
				for range max(1, n/20) {
					h.evaluate(tls[i%len(tls)], benchEnd)
				}
			})
		})
	}
}

// BenchmarkLongHistory is issue 13's worst cases for the evaluator's
// cost: a per-event trigger with an exit condition on 5,000 page views
// (3.1 s before the exit memo), and a When trigger on 100,000 events (30
// s before the index). Both are now linear in the history, up to a
// logarithm.
func BenchmarkLongHistory(b *testing.B) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	history := func(n int) parcours.Timeline {
		tl := parcours.Timeline{Profile: parcours.Profile{ID: "c", Consent: map[parcours.Channel]bool{parcours.Email: true}}}
		for i := range n {
			typ := "page_view"
			if i%97 == 0 {
				typ = parcours.Order
			}
			tl.Events = append(tl.Events, parcours.Event{ID: fmt.Sprint("e", i), Type: typ, Time: t0.Add(time.Duration(i) * 7 * time.Minute)})
		}
		return tl
	}
	for _, c := range []struct {
		name string
		s    Scenario
		n    int
	}{
		{"on-with-exit/events=5000", Scenario{ID: "browse", Trigger: Trigger{On: []string{"page_view"}}, Exit: []string{`event.type == "order"`},
			Steps: []Step{{ID: "w", Wait: &Wait{For: parcours.Duration(time.Hour)}}, {ID: "s", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "t"}}}}, 5000},
		// A segment trigger tests facts() at every event: 566 ms before
		// segment.Tracker let the facts follow the scan.
		{"segment/events=2000", Scenario{ID: "loyal", Trigger: Trigger{Spec: trigger.Spec{Segment: &trigger.SegmentSpec{Name: "loyal"}}}, Reentry: Reentry{Mode: Once},
			Steps: []Step{{ID: "s", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "t"}}}}, 2000},
		{"when/events=100000", Scenario{ID: "lapsed", Trigger: Trigger{When: `hasEvent("order") && daysSince("order") > 90`},
			Reentry: Reentry{Mode: OncePer, Period: parcours.Duration(180 * 24 * time.Hour)},
			Steps:   []Step{{ID: "s", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "t"}}}}, 100000},
	} {
		eng, err := Compile([]Scenario{c.s})
		if err != nil {
			b.Fatal(err)
		}
		tl := history(c.n)
		now := tl.Events[len(tl.Events)-1].Time.Add(time.Hour)
		b.Run(c.name, func(b *testing.B) { loop(b, func(int) { eng.Evaluate(tl, now) }) })
	}
}
