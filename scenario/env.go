package scenario

import (
	"fmt"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/internal/sandbox"
	"github.com/parcours-dev/parcours/segment"
)

// Env is what every scenario expression sees. Its fields are the names a
// marketer writes: `profile.attributes.species == "cat"`,
// `event.props.amount > 50`, `daysSince("order") > 90`.
//
// The timeline an expression sees is the one as it stood at the instant
// the expression is about: the trigger's instant for Targeting and
// Trigger.If, each event's instant for Exit and Wait.Until, the instant the
// run reached the step for Branch.If, and the evaluation's now for Send.Vars.
// `now` is that instant, so "days since" counts from it.
//
// Missing data never stops an expression at compile time: a profile
// attribute or event property that is absent is nil. Use `??` to give it a
// default: `(event.props.amount ?? 0) > 50`.
type Env struct {
	meterHook // the evaluation's budget, for internal/sandbox

	// Profile is the customer's profile.
	Profile parcours.Profile `expr:"profile"`

	// Event is the event the expression is about: the triggering event
	// for Targeting, Trigger.If, Branch.If and Send.Vars; each candidate
	// event for Exit and Wait.Until. Zero for a When trigger.
	Event parcours.Event `expr:"event"`

	// Trigger is the event that started the run (zero for When).
	Trigger parcours.Event `expr:"trigger"`

	// Run describes the run the expression belongs to.
	Run Run `expr:"run"`

	// Events is the timeline as of Now, oldest first.
	Events []parcours.Event `expr:"events"`

	// Now is the instant the expression is evaluated for.
	Now time.Time `expr:"now"`

	// DaysSince returns the days (with fraction) since the latest event
	// of the type, or +Inf when there is none, the meaning of "never" in
	// every parcours package (parcours.DaysSince): "no order for 90 days"
	// holds for a customer who never ordered, as facts().recency > 90
	// does, and daysSince("order") < 30 does not.
	DaysSince func(typ string) float64 `expr:"daysSince"`

	// HasEvent reports whether an event of the type happened.
	HasEvent func(typ string) bool `expr:"hasEvent"`

	// CountEvents counts events of the type in the last days days;
	// days <= 0 counts all.
	CountEvents func(typ string, days int) int `expr:"countEvents"`

	// SumEvents adds the numeric property prop of events of the type in
	// the last days days (days <= 0: all); non-numbers add nothing. For
	// prop "amount" it adds what each event is worth, parcours.Event.Value
	// (the amount, or the sum of the lines without one), the value
	// facts().monetary and clv().historic_value use; an event Value
	// refuses (a bad amount or item line) fails the expression with the
	// *parcours.PropError.
	SumEvents func(typ, prop string, days int) (float64, error) `expr:"sumEvents"`

	// LastEvent returns the latest event of the type, or a zero event
	// (empty type, nil props) when there is none.
	LastEvent func(typ string) parcours.Event `expr:"lastEvent"`

	// Opened reports whether the message sent by the named step of this
	// run was opened (a message_opened event with the run and step).
	Opened func(step string) bool `expr:"opened"`

	// Clicked is Opened for message_clicked.
	Clicked func(step string) bool `expr:"clicked"`

	// Facts returns the customer's segment facts (package segment) as of
	// Now: facts().stage == "inactive", facts().rfm.segment ==
	// "at_risk", facts().favourite == "dogs", facts().promo_share > 0.5,
	// facts().loyalty.tier. Computed on first use only; configured with
	// WithSegments.
	Facts func() (segment.Facts, error) `expr:"facts"`

	// Reachable reports whether a message on the channel could reach the
	// customer as of Now, by exactly the rules a send uses (see Channels
	// in the package documentation): consent and no standing unsubscribe
	// for marketing, no standing hard bounce for any message. In a
	// Transactional scenario it applies the transactional rules.
	// Targeting `reachable("email")` keeps a scenario to email-contactable
	// customers instead of skipping the others later.
	Reachable func(channel string) bool `expr:"reachable"`

	// ControlGroup reports whether the customer is in the policy's global
	// control group (Policy.ControlGroup), as the policy decides it; false
	// without one. Analyses and branches can use it.
	ControlGroup func() bool `expr:"controlGroup"`

	// LastOf returns the latest event whose type is one of types, such as
	// lastOf(["order", "store_visit", "message_clicked"]) for "animate by
	// the last action", or a zero event when there is none. Every element
	// must be a string.
	LastOf func(types []any) (parcours.Event, error) `expr:"lastOf"`

	// CLV returns the customer's lifetime-value prediction (package clv)
	// as of Now: clv().p_alive, clv().expected_purchases, clv().value,
	// clv().historic_value. Needs WithCLV. A customer without orders gets
	// zeros.
	CLV func() (parcours.Prediction, error) `expr:"clv"`
}

