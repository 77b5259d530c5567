package scenario

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

func TestResultJSONKeepsErrors(t *testing.T) {
	in := Result{
		Due: []Action{{CustomerID: "c1", Scenario: "s", Run: "r", Step: "a", Key: "k1", DueAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}},
		Errors: []error{
			&Error{Scenario: "s", Version: 2, Field: "steps[0].send.vars.x", Run: "r", Err: errors.New("boom")},
			&PolicyError{Field: "quiet_hours", Err: errors.New("unknown zone")},
			errors.New("other"),
		},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Result
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	msgs := func(errs []error) []string {
		var s []string
		for _, e := range errs {
			s = append(s, e.Error())
		}
		return s
	}
	if diff := cmp.Diff(msgs(in.Errors), msgs(out.Errors)); diff != "" {
		t.Errorf("errors after a JSON round trip (-want +got):\n%s\n%s", diff, b)
	}
	var se *Error
	if !errors.As(out.Errors[0], &se) || se.Field != "steps[0].send.vars.x" || se.Run != "r" {
		t.Errorf("first error is %#v, want the *Error back", out.Errors[0])
	}
	if diff := cmp.Diff(in.Due, out.Due); diff != "" {
		t.Errorf("due (-want +got):\n%s", diff)
	}
}

func TestSentEventKeyAsID(t *testing.T) {
	eng, err := Compile(mustScenarios(t, "testdata/scenarios/welcome.json"))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1", Consent: map[parcours.Channel]bool{parcours.Email: true}},
		Events: []parcours.Event{{ID: "s1", Type: parcours.Signup, Time: t0}}}
	res := eng.Evaluate(tl, t0)
	if len(res.Due) != 1 || res.Due[0].CustomerID != "c1" {
		t.Fatalf("due %+v, want one action for c1", res.Due)
	}
	a := res.Due[0]
	// The host records the send twice, a minute apart (a retry).
	tl.Events = append(tl.Events, a.SentEvent("", t0), a.SentEvent("", t0.Add(time.Minute)))
	if tl.Events[1].ID != a.Key {
		t.Errorf("event ID %q, want the key %q", tl.Events[1].ID, a.Key)
	}
	// Two days on, mail2 is due once, its wait measured from the first
	// record; the two records at different instants are reported.
	res = eng.Evaluate(tl, t0.Add(48*time.Hour))
	if len(res.Due) != 1 || res.Due[0].Step != "mail2" || !res.Due[0].DueAt.Equal(t0.Add(48*time.Hour)) {
		t.Errorf("due %+v, want mail2 at day 2", res.Due)
	}
	// The same retry at the same instant is one record, no conflict.
	tl.Events = append(tl.Events[:1], a.SentEvent("", t0), a.SentEvent("", t0))
	res = eng.Evaluate(tl, t0.Add(48*time.Hour))
	if len(res.Due) != 1 || res.Due[0].Step != "mail2" || len(res.Errors) != 0 {
		t.Errorf("due %+v errors %v, want mail2 and no error", res.Due, res.Errors)
	}
}
