package riverhost

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// SettableClock is a Clock a simulation moves.
type SettableClock interface {
	Clock
	Set(time.Time)
}

// Simulate plays a generated shop into h from from to to, weeks in
// seconds: it moves clock to each instant at which an event happens or a
// wake-up is due, ingests that instant's events (the history before from
// at from, with the profiles), wakes the due customers and waits for the
// workers (of this process or others sharing the database) to be idle.
// The host's Clock must be clock, or read the same time.
func Simulate(ctx context.Context, h *Host, clock SettableClock, shop []ShopCustomer, from, to time.Time) error {
	return simulateWith(ctx, h, clock, shop, from, to, 0, nil)
}

// SimulateSteps is Simulate with the clock moving by whole steps from
// from: events are ingested, and wake-ups made available, at the first
// step at or after their time. Far fewer instants, for large shops.
func SimulateSteps(ctx context.Context, h *Host, clock SettableClock, shop []ShopCustomer, from, to time.Time, step time.Duration) error {
	return simulateWith(ctx, h, clock, shop, from, to, step, nil)
}

// simulateWith is SimulateSteps (exact instants when step is 0) calling
// at at each instant, before ingesting.
func simulateWith(ctx context.Context, h *Host, clock SettableClock, shop []ShopCustomer, from, to time.Time, step time.Duration, at func(time.Time)) error {
	clock.Set(from)
	for _, c := range shop {
		if err := h.st.putCustomer(ctx, h.st.db, c.Profile); err != nil {
			return err
		}
	}
	cursor := make([]int, len(shop))
	now := from
	for {
		if at != nil {
			at(now)
		}
		// Ingest what happened up to now, in one transaction.
		tx, err := h.st.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		var woken []string
		for i, c := range shop {
			j := cursor[i]
			for j < len(c.Events) && !c.Events[j].Time.After(now) {
				j++
			}
			if j > cursor[i] || now.Equal(from) {
				if _, err := h.st.addEvents(ctx, tx, c.Profile.ID, c.Events[cursor[i]:j]); err != nil {
					tx.Rollback()
					return err
				}
				woken = append(woken, c.Profile.ID)
				cursor[i] = j
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		for len(woken) > 0 {
			n := min(len(woken), 1000)
			if err := h.wakeMany(ctx, woken[:n]); err != nil {
				return fmt.Errorf("at %s: %w", now, err)
			}
			woken = woken[n:]
		}
		if err := h.settle(ctx); err != nil {
			return fmt.Errorf("at %s: %w", now, err)
		}
		// The next instant: an event or a wake-up.
		var next time.Time
		for i, c := range shop {
			if j := cursor[i]; j < len(c.Events) && (next.IsZero() || c.Events[j].Time.Before(next)) {
				next = c.Events[j].Time
			}
		}
		var wake sql.NullInt64
		if err := h.st.db.QueryRowContext(ctx, h.st.q(`SELECT MIN(wake_at) FROM customers WHERE wake_at > ?`), nanos(now)).Scan(&wake); err != nil {
			return err
		}
		if wake.Valid && (next.IsZero() || fromNanos(wake.Int64).Before(next)) {
			next = fromNanos(wake.Int64)
		}
		if step > 0 && !next.IsZero() {
			if d := next.Sub(from) % step; d != 0 {
				next = next.Add(step - d)
			}
		}
		if next.IsZero() || next.After(to) {
			return nil
		}
		now = next
		clock.Set(now)
	}
}

// settle wakes the due customers and waits until no work is left at the
// clock's instant.
func (h *Host) settle(ctx context.Context) error {
	for idle := 0; idle < 2; {
		if _, err := h.WakeDue(ctx); err != nil {
			return err
		}
		busy, err := h.Busy(ctx)
		if err != nil {
			return err
		}
		if busy {
			idle = 0
		} else {
			idle++ // twice in a row, with a wake-up pass between
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("riverhost: simulation: %w", ctx.Err())
		case <-time.After(min(h.cfg.PollInterval, 20*time.Millisecond)):
			// As often as the workers look for jobs, not more: each
			// pass queries River's table.
		}
	}
	return nil
}