// meterHook carries the evaluation's budget to the sandbox; it shows
// expressions nothing.
type meterHook = sandbox.Hook

// The Env helpers that may read the whole timeline (daysSince, hasEvent,
// countEvents, sumEvents, lastEvent, opened, clicked) charge each call
// to the evaluation's budget themselves (scope.charge): what it may read,
// one step when it answers from the index, the events it scans otherwise
// (see internal/sandbox).

// Run is the run an expression belongs to.
type Run struct {
	// ID is the run's stable ID, as in message events' "run" property.
	ID string `expr:"id"`
	// Start is when the trigger fired.
	Start time.Time `expr:"start"`
	// Done lists the send and do steps already recorded done, in order.
	Done []string `expr:"done"`
	// Variant is the customer's variant in the scenario's experiment;
	// "" without an experiment or when not enrolled, "holdout" when held
	// out.
	Variant string `expr:"variant"`
}

// scope is the mutable state behind one evaluation's Env functions. The
// functions are made once per Evaluate call and read the scope, so moving
// an expression to another instant costs no allocation.
type scope struct {
	eng    *Engine
	meter  *sandbox.Meter    // the evaluation's budget, charged by the helpers
	tl     parcours.Timeline // the whole canonical timeline (for the profile)
	idx    *index            // of tl's events
	events []parcours.Event
	now    time.Time
	run    string

	transactional bool // the scenario's, for reachable()

	tracker *segment.Tracker // facts() of a trackable FactsSource, made on first use

	// facts() and clv() caches, for one instant and event count.
	factsV  segment.Facts
	factsN  int
	factsAt time.Time
	factsOK bool
	predV   parcours.Prediction
	predN   int
	predAt  time.Time
	predOK  bool
}

// charge charges a helper's call to the budget. Spent, it panics with the
// error, as expr does with a function's error: the run fails with it, at
// the call's position.
func (s *scope) charge() {
	if err := s.meter.Call(); err != nil {
		panic(err)
	}
}

