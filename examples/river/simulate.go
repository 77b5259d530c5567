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
	type pending struct {
		customer int
		next     int // index of its next event to ingest
	}
	clock.Set(from)
	for _, c := range shop {
		if err := h.st.putCustomer(ctx, h.st.db, c.Profile); err != nil {
			return err
		}
	}
	cursor := make([]int, len(shop))
	now := from
	for {
		// Ingest what happened up to now.
		for i, c := range shop {
			j := cursor[i]
			for j < len(c.Events) && !c.Events[j].Time.After(now) {
				j++
			}
			if j > cursor[i] || now.Equal(from) {
				if _, err := h.st.addEvents(ctx, h.st.db, c.Profile.ID, c.Events[cursor[i]:j]); err != nil {
					return err
				}
				if err := h.wake(ctx, c.Profile.ID); err != nil {
					return fmt.Errorf("at %s: %w", now, err)
				}
				cursor[i] = j
			}
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
		case <-time.After(time.Millisecond):
		}
	}
	return nil
}
