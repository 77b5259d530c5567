package segment

import (
	"iter"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// generated yields n customers with the given number of orders each plus
// one email sent and (for half of them) opened, from a seeded generator.
// Timelines are produced lazily into one reused buffer, as a host streaming
// from its database would: the 20M events of the full benchmark never
// exist at once. Every timeline is canonical (sorted, unique IDs, nothing
// after now). sample, when not nil, is called every 65536 customers.
func generated(n, orders int, seed uint64, now time.Time, sample func()) iter.Seq[parcours.Timeline] {
	return func(yield func(parcours.Timeline) bool) {
		r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		amounts := make([]any, 4096) // boxed once: boxing a float64 allocates
		for i := range amounts {
			amounts[i] = float64(5 + r.IntN(20000)/100)
		}
		stores := make([]any, 30)
		for i := range stores {
			stores[i] = "store-" + strconv.Itoa(i)
		}
		ids := make([]string, orders+2)
		for i := range ids {
			ids[i] = "e" + strconv.Itoa(i)
		}
		evs := make([]parcours.Event, orders+2)
		props := make([]map[string]any, orders)
		for i := range props {
			props[i] = map[string]any{parcours.PropAmount: nil, parcours.PropPromo: false}
		}
		attrs := map[string]any{}
		channels := []string{"web", "store"}
		for c := range n {
			if sample != nil && c%65536 == 0 {
				sample()
			}
			// Walk back from the last order so nothing lands after now.
			t := now.Add(-time.Duration(r.IntN(700*24)) * time.Hour)
			k := orders + 2
			evs[k-1] = parcours.Event{ID: ids[k-1], Type: parcours.MessageOpened, Channel: "email", Time: t.Add(-time.Hour)}
			evs[k-2] = parcours.Event{ID: ids[k-2], Type: parcours.MessageSent, Channel: "email", Time: t.Add(-2 * time.Hour)}
			if c%2 == 1 {
				evs[k-1].Type = parcours.CartAbandoned
			}
			for i := orders - 1; i >= 0; i-- {
				p := props[i]
				p[parcours.PropAmount] = amounts[r.IntN(len(amounts))]
				p[parcours.PropPromo] = r.IntN(4) == 0
				evs[i] = parcours.Event{ID: ids[i], Type: parcours.Order, Time: t, Channel: channels[r.IntN(2)], Props: p}
				t = t.Add(-time.Duration(1+r.IntN(90*24)) * time.Hour)
			}
			// Message events happened after the last order: keep sorted.
			last := evs[orders-1].Time
			evs[k-2].Time, evs[k-1].Time = last.Add(time.Hour), last.Add(2*time.Hour)
			attrs["store"] = stores[r.IntN(len(stores))]
			tl := parcours.Timeline{Profile: parcours.Profile{Attributes: attrs}, Events: evs}
			if !yield(tl) {
				return
			}
		}
	}
}

// BenchmarkPopulation is the target: segment 1,000,000 customers
// with 20 orders each (lifecycle, RFM cuts and scores, KPIs split by
// store, then a 30-day migration), under 10 s and 1 GiB on 2 cores. Run:
//
//	go test -run '^$' -bench Population -benchtime 1x -benchmem ./segment
//
// It reports the wall time per run (ns/op, and s/run), the peak heap in
// use (peak-heap-MiB, sampled while streaming and at the end) and the
// memory obtained from the OS (sys-MiB).
func BenchmarkPopulation(b *testing.B) {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	const customers, orders = 1_000_000, 20
	var peak uint64
	var ms runtime.MemStats
	sample := func() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	cfg := Config{SplitBy: "store"}
	b.ResetTimer()
	for b.Loop() {
		sum, err := Summarize(generated(customers, orders, 1, now, sample), now, cfg)
		if err != nil {
			b.Fatal(err)
		}
		sample()
		if sum.All.Customers != customers {
			b.Fatalf("read %d customers", sum.All.Customers)
		}
		mig, err := Migrate(generated(customers, orders, 1, now, sample), now.AddDate(0, 0, -30), now, cfg)
		if err != nil {
			b.Fatal(err)
		}
		if mig.Customers != customers {
			b.Fatalf("migrated %d customers", mig.Customers)
		}
	}
	sample()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MiB")
}

// BenchmarkCompute measures the facts of one customer with 20 orders.
func BenchmarkCompute(b *testing.B) {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	var tl parcours.Timeline
	for t := range generated(1, 20, 7, now, nil) {
		tl = t
	}
	th := RFMThresholds{Recency: [4]float64{10, 30, 90, 180}, Frequency: [4]float64{1, 2, 5, 10}, Monetary: [4]float64{50, 100, 500, 1000}}
	cfg := Config{Thresholds: &th, Loyalty: &LoyaltyRules{PointsPerUnit: 1, Tiers: []Tier{{Name: "silver", Points: 100}, {Name: "gold", Points: 1000}}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(tl, now, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGenerate is the cost of the benchmark's own generator over the
// same 1,000,000 x 20 population, read once: subtract it (twice, since
// BenchmarkPopulation reads the population twice) to see segment's share.
func BenchmarkGenerate(b *testing.B) {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		n := 0
		for tl := range generated(1_000_000, 20, 1, now, nil) {
			n += len(tl.Events)
		}
		if n != 22_000_000 {
			b.Fatalf("generated %d events", n)
		}
	}
}
