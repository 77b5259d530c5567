package scenario

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

// TestConcurrentEvaluate: one Engine evaluated from many goroutines at
// once gives each customer the Result it gets alone. Run it with -race:
// the Engine is documented immutable and safe for concurrent use.
func TestConcurrentEvaluate(t *testing.T) {
	ss, p := loadBench(t)
	eng, err := Compile(ss, WithPolicy(p))
	if err != nil {
		t.Fatal(err)
	}
	const customers, goroutines = 12, 16
	n := customers
	if testing.Short() {
		n = 6
	}
	type job struct {
		i    int
		want []byte
	}
	var jobs []job
	// The timelines are shared by every goroutine: Evaluate must not
	// write to its input either.
	tls := make([]parcours.Timeline, n)
	for i := range n {
		tl := genTimeline(uint64(i+1), 40+5*i)
		tls[i] = tl
		want, err := json.Marshal(eng.Evaluate(tl, benchEnd))
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, job{i, want})
	}
	var wg sync.WaitGroup
	errs := make(chan string, goroutines*n)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				j := jobs[(k+g)%len(jobs)] // each goroutine its own order
				got, err := json.Marshal(eng.Evaluate(tls[j.i], benchEnd))
				if err != nil {
					errs <- err.Error()
					continue
				}
				if diff := cmp.Diff(string(j.want), string(got)); diff != "" {
					errs <- diff
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("a concurrent evaluation differs from the one alone:\n%s", e)
		break
	}
}
