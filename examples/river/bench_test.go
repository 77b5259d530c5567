package riverhost

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// TestBenchmarkWakeups measures customers evaluated per second end to
// end: a shop of PARCOURS_RIVER_BENCH customers with two years of
// history (300 page views each) is stored, then every customer is woken at once and the time
// until the workers are idle is taken. It runs on SQLite (one process,
// 1 and 3 concurrent jobs, and loading whole timelines instead of
// Engine.Reads for comparison) and, with PARCOURS_POSTGRES_DSN, on
// Postgres with 1 and 3 worker processes. Not a Go benchmark: one
// measurement of a whole system, printed as a table.
func TestBenchmarkWakeups(t *testing.T) {
	var customers int
	if _, err := fmt.Sscan(os.Getenv("PARCOURS_RIVER_BENCH"), &customers); err != nil || customers <= 0 {
		t.Skip("set PARCOURS_RIVER_BENCH to a number of customers to measure")
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	shop := Shop(7, customers, now.Add(-700*24*time.Hour), 700)
	// Long histories, as a ten-year-old customer base has: 300 page
	// views each, which no scenario reads.
	for i := range shop {
		c := &shop[i]
		for k := range 300 {
			c.Events = append(c.Events, parcours.Event{ID: fmt.Sprintf("%s-v%d", c.Profile.ID, k), Type: "page_view",
				Time: now.Add(-time.Duration(k*55) * time.Hour)})
		}
	}
	type row struct {
		name string
		rate float64
		st   Stats
	}
	var rows []row
	measure := func(name, dsn string, procs, workers int, loadAll bool) {
		ctx := context.Background()
		clock := &ManualClock{}
		clock.Set(now)
		h, err := Open(ctx, Config{DSN: dsn, Sender: newSink(), Clock: clock, Options: shopOptions(),
			PollInterval: 5 * time.Millisecond, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		h.loadAll = loadAll
		if err := h.PutScenarios(ctx, ShopScenarios()); err != nil {
			t.Fatal(err)
		}
		tx, _ := h.st.db.BeginTx(ctx, nil)
		var ids []string
		for _, c := range shop {
			if err := h.st.putCustomer(ctx, tx, c.Profile); err != nil {
				t.Fatal(err)
			}
			if _, err := h.st.addEvents(ctx, tx, c.Profile.ID, c.Events); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.Profile.ID)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		var ps []*workerProc
		if procs > 0 {
			db, err := sql.Open("pgx", dsn)
			if err != nil {
				t.Fatal(err)
			}
			dbClock{db}.Set(now) // the worker processes' clock
			db.Close()
			ps = startWorkers(t, dsn, "http://127.0.0.1:1/unused", procs, workers)
			time.Sleep(2 * time.Second) // let them start
		} else if err := h.Start(ctx); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		for len(ids) > 0 {
			n := min(len(ids), 1000)
			if err := h.wakeMany(ctx, ids[:n]); err != nil {
				t.Fatal(err)
			}
			ids = ids[n:]
		}
		if err := h.settle(ctx); err != nil {
			t.Fatal(err)
		}
		el := time.Since(start)
		st := h.Stats()
		if procs > 0 {
			st = stopWorkers(t, ps)
			h.Close()
		} else {
			h.Stop(ctx)
		}
		rows = append(rows, row{name, float64(customers) / el.Seconds(), st})
		t.Logf("%s: %d customers in %s", name, customers, el.Round(time.Millisecond))
	}
	dir := t.TempDir()
	measure("SQLite, 1 job at a time", filepath.Join(dir, "a.sqlite"), 0, 1, false)
	measure("SQLite, 3 jobs at a time", filepath.Join(dir, "b.sqlite"), 0, 3, false)
	measure("SQLite, 1 job, whole timelines", filepath.Join(dir, "c.sqlite"), 0, 1, true)
	if dsn := os.Getenv(dsnEnv); dsn != "" {
		resetPostgres(t, dsn)
		measure("Postgres, 1 worker process", dsn, 1, 4, false)
		resetPostgres(t, dsn)
		measure("Postgres, 3 worker processes", dsn, 3, 4, false)
	}
	t.Logf("%-32s %10s %8s %8s %8s %8s %8s", "", "cust/s", "load", "eval", "write", "other", "ev/cust")
	for _, r := range rows {
		tot := r.st.Total
		pct := func(d time.Duration) string { return fmt.Sprintf("%.0f%%", 100*float64(d)/float64(tot)) }
		other := tot - r.st.Load - r.st.Evaluate - r.st.Write - r.st.Send
		t.Logf("%-32s %10.0f %8s %8s %8s %8s %8.1f", r.name, r.rate, pct(r.st.Load), pct(r.st.Evaluate), pct(r.st.Write), pct(other),
			float64(r.st.EventsRead)/float64(max(r.st.Evaluations, 1)))
	}
}
