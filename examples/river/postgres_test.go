package riverhost

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

// The Postgres tests need a database they may empty: set
// PARCOURS_POSTGRES_DSN to its URL (.ci/run starts one). Without it they
// skip.
const dsnEnv = "PARCOURS_POSTGRES_DSN"

func postgresDSN(t *testing.T) string {
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		t.Skipf("no Postgres: set %s to the URL of a database the test may empty (postgres://user:pass@localhost/db); .ci/run starts one", dsnEnv)
	}
	return dsn
}

// resetPostgres empties the test database: River's tables, ours and the
// simulated clock.
func resetPostgres(t *testing.T, dsn string) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{`DROP SCHEMA IF EXISTS public CASCADE`, `CREATE SCHEMA public`,
		`CREATE TABLE sim_clock (now BIGINT NOT NULL)`, `INSERT INTO sim_clock VALUES (0)`} {
		if _, err := db.Exec(stmt); err != nil {
			t.Skipf("Postgres at %s unusable (%v): skipping", dsnEnv, err)
		}
	}
}

// dbClock is a simulated clock shared by processes through the database.
type dbClock struct{ db *sql.DB }

func (c dbClock) Now() time.Time {
	var n int64
	if err := c.db.QueryRow(`SELECT now FROM sim_clock`).Scan(&n); err != nil {
		panic(fmt.Sprintf("sim_clock: %v", err)) // the test's own table: cannot fail but by a broken setup
	}
	return fromNanos(n)
}

func (c dbClock) Set(t time.Time) {
	if _, err := c.db.Exec(`UPDATE sim_clock SET now = $1`, nanos(t)); err != nil {
		panic(fmt.Sprintf("sim_clock: %v", err))
	}
}

