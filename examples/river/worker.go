package riverhost

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/parcours-dev/parcours/scenario"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// WakeArgs is the River job that evaluates one customer. It is unique per
// customer (while available, scheduled, running or retryable), so two
// workers never evaluate the same customer at once.
type WakeArgs struct {
	Customer string `json:"customer" river:"unique"`
}

// Kind names the job in River's tables.
func (WakeArgs) Kind() string { return "parcours_wake" }

// InsertOpts makes the job unique per customer.
func (WakeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		// Not completed (River's default): a completed wake-up must not
		// stop the next one.
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	}}}
}

// maxRounds bounds the evaluations of one wake-up: each round sends what
// is due and records it, and the next round sees the steps after.
const maxRounds = 8

type wakeWorker struct {
	river.WorkerDefaults[WakeArgs]
	h *Host
}

func (w *wakeWorker) Work(ctx context.Context, job *river.Job[WakeArgs]) error {
	h := w.h
	start := time.Now()
	defer func() { h.stats.total.Add(int64(time.Since(start))) }()
	h.stats.wakeups.Add(1)
	id := job.Args.Customer
	now := h.clock.Now()

	// 2-4. Evaluate, send, record, until nothing is due.
	eng, reads := h.engine()
	var res scenario.Result
	var version int64
	for round := 0; ; round++ {
		t := time.Now()
		prof, v, outbox, err := h.st.customerOutbox(ctx, h.st.db, id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // a job for a customer that is gone
		}
		if err != nil {
			return err
		}
		if outbox {
			// 1. Sends an earlier attempt started and did not record:
			// the same messages, under the same keys, then evaluate.
			pend, err := h.st.outbox(ctx, h.st.db, id)
			if err != nil {
				return err
			}
			for _, p := range pend {
				h.stats.resent.Add(1)
				if err := h.deliver(ctx, id, p); err != nil {
					return err
				}
			}
		}
		version = v
		tl, err := h.st.timeline(ctx, h.st.db, prof, reads, now)
		if err != nil {
			return err
		}
		h.stats.load.Add(int64(time.Since(t)))
		h.stats.events.Add(int64(len(tl.Events)))

		t = time.Now()
		res = eng.Evaluate(tl, now)
		h.stats.eval.Add(int64(time.Since(t)))
		h.stats.evaluations.Add(1)
		for _, err := range res.Errors {
			h.cfg.Logger.WarnContext(ctx, "evaluation error", "customer", id, "err", err)
		}
		if len(res.Due) == 0 || round == maxRounds-1 {
			break
		}
		for _, a := range res.Due {
			p := pending{Key: a.Key, Action: a, At: now}
			t = time.Now()
			if err := h.st.outboxPut(ctx, h.st.db, id, p); err != nil {
				return err
			}
			h.stats.write.Add(int64(time.Since(t)))
			if err := h.deliver(ctx, id, p); err != nil {
				return err
			}
		}
	}

	// 5. Complete the job and schedule the next wake-up, together.
	t := time.Now()
	defer func() { h.stats.write.Add(int64(time.Since(t))) }()
	next := res.Next
	if len(res.Due) > 0 {
		next = now // rounds ran out: go on at once
	}
	tx, err := h.st.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var current int64
	if err := tx.QueryRowContext(ctx, h.st.q(`SELECT version FROM customers WHERE id = ?`), id).Scan(&current); err != nil {
		return err
	}
	if current != version {
		next = now // events arrived meanwhile
	}
	if err := h.complete(ctx, tx, job); err != nil {
		return fmt.Errorf("complete: %w", err)
	}
	var wakeAt, wakeJob any
	if !next.IsZero() {
		// River schedules in real time; the host's clock may be another.
		at := time.Now().Add(next.Sub(now))
		ins, err := h.client.InsertTx(ctx, tx, WakeArgs{Customer: id}, &river.InsertOpts{ScheduledAt: at})
		if err != nil {
			return fmt.Errorf("schedule: %w", err)
		}

		wakeAt, wakeJob = nanos(next), ins.Job.ID
	}
	if _, err := tx.ExecContext(ctx, h.st.q(`UPDATE customers SET wake_at = ?, wake_job = ? WHERE id = ?`), wakeAt, wakeJob, id); err != nil {
		return err
	}
	return tx.Commit()
}

// deliver hands an outbox row to the Sender and records it.
func (h *Host) deliver(ctx context.Context, customer string, p pending) error {
	t := time.Now()
	err := h.cfg.Sender.Send(ctx, Message{Key: p.Key, Customer: customer, At: p.At, Action: p.Action})
	h.stats.send.Add(int64(time.Since(t)))
	if err != nil {
		return fmt.Errorf("send %s: %w", p.Key, err)
	}
	t = time.Now()
	defer func() { h.stats.write.Add(int64(time.Since(t))) }()
	tx, err := h.st.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := h.st.record(ctx, tx, customer, p); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	h.stats.sent.Add(1)
	return nil
}
