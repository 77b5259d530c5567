// Package parcours holds the data model shared by every parcours package:
// a customer's [Timeline] (a [Profile] and its [Event]s) and the standard
// event types and property names.
//
// parcours is a library for marketing-automation scenarios ("parcours
// client": customer journeys) that a host embeds in its own backend. A
// scenario is data (package scenario): who may enter, what starts it, the
// messages to send, the waits and branches between them, and what stops
// it, with predicates written in expr. The evaluator takes one customer's
// timeline and the current instant, and returns the actions now due; it
// does no I/O. The host sends the messages, records them back in the
// timeline as message_sent events, and calls again later: the timeline is
// the only state.
//
//	tl := parcours.Timeline{Profile: profile, Events: events}
//	eng, err := scenario.Compile(scenarios)
//	res := eng.Evaluate(tl, now)
//	for _, a := range res.Due { send(a) } // then record message_sent
//
// The other packages compute what scenarios target on: trigger (the
// catalogue of triggers), segment (lifecycle, RFM, loyalty, population
// statistics), abtest (deterministic assignment and analysis) and clv
// (customer lifetime value models). They import this package only, never
// scenario.
//
// Local wall-clock time has one owner, here: [LocalTime] (a local date
// and time to an instant, with fixed rules for daylight-saving gaps and
// folds), [AddDays] and [AddCalendar] (whole days counted on the
// customer's calendar) and [DayNumber] (the local calendar day). Triggers,
// quiet hours, segments and clv all call them, so they agree across a
// daylight-saving change.
//
// One concept, one owner. The questions several packages ask are
// answered here, once, and every package calls the answer:
//
//   - what an order is worth: [Event.Value] (PropAmount, or the sum of its
//     lines without one);
//   - what an order line is: the items rule of [Event.EachItem] (a line
//     that is not an object, or a bad price or quantity, is a
//     *[PropError], never skipped);
//   - what "never" means: the days since something that never happened
//     are +Inf ([DaysSince]), so daysSince("order") > 90 and
//     facts().recency > 90 both hold for a customer who never ordered;
//     JSON writes them null ([Days]).
//
// Every function in parcours is pure: time is always passed in, nothing
// reads the clock, the network or files, and the same inputs give the same
// outputs.
package parcours