// TestWorkerProcess is not a test: it is the worker process the Postgres
// test starts (several times), when RIVERHOST_WORKER is set.
func TestWorkerProcess(t *testing.T) {
	dsn := os.Getenv("RIVERHOST_WORKER")
	if dsn == "" {
		t.Skip("worker process for TestPostgresWorkersKilled")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	clockDB, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	workers, _ := strconv.Atoi(os.Getenv("RIVERHOST_WORKERS"))
	h, err := Open(ctx, Config{DSN: dsn, Sender: Webhook(os.Getenv("RIVERHOST_WEBHOOK"), nil), Clock: dbClock{clockDB},
		Options: shopOptions(), PollInterval: 20 * time.Millisecond, RescueAfter: 10 * time.Second, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	<-ctx.Done()
	st := h.Stats()
	_ = h.Stop(context.Background())
	b, _ := json.Marshal(st)
	fmt.Printf("STATS %s\n", b)
}

// receiver is a webhook endpoint that deduplicates on Idempotency-Key,
// as a message provider does, and counts what it was handed.
type receiver struct {
	mu    sync.Mutex
	tries map[string]int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var m Message
	if err := json.NewDecoder(req.Body).Decode(&m); err != nil || m.Key != req.Header.Get("Idempotency-Key") {
		http.Error(w, "bad message", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.tries[m.Key]++
	r.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

type workerProc struct {
	cmd *exec.Cmd
	out bytes.Buffer
}

func startWorkers(t *testing.T, dsn, webhook string, n, workers int) []*workerProc {
	var procs []*workerProc
	for range n {
		p := &workerProc{cmd: exec.Command(os.Args[0], "-test.run=^TestWorkerProcess$", "-test.v")}
		p.cmd.Env = append(os.Environ(), "RIVERHOST_WORKER="+dsn, "RIVERHOST_WEBHOOK="+webhook, "RIVERHOST_WORKERS="+strconv.Itoa(workers))
		p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, p)
	}
	t.Cleanup(func() {
		for _, p := range procs {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	return procs
}

// stopWorkers stops the processes still alive and adds up their stats.
func stopWorkers(t *testing.T, procs []*workerProc) Stats {
	var total Stats
	for _, p := range procs {
		if p.cmd.ProcessState != nil {
			continue // killed
		}
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		_ = p.cmd.Wait()
		for _, line := range bytes.Split(p.out.Bytes(), []byte("\n")) {
			if rest, ok := bytes.CutPrefix(line, []byte("STATS ")); ok {
				var s Stats
				if err := json.Unmarshal(rest, &s); err == nil {
					total = addStats(total, s)
				}
			}
		}
	}
	return total
}

func addStats(a, b Stats) Stats {
	a.Wakeups += b.Wakeups
	a.Evaluations += b.Evaluations
	a.Sent += b.Sent
	a.Resent += b.Resent
	a.EventsRead += b.EventsRead
	a.Load += b.Load
	a.Evaluate += b.Evaluate
	a.Send += b.Send
	a.Write += b.Write
	a.Total += b.Total
	return a
}

// TestPostgresWorkersKilled runs 3 worker processes over a shop of 10,000
// customers (PARCOURS_POSTGRES_CUSTOMERS to change it) through 60 days,
// the scheduler stepping 6 hours at a time,
// kills one of them with SIGKILL a third of the way, and checks that
// nothing was sent twice and nothing was lost: every message an ideal
// scheduler stepping the same way sends was delivered and recorded, once.
func TestPostgresWorkersKilled(t *testing.T) {
	dsn := postgresDSN(t)
	if testing.Short() {
		t.Skip("-short")
	}
	resetPostgres(t, dsn)
	customers := 10_000
	if n, err := strconv.Atoi(os.Getenv("PARCOURS_POSTGRES_CUSTOMERS")); err == nil && n > 0 {
		customers = n
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()

	rcv := &receiver{tries: map[string]int{}}
	srv := httptest.NewServer(rcv) // loopback only
	defer srv.Close()

	clockDB, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer clockDB.Close()
	clock := dbClock{clockDB}
	// The driver: ingests, wakes due customers, works no job itself.
	h, err := Open(ctx, Config{DSN: dsn, Sender: Webhook(srv.URL, srv.Client()), Clock: clock, Options: shopOptions(),
		PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if err := h.PutScenarios(ctx, ShopScenarios()); err != nil {
		t.Fatal(err)
	}
	procs := startWorkers(t, dsn, srv.URL, 3, 4)

	// Page views only wake customers up (the 60-day SQLite test keeps
	// them); a scheduler running every 6 hours keeps the test to minutes.
	shop := Shop(3, customers, simFrom, 60)
	for i := range shop {
		shop[i].Events = slices.DeleteFunc(shop[i].Events, func(e parcours.Event) bool { return e.Type == "page_view" })
	}
	const step = 6 * time.Hour
	to := simFrom.Add(60 * 24 * time.Hour)
	killAt := simFrom.Add(20 * 24 * time.Hour)
	killed := false
	start := time.Now()
	err = simulateWith(ctx, h, clock, shop, simFrom, to, step, func(now time.Time) {
		if !killed && !now.Before(killAt) {
			killed = true
			// Mid-run, while it may hold jobs: no chance to clean up.
			_ = procs[0].cmd.Process.Kill()
			_ = procs[0].cmd.Wait()
			t.Logf("killed worker process %d at %s (simulated), after %s", procs[0].cmd.Process.Pid, now.Format(time.DateOnly), time.Since(start).Round(time.Second))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	st := stopWorkers(t, procs)
	t.Logf("%d customers, 60 days, 3 worker processes (one killed): %s; surviving workers: %+v", customers, elapsed.Round(time.Second), st)
	if !killed {
		t.Fatal("no worker was killed")
	}
	rcv.mu.Lock()
	delivered := maps(rcv.tries)
	rcv.mu.Unlock()
	checkAgainst(t, h, delivered, shop, func(eng *scenario.Engine, base parcours.Timeline) []scenario.Sent {
		return replaySteps(eng, base, simFrom, to, step)
	})
}
