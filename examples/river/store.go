package riverhost

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

// schema is the same on SQLite and Postgres: both accept these types and
// ON CONFLICT. Times are Unix nanoseconds.
var schema = []string{
	`CREATE TABLE IF NOT EXISTS customers (
		id       TEXT PRIMARY KEY,
		profile  TEXT NOT NULL,
		version  BIGINT NOT NULL DEFAULT 0,
		wake_at  BIGINT,
		wake_job BIGINT)`,
	`CREATE INDEX IF NOT EXISTS customers_wake ON customers (wake_at)`,
	`CREATE TABLE IF NOT EXISTS events (
		customer TEXT NOT NULL,
		id       TEXT NOT NULL,
		type     TEXT NOT NULL,
		time     BIGINT NOT NULL,
		channel  TEXT NOT NULL DEFAULT '',
		props    TEXT,
		PRIMARY KEY (customer, id))`,
	`CREATE INDEX IF NOT EXISTS events_by_type ON events (customer, type, time)`,
	`CREATE TABLE IF NOT EXISTS scenarios (
		id      TEXT NOT NULL,
		version BIGINT NOT NULL,
		body    TEXT NOT NULL,
		PRIMARY KEY (id, version))`,
	`CREATE TABLE IF NOT EXISTS outbox (
		key      TEXT PRIMARY KEY,
		customer TEXT NOT NULL,
		action   TEXT NOT NULL,
		at       BIGINT NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS outbox_by_customer ON outbox (customer)`,
}

// store runs our queries, written once with ? placeholders, on either
// database.
type store struct {
	db       *sql.DB
	postgres bool
}

// q rewrites ? placeholders as $1, $2... for Postgres.
func (s *store) q(query string) string {
	if !s.postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *store) migrate(ctx context.Context) error {
	for _, stmt := range schema {
		if _, err := s.db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("riverhost: schema: %w", err)
		}
	}
	return nil
}

func nanos(t time.Time) int64 { return t.UnixNano() }

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

// putCustomer stores a profile, replacing the previous one.
func (s *store) putCustomer(ctx context.Context, q querier, p parcours.Profile) error {
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, s.q(`INSERT INTO customers (id, profile) VALUES (?, ?)
		ON CONFLICT (id) DO UPDATE SET profile = excluded.profile, version = customers.version + 1`), p.ID, string(body))
	return err
}

// addEvents appends events (those already stored, by ID, are left as
// they are) and reports how many were new. The customer is created with
// an empty profile if unknown.
func (s *store) addEvents(ctx context.Context, q querier, customer string, evs []parcours.Event) (int, error) {
	body, _ := json.Marshal(parcours.Profile{ID: customer})
	if _, err := q.ExecContext(ctx, s.q(`INSERT INTO customers (id, profile) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`),
		customer, string(body)); err != nil {
		return 0, err
	}
	added := 0
	for _, e := range evs {
		n, err := s.addEvent(ctx, q, customer, e)
		if err != nil {
			return added, err
		}
		added += n
	}
	if added > 0 {
		if _, err := q.ExecContext(ctx, s.q(`UPDATE customers SET version = version + 1 WHERE id = ?`), customer); err != nil {
			return added, err
		}
	}
	return added, nil
}

func (s *store) addEvent(ctx context.Context, q querier, customer string, e parcours.Event) (int, error) {
	var props any
	if e.Props != nil {
		b, err := json.Marshal(e.Props)
		if err != nil {
			return 0, fmt.Errorf("event %q: props: %w", e.ID, err)
		}
		props = string(b)
	}
	res, err := q.ExecContext(ctx, s.q(`INSERT INTO events (customer, id, type, time, channel, props) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (customer, id) DO NOTHING`), customer, e.ID, e.Type, nanos(e.Time), e.Channel, props)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// customer reads a profile and its version.
func (s *store) customer(ctx context.Context, q querier, id string) (parcours.Profile, int64, error) {
	p, v, _, err := s.customerOutbox(ctx, q, id)
	return p, v, err
}

// customerOutbox is customer, also saying whether sends are under way.
func (s *store) customerOutbox(ctx context.Context, q querier, id string) (parcours.Profile, int64, bool, error) {
	var body string
	var version int64
	var outbox bool
	err := q.QueryRowContext(ctx, s.q(`SELECT profile, version, EXISTS (SELECT 1 FROM outbox WHERE customer = ?) FROM customers WHERE id = ?`),
		id, id).Scan(&body, &version, &outbox)
	if err != nil {
		return parcours.Profile{}, 0, false, err
	}
	var p parcours.Profile
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return parcours.Profile{}, 0, false, fmt.Errorf("customer %q: profile: %w", id, err)
	}
	p.ID = id
	return p, version, outbox, nil
}

const eventCols = `id, type, time, channel, props`

func scanEvents(rows *sql.Rows, into []parcours.Event) ([]parcours.Event, error) {
	defer rows.Close()
	for rows.Next() {
		var e parcours.Event
		var t int64
		var props sql.NullString
		if err := rows.Scan(&e.ID, &e.Type, &t, &e.Channel, &props); err != nil {
			return into, err
		}
		e.Time = fromNanos(t)
		if props.Valid {
			if err := json.Unmarshal([]byte(props.String), &e.Props); err != nil {
				return into, fmt.Errorf("event %q: props: %w", e.ID, err)
			}
		}
		into = append(into, e)
	}
	return into, rows.Err()
}

