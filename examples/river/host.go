package riverhost

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // Postgres for database/sql
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	_ "modernc.org/sqlite" // SQLite for database/sql, pure Go
)

// Clock is the host's time. Evaluations happen at Clock.Now; the
// parcours library never reads the time itself.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real time.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// ManualClock is a clock that moves only when told: tests and demos that
// run weeks in seconds. The zero value stands at the zero time; it is
// safe for concurrent use.
type ManualClock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Config configures a Host. DSN and Sender are required.
type Config struct {
	// DSN is a Postgres URL (postgres:// or postgresql://) or a SQLite
	// database file name (created if missing).
	DSN string
	// Sender delivers the messages.
	Sender Sender
	// Clock is the time evaluations use; nil means SystemClock.
	Clock Clock
	// Options are passed to scenario.Compile (WithPolicy, WithSegments...).
	Options []scenario.Option
	// Workers is how many customers one process evaluates at once;
	// default 8 (SQLite: 2, it has one connection).
	Workers int
	// PollInterval is how often River looks for jobs; default 1s.
	PollInterval time.Duration
	// RescueAfter is how long a job may run before River takes it as
	// stuck (its worker died) and runs it again; default 1 minute.
	RescueAfter time.Duration
	// Logger receives River's and the host's logs; nil discards them.
	Logger *slog.Logger
}

// Host stores customers, events and scenarios, and runs the workers.
type Host struct {
	cfg      Config
	st       *store
	clock    Clock
	client   *river.Client[*sql.Tx]
	complete func(context.Context, *sql.Tx, *river.Job[WakeArgs]) error

	mu    sync.RWMutex
	eng   *scenario.Engine
	reads scenario.Reads

	stats stats

	loadAll bool // benchmarks: load whole timelines, not Engine.Reads
}

// Open connects to the database, creates the tables (ours and River's)
// and returns a Host that is not yet working; call PutScenarios and
// Start.
func Open(ctx context.Context, cfg Config) (*Host, error) {
	if cfg.Sender == nil {
		return nil, errors.New("riverhost: Config.Sender is required")
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.RescueAfter <= 0 {
		cfg.RescueAfter = time.Minute
	}
	h := &Host{cfg: cfg, clock: cfg.Clock}
	postgres := strings.HasPrefix(cfg.DSN, "postgres://") || strings.HasPrefix(cfg.DSN, "postgresql://")
	var db *sql.DB
	var err error
	if postgres {
		if cfg.Workers <= 0 {
			cfg.Workers = 8
		}
		if db, err = sql.Open("pgx", cfg.DSN); err == nil {
			db.SetMaxOpenConns(cfg.Workers + 4)
		}
	} else {
		if cfg.Workers <= 0 {
			cfg.Workers = 2
		}
		dsn := "file:" + cfg.DSN + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
		if db, err = sql.Open("sqlite", dsn); err == nil {
			// River's SQLite driver wants one connection: SQLite runs
			// one writer at a time.
			db.SetMaxOpenConns(1)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("riverhost: open: %w", err)
	}
	h.cfg = cfg
	h.st = &store{db: db, postgres: postgres}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("riverhost: open: %w", err)
	}
	var driver riverdriver.Driver[*sql.Tx]
	if postgres {
		d := riverdatabasesql.New(db)
		driver = d
		h.complete = func(ctx context.Context, tx *sql.Tx, job *river.Job[WakeArgs]) error {
			_, err := river.JobCompleteTx[*riverdatabasesql.Driver](ctx, tx, job)
			return err
		}
	} else {
		d := riversqlite.New(db)
		driver = d
		h.complete = func(ctx context.Context, tx *sql.Tx, job *river.Job[WakeArgs]) error {
			_, err := river.JobCompleteTx[*riversqlite.Driver](ctx, tx, job)
			return err
		}
	}
	if err := h.migrate(ctx, driver); err != nil {
		db.Close()
		return nil, err
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &wakeWorker{h: h})
	h.client, err = river.NewClient(driver, &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:              workers,
		FetchCooldown:        min(cfg.PollInterval, 100*time.Millisecond),
		FetchPollInterval:    cfg.PollInterval,
		JobTimeout:           cfg.RescueAfter / 2,
		RescueStuckJobsAfter: cfg.RescueAfter,
		Logger:               cfg.Logger,
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("riverhost: %w", err)
	}
	return h, nil
}

func (h *Host) migrate(ctx context.Context, driver riverdriver.Driver[*sql.Tx]) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: h.cfg.Logger})
	if err != nil {
		return fmt.Errorf("riverhost: river migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("riverhost: river migrations: %w", err)
	}
	return h.st.migrate(ctx)
}

