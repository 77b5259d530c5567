// Package trigger is the catalogue of triggers retailers use to start a
// customer journey: an event (order -> invoice, signup -> welcome,
// abandoned cart -> reminder), a delay after an event (satisfaction
// survey), an anniversary (birthday), inactivity (90-day lapsed
// customer), a broken personal repurchase rhythm, product depletion
// (kibble stock alert), a running-total threshold (loyalty tier),
// segment entry or exit, and a schedule: a campaign or broadcast at one
// local date-time or on a recurrence (every Monday at 10:00, monthly on
// day 1), in each customer's own zone, with no event written by the host
// ([ScheduleSpec]).
//
// A trigger is data ([Spec], loaded with [Parse] from strict JSON) compiled
// into a [Trigger] that, given one customer's canonical timeline and the
// current instant, lists every [Firing] so far and the next instant a new
// one could occur:
//
//	spec, err := trigger.Parse([]byte(`{"inactivity": {"after": "90d"}}`))
//	trg, err := spec.Compile()
//	tl = tl.At(now)
//	firings, err := trg.Firings(tl, now) // each with At, Key, Event, Reason
//	next, ok, err := trg.Next(tl, now)   // when to evaluate again
//
// Triggers are pure: the same timeline and instant give the same answer,
// and a firing's At and Key do not change when now moves on as long as the
// past of the timeline is unchanged, so a scheduler that runs late, or
// twice, sees the same firings and can use Key for idempotency.
//
// # Choices where the issue was silent
//
// Time zones. Local calendar rules (days in durations, anniversaries,
// same-day order grouping) use the profile's zone (parcours.Profile
// TimeZone); an unknown zone, and "Local" (the zone of whatever machine
// runs the evaluation), is a *[ZoneError] from every built-in trigger that
// reads the zone, not a silent UTC. The event trigger never reads it, so
// a bad zone does not stop an invoice. Timeline instants may carry any
// location.
//
// Durations are parcours.Duration ("90d", "2w", "1d12h", "-7d"). In
// triggers their whole days (multiples of 24 hours) count on the calendar
// in the profile's zone, keeping the local wall-clock time, and the rest
// is elapsed time: "3d" after an order at 15:00 is 15:00 three local days
// later, 71 or 73 hours across a daylight saving change; "36h" is one
// calendar day and 12 hours. A local time skipped by a spring-forward
// change moves forward by the gap (02:30 becomes 03:30 in Europe/Paris);
// one that occurs twice in autumn is the first occurrence (see
// [LocalTime]).
//
// Boundaries. An event exactly at a lapse instant (inactivity,
// repurchase) counts as the customer coming back in time: no firing. A
// restock exactly at a depletion instant supersedes it. Firings at or
// before now are returned, so a firing exactly at now is included and
// Next is always strictly after now.
//
// Keys. Event-based firings are keyed by the event ID (event, delay) or
// "<kind>:<event ID>" (inactivity, repurchase, depletion, threshold);
// anniversaries by "anniversary:<year>", [When] and segments by
// "when:<instant>", schedules by "schedule:<local date>T<HH:MM>", the same
// for every customer. An event without ID is named "@<instant>#<n>".
//
// Abandoned carts are cancelled by an order at or after them (same cart
// ID when both carry one, else any order) in event and delay triggers; a
// cancelled cart never fires, even retroactively. Anniversaries start at
// the first anniversary (not the date itself) and at the timeline's first
// event (no replay of years before the customer was known), dates outside
// years 1800..9999 being errors. [When] and segments also start at the
// first event. Inactivity never
// fires for a customer without any activity event. Repurchase groups the
// orders of one local day into one occasion. Depletion fires once per
// order at the longest matching delay, and a restock before that instant
// supersedes it. Thresholds total over the whole timeline and fire once
// (or at each new multiple, with Every). Segments cannot be expressed in
// JSON alone: the host sets [SegmentSpec.Member].
//
// Expressions. Event and delay triggers take an optional expr-lang
// condition ("where") over the variables event and profile, such as
// `event.channel == "store"`; it must return a bool. It runs in the same
// sandbox as scenario expressions: at most 500 nodes, a memory budget, and
// no now(), date(), timezone() or repeat().
package trigger
