package scenario

import (
	"fmt"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// TestEnvHelpers evaluates each helper through a send's vars, on a
// hand-built timeline, so the names, types and windows marketers rely on
// are pinned.
func TestEnvHelpers(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	d := func(days float64) time.Time { return t0.Add(time.Duration(days * float64(24*time.Hour))) }
	run := RunID("h", "trig")
	events := []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: d(-40), Props: map[string]any{"amount": 10.0}},
		{ID: "o2", Type: parcours.Order, Time: d(-20), Props: map[string]any{"amount": 15.5, "store": "Nantes"}},
		// No amount: worth its lines (parcours.Event.Value), 2 x 2.
		{ID: "o3", Type: parcours.Order, Time: d(-2), Props: map[string]any{"items": []any{map[string]any{"price": 2.0, "quantity": 2}}}},
		{ID: "trig", Type: "ping", Time: d(-1)},
		{ID: "op", Type: parcours.MessageOpened, Time: d(-0.5), Props: map[string]any{"run": run, "step": "first"}},
	}
	tests := []struct {
		expr string
		want any
	}{
		{`daysSince("order")`, 2.0},
		{`daysSince("refund") > 1e308`, true}, // +Inf: never happened
		{`hasEvent("order")`, true},
		{`hasEvent("refund")`, false},
		{`countEvents("order", 0)`, 3},
		{`countEvents("order", 30)`, 2},
		{`countEvents("order", 20)`, 1}, // (now-20d, now]: the order exactly 20 days ago is out
		{`sumEvents("order", "amount", 0)`, 29.5},
		{`sumEvents("order", "amount", 30)`, 19.5},
		{`lastEvent("order").id`, "o3"},
		{`lastEvent("refund").type`, ""},
		{`lastEvent("order").props.store ?? "web"`, "web"},
		{`opened("first")`, true},
		{`opened("second")`, false},
		{`clicked("first")`, false},
		{`run.id`, run},
		{`trigger.id`, "trig"},
		{`event.id`, "trig"},
		{`len(events)`, 5},
		{`now == run.start`, false},
		{`profile.attributes.tier`, "gold"},
		{`profile.consent["email"]`, true},
		{`profile.consent["sms"] ?? false`, false},
		{`run.variant`, ""},
	}
	send := &Send{Channels: []parcours.Channel{parcours.Email}, Template: "t", Vars: map[string]string{}}
	for i, tc := range tests {
		send.Vars[fmt.Sprint("v", i)] = tc.expr
	}
	eng, err := Compile([]Scenario{{ID: "h", Trigger: Trigger{On: []string{"ping"}},
		Steps: []Step{{ID: "s", Send: send}}}})
	if err != nil {
		t.Fatal(err)
	}
	res := eng.Evaluate(parcours.Timeline{
		Profile: parcours.Profile{ID: "c", Consent: map[parcours.Channel]bool{parcours.Email: true}, Attributes: map[string]any{"tier": "gold"}},
		Events:  events,
	}, t0)
	if len(res.Errors) > 0 || len(res.Due) != 1 {
		t.Fatalf("due %v errors %v", res.Due, res.Errors)
	}
	for i, tc := range tests {
		if got := res.Due[0].Vars[fmt.Sprint("v", i)]; got != tc.want {
			t.Errorf("%s = %#v, want %#v", tc.expr, got, tc.want)
		}
	}
}

// TestRuntimeErrorIsolated: an expression failing on one customer's data
// is reported for its scenario and run; the other scenarios still act.
func TestRuntimeErrorIsolated(t *testing.T) {
	mk := func(id, v string) Scenario {
		return Scenario{ID: id, Trigger: Trigger{On: []string{"order"}},
			Steps: []Step{{ID: "s", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "t", Vars: map[string]string{"x": v}}}}}
	}
	eng, err := Compile([]Scenario{mk("bad", `event.props.amount * 2`), mk("good", `event.id`)})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	res := eng.Evaluate(parcours.Timeline{
		Profile: parcours.Profile{ID: "c", Consent: map[parcours.Channel]bool{parcours.Email: true}},
		Events:  []parcours.Event{{ID: "o", Type: "order", Time: t0, Props: map[string]any{"amount": "twelve"}}},
	}, t0)
	if len(res.Due) != 1 || res.Due[0].Scenario != "good" {
		t.Errorf("due %v, want only the good scenario", res.Due)
	}
	if len(res.Errors) != 1 {
		t.Fatalf("errors %v, want one", res.Errors)
	}
	e, ok := res.Errors[0].(*Error)
	if !ok || e.Scenario != "bad" || e.Field != "steps[0].send.vars.x" || e.Run == "" {
		t.Errorf("error %#v does not name scenario, field and run", res.Errors[0])
	}
}
