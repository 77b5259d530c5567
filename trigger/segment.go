package trigger

import (
	"time"

	"github.com/parcours-dev/parcours"
)

// Member reports whether the customer whose timeline is tl (events at or
// before at) belongs to a segment at instant at. The segment package, or
// the host, provides it; trigger does not know any segment itself.
type Member func(tl parcours.Timeline, at time.Time) (bool, error)

// SegmentSpec fires when the customer enters (On "enter", the default) or
// leaves (On "exit") the segment Name, as seen from the timeline only; it
// is [Enter] or [Exit] with default [WhenOptions].
//
// JSON cannot carry the membership test: after decoding, the host or the
// scenario package looks up Name and sets Member. Compiling a SegmentSpec
// whose Member is nil fails with a *[FieldError] for "segment.member"
// wrapping [ErrNoMember].
type SegmentSpec struct {
	Name   string `json:"name"`         // the segment, as the host names it
	On     string `json:"on,omitempty"` // "enter" (default) or "exit"
	Member Member `json:"-"`            // membership test, set from Go

	// Rule is membership as a bool expression JSON can carry, for the
	// package that evaluates expressions: package scenario compiles it
	// over its Env (`facts().loyalty.tier == "gold"`) and sets Member.
	// This package cannot evaluate it: compiling a spec with a Rule and
	// no Member fails like one without either.
	Rule string `json:"rule,omitempty"`
}

func (s *SegmentSpec) compile() (Trigger, error) {
	if s.Name == "" {
		return nil, fieldErr("segment.name", "required")
	}
	var exit bool
	switch s.On {
	case "", "enter":
	case "exit":
		exit = true
	default:
		return nil, fieldErr("segment.on", "want enter or exit, got %q", s.On)
	}
	if s.Member == nil {
		return nil, &FieldError{Field: "segment.member", Msg: "segment " + s.Name, Err: ErrNoMember}
	}
	if exit {
		return exitTrigger(s.Member, "left segment "+s.Name), nil
	}
	return enterTrigger(s.Member, "entered segment "+s.Name), nil
}

// Enter fires when the customer becomes a member: at the first event if
// member already holds then, and later each time member turns true after
// being false. It is [When] on member with default options.
func Enter(member Member) Trigger { return enterTrigger(member, "entered segment") }

// Exit fires when a customer who was a member stops being one. Not being
// a member from the start of the timeline is not an exit.
func Exit(member Member) Trigger { return exitTrigger(member, "left segment") }

func enterTrigger(member Member, reason string) Trigger {
	return newWhen("segment", member, WhenOptions{Reason: reason}, false)
}

func exitTrigger(member Member, reason string) Trigger {
	var notMember func(parcours.Timeline, time.Time) (bool, error)
	if member != nil {
		notMember = func(tl parcours.Timeline, at time.Time) (bool, error) {
			in, err := member(tl, at)
			return !in, err
		}
	}
	// Starting "true" means: outside before the start is no exit.
	return newWhen("segment", notMember, WhenOptions{Reason: reason}, true)
}
