package scenario

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

// Issue 13: two different events recorded under one ID must not hide each
// other. Both orders of an order and an unsubscribe sharing an ID are
// tried: the invoice stays due, the marketing thank-you is held back by
// the unsubscribe, and the conflict is reported.
func TestConflictingIDsNeitherHides(t *testing.T) {
	eng, err := Compile([]Scenario{
		{ID: "invoice", Transactional: true, Trigger: Trigger{On: []string{parcours.Order}},
			Steps: []Step{{ID: "send", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "invoice"}}}},
		{ID: "thanks", Trigger: Trigger{On: []string{parcours.Order}},
			Steps: []Step{{ID: "send", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "thanks"}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	order := parcours.Event{ID: "e1", Type: parcours.Order, Time: t0, Props: map[string]any{"amount": 20.0}}
	unsub := parcours.Event{ID: "e1", Type: parcours.Unsubscribed, Time: t0.Add(-time.Minute)}
	profile := parcours.Profile{ID: "c", Consent: map[parcours.Channel]bool{parcours.Email: true}}
	for name, evs := range map[string][]parcours.Event{
		"unsubscribe first": {unsub, order},
		"order first":       {order, {ID: "e1", Type: parcours.Unsubscribed, Time: t0.Add(time.Minute)}},
	} {
		t.Run(name, func(t *testing.T) {
			now := t0.Add(time.Hour)
			res := eng.Evaluate(parcours.Timeline{Profile: profile, Events: evs}, now)
			var due, skipped []string
			for _, a := range res.Due {
				due = append(due, a.Scenario)
			}
			for _, s := range res.Skipped {
				skipped = append(skipped, s.Action.Scenario+":"+string(s.Code))
			}
			if diff := cmp.Diff([]string{"invoice"}, due); diff != "" {
				t.Errorf("due (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"thanks:unreachable"}, skipped); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
			var ce *parcours.ConflictError
			if len(res.Errors) != 1 || !errors.As(res.Errors[0], &ce) || ce.ID != "e1" || len(ce.Events) != 2 {
				t.Errorf("errors = %v, want one conflict on e1", res.Errors)
			}
			// A retry of the same record is no conflict.
			res = eng.Evaluate(parcours.Timeline{Profile: profile, Events: []parcours.Event{order, order}}, now)
			if len(res.Errors) != 0 || len(res.Due) != 2 {
				t.Errorf("retry: due %d, errors %v", len(res.Due), res.Errors)
			}
		})
	}
}
