package scenariotest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

// NoKeyTwice checks that no idempotency key was sent twice: among the
// message_sent events of r.Timeline (the history the replay started from
// and every send of the replay), each key appears at most once. It
// returns an error listing each repeated key, nil when there is none.
func NoKeyTwice(r scenario.Replay) error {
	seen := map[string][]time.Time{}
	var order []string
	for _, e := range r.Timeline.Events {
		key, _ := e.String(parcours.PropKey)
		if e.Type != parcours.MessageSent || key == "" {
			continue
		}
		if _, ok := seen[key]; !ok {
			order = append(order, key)
		}
		seen[key] = append(seen[key], e.Time)
	}
	var errs []error
	for _, key := range order {
		if ts := seen[key]; len(ts) > 1 {
			errs = append(errs, fmt.Errorf("key %s sent %d times, at %s", key, len(ts), instants(ts)))
		}
	}
	return errors.Join(errs...)
}

// CapsRespected checks every cap of p over the sends of r: at each
// marketing send, the messages the cap counts in its window, this one
// included, are at most Max. Messages of the history the replay started
// from count towards the window, but only the replay's own sends can break
// a cap (history is what it is). It returns an error listing each
// violation, nil when there is none.
func CapsRespected(p scenario.Policy, r scenario.Replay) error {
	// The replay appends its sends to the history, in order.
	n := len(r.Timeline.Events) - len(r.Sent)
	if n < 0 {
		return errors.New("scenariotest: replay timeline shorter than its sends")
	}
	type msg struct {
		at            time.Time
		channel       string
		transactional bool
		key           string
		replay        bool
	}
	var msgs []msg
	for i, e := range r.Timeline.Events {
		if e.Type != parcours.MessageSent {
			continue
		}
		tr, _ := e.Bool(parcours.PropTransactional)
		key, _ := e.String(parcours.PropKey)
		msgs = append(msgs, msg{e.Time, e.Channel, tr, key, i >= n})
	}
	slices.SortStableFunc(msgs, func(a, b msg) int { return a.at.Compare(b.at) })
	counts := func(c scenario.Cap, m msg) bool {
		if m.transactional && !c.CountTransactional {
			return false
		}
		return len(c.Channels) == 0 || slices.Contains(c.Channels, m.channel)
	}
	var errs []error
	for i, m := range msgs {
		if !m.replay || m.transactional {
			continue
		}
		for _, c := range p.Caps {
			if !counts(c, m) {
				continue
			}
			from := m.at.Add(-c.Window.Std())
			var keys []string
			for _, o := range msgs[:i+1] {
				if o.at.After(from) && counts(c, o) {
					keys = append(keys, o.key)
				}
			}
			if len(keys) > c.Max {
				errs = append(errs, fmt.Errorf("cap of %d %v in %s exceeded at %s: %d messages (%s)",
					c.Max, c.Channels, c.Window, m.at.UTC().Format(time.RFC3339), len(keys), strings.Join(keys, ", ")))
			}
		}
	}
	return errors.Join(errs...)
}

// LateReplay is scenario.Engine.Replay with a scheduler that is always
// late by late: each time the ideal scheduler would evaluate (from, each
// event of tl in (from, to], each Result.Next up to to), this one
// evaluates late afterwards, and sends what is due then. Events of tl
// after to are left out, so that both schedulers know the same events.
// The sends are recorded as Replay records them (event IDs "replay-<n>",
// appended to the timeline in order).
func LateReplay(eng *scenario.Engine, tl parcours.Timeline, from, to time.Time, late time.Duration) (scenario.Replay, error) {
	return Simulate(eng, tl, from, to, late, nil)
}

// Simulate is LateReplay that also hands every evaluation's instant and
// Result to observe (when not nil), for a host that wants more than the
// replay keeps: deferrals, say. With late 0 it sends what Engine.Replay
// sends.
func Simulate(eng *scenario.Engine, tl parcours.Timeline, from, to time.Time, late time.Duration, observe func(time.Time, scenario.Result)) (scenario.Replay, error) {
	return eng.ReplayWith(tl, from, to, scenario.ReplayOptions{Late: late, Observe: observe})
}

// LateWithin checks that a scheduler late by late loses nothing: every
// action the ideal scheduler (Engine.Replay) sends over [from, to] is
// also sent by one always late by late (LateReplay), unless an event of
// the timeline happened between the ideal send and the late evaluation (the
// late scheduler knew more, and may rightly decide otherwise: an order
// ends a cart reminder). Choose late within the scenarios' max_lateness:
// beyond it, actions are meant to be skipped as late. It returns an error
// listing each lost action with what the late scheduler reported for it,
// nil when nothing is lost.
func LateWithin(eng *scenario.Engine, tl parcours.Timeline, from, to time.Time, late time.Duration) error {
	ideal, err := eng.Replay(tl, from, to)
	if err != nil {
		return err
	}
	lr, err := LateReplay(eng, tl, from, to, late)
	if err != nil {
		return err
	}
	sent := map[string]bool{}
	for _, s := range lr.Sent {
		sent[s.Key] = true
	}
	var errs []error
	for _, s := range ideal.Sent {
		if sent[s.Key] || eventBetween(tl, s.At, s.At.Add(late)) {
			continue
		}
		why := "not sent, not reported"
		for _, sk := range lr.Skipped {
			if sk.Action.Key == s.Key {
				why = fmt.Sprintf("skipped (%s: %s)", sk.Code, sk.Detail)
			}
		}
		errs = append(errs, fmt.Errorf("%s/%s key %s sent at %s on time, %s when %s late",
			s.Scenario, s.Step, s.Key, s.At.UTC().Format(time.RFC3339), why, parcours.Duration(late)))
	}
	return errors.Join(errs...)
}

// eventBetween reports whether tl has an event in (from, to].
func eventBetween(tl parcours.Timeline, from, to time.Time) bool {
	for _, e := range tl.Events {
		if e.Time.After(from) && !e.Time.After(to) {
			return true
		}
	}
	return false
}

func instants(ts []time.Time) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.UTC().Format(time.RFC3339)
	}
	return strings.Join(s, ", ")
}