func (s *scope) bind(e *Env) {
	// Each helper answers from the evaluation's index when the events
	// are a prefix of the timeline (always, in practice), and scans them
	// otherwise; both give the same answer.
	e.DaysSince = func(typ string) float64 {
		s.charge()
		if x := s.idx; x.prefix(s.events) {
			p := x.positions(typ)
			if _, hi := x.span(p, len(s.events), time.Time{}); hi > 0 {
				return parcours.DaysSince(x.evs[p[hi-1]].Time, s.now)
			}
			return parcours.DaysSince(time.Time{}, s.now)
		}
		for i := len(s.events) - 1; i >= 0; i-- {
			if s.events[i].Type == typ {
				return parcours.DaysSince(s.events[i].Time, s.now)
			}
		}
		return parcours.DaysSince(time.Time{}, s.now)
	}
	e.HasEvent = func(typ string) bool {
		s.charge()
		if x := s.idx; x.prefix(s.events) {
			_, hi := x.span(x.positions(typ), len(s.events), time.Time{})
			return hi > 0
		}
		for i := range s.events {
			if s.events[i].Type == typ {
				return true
			}
		}
		return false
	}
	e.CountEvents = func(typ string, days int) int {
		s.charge()
		from := s.from(days)
		if x := s.idx; x.prefix(s.events) {
			lo, hi := x.span(x.positions(typ), len(s.events), from)
			return hi - lo
		}
		n := 0
		for i := len(s.events) - 1; i >= 0 && (from.IsZero() || s.events[i].Time.After(from)); i-- {
			if s.events[i].Type == typ {
				n++
			}
		}
		return n
	}
	e.SumEvents = func(typ, prop string, days int) (float64, error) {
		s.charge()
		from := s.from(days)
		sum := 0.0
		if x := s.idx; x.prefix(s.events) {
			p := x.positions(typ)
			lo, hi := x.span(p, len(s.events), from)
			if prop == parcours.PropAmount {
				vs := x.amounts(typ)
				for k := hi - 1; k >= lo; k-- { // latest first, as the scan adds
					if vs[k].err != nil {
						return 0, vs[k].err
					}
					sum += vs[k].v
				}
				return sum, nil
			}
			for k := hi - 1; k >= lo; k-- {
				if f, ok := x.evs[p[k]].Float(prop); ok {
					sum += f
				}
			}
			return sum, nil
		}
		for i := len(s.events) - 1; i >= 0 && (from.IsZero() || s.events[i].Time.After(from)); i-- {
			if s.events[i].Type != typ {
				continue
			}
			if prop == parcours.PropAmount {
				v, err := s.events[i].Value()
				if err != nil {
					return 0, err
				}
				sum += v
			} else if f, ok := s.events[i].Float(prop); ok {
				sum += f
			}
		}
		return sum, nil
	}
	e.LastEvent = func(typ string) parcours.Event {
		s.charge()
		if x := s.idx; x.prefix(s.events) {
			p := x.positions(typ)
			if _, hi := x.span(p, len(s.events), time.Time{}); hi > 0 {
				return x.evs[p[hi-1]]
			}
			return parcours.Event{}
		}
		for i := len(s.events) - 1; i >= 0; i-- {
			if s.events[i].Type == typ {
				return s.events[i]
			}
		}
		return parcours.Event{}
	}
	e.Opened = func(step string) bool { s.charge(); return s.runHas(parcours.MessageOpened, step) }
	e.Clicked = func(step string) bool { s.charge(); return s.runHas(parcours.MessageClicked, step) }
	e.Facts = s.facts
	e.CLV = s.prediction
	e.Reachable = func(ch string) bool {
		return reach(parcours.Timeline{Profile: s.tl.Profile, Events: s.events}, parcours.Channel(ch), s.transactional).ok
	}
	e.ControlGroup = func() bool { return s.eng.policy.inControlGroup(s.tl.Profile.ID) }
	e.LastOf = func(types []any) (parcours.Event, error) {
		for _, t := range types {
			if _, ok := t.(string); !ok {
				return parcours.Event{}, fmt.Errorf("lastOf: event types are strings, got %T", t)
			}
		}
		for i := len(s.events) - 1; i >= 0; i-- {
			if slices.Contains(types, any(s.events[i].Type)) {
				return s.events[i], nil
			}
		}
		return parcours.Event{}, nil
	}
}

func (s *scope) from(days int) time.Time {
	if days <= 0 {
		return time.Time{}
	}
	loc, _ := s.tl.Profile.Location()
	return parcours.AddCalendar(s.now, -parcours.DaysOf(days).Std(), loc)
}

func (s *scope) runHas(typ, step string) bool {
	if x := s.idx; x.prefix(s.events) {
		for _, i := range x.messages(typ, s.run) {
			if int(i) >= len(s.events) {
				break
			}
			if x.evs[i].Props[parcours.PropStep] == step {
				return true
			}
		}
		return false
	}
	for i := range s.events {
		e := &s.events[i]
		if e.Type == typ && e.Props[parcours.PropRun] == s.run && e.Props[parcours.PropStep] == step {
			return true
		}
	}
	return false
}
