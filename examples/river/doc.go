// Package riverhost runs parcours scenarios in production: customers and
// their events in a database, one River (riverqueue.com) job per
// customer wake-up, messages handed to a [Sender] exactly once. SQLite
// (pure Go, no cgo) is the default; Postgres takes over, with the same
// schema and code, when one machine is not enough and several worker
// processes share the queue.
//
//	h, err := riverhost.Open(ctx, riverhost.Config{DSN: "shop.sqlite", Sender: riverhost.Stdout(os.Stdout)})
//	err = h.PutScenarios(ctx, scenarios)       // versioned, the latest runs
//	err = h.Start(ctx)                         // workers
//	err = h.Ingest(ctx, customerID, events...) // or POST /events
//
// It is a separate Go module (examples/river) so that the parcours
// library itself depends on neither River nor a database driver.
//
// # Schema
//
// The same four tables on SQLite and Postgres: customers (profile as
// JSON, the time of the next wake-up), events (append-only, keyed by
// customer and event ID, so ingesting an event twice stores it once),
// scenarios (every version of every scenario; the latest of each runs)
// and outbox (sends under way, see below). River adds its own tables
// (rivermigrate), migrated by Open.
//
// # A wake-up
//
// Ingesting events inserts a wake job for the customer, unique per
// customer, so two workers never evaluate the same customer at once; if
// the customer already has a job scheduled later, it is made available
// now. The job:
//
//  1. finishes the sends an earlier attempt left in the outbox (a crash),
//  2. loads the customer's profile and the part of the timeline the
//     engine reads (scenario.Engine.Reads: a query per event type and
//     window rather than the whole history),
//  3. evaluates at the host Clock's now, and for each due action writes
//     an outbox row and commits, hands the action to the Sender with the
//     action's key as idempotency key, then records a message_sent event
//     whose ID is that key and deletes the outbox row in one transaction,
//  4. evaluates again until nothing is due (the step after a send is
//     known once the send is recorded),
//  5. completes the River job and inserts the next wake-up at
//     Result.Next in one transaction (river.JobCompleteTx).
//
// A crash between a send and its record leaves the outbox row: the job is
// rescued by River and sends the same action again under the same key,
// which the Sender's receiver deduplicates, so the message goes out once
// and is never lost. A crash before the send leaves the row too: the
// action is sent then. A crash after the record changes nothing: the
// record makes the action no longer due. A Sender that keeps failing
// leaves its rows in the outbox: River retries the job with a growing
// backoff (and gives up after 25 attempts, weeks later); the rows go out
// at the customer's next wake-up or the next Start. Events that arrive while the
// customer's job runs are noticed when it completes (the customer's
// version moved), and the next wake-up is then immediate.
//
// # Choices
//
//   - River's database/sql driver for Postgres (riverdatabasesql over
//     pgx's stdlib) rather than riverpgxv5: one *sql.DB and *sql.Tx type
//     for our tables and River's on both databases, so every query is
//     written once and a job completes in the same transaction as our
//     writes. The cost is polling for jobs instead of LISTEN/NOTIFY.
//   - SQLite is for one process: River's SQLite driver wants a single
//     connection. Several worker processes need Postgres.
//   - Times are stored as Unix nanoseconds (BIGINT), the same on both
//     databases and exact, so a timeline loaded back evaluates as the one
//     ingested.
//   - The Clock is the host's, not River's: River schedules in real time,
//     the engine evaluates at Clock.Now. A simulated clock (tests, demos)
//     wakes customers itself with [Host.WakeDue].
package riverhost
