package report

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

const welcomeJSON = `[{
  "id": "welcome", "version": 1,
  "trigger": {"on": ["signup"]},
  "reentry": {"mode": "once"},
  "exit": ["event.type == \"order\""],
  "max_lateness": "2d",
  "steps": [
    {"id": "mail1", "send": {"channels": ["email"], "template": "welcome-1"}},
    {"id": "wait1", "wait": {"for": "2d"}},
    {"id": "mail2", "send": {"channels": ["email"], "template": "welcome-2"}},
    {"id": "wait2", "wait": {"for": "2d"}},
    {"id": "mail3", "send": {"channels": ["email"], "template": "welcome-3"}}
  ]
}]`

func TestJourneyFunnel(t *testing.T) {
	scs, err := scenario.ParseAll([]byte(welcomeJSON))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := scenario.Compile(scs, scenario.WithPolicy(scenario.Policy{QuietHours: []scenario.QuietHours{{From: "08:00", To: "10:00"}}}))
	if err != nil {
		t.Fatal(err)
	}
	email := map[parcours.Channel]bool{parcours.Email: true}
	signup := parcours.Event{ID: "su", Type: parcours.Signup, Time: at(0)} // 09:00, in quiet hours
	from, to := at(-1), at(10*day)
	var replays []scenario.Replay
	for _, c := range []struct {
		id      string
		consent map[parcours.Channel]bool
		evs     []parcours.Event
	}{
		// ana opens the first mail and buys the next day: converted, the
		// order ends the run before mail2.
		{"ana", email, []parcours.Event{signup, opened("op", "", "email", 3), purchase("p1", 50, day)}},
		{"ben", email, []parcours.Event{signup}},
		{"cyd", nil, []parcours.Event{signup}}, // no consent
	} {
		r, err := eng.Replay(parcours.Timeline{Profile: parcours.Profile{ID: c.id, Consent: c.consent}, Events: c.evs}, from, to)
		if err != nil || len(r.Errors) > 0 {
			t.Fatal(err, r.Errors)
		}
		if c.id == "ana" { // the host records the open of what it sent
			for i, e := range r.Timeline.Events {
				if e.ID == "op" {
					r.Timeline.Events[i] = opened("op", r.Sent[0].Key, "email", 3)
				}
			}
		}
		replays = append(replays, r)
	}
	got, err := JourneyFunnel(slices.Values(replays), from, to, Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := Funnel{From: from, To: to, Scenarios: []ScenarioFunnel{{
		Scenario: "welcome", Runs: 3, Sent: 2, Converted: 1,
		Steps: []StepFunnel{
			{Step: "mail1", Runs: 3, Sent: 2, Deferred: []Reason{{"quiet_hours", 2}}, Skipped: []Reason{{"unreachable", 1}}},
			{Step: "mail2", Runs: 1, Sent: 1},
			{Step: "mail3", Runs: 1, Sent: 1},
		},
	}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}

	// The same customers read from their timelines alone: the runs that
	// sent, their sends and conversions, no holds or skips. A send
	// recorded twice counts once.
	var fromTimelines []scenario.Replay
	for _, r := range replays {
		tl := r.Timeline
		for _, e := range tl.Events {
			if e.Type == parcours.MessageSent {
				e.ID += "-again"
				tl.Events = append(slices.Clone(tl.Events), e)
				break
			}
		}
		fromTimelines = append(fromTimelines, ReplayOf(tl))
	}
	got, err = JourneyFunnel(slices.Values(fromTimelines), from, to, Config{})
	if err != nil {
		t.Fatal(err)
	}
	want = Funnel{From: from, To: to, Scenarios: []ScenarioFunnel{{
		Scenario: "welcome", Runs: 2, Sent: 2, Converted: 1,
		Steps: []StepFunnel{{Step: "mail1", Runs: 2, Sent: 2}, {Step: "mail2", Runs: 1, Sent: 1}, {Step: "mail3", Runs: 1, Sent: 1}},
	}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("from timelines (-want +got):\n%s", d)
	}
}

func TestEnrolment(t *testing.T) {
	act := func(sc, variant string, h float64) scenario.Action {
		return scenario.Action{Scenario: sc, Variant: variant, DueAt: at(h), Run: sc + "-r", Step: "s"}
	}
	tests := []struct {
		name  string
		r     scenario.Replay
		arm   string
		since time.Time
		ok    bool
	}{
		{"sent in a variant", scenario.Replay{Sent: []scenario.Sent{{Action: act("lapsed", "promo", 5), At: at(6)}}}, "promo", at(5), true},
		{"experiment holdout", scenario.Replay{Skipped: []scenario.Skipped{{Action: act("lapsed", "holdout", 5), Code: scenario.SkipExperimentHoldout}}}, "holdout", at(5), true},
		{"global control group", scenario.Replay{Skipped: []scenario.Skipped{{Action: act("lapsed", "reminder", 5), Code: scenario.SkipControlGroup}}}, ArmControl, at(5), true},
		{"unreachable keeps its arm", scenario.Replay{Skipped: []scenario.Skipped{{Action: act("lapsed", "promo", 5), Code: scenario.SkipUnreachable}}}, "promo", at(5), true},
		{"no experiment", scenario.Replay{Deferred: []scenario.Deferred{{Action: act("lapsed", "", 5), Code: scenario.SkipCap}}}, ArmTreated, at(5), true},
		{"the first action decides", scenario.Replay{
			Sent:    []scenario.Sent{{Action: act("lapsed", "promo", 9)}},
			Skipped: []scenario.Skipped{{Action: act("lapsed", "promo", 2), Code: scenario.SkipLate}, {Action: act("other", "x", 1)}}},
			"promo", at(2), true},
		{"not in the scenario", scenario.Replay{Sent: []scenario.Sent{{Action: act("other", "", 1)}}}, "", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arm, since, ok := Enrolment(tt.r, "lapsed")
			if arm != tt.arm || !since.Equal(tt.since) || ok != tt.ok {
				t.Errorf("got %q %v %v, want %q %v %v", arm, since, ok, tt.arm, tt.since, tt.ok)
			}
		})
	}
}
