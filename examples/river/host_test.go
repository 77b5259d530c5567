package riverhost

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

// sink is a Sender that counts deliveries per key, as a provider that
// deduplicates on the idempotency key would see them.
type sink struct {
	mu    sync.Mutex
	tries map[string]int
}

func newSink() *sink { return &sink{tries: map[string]int{}} }

func (s *sink) Send(_ context.Context, m Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tries[m.Key]++
	return nil
}

func (s *sink) keys() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps(s.tries)
}

func maps(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

var simFrom = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func shopOptions() []scenario.Option { return []scenario.Option{scenario.WithPolicy(ShopPolicy())} }

// startShop opens a host on a new SQLite file with cfg's sender, clock and
// logger, loads the shop's scenarios and policy, starts it, and stops it
// when the test ends.
func startShop(ctx context.Context, t *testing.T, cfg Config) *Host {
	t.Helper()
	cfg.DSN = filepath.Join(t.TempDir(), "shop.sqlite")
	cfg.Options, cfg.PollInterval = shopOptions(), 5*time.Millisecond
	h, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.PutScenarios(ctx, ShopScenarios()); err != nil {
		t.Fatal(err)
	}
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(context.Background()) })
	return h
}

// TestShopSixtyDaysSQLite drives a generated shop through 60 days on
// SQLite with a manual clock and checks the host against Engine.Replay:
// every action it would send is sent, once, at the same instant, and the
// cap holds.
func TestShopSixtyDaysSQLite(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	customers := 30
	if testing.Short() {
		customers = 10
	}
	clock := &ManualClock{}
	snk := newSink()
	h := startShop(ctx, t, Config{Sender: snk, Clock: clock, Logger: testLogger(t)})
	shop := Shop(1, customers, simFrom, 60)
	to := simFrom.Add(60 * 24 * time.Hour)
	start := time.Now()
	if err := Simulate(ctx, h, clock, shop, simFrom, to); err != nil {
		t.Fatal(err)
	}
	st := h.Stats()
	t.Logf("%d customers, 60 days in %s: %+v", customers, time.Since(start).Round(time.Millisecond), st)
	checkAgainstReplay(t, h, snk.keys(), shop, simFrom, to)
}

// checkAgainstReplay compares what the host sent with what an ideal
// scheduler sends on the same timelines.
func checkAgainstReplay(t *testing.T, h *Host, delivered map[string]int, shop []ShopCustomer, from, to time.Time) {
	t.Helper()
	checkAgainst(t, h, delivered, shop, func(eng *scenario.Engine, base parcours.Timeline) []scenario.Sent {
		rep, err := eng.Replay(base, from, to)
		if err != nil {
			t.Fatal(err)
		}
		return rep.Sent
	})
}

// checkAgainst compares what the host sent with what oracle says should
// be sent on the same timelines.
func checkAgainst(t *testing.T, h *Host, delivered map[string]int, shop []ShopCustomer, oracle func(*scenario.Engine, parcours.Timeline) []scenario.Sent) {
	t.Helper()
	ctx := context.Background()
	eng, err := scenario.Compile(ShopScenarios(), shopOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[string]bool{}
	total := 0
	for _, c := range shop {
		tl, err := h.Timeline(ctx, c.Profile.ID)
		if err != nil {
			t.Fatal(err)
		}
		base := tl
		base.Events = slices.DeleteFunc(slices.Clone(tl.Events), func(e parcours.Event) bool { return e.Type == parcours.MessageSent })
		var want, got []string
		for _, s := range oracle(eng, base) {
			want = append(want, s.Key+" "+s.At.UTC().Format(time.RFC3339)+" "+s.Scenario+"/"+s.Step)
		}
		var emails []time.Time
		for _, e := range tl.Events {
			if e.Type != parcours.MessageSent {
				continue
			}
			sc, _ := e.String(parcours.PropScenario)
			st, _ := e.String(parcours.PropStep)
			got = append(got, e.ID+" "+e.Time.UTC().Format(time.RFC3339)+" "+sc+"/"+st)
			recorded[e.ID] = true
			if tr, _ := e.Bool(parcours.PropTransactional); !tr && e.Channel == string(parcours.Email) {
				emails = append(emails, e.Time)
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		total += len(got)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("customer %s: sent (-replay +host):\n%s", c.Profile.ID, d)
		}
		for i := range emails {
			if i >= 2 && emails[i].Sub(emails[i-2]) < 7*24*time.Hour {
				t.Errorf("customer %s: cap of 2 emails in 7 days exceeded at %s", c.Profile.ID, emails[i])
			}
		}
	}
	if total == 0 {
		t.Fatal("nothing was sent: the test proves nothing")
	}
	for key, n := range delivered {
		if !recorded[key] {
			t.Errorf("message %s delivered but not recorded", key)
		}
		if n > 1 {
			t.Logf("message %s handed over %d times (same key: delivered once)", key, n)
		}
	}
	for key := range recorded {
		if delivered[key] == 0 {
			t.Errorf("message %s recorded but never delivered", key)
		}
	}
	t.Logf("%d messages sent to %d customers, each once", total, len(shop))
	_ = fmt.Sprint
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// replaySteps is Engine.Replay for a scheduler that runs at whole steps
// from from: it evaluates a customer at a step when events arrived since
// the previous one or the last Result.Next has come, and sends what is
// due at that step.
func replaySteps(eng *scenario.Engine, tl parcours.Timeline, from, to time.Time, step time.Duration) []scenario.Sent {
	var out []scenario.Sent
	evs := []parcours.Event{}
	i := 0
	var next time.Time
	for at := from; !at.After(to); at = at.Add(step) {
		woken := at.Equal(from) || (!next.IsZero() && !next.After(at))
		for i < len(tl.Events) && !tl.Events[i].Time.After(at) {
			evs = append(evs, tl.Events[i])
			i, woken = i+1, true
		}
		if !woken {
			continue
		}
		for {
			res := eng.Evaluate(parcours.Timeline{Profile: tl.Profile, Events: evs}, at)
			if len(res.Due) == 0 {
				next = res.Next
				break
			}
			for _, a := range res.Due {
				evs = append(evs, a.SentEvent(a.Key, at))
				out = append(out, scenario.Sent{Action: a, At: at})
			}
		}
	}
	return out
}