// PutScenarios stores scenario versions (each version is kept; the
// latest of each ID runs) and reloads the engine. It fails, storing
// nothing, if the latest versions do not compile together.
func (h *Host) PutScenarios(ctx context.Context, scs []scenario.Scenario) error {
	tx, err := h.st.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, sc := range scs {
		if err := h.st.putScenario(ctx, tx, sc); err != nil {
			return err
		}
	}
	latest, err := h.st.scenarios(ctx, tx)
	if err != nil {
		return err
	}
	eng, err := scenario.Compile(latest, h.cfg.Options...)
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	h.setEngine(eng)
	return nil
}

// Reload compiles the latest stored scenarios: a worker process whose
// scenarios were put by another one calls it at start.
func (h *Host) Reload(ctx context.Context) error {
	latest, err := h.st.scenarios(ctx, h.st.db)
	if err != nil {
		return err
	}
	eng, err := scenario.Compile(latest, h.cfg.Options...)
	if err != nil {
		return err
	}
	h.setEngine(eng)
	return nil
}

func (h *Host) setEngine(eng *scenario.Engine) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.eng, h.reads = eng, eng.Reads()
}

func (h *Host) engine() (*scenario.Engine, scenario.Reads) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.loadAll {
		return h.eng, scenario.Reads{Other: scenario.Span{Back: scenario.Forever}}
	}
	return h.eng, h.reads
}

// Start starts the workers, after waking every customer with a send
// left under way by a previous process.
func (h *Host) Start(ctx context.Context) error {
	if eng, _ := h.engine(); eng == nil {
		if err := h.Reload(ctx); err != nil {
			return err
		}
	}
	ids, err := h.st.customersWithOutbox(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := h.wake(ctx, id); err != nil {
			return err
		}
	}
	return h.client.Start(ctx)
}

// Stop stops the workers, letting running jobs finish, and closes the
// database.
func (h *Host) Stop(ctx context.Context) error {
	err := h.client.Stop(ctx)
	return errors.Join(err, h.st.db.Close())
}

// Close closes the database of a Host that was never started.
func (h *Host) Close() error { return h.st.db.Close() }

// PutProfile stores a customer's profile and wakes the customer.
func (h *Host) PutProfile(ctx context.Context, p parcours.Profile) error {
	if p.ID == "" {
		return errors.New("riverhost: profile without ID")
	}
	if err := h.st.putCustomer(ctx, h.st.db, p); err != nil {
		return err
	}
	return h.wake(ctx, p.ID)
}

// Ingest appends events to a customer's timeline and wakes the customer
// if any is new. Events are idempotent on their ID: ingesting one again
// changes nothing. Every event needs an ID, a type and a time.
func (h *Host) Ingest(ctx context.Context, customer string, evs ...parcours.Event) (added int, err error) {
	if customer == "" {
		return 0, errors.New("riverhost: event without customer")
	}
	for i, e := range evs {
		if e.ID == "" || e.Type == "" || e.Time.IsZero() {
			return 0, fmt.Errorf("riverhost: event %d of customer %q: id, type and time are required", i, customer)
		}
	}
	tx, err := h.st.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if added, err = h.st.addEvents(ctx, tx, customer, evs); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	// After the commit: a worker running for the customer now either
	// sees the events when it completes, or its next wake-up is already
	// there to be made available.
	if added > 0 {
		err = h.wake(ctx, customer)
	}
	return added, err
}

// wake makes the customer's wake-up job available now: a new one, or the
// one already scheduled later.
func (h *Host) wake(ctx context.Context, customer string) error {
	return h.wakeMany(ctx, []string{customer})
}

// wakeMany is wake for many customers, with one insert.
func (h *Host) wakeMany(ctx context.Context, customers []string) error {
	if len(customers) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(customers))
	for i, c := range customers {
		params[i] = river.InsertManyParams{Args: WakeArgs{Customer: c}}
	}
	results, err := h.client.InsertMany(ctx, params)
	if err != nil {
		return fmt.Errorf("riverhost: wake: %w", err)
	}
	for i, res := range results {
		if err := h.woken(ctx, customers[i], res); err != nil {
			return err
		}
	}
	return nil
}

func (h *Host) woken(ctx context.Context, customer string, res *rivertype.JobInsertResult) error {
	if res.UniqueSkippedAsDuplicate {
		switch res.Job.State {
		case rivertype.JobStateScheduled, rivertype.JobStateRetryable:
			if err := h.retry(ctx, customer, res.Job.ID); err != nil {
				return fmt.Errorf("riverhost: wake %s: %w", customer, err)
			}
		}
	}
	return nil
}