// timeline loads what r says evaluation at now reads, in canonical order,
// in one query: a part per event type read (its window, the latest event
// before it, its first), one for the other types when they are read.
func (s *store) timeline(ctx context.Context, q querier, p parcours.Profile, r scenario.Reads, now time.Time) (parcours.Timeline, error) {
	tl := parcours.Timeline{Profile: p}
	end := nanos(now)
	var parts []string
	var args []any
	part := func(where, order string, a ...any) {
		sel := `SELECT ` + eventCols + ` FROM events WHERE customer = ? AND ` + where
		if order != "" {
			sel = `SELECT * FROM (` + sel + ` ORDER BY ` + order + ` LIMIT 1) AS x`
		}
		parts = append(parts, sel)
		args = append(append(args, p.ID), a...)
	}
	const always = -1 << 63
	from := func(sp scenario.Span) int64 {
		if sp.Back == scenario.Forever {
			return always
		}
		return nanos(now.Add(-sp.Back))
	}
	types := make([]string, 0, len(r.Types))
	for typ := range r.Types {
		types = append(types, typ)
	}
	slices.Sort(types)
	if o := r.Other; !o.IsZero() {
		// Other types: their window; their latest and first events are
		// covered by loading all of their history, a superset of the
		// slice, which evaluates the same.
		if o.Prior || o.First {
			o.Back = scenario.Forever
		}
		not, a := "", []any{from(o), end}
		if len(types) > 0 {
			not = ` AND type NOT IN (?` + strings.Repeat(", ?", len(types)-1) + `)`
			for _, t := range types {
				a = append(a, t)
			}
		}
		part(`time >= ? AND time <= ?`+not, "", a...)
	}
	for _, typ := range types {
		sp := r.Span(typ)
		start := from(sp)
		part(`type = ? AND time >= ? AND time <= ?`, "", typ, start, end)
		if sp.Prior && start > always {
			part(`type = ? AND time < ?`, "time DESC, id DESC", typ, start)
		}
		if sp.First {
			part(`type = ? AND time <= ?`, "time, id", typ, end)
		}
	}
	if r.First {
		part(`time <= ?`, "time, id", end)
	}
	if len(parts) == 0 {
		return tl, nil
	}
	rows, err := q.QueryContext(ctx, s.q(strings.Join(parts, " UNION ALL ")), args...)
	if err != nil {
		return tl, err
	}
	if tl.Events, err = scanEvents(rows, nil); err != nil {
		return tl, err
	}
	// Parts overlap (a first event inside its window): keep one of each
	// and sort, so the engine gets the canonical view it reads fastest.
	slices.SortFunc(tl.Events, func(a, b parcours.Event) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	tl.Events = slices.CompactFunc(tl.Events, func(a, b parcours.Event) bool { return a.ID == b.ID })
	return tl, nil
}

// wholeTimeline loads every event of a customer, for tests and tools.
func (s *store) wholeTimeline(ctx context.Context, q querier, id string) (parcours.Timeline, error) {
	p, _, err := s.customer(ctx, q, id)
	if err != nil {
		return parcours.Timeline{}, err
	}
	rows, err := q.QueryContext(ctx, s.q(`SELECT `+eventCols+` FROM events WHERE customer = ? ORDER BY time, id`), id)
	if err != nil {
		return parcours.Timeline{}, err
	}
	evs, err := scanEvents(rows, nil)
	return parcours.Timeline{Profile: p, Events: evs}, err
}

// putScenario stores a scenario version; storing the same version again
// replaces it.
func (s *store) putScenario(ctx context.Context, q querier, sc scenario.Scenario) error {
	body, err := json.Marshal(sc)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, s.q(`INSERT INTO scenarios (id, version, body) VALUES (?, ?, ?)
		ON CONFLICT (id, version) DO UPDATE SET body = excluded.body`), sc.ID, sc.Version, string(body))
	return err
}

// scenarios returns the latest version of each scenario, by ID.
func (s *store) scenarios(ctx context.Context, q querier) ([]scenario.Scenario, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.body FROM scenarios s
		WHERE s.version = (SELECT MAX(version) FROM scenarios t WHERE t.id = s.id) ORDER BY s.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []scenario.Scenario
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		sc, err := scenario.Parse([]byte(body))
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

// pending is an outbox row: an action whose send was started.
type pending struct {
	Key    string
	Action scenario.Action
	At     time.Time // the evaluation instant, the time of its message_sent
}

func (s *store) outboxPut(ctx context.Context, q querier, customer string, p pending) error {
	body, err := json.Marshal(p.Action)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, s.q(`INSERT INTO outbox (key, customer, action, at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`),
		p.Key, customer, string(body), nanos(p.At))
	return err
}

func (s *store) outbox(ctx context.Context, q querier, customer string) ([]pending, error) {
	rows, err := q.QueryContext(ctx, s.q(`SELECT key, action, at FROM outbox WHERE customer = ? ORDER BY at, key`), customer)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pending
	for rows.Next() {
		var p pending
		var body string
		var at int64
		if err := rows.Scan(&p.Key, &body, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &p.Action); err != nil {
			return nil, fmt.Errorf("outbox %q: %w", p.Key, err)
		}
		p.At = fromNanos(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// record writes the message_sent event of a sent action (its ID is the
// action's key, so recording twice stores it once) and clears its outbox
// row.
func (s *store) record(ctx context.Context, q querier, customer string, p pending) error {
	if _, err := s.addEvent(ctx, q, customer, p.Action.SentEvent(p.Key, p.At)); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, s.q(`DELETE FROM outbox WHERE key = ?`), p.Key)
	return err
}

// customersWithOutbox lists customers with a send under way.
func (s *store) customersWithOutbox(ctx context.Context) ([]string, error) {
	return s.ids(ctx, `SELECT DISTINCT customer FROM outbox ORDER BY customer`)
}

func (s *store) ids(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

var errNoCustomer = errors.New("riverhost: unknown customer")
