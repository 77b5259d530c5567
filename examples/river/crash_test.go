package riverhost

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// flaky fails some sends the way a crash does: after the message went
// out but before the host recorded it, or before it went out at all.
type flaky struct {
	mu   sync.Mutex
	n    int
	sink *sink
}

func (f *flaky) Send(ctx context.Context, m Message) error {
	f.mu.Lock()
	f.n++
	n := f.n
	f.mu.Unlock()
	switch {
	case n%7 == 0:
		_ = f.sink.Send(ctx, m)
		return errors.New("crash after sending")
	case n%11 == 0:
		return errors.New("crash before sending")
	}
	return f.sink.Send(ctx, m)
}

// TestCrashBetweenSendAndRecord: sends that fail after or before the
// message went out are retried from the outbox under the same key, so
// every message is delivered once (the receiver deduplicates on the key)
// and recorded once, and the journeys are those of an ideal scheduler.
func TestCrashBetweenSendAndRecord(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	clock := &ManualClock{}
	snk := newSink()
	h := startShop(ctx, t, Config{Sender: &flaky{sink: snk}, Clock: clock})
	shop := Shop(2, 10, simFrom, 60)
	to := simFrom.Add(60 * 24 * time.Hour)
	if err := Simulate(ctx, h, clock, shop, simFrom, to); err != nil {
		t.Fatal(err)
	}
	delivered := snk.keys()
	again := 0
	for _, n := range delivered {
		if n > 1 {
			again++
		}
	}
	if st := h.Stats(); st.Resent == 0 || again == 0 {
		t.Fatalf("no send was retried (%+v, %d keys handed over again): the test proves nothing", st, again)
	}
	checkAgainstReplay(t, h, delivered, shop, simFrom, to)
}