// retry makes the customer's job available now if it is still waiting
// (scheduled or retryable). It locks the customer's row first: a worker
// completes the customer's job and writes its next wake-up under the
// same lock, so a job is never taken out of completed (which would
// collide with its successor).
func (h *Host) retry(ctx context.Context, customer string, job int64) error {
	tx, err := h.st.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, h.st.q(`UPDATE customers SET wake_at = wake_at WHERE id = ?`), customer); err != nil {
		return err
	}
	row, err := h.client.JobGetTx(ctx, tx, job)
	if errors.Is(err, rivertype.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if row.State != rivertype.JobStateScheduled && row.State != rivertype.JobStateRetryable {
		return nil
	}
	if _, err := h.client.JobRetryTx(ctx, tx, job); err != nil {
		return fmt.Errorf("retry job %d: %w", job, err)
	}
	return tx.Commit()
}

// WakeDue makes available the wake-ups whose time has come by the host's
// clock, and the jobs waiting to be retried after an error. With the
// SystemClock River does this itself; a ManualClock that jumps ahead
// calls it after each move.
func (h *Host) WakeDue(ctx context.Context) (int, error) {
	rows, err := h.st.db.QueryContext(ctx, h.st.q(`SELECT id, wake_job FROM customers WHERE wake_at <= ? AND wake_job IS NOT NULL`), nanos(h.clock.Now()))
	if err != nil {
		return 0, err
	}
	type due struct {
		customer string
		job      int64
	}
	var dues []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.customer, &d.job); err != nil {
			rows.Close()
			return 0, err
		}
		dues = append(dues, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	// Jobs waiting for River's backoff after an error: a simulated clock
	// does not wait for real seconds.
	retryable, err := h.client.JobList(ctx, river.NewJobListParams().States(rivertype.JobStateRetryable).First(1000))
	if err != nil {
		return 0, err
	}
	for _, j := range retryable.Jobs {
		var a WakeArgs
		if json.Unmarshal(j.EncodedArgs, &a) == nil {
			dues = append(dues, due{a.Customer, j.ID})
		}
	}
	for i, d := range dues {
		if err := h.retry(ctx, d.customer, d.job); err != nil {
			return i, fmt.Errorf("riverhost: wake %s: %w", d.customer, err)
		}
	}
	return len(dues), nil
}

// Busy reports whether a wake-up is available, running or waiting for a
// retry, or due by the host's clock: whether the workers have work.
func (h *Host) Busy(ctx context.Context) (bool, error) {
	res, err := h.client.JobList(ctx, river.NewJobListParams().
		States(rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable).First(1))
	if err != nil {
		return false, err
	}
	if len(res.Jobs) > 0 {
		return true, nil
	}
	var n int
	err = h.st.db.QueryRowContext(ctx, h.st.q(`SELECT COUNT(*) FROM customers WHERE wake_at <= ? AND wake_job IS NOT NULL`), nanos(h.clock.Now())).Scan(&n)
	return n > 0, err
}

// Timeline returns a customer's whole stored timeline.
func (h *Host) Timeline(ctx context.Context, customer string) (parcours.Timeline, error) {
	tl, err := h.st.wholeTimeline(ctx, h.st.db, customer)
	if errors.Is(err, sql.ErrNoRows) {
		return tl, fmt.Errorf("%w %q", errNoCustomer, customer)
	}
	return tl, err
}

// Customers lists the stored customers' IDs.
func (h *Host) Customers(ctx context.Context) ([]string, error) {
	return h.st.ids(ctx, `SELECT id FROM customers ORDER BY id`)
}

// DB is the host's database, for tools and tests that read it.
func (h *Host) DB() *sql.DB { return h.st.db }

// Stats says where a host's time went.
type Stats struct {
	Wakeups     int64         // jobs worked
	Evaluations int64         // Evaluate calls
	Sent        int64         // messages handed to the Sender and recorded
	Resent      int64         // outbox rows sent again after a crash
	EventsRead  int64         // events loaded for evaluations
	Load        time.Duration // loading profiles and timelines
	Evaluate    time.Duration // in Engine.Evaluate
	Send        time.Duration // in the Sender
	Write       time.Duration // outbox, records, completion and scheduling
	Total       time.Duration // in the worker, all of the above
}

type stats struct {
	wakeups, evaluations, sent, resent, events atomic.Int64
	load, eval, send, write, total             atomic.Int64
}

// Stats returns counters since Open.
func (h *Host) Stats() Stats {
	s := &h.stats
	return Stats{
		Wakeups: s.wakeups.Load(), Evaluations: s.evaluations.Load(), Sent: s.sent.Load(), Resent: s.resent.Load(),
		EventsRead: s.events.Load(),
		Load:       time.Duration(s.load.Load()), Evaluate: time.Duration(s.eval.Load()),
		Send: time.Duration(s.send.Load()), Write: time.Duration(s.write.Load()), Total: time.Duration(s.total.Load()),
	}
}
