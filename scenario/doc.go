// Package scenario runs marketing scenarios as data: who may enter, what
// starts a run, the messages to send, the waits and branches between
// them, and what stops a run. Predicates and personalization are expr
// expressions (https://expr-lang.org) compiled once against [Env].
//
//	scs, err := scenario.ParseAll(jsonFromYourDatabase)
//	eng, err := scenario.Compile(scs)            // at load: every error, with positions
//	res := eng.Evaluate(timeline, now)           // per customer, pure
//	for _, a := range res.Due {
//		send(a)                                  // your I/O
//		record(a.SentEvent(newID(), sentAt))     // back into the timeline
//	}
//	scheduleAgain(customer, res.Next)
//
// That loop is the idea; a host that can crash needs the crash-safe
// form of the next section.
//
// To see the journey a customer would live, or to unit-test scenarios over
// weeks rather than at one instant, [Engine.Replay] plays an ideal
// scheduler over a period and returns what it sent.
//
// # The timeline is the only state
//
// Evaluate keeps nothing between calls. A run is identified by its
// scenario and its trigger's firing (the triggering event's ID, or the
// instant a When condition began to hold), so it gets the same ID on every
// evaluation. A send step is done when the timeline holds a message_sent
// event with the run's ID and the step's ID (properties "run" and "step",
// as [Action.SentEvent] writes them; for a step visited again in a loop,
// the n-th such event marks the n-th visit; an event carrying the visit's
// key also counts). Until it is recorded, a step stays due, with the same
// [Action.Key], on every evaluation: the host sends, records, and the
// action is gone.
//
// Time moves from the recorded events: a wait starts when the previous
// step was recorded sent, not when it was due. A scheduler that comes
// back late therefore gets each due action once, and the waits after it
// are measured from when it actually went out. A send due longer ago than
// the scenario's MaxLateness is reported in Result.Skipped (SkipLate)
// instead of due; the run goes no further unless the host records the step
// as sent anyway.
//
// A run has no age limit: it goes on for as long as its steps say (a
// 14-day offer loop runs for months), and every evaluation walks it from
// its trigger through what the timeline records. A run is let go only
// when nothing of it can ever be due again: it completed, an exit held,
// or its current step was skipped for good (late past MaxLateness,
// pending longer than Horizon, dropped by a policy). What is let go is
// reported in Result.Skipped for [ReportLetGo] after it happened, then no
// longer, so a long history does not report ancient runs forever.
//
// Adopting parcours on a customer base with history: the first
// evaluation finds every firing of the past, and the sends they would have
// made are due unless MaxLateness or Horizon says they are too old. Set
// them to what should still be acted on; skipped actions need no
// recording.
//
// # The crash-safe host loop
//
// A crash between a send and its record leaves a message the timeline
// does not hold: caps do not count it, so another message may go out over
// the cap, and the action comes back due. Write an outbox entry before
// each send, reconcile the outbox at restart before evaluating anyone,
// and give the provider the action's Key as idempotency key, so that the
// send made again at reconciliation is a no-op when the first one went
// out:
//
//	// At start-up (and so after any crash):
//	for _, o := range outbox.All() {
//		provider.Send(o.Action, o.Action.Key)    // no-op if it went out
//		timeline.Record(o.Customer, o.Action.SentEvent("", o.At))
//		outbox.Delete(o.Action.Key)
//	}
//	// When a customer's event arrives, or at Result.Next:
//	for {
//		res := eng.Evaluate(timeline.Of(customer), now)
//		if len(res.Due) == 0 {
//			scheduleAgain(customer, res.Next)
//			break
//		}
//		for _, a := range res.Due {
//			outbox.Put(customer, a, now)         // durable, before the send
//			provider.Send(a, a.Key)
//			timeline.Record(customer, a.SentEvent("", now))
//			outbox.Delete(a.Key)
//		}
//	}
//
// The package's tests run this loop over 2,000 customers and 60 days,
// crashing after one send in twenty: no cap breach, nothing sent twice,
// nothing lost; the naive loop breaches the cap for a few customers in a
// thousand. The examples/river module is the same loop on a database.
//
// Durations follow the one day rule of parcours.Duration: d and w are
// calendar days in the customer's zone (a "2d" wait from 10:00 ends at
// 10:00 local two days later, across a daylight-saving change), h and m
// elapsed time; so do re-entry periods and the day windows of
// countEvents and sumEvents.
//
// # Rules, in the order a run meets them
//
//   - Trigger: with On, every event of those types whose Trigger.If holds
//     fires, at the event's time. A catalogue trigger (package trigger:
//     delay, anniversary, inactivity, repurchase, depletion, threshold,
//     event with cart matching) fires as that package documents, and
//     Trigger.If filters its firings. A campaign is a schedule trigger
//     (trigger.ScheduleSpec: {"schedule": {"every": "week", "weekday":
//     "monday", "time": "10:00", "from": "2026-01-05"}}, or one local
//     "at"): each occurrence fires at that local time in each customer's
//     zone, starts one run per customer the targeting accepts, with the
//     usual policies and a key per occurrence; the host writes no event.
//     Give it a MaxLateness, so a late evaluation skips past issues. With When, the condition is checked
//     on the timeline as it stood at each instant, through trigger.When:
//     it fires at the first instant it holds and re-arms once it no
//     longer holds; between two events the condition is assumed to change
//     at most once, and the instant is found on a one-minute grid counted
//     from the earlier event, so it (and the run's ID) does not depend on
//     when Evaluate is called. A customer with no event never fires a
//     When trigger. Result.Next includes the next instant a catalogue or
//     When trigger will fire if nothing happens (for When, searched up to
//     a year ahead). Prefer a catalogue trigger where one fits ("no order
//     for 90 days" is trigger.InactivitySpec): it is computed directly,
//     while a When condition is searched for, at about two expression
//     runs per event of the timeline. When is the way to start a run on
//     segment entry: `facts().loyalty.tier == "gold"` fires when the
//     customer reaches gold by segment's own loyalty rules, so the
//     announcement and the tier can never disagree, as a threshold on
//     raw amounts could.
//   - Targeting is evaluated at the firing, on the timeline as it stood
//     then; a firing it rejects starts no run.
//   - Reentry: Every (the default) lets each firing start a run; Once keeps
//     only the first run ever; OncePer drops firings less than Period after
//     the previous run's start. Firings rejected by targeting do not count.
//   - Horizon: a step pending (due, held back, unreachable) for longer
//     than Horizon lets its run go (SkipExpired); zero means no limit. It
//     never cuts a run that is moving: waits and recorded sends are not
//     pending. With Reentry Every, a firing older than the longest its run
//     can last (every wait and timeout, each send pending up to
//     MaxLateness or Horizon, then ReportLetGo; a scenario that can loop,
//     or wait for a send without limit, has no such bound) is not looked
//     at: its Trigger.If and Targeting are not evaluated, so an error
//     there is not reported either.
//   - Exit: if any Exit expression holds on any event after the firing (up
//     to now), the run is over: nothing of it is due, even a step that was
//     due before that event and never sent.
//   - Steps run from the first. A send that is recorded moves on; one that
//     is not is the run's current step. A wait For moves on once its delay
//     has passed; a wait Until moves on at the first later event on which
//     its condition holds, or to OnTimeout when Timeout passes first. A
//     branch is decided on the timeline as of the instant the run reached
//     it. A step list that could loop without a wait is refused at load.
//
// # Channels
//
// A send goes to the first of its channels the customer can be reached on:
// marketing needs Profile.Consent for the channel and no unsubscribed event
// for that channel (or for every channel, Channel ""), unless a later
// signup event re-opted the customer in (email only); any message, even
// Transactional, needs no standing hard bounce (a message_bounced event
// with property hard = true) on the channel, which a later open or click
// on that channel clears. When no channel qualifies, the action is
// reported skipped (SkipUnreachable) with each channel's reason.
//
// # Loading only what is read
//
// A customer ten years old has thousands of events; reading them all at
// every wake-up is where a host's time goes. [Engine.Reads] says which
// event types evaluation reads and how far back (worked out from every
// scenario, trigger, expression and policy), and [Reads.Slice] cuts a
// timeline down to that; evaluating the slice gives the same Result as
// evaluating the whole timeline. A host's database query loads the same
// slice (examples/river does).
//
// # Cost
//
// Evaluate reads the timeline through one canonical view
// (parcours.Timeline.Canonical: no copy for a timeline already sorted,
// deduplicated and cut at now) and one index built on first use:
// positions of each event type, values of each type, message events of
// each run, so daysSince, hasEvent, countEvents, sumEvents, lastEvent,
// opened and clicked cost a binary search, not a scan of the history.
// Triggers give their firings and next instant in one pass
// (trigger.Scan); with Reentry Every the firings older than the longest a
// run can last are not even built. Trigger.If and Targeting are tested
// only on the firings the reentry rule lets through. Exit conditions that
// do not read the run (no run, trigger, opened or clicked) are evaluated
// once per event and shared by every run, and by every scenario with the
// same ones. Predicates comparing a string field of the event with
// literals (`event.type == "order"`, `event.channel in ["web", "app"]`)
// are answered without the expression VM. facts() asked at every event
// of a history (a segment trigger) follows it with a segment.Tracker,
// when the FactsSource is a segment.Config, instead of computing the
// facts from nothing at each event. Run IDs, keys and reasons are
// written only for actions that are reported, each action's strings in
// one allocation. An Engine keeps the working memory of finished
// evaluations (index, buffers, the VM) for the next ones, in a sync.Pool
// emptied of every customer datum, so evaluating a customer none of whose
// events fires anything allocates nothing per scenario. The benchmark in
// this package's tests (BenchmarkVersusHandWritten) compares Evaluate
// with the same 20 scenarios and policy written by hand in Go, whose
// answers a test keeps equal to the Engine's.
//
// # Errors
//
// Compile reports every problem of every scenario at once, each an *Error
// naming scenario, field path and, for expressions, line and column. At
// evaluation an expression can still fail on unexpected data (a property
// that is a string where a number was expected): that is reported in
// Result.Errors for that scenario and run only; the others are evaluated
// as usual. Evaluate never panics.
//
// A profile whose TimeZone is unknown ("Europe/Pariss") or "Local" (the
// zone of whatever machine evaluates, which would make a birthday due at
// a different hour on each server) is reported once in Result.Errors, as
// a *trigger.ZoneError, and the whole evaluation goes on in UTC: an
// invoice must not wait for the marketing profile to be clean.
//
// Day counts written in expressions (countEvents("order", 110000)) and
// sums of durations (the default Horizon) saturate instead of wrapping
// around: a count beyond about 292 years means "all time" (see
// parcours.DaysOf and parcours.Duration.Add).
//
// # Sandbox
//
// Expressions are written by marketers and run inside the host's
// process: no expression, and no timeline, can stop it, hang it or make
// an answer depend on the machine. At load, an expression is refused
// (with its field and position) when it is longer than 8 KiB, nests
// deeper than 64 levels or has more than 500 nodes; it cannot call
// now(), date(), timezone() or repeat(), nor the time methods Local, In,
// Location, Zone, ZoneBounds and IsDST: the clock comes from Evaluate's
// now (`now` in Env), and times are compared as instants. now, event,
// trigger and run.start reach expressions in UTC whatever location the
// host's values carry (time.Now() is in the server's zone), so
// now.Hour() is the same on every machine.
//
// At evaluation each scenario has a budget per Evaluate call: 2,000,000
// operations (one per firing considered and per step walked, so the
// firings of one evaluation are bounded too, one per expression run, one
// per iteration of a loop
// builtin such as sum, filter or reduce, one per call of a helper such
// as hasEvent, which answers from an index, one per element or 64 bytes
// a builtin reads whole)
// and 16 MiB of strings and arrays built (+, replace, join, toJSON...,
// counted before replace and join allocate). Spending it is an *Error
// wrapping [ErrBudget] in Result.Errors, reported once; the runs
// evaluated before keep their actions, the scenario's remaining firings
// are not evaluated this time, and the other scenarios are evaluated as
// usual. One evaluation therefore does at most about 2,000,000
// operations per scenario whatever the timeline (under a second of CPU
// for the slowest kind), plus the work that is linear in the timeline.
// The common case stays far below: a condition probed twice per event
// on 100,000 events spends 200,000 runs. Prefer helpers (sumEvents,
// countEvents) to loops over events in conditions evaluated per event or
// per instant: a loop costs one operation per event at each run.
//
// A `matches` whose pattern is not a constant (one read from the
// profile) compiles the pattern once per evaluation, not once per run.
package scenario
