package scenario

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
)

// Replay is what an ideal scheduler did for one customer over a period:
// see Engine.Replay.
type Replay struct {
	// Sent are the actions carried out, in the order they went out.
	Sent []Sent `json:"sent"`

	// Skipped are the actions reported skipped at least once, each once
	// (by key and reason), in the order first seen.
	Skipped []Skipped `json:"skipped,omitempty"`

	// Deferred are the actions a policy postponed at least once, each
	// once (by key and reason), in the order first seen, with the first
	// Until reported: what a journey report counts as deferred.
	Deferred []Deferred `json:"deferred,omitempty"`

	// Errors are the evaluation errors, each once (by message).
	Errors []error `json:"-"`

	// Timeline is the customer's timeline at the end, with a
	// message_sent event for every action sent.
	Timeline parcours.Timeline `json:"-"`
}

// Sent is an action and the instant the scheduler carried it out.
type Sent struct {
	Action
	At time.Time `json:"at"`
}

// maxReplay bounds the evaluations of one replay; every evaluation moves
// time forward, so only an absurd period or loop gets near it.
const maxReplay = 100_000

// ErrReplayTooLong is returned by Replay when the period needs more than
// 100,000 evaluations.
var ErrReplayTooLong = errors.New("scenario: replay needs more than 100000 evaluations")

// Replay simulates an ideal scheduler for the customer of tl from from to
// to, and returns what it sent: the journey a customer would live, for a
// marketer's preview or a host's unit test.
//
// The scheduler evaluates at from, at each event of tl in (from, to], and
// at each Result.Next up to to. It carries out every due action at the
// instant of the evaluation and records it back as Action.SentEvent would
// (event ID "replay-<n>"), so later steps and policies see it; deferred
// actions come back at their instant through Result.Next. Events of tl
// after to are ignored.
func (e *Engine) Replay(tl parcours.Timeline, from, to time.Time) (Replay, error) {
	return e.ReplayWith(tl, from, to, ReplayOptions{})
}

// ReplayOptions tunes ReplayWith. The zero value is Replay's ideal
// scheduler.
type ReplayOptions struct {
	// Late makes the scheduler late: each time the ideal one would
	// evaluate, it evaluates Late afterwards and sends what is due then.
	// Events of tl after to are then left out of the replay, so that a
	// late evaluation knows what the ideal one would.
	Late time.Duration

	// Observe, when not nil, is handed every evaluation's instant and
	// Result, for a caller that wants more than the Replay keeps.
	Observe func(now time.Time, r Result)
}

// ReplayWith is Replay with a scheduler tuned by o: one late by o.Late
// (package scenariotest checks that such a scheduler loses nothing), or
// one whose every evaluation o.Observe sees.
func (e *Engine) ReplayWith(tl parcours.Timeline, from, to time.Time, o ReplayOptions) (Replay, error) {
	var out Replay
	events := slices.Clone(tl.Events)
	if o.Late > 0 {
		events = slices.DeleteFunc(events, func(ev parcours.Event) bool { return ev.Time.After(to) })
	}
	instants := make([]time.Time, 0, len(tl.Events))
	for _, ev := range events {
		if ev.Time.After(from) && !ev.Time.After(to) {
			instants = append(instants, ev.Time)
		}
	}
	slices.SortFunc(instants, func(a, b time.Time) int { return a.Compare(b) })
	instants = slices.CompactFunc(instants, func(a, b time.Time) bool { return a.Equal(b) })

	seenSkip := map[string]bool{}
	seenDefer := map[string]bool{}
	seenErr := map[string]bool{}
	next := 0     // index in instants of the next event to wait for
	asked := from // the instant the ideal scheduler evaluates at
	for n := 0; ; n++ {
		if n == maxReplay {
			out.Timeline = parcours.Timeline{Profile: tl.Profile, Events: events}
			return out, ErrReplayTooLong
		}
		now := asked.Add(o.Late)
		res := e.Evaluate(parcours.Timeline{Profile: tl.Profile, Events: events}, now)
		if o.Observe != nil {
			o.Observe(now, res)
		}
		for _, a := range res.Due {
			events = append(events, a.SentEvent(fmt.Sprint("replay-", len(out.Sent)+1), now))
			out.Sent = append(out.Sent, Sent{Action: a, At: now})
		}
		for _, s := range res.Skipped {
			if k := s.Action.Key + "\x00" + string(s.Code); !seenSkip[k] {
				seenSkip[k] = true
				out.Skipped = append(out.Skipped, s)
			}
		}
		for _, d := range res.Deferred {
			if k := d.Action.Key + "\x00" + string(d.Code); !seenDefer[k] {
				seenDefer[k] = true
				out.Deferred = append(out.Deferred, d)
			}
		}
		for _, err := range res.Errors {
			if msg := err.Error(); !seenErr[msg] {
				seenErr[msg] = true
				out.Errors = append(out.Errors, err)
			}
		}
		for next < len(instants) && !instants[next].After(asked) {
			next++
		}
		if len(res.Due) > 0 {
			continue // again at once: the step after a send may be due now
		}
		// The next instant: the next event, or what the result asks.
		var t time.Time
		if next < len(instants) {
			t = instants[next]
		}
		if !res.Next.IsZero() && (t.IsZero() || res.Next.Before(t)) {
			t = res.Next
		}
		if t.IsZero() || t.After(to) {
			break
		}
		asked = t
	}
	out.Timeline = parcours.Timeline{Profile: tl.Profile, Events: events}
	return out, nil
}
