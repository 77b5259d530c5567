// Package report answers the two questions a retailer asks of each
// journey: how much did it bring, and would those customers have bought
// anyway? It reads populations of timelines once, as a stream, and
// returns serialisable results (JSON) with a plain-text table for each.
//
//	att, err := report.Attribute(customers, from, to, report.Config{})     // per scenario, step, variant, channel
//	fmt.Printf("journeys brought %.1f%% of revenue\n", 100*att.Share)
//
//	month := parcours.Duration(30 * 24 * time.Hour)
//	lift, err := report.Incremental(subjects, report.LiftConfig{Horizon: month}) // against the holdout
//	fun, err := report.JourneyFunnel(replays, from, to, report.Config{})         // what became of the runs
//
// # Where it lives
//
// report is its own package, above scenario: the funnel and Enrolment read
// what scenario.Engine.Replay reports (actions sent, deferred, skipped,
// with scenario's skip codes), and segment, trigger, abtest and clv must
// never import scenario. Attribution and lift need nothing from scenario:
// they read message events from timelines, so a host that does not use
// the engine's replays can still call them. report itself imports
// parcours, abtest (the statistics) and scenario, never the reverse. It
// does no I/O: every function takes its input as values and iterators and
// returns values.
//
// # Messages and touches
//
// A message is a message_sent event. Opens, clicks and unsubscribes name
// their message by PropKey (the action's idempotency key), or, without a
// key, by PropScenario, PropRun and PropStep; they must come at or after
// the send they name. One naming no earlier send (a click recorded without
// its send, or before it) is ignored and counted in
// Attribution.Unmatched. A send repeating a key already sent is the same
// message recorded twice, counted once. An unsubscribe that names no
// message is counted against the latest marketing message on its channel
// (any channel when it has none) sent within Config.Unsubscribe (one day)
// before it; every unsubscribe is counted in Attribution.Unsubscribes.
// Opens, clicks and unsubscribes are counted per message (unique), not
// per event. The variant of a message is its PropVariant, which
// scenario.Action.SentEvent records.
//
// A touch is a send, an open or a click of a message. It may credit an
// order that comes after it (strictly) and at most its channel's window
// after it, for that kind of touch: (touch, touch+window], the half-open
// convention of parcours.Timeline.Count. DefaultWindows gives email 5 days
// after an open or a click (a delivered, unopened email proves nothing),
// SMS 1 day after the send. Transactional messages (an invoice) are
// counted but take no credit unless Config.Transactional: they follow the
// order they are about.
//
// # Crediting orders
//
// Each order of the period is credited at most once in total:
//
//   - LastTouch (default): the whole order to the message with the latest
//     qualifying touch;
//   - FirstTouch: to the message with the earliest touch still within its
//     window at the order;
//   - Linear: in equal parts to every message with a qualifying touch,
//     however many touches each had.
//
// An order's value is parcours.Event.Value (its amount, else the sum of
// its lines); an order that has no readable value stops the run with an
// *EventError rather than being skipped. Messages without a scenario (a
// host's own newsletter) compete for credit like the others, under
// Scenario ""; Attribution.Share counts only what scenarios earned.
//
// The period is (from, to]: orders, sends, opens, clicks and unsubscribes
// are counted in it; a touch before from may still credit an order inside
// it. Timelines are read through parcours.Timeline.Canonical at to, so
// event order and retried events do not matter; IDs shared by events of
// different content are counted in Attribution.Conflicts.
//
// # Exact, order-independent totals
//
// Money and conversions are summed as 128-bit fixed-point integers with
// 2^-40 resolution, not as float64: shuffling the customers gives the same
// result byte for byte, the groups add up exactly to the totals, and a
// Linear split of an order adds up exactly to the order. Results are
// sorted (groups by scenario, step, variant and channel; arms by name), so
// map iteration never shows in the output.
//
// # Size
//
// Attribute keeps counts per group and nothing per customer: memory does
// not grow with the population (about 10 MB of resident memory for a
// million customers). It costs about 9 µs of CPU per customer with 20
// orders, 30 messages and their opens (BenchmarkPopulationAttribute), so a
// million customers take about 9 s on one core. An Attributor per shard,
// merged (Attributor.Merge), spreads that over the cores; the result is
// identical whatever the split.
//
// # Lift
//
// Last-touch revenue overstates what journeys bring: some of those
// customers would have bought anyway. Incremental compares arms of
// customers: each Subject is a timeline, an arm and the instant the
// customer entered it, and its outcome is the orders of (Since,
// Since+Horizon]. Arms are compared with the control arm by Welch's t-test
// on revenue per customer and a two-proportion z-test on conversion
// (package abtest), with confidence intervals; Effect.Incremental scales
// the revenue difference to the arm's customers. When subjects carry a
// Cost (the discount a promotion gave away), profit per customer is
// compared too (abtest.CompareProfit): a promotion can bring customers
// back and still lose money. Everyone assigned to an arm counts, reached
// or not (intention to treat).
//
// Enrolment builds Subjects from replays: the experiment's arms (variants
// and scenario.HoldoutVariant), or ArmTreated against ArmControl for the
// global control group. For the whole programme against the global
// control group, build Subjects over all customers with abtest.InGroup and
// the same Since.
//
// # Funnel
//
// JourneyFunnel counts, per scenario and step, the runs that reached the
// step, were sent, deferred or skipped per reason, and converted (an order
// credited to one of the run's messages under the attribution rules).
// Its input is the engine's replays, or real timelines through ReplayOf
// (which sees sends, not holds or skips). The engine does not report the
// customers its targeting turned away or the runs that left on an exit
// event, so neither is in the funnel. Actions of do steps count as sent
// at their step.
package report
