package report

import (
	"fmt"
	"iter"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// The population benchmark of the issue: customers with 20 orders and
// 30 messages each (plus the opens and clicks of some), generated on the
// fly so that memory measures Attribute, not the input.
//
//	go test ./report -run '^$' -bench 'Population' -benchtime 1x -count 5
//
// BenchmarkPopulationScan is the baseline: the same stream read with a
// minimal loop over every event (what any report must at least do).

const (
	benchOrders   = 20
	benchMessages = 30
)

// benchTemplates are a few customers' event patterns over a year, each
// sorted by time; a customer is a template shifted by a few hours.
func benchTemplates() [][]parcours.Event {
	r := lcg(42)
	scs := []string{"welcome", "cart", "browse", "lapsed90", "birthday", "survey"}
	var keys [benchMessages]string
	for j := range keys {
		keys[j] = fmt.Sprintf("k%02d", j)
	}
	var out [][]parcours.Event
	for range 8 {
		var evs []parcours.Event
		for j := range benchMessages {
			ch := "email"
			if r.intn(4) == 0 {
				ch = "sms"
			}
			sc := scs[r.intn(len(scs))]
			h := r.float() * 365 * day
			props := map[string]any{parcours.PropKey: keys[j], parcours.PropScenario: sc,
				parcours.PropStep: fmt.Sprint("step", r.intn(3)), parcours.PropRun: sc + "-run"}
			if sc == "lapsed90" {
				props[parcours.PropVariant] = []string{"promo", "reminder"}[r.intn(2)]
			}
			evs = append(evs, parcours.Event{ID: "s" + keys[j], Type: parcours.MessageSent, Time: at(h), Channel: ch, Props: props})
			if ch == "email" && r.intn(3) == 0 {
				evs = append(evs, opened("o"+keys[j], keys[j], ch, h+r.float()*day))
				if r.intn(3) == 0 {
					evs = append(evs, clicked("c"+keys[j], keys[j], ch, h+day+r.float()*day))
				}
			}
		}
		for k := range benchOrders {
			evs = append(evs, purchase(fmt.Sprint("p", k), float64(r.intn(20000))/100, r.float()*365*day))
		}
		slices.SortFunc(evs, func(a, b parcours.Event) int {
			if c := a.Time.Compare(b.Time); c != 0 {
				return c
			}
			return cmpString(a.ID, b.ID)
		})
		out = append(out, evs)
	}
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// benchPopulation yields n customers, reusing one event buffer.
func benchPopulation(n int) iter.Seq[parcours.Timeline] { return benchShard(n, 0, 1) }

// benchShard yields the customers shard, shard+shards... of
// benchPopulation(n).
func benchShard(n, shard, shards int) iter.Seq[parcours.Timeline] {
	tpl := benchTemplates()
	return func(yield func(parcours.Timeline) bool) {
		buf := make([]parcours.Event, 0, 128)
		for i := shard; i < n; i += shards {
			r := lcg(i)
			t := tpl[r.intn(len(tpl))]
			shift := time.Duration(r.intn(48)) * time.Hour
			buf = append(buf[:0], t...)
			for j := range buf {
				buf[j].Time = buf[j].Time.Add(shift)
			}
			if !yield(parcours.Timeline{Profile: parcours.Profile{ID: benchIDs[i%len(benchIDs)]}, Events: buf}) {
				return
			}
		}
	}
}

var benchIDs = func() []string {
	out := make([]string, 1024)
	for i := range out {
		out[i] = fmt.Sprint("cust", i)
	}
	return out
}()

var benchTo = at(370 * day)

func benchCustomers(b *testing.B) int {
	if testing.Short() {
		return 20_000
	}
	return 1_000_000
}

// cpuTime is the CPU time used by the process so far (user + system,
// every thread: the collector's too). On a loaded machine it says more
// than the wall clock, which counts the time other processes held the
// cores.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peak samples the heap in use every 10,000 customers.
type peak struct{ max uint64 }

func (p *peak) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	p.max = max(p.max, m.HeapInuse)
}

func (p *peak) wrap(seq iter.Seq[parcours.Timeline]) iter.Seq[parcours.Timeline] {
	return func(yield func(parcours.Timeline) bool) {
		i := 0
		for tl := range seq {
			if i++; i%10_000 == 0 {
				p.sample()
			}
			if !yield(tl) {
				return
			}
		}
	}
}

func BenchmarkPopulationScan(b *testing.B) {
	n := benchCustomers(b)
	var p peak
	cpu := cpuTime()
	for b.Loop() {
		var sum float64
		for tl := range p.wrap(benchPopulation(n)) {
			tl, _ = tl.Canonical(benchTo)
			for i := range tl.Events {
				if e := &tl.Events[i]; e.Type == parcours.Order {
					v, _ := e.Value()
					sum += v
				}
			}
		}
		if sum == 0 {
			b.Fatal("no revenue")
		}
	}
	cpu = cpuTime() - cpu
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/customer")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/customer")
	b.ReportMetric(float64(p.max)/(1<<20), "peak-heap-MiB")
}

// BenchmarkPopulationAttributeShards reads the population in two halves
// on two goroutines, one Attributor each, merged at the end: how a host
// uses both cores.
func BenchmarkPopulationAttributeShards(b *testing.B) {
	n := benchCustomers(b)
	var peaks [2]peak
	var att Attribution
	cpu := cpuTime()
	for b.Loop() {
		var shards [2]*Attributor
		errs := make(chan error, 2)
		for i := range shards {
			x, err := NewAttributor(time.Time{}, benchTo, Config{})
			if err != nil {
				b.Fatal(err)
			}
			shards[i] = x
			go func() {
				for tl := range peaks[i].wrap(benchShard(n, i, 2)) {
					if err := x.Add(tl); err != nil {
						errs <- err
						return
					}
				}
				errs <- nil
			}()
		}
		for range shards {
			if err := <-errs; err != nil {
				b.Fatal(err)
			}
		}
		if err := shards[0].Merge(shards[1]); err != nil {
			b.Fatal(err)
		}
		var err error
		if att, err = shards[0].Result(); err != nil {
			b.Fatal(err)
		}
	}
	if att.Orders != n*benchOrders || att.Customers != n {
		b.Fatalf("orders %d customers %d", att.Orders, att.Customers)
	}
	cpu = cpuTime() - cpu
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/customer")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/customer")
	b.ReportMetric(float64(max(peaks[0].max, peaks[1].max))/(1<<20), "peak-heap-MiB")
}

func BenchmarkPopulationAttribute(b *testing.B) {
	for _, m := range []Model{LastTouch, Linear} {
		b.Run(string(m), func(b *testing.B) {
			n := benchCustomers(b)
			var p peak
			var att Attribution
			cpu := cpuTime()
			for b.Loop() {
				var err error
				att, err = Attribute(p.wrap(benchPopulation(n)), time.Time{}, benchTo, Config{Model: m})
				if err != nil {
					b.Fatal(err)
				}
			}
			if att.Orders != n*benchOrders || att.AttributedOrders == 0 {
				b.Fatalf("orders %d attributed %v", att.Orders, att.AttributedOrders)
			}
			cpu = cpuTime() - cpu
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/customer")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/customer")
			b.ReportMetric(float64(p.max)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(att.Share*100, "share-%")
		})
	}
}
