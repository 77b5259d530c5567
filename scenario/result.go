package scenario

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/parcours-dev/parcours"
)

// Result is what Evaluate found due for one customer at one instant.
type Result struct {
	// Due are the actions to carry out now, in a deterministic order
	// (due time, then scenario, run and step). After sending one, record
	// a message_sent event carrying its Scenario, Run, Step and Key
	// properties (see Action.SentEvent): that is what marks it done.
	Due []Action `json:"due"`

	// Deferred are actions a policy postponed; each says until when.
	Deferred []Deferred `json:"deferred,omitempty"`

	// Skipped are actions that will not be sent as things stand, with
	// the reason. They are reported on every evaluation that finds them,
	// so a host can log them; nothing needs recording.
	Skipped []Skipped `json:"skipped,omitempty"`

	// Errors are per-scenario evaluation failures (*Error): an expression
	// that failed on this timeline. Other scenarios were still evaluated.
	// Events of the timeline that share an ID but differ in content are
	// reported here too, one *parcours.ConflictError per ID, before the
	// scenarios' errors: they were all evaluated, none was dropped.
	// In JSON they are objects (see Result.MarshalJSON).
	Errors []error `json:"-"`

	// Next is the earliest instant after now at which something pending
	// (a wait, a timeout, a deferral, a trigger's next firing) could
	// become due if no new event arrives; zero if nothing is pending.
	// Evaluate the customer again then, whenever a new event arrives, and
	// right after recording the sends of Due: the step after a send is
	// only known once the send is recorded, so Next does not cover it.
	Next time.Time `json:"next,omitzero"`
}

// Action is one message to send.
type Action struct {
	// CustomerID is the customer the action is for (Profile.ID), so a
	// queue can carry the action alone.
	CustomerID string `json:"customer_id"`

	// Kind is empty for a message; for a do step it is the step's kind
	// ("credit_points", "tag"...), Vars are its parameters, and Channel
	// and Template are empty.
	Kind string `json:"kind,omitempty"`

	Scenario string           `json:"scenario"`
	Version  int              `json:"version"`
	Run      string           `json:"run"`
	Step     string           `json:"step"`
	Channel  parcours.Channel `json:"channel,omitempty"`
	Template string           `json:"template"`
	Vars     map[string]any   `json:"vars,omitempty"`

	// Key is the idempotency key: the same for the same run and step
	// visit on every evaluation, whatever now is. A host that may retry
	// sends uses it to send once.
	Key string `json:"key"`

	// DueAt is when the action became due (the trigger's instant, or the
	// end of the wait before it).
	DueAt time.Time `json:"due_at"`

	// Variant is the customer's variant in the scenario's experiment
	// ("" when none or not enrolled; "holdout" for held-out customers,
	// whose actions are skipped).
	Variant string `json:"variant,omitempty"`

	Priority      int  `json:"priority,omitempty"`
	Transactional bool `json:"transactional,omitempty"`

	// Reasons say why the action is due: the trigger that fired and the
	// path the run took.
	Reasons []string `json:"reasons"`
}

// SentEvent returns the message_sent event a host records after carrying
// out a, at instant at, with the given event ID. Its properties are the
// action's scenario, run, step and key, its variant when it has one, and
// transactional when it is. An empty id uses the action's Key, so a host
// that records the same send twice (a retry after a crash) changes
// nothing: at the same instant the timeline counts the two as one record;
// at two instants it keeps both and reports the conflict
// (parcours.ConflictError), and the run still counts the key once, from
// the earlier record. For the action of a do step (Kind set) it is an
// action_done event instead, with the kind as property "kind" and no
// channel: caps and priority do not count it as a message.
func (a Action) SentEvent(id string, at time.Time) parcours.Event {
	if id == "" {
		id = a.Key
	}
	props := map[string]any{
		parcours.PropScenario: a.Scenario,
		parcours.PropRun:      a.Run,
		parcours.PropStep:     a.Step,
		parcours.PropKey:      a.Key,
	}
	if a.Transactional {
		props[parcours.PropTransactional] = true
	}
	if a.Variant != "" {
		props[parcours.PropVariant] = a.Variant
	}
	if a.Kind != "" { // a do step: done, not a message
		props[parcours.PropKind] = a.Kind
		return parcours.Event{ID: id, Type: parcours.ActionDone, Time: at, Props: props}
	}
	return parcours.Event{ID: id, Type: parcours.MessageSent, Time: at, Channel: string(a.Channel), Props: props}
}

// Skipped is an action that will not be sent as things stand.
type Skipped struct {
	Action Action   `json:"action"`
	Code   SkipCode `json:"code"`
	Detail string   `json:"detail"`
}

// Deferred is an action a policy postponed to Until.
type Deferred struct {
	Action Action    `json:"action"`
	Code   SkipCode  `json:"code"`
	Detail string    `json:"detail"`
	Until  time.Time `json:"until"`
}

// errorJSON is an error of Result.Errors in JSON. Kind is "scenario" for
// an *Error, "policy" for a *PolicyError, "" for any other error.
type errorJSON struct {
	Kind     string `json:"kind,omitempty"`
	Scenario string `json:"scenario,omitempty"`
	Version  int    `json:"version,omitempty"`
	Field    string `json:"field,omitempty"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Run      string `json:"run,omitempty"`
	Message  string `json:"message"`
}

// resultFields is Result without its methods, for the JSON codecs.
type resultFields Result

type resultJSON struct {
	resultFields
	Errors []errorJSON `json:"errors,omitempty"`
}

// MarshalJSON writes r with its Errors, each as an object: for an *Error
// {"kind": "scenario", "scenario", "version", "field", "line", "column",
// "run", "message"} (message being the underlying error's text); for a
// *PolicyError {"kind": "policy", "field", "message"}; for any other
// error {"message"}. A host can put a Result on a queue or in a log
// without losing why a scenario failed.
func (r Result) MarshalJSON() ([]byte, error) {
	out := resultJSON{resultFields: resultFields(r)}
	for _, err := range r.Errors {
		var se *Error
		var pe *PolicyError
		switch {
		case err == nil:
			continue
		case errors.As(err, &se):
			out.Errors = append(out.Errors, errorJSON{Kind: "scenario", Scenario: se.Scenario, Version: se.Version,
				Field: se.Field, Line: se.Line, Column: se.Column, Run: se.Run, Message: se.Err.Error()})
		case errors.As(err, &pe):
			out.Errors = append(out.Errors, errorJSON{Kind: "policy", Field: pe.Field, Message: pe.Err.Error()})
		default:
			out.Errors = append(out.Errors, errorJSON{Message: err.Error()})
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON writes, giving back *Error and
// *PolicyError values whose Err carries the message.
func (r *Result) UnmarshalJSON(b []byte) error {
	var in resultJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*r = Result(in.resultFields)
	r.Errors = nil
	for _, e := range in.Errors {
		msg := errors.New(e.Message)
		switch e.Kind {
		case "scenario":
			r.Errors = append(r.Errors, &Error{Scenario: e.Scenario, Version: e.Version, Field: e.Field,
				Line: e.Line, Column: e.Column, Run: e.Run, Err: msg})
		case "policy":
			r.Errors = append(r.Errors, &PolicyError{Field: e.Field, Err: msg})
		default:
			r.Errors = append(r.Errors, msg)
		}
	}
	return nil
}
