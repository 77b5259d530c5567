package trigger

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/internal/jsonx"
)

// Firing is one instant a trigger fired.
type Firing struct {
	At     time.Time      // the instant it fired (due time of the run's first step)
	Key    string         // stable ID of this firing, unique within the trigger
	Event  parcours.Event // the event that caused it; zero Event when time-based without a single cause
	Reason string         // short human-readable why
}

// Trigger is a compiled trigger. Implementations are immutable and safe for
// concurrent use.
type Trigger interface {
	// Firings returns every firing at or before now, sorted by At then
	// Key. tl is canonical (tl.At(now) already applied by the caller).
	Firings(tl parcours.Timeline, now time.Time) ([]Firing, error)
	// Next returns the earliest instant after now at which a new firing
	// could occur if no new event arrives; ok false if none.
	Next(tl parcours.Timeline, now time.Time) (t time.Time, ok bool, err error)
}

// Spec is the data form of a trigger, loaded from JSON or built in Go:
// exactly one field is set.
type Spec struct {
	Event       *EventSpec       `json:"event,omitempty"`       // an event of a type happened
	Delay       *DelaySpec       `json:"delay,omitempty"`       // a fixed time after each event of a type
	Anniversary *AnniversarySpec `json:"anniversary,omitempty"` // yearly on a profile date
	Inactivity  *InactivitySpec  `json:"inactivity,omitempty"`  // no event of given types for a while
	Repurchase  *RepurchaseSpec  `json:"repurchase,omitempty"`  // the customer's own order rhythm is broken
	Depletion   *DepletionSpec   `json:"depletion,omitempty"`   // a bought product runs out
	Threshold   *ThresholdSpec   `json:"threshold,omitempty"`   // a running total reaches a value
	Segment     *SegmentSpec     `json:"segment,omitempty"`     // segment entry or exit
	Schedule    *ScheduleSpec    `json:"schedule,omitempty"`    // a campaign: a local date-time or a recurrence
}

// IsZero reports whether no field of s is set.
func (s Spec) IsZero() bool { return len(s.kinds()) == 0 }

// kinds lists the JSON names of the fields set, in declaration order.
func (s Spec) kinds() []string {
	var k []string
	add := func(set bool, name string) {
		if set {
			k = append(k, name)
		}
	}
	add(s.Event != nil, "event")
	add(s.Delay != nil, "delay")
	add(s.Anniversary != nil, "anniversary")
	add(s.Inactivity != nil, "inactivity")
	add(s.Repurchase != nil, "repurchase")
	add(s.Depletion != nil, "depletion")
	add(s.Threshold != nil, "threshold")
	add(s.Segment != nil, "segment")
	add(s.Schedule != nil, "schedule")
	return k
}

// Compile validates s and returns the trigger it describes. An invalid
// spec gives a *[FieldError] naming the field (errors.Is(err, [ErrSpec])).
func (s Spec) Compile() (Trigger, error) {
	if err := s.checkOne(); err != nil {
		return nil, err
	}
	switch {
	case s.Event != nil:
		return s.Event.compile()
	case s.Delay != nil:
		return s.Delay.compile()
	case s.Anniversary != nil:
		return s.Anniversary.compile()
	case s.Inactivity != nil:
		return s.Inactivity.compile()
	case s.Repurchase != nil:
		return s.Repurchase.compile()
	case s.Depletion != nil:
		return s.Depletion.compile()
	case s.Threshold != nil:
		return s.Threshold.compile()
	case s.Schedule != nil:
		return s.Schedule.compile()
	default:
		return s.Segment.compile()
	}
}

func (s Spec) checkOne() error {
	switch k := s.kinds(); len(k) {
	case 0:
		return fieldErr("", "no kind set (want one of event, delay, anniversary, inactivity, repurchase, depletion, threshold, segment, schedule)")
	case 1:
		return nil
	default:
		return fieldErr("", "exactly one kind must be set, got %s", strings.Join(k, " and "))
	}
}

// Parse decodes a Spec from strict JSON: unknown fields, values of the
// wrong type, bad syntax and trailing data are each reported as a
// *parcours.DecodeError (field path, line, column; all of them, joined),
// wrapped in a *[FieldError] for the document; anything but exactly one
// kind is a *[FieldError]. Every error wraps parcours.ErrInvalid; the Spec
// is zero with any error. Field values are checked by [Spec.Compile].
func Parse(data []byte) (Spec, error) {
	var s Spec
	if err := jsonx.Decode(data, &s); err != nil {
		return Spec{}, &FieldError{Msg: "bad JSON", Err: err}
	}
	if err := s.checkOne(); err != nil {
		return Spec{}, err
	}
	return s, nil
}

// sortFirings orders firings by At, then Key.
func sortFirings(fs []Firing) {
	slices.SortFunc(fs, func(a, b Firing) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
}

// eventRef names evs[i] stably: its ID, or for an event without ID
// "@<time>#<n>", n counting the earlier ID-less events at the same
// instant (canonical timelines keep those in input order).
func eventRef(evs []parcours.Event, i int) string {
	e := evs[i]
	if e.ID != "" {
		return e.ID
	}
	n := 0
	for j := i - 1; j >= 0 && evs[j].Time.Equal(e.Time); j-- {
		if evs[j].ID == "" {
			n++
		}
	}
	return fmt.Sprintf("@%s#%d", e.Time.UTC().Format(time.RFC3339Nano), n)
}

// typeSet is a small set of event types; an empty set uses a default.
type typeSet []string

func (s typeSet) has(typ string) bool { return slices.Contains(s, typ) }

// appendTo appends the types for reasons: "order/store_visit".
func (s typeSet) appendTo(b []byte) []byte {
	for i, t := range s {
		if i > 0 {
			b = append(b, '/')
		}
		b = append(b, t...)
	}
	return b
}

// appendDay appends an instant's local date, for reasons.
func appendDay(b []byte, t time.Time, loc *time.Location) []byte {
	return t.In(loc).AppendFormat(b, time.DateOnly)
}

// checkTypes validates a list of event types and returns it with the
// default applied when empty.
func checkTypes(field string, types []string, def string) (typeSet, error) {
	if len(types) == 0 {
		if def == "" {
			return nil, fieldErr(field, "at least one event type is required")
		}
		return typeSet{def}, nil
	}
	for i, t := range types {
		if t == "" {
			return nil, fieldErr(fmt.Sprintf("%s[%d]", field, i), "empty event type")
		}
	}
	return slices.Clone(types), nil
}
