package scenariotest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/scenariotest"
)

var anchor = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func engine(t *testing.T, opts ...scenario.Option) *scenario.Engine {
	t.Helper()
	scs, err := scenariotest.ReadScenarios("testdata/scenarios.json")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := scenario.Compile(scs, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

var emailCap = scenario.Policy{Caps: []scenario.Cap{{Channels: []parcours.Channel{parcours.Email}, Max: 2, Window: parcours.Duration(7 * scenariotest.Day)}}}

func TestBuilder(t *testing.T) {
	a := scenario.Action{Scenario: "cart", Run: "r1", Step: "remind", Key: "k1", Channel: parcours.Email, Transactional: true}
	b := scenariotest.NewTimeline("lea", anchor).Zone("Europe/Paris").Consent(parcours.Email, parcours.SMS).Attr("species", "cat").
		Order(-90*scenariotest.Day, 80).
		Event(-2*time.Hour, parcours.CartAbandoned, map[string]any{"cart": "C1"}).
		Sent(0, a).Opened(time.Hour, a).Clicked(2*time.Hour, a).
		Add(parcours.Event{ID: "own", Type: "store_visit", Time: anchor})
	got := b.Timeline()
	msg := func(id, typ string, at time.Duration, tr bool) parcours.Event {
		props := map[string]any{"scenario": "cart", "run": "r1", "step": "remind", "key": "k1"}
		if tr {
			props["transactional"] = true
		}
		return parcours.Event{ID: id, Type: typ, Time: anchor.Add(at), Channel: "email", Props: props}
	}
	want := parcours.Timeline{
		Profile: parcours.Profile{ID: "lea", TimeZone: "Europe/Paris", Consent: map[string]bool{"email": true, "sms": true}, Attributes: map[string]any{"species": "cat"}},
		Events: []parcours.Event{
			{ID: "e1", Type: "order", Time: anchor.Add(-90 * scenariotest.Day), Props: map[string]any{"amount": 80.0}},
			{ID: "e2", Type: "cart_abandoned", Time: anchor.Add(-2 * time.Hour), Props: map[string]any{"cart": "C1"}},
			msg("e3", "message_sent", 0, true),
			msg("e4", "message_opened", time.Hour, false),
			msg("e5", "message_clicked", 2*time.Hour, false),
			{ID: "own", Type: "store_visit", Time: anchor},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	b.Attr("species", "dog").Order(0, 1)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("later calls changed an earlier Timeline (-want +got):\n%s", diff)
	}
}

func TestNoKeyTwice(t *testing.T) {
	eng := engine(t)
	tl := scenariotest.NewTimeline("lea", anchor).Consent(parcours.Email).Event(0, parcours.Signup, nil).Timeline()
	r, err := eng.Replay(tl, anchor, anchor.Add(10*scenariotest.Day))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Sent) != 3 {
		t.Fatalf("sent %d, want the 3 welcome mails", len(r.Sent))
	}
	if err := scenariotest.NoKeyTwice(r); err != nil {
		t.Error(err)
	}
	// A host that sent mail1 again under the same key.
	r.Timeline.Events = append(r.Timeline.Events, r.Sent[0].SentEvent("again", anchor.Add(time.Hour)))
	err = scenariotest.NoKeyTwice(r)
	if err == nil || !strings.Contains(err.Error(), r.Sent[0].Key+" sent 2 times") {
		t.Errorf("duplicate not reported: %v", err)
	}
}

func TestCapsRespected(t *testing.T) {
	tl := scenariotest.NewTimeline("lea", anchor).Consent(parcours.Email).
		Event(0, parcours.Signup, nil).
		Event(time.Hour, parcours.CartAbandoned, map[string]any{"amount": 20}).
		Timeline()
	to := anchor.Add(20 * scenariotest.Day)

	// With the cap in the engine, the replay respects it.
	capped, err := engine(t, scenario.WithPolicy(emailCap)).Replay(tl, anchor, to)
	if err != nil {
		t.Fatal(err)
	}
	if err := scenariotest.CapsRespected(emailCap, capped); err != nil {
		t.Error(err)
	}
	// Without it, four emails in two days break it, twice.
	free, err := engine(t).Replay(tl, anchor, to)
	if err != nil {
		t.Fatal(err)
	}
	err = scenariotest.CapsRespected(emailCap, free)
	if err == nil || strings.Count(err.Error(), "cap of 2 [email] in 7d exceeded") != 2 {
		t.Errorf("violations not reported: %v", err)
	}
	// History counts towards the window but cannot break it by itself.
	hist := scenariotest.NewTimeline("tom", anchor).Consent(parcours.Email)
	for i := range 3 {
		hist.Add(parcours.Event{Type: parcours.MessageSent, Channel: "email", Time: anchor.Add(-time.Duration(i+1) * time.Hour)})
	}
	r, err := engine(t, scenario.WithPolicy(emailCap)).Replay(hist.Timeline(), anchor, to)
	if err != nil {
		t.Fatal(err)
	}
	if err := scenariotest.CapsRespected(emailCap, r); err != nil {
		t.Error(err)
	}
}

func TestLateWithin(t *testing.T) {
	eng := engine(t)
	cart := scenariotest.NewTimeline("lea", anchor).Consent(parcours.Email).
		Event(0, parcours.CartAbandoned, map[string]any{"amount": 80}).
		Event(0, parcours.Signup, nil)
	to := anchor.Add(10 * scenariotest.Day)

	// Within the cart's max_lateness (1d) and the welcome's (2d): nothing lost.
	for _, late := range []time.Duration{0, time.Minute, 12 * time.Hour, scenariotest.Day} {
		if err := scenariotest.LateWithin(eng, cart.Timeline(), anchor, to, late); err != nil {
			t.Errorf("late %v: %v", late, err)
		}
	}
	// Beyond the cart's: its reminder is skipped as late, and reported so.
	err := scenariotest.LateWithin(eng, cart.Timeline(), anchor, to, 36*time.Hour)
	if err == nil || !strings.Contains(err.Error(), "cart/remind") || !strings.Contains(err.Error(), "skipped (late") || strings.Contains(err.Error(), "welcome") {
		t.Errorf("late 36h: %v", err)
	}
	// An order the late scheduler saw before sending ends the cart run:
	// that is knowing more, not losing.
	bought := cart.Order(3*time.Hour, 80).Timeline()
	if err := scenariotest.LateWithin(eng, bought, anchor, to, 36*time.Hour); err != nil && strings.Contains(err.Error(), "cart/") {
		t.Errorf("order before the late send: %v", err)
	}
}

func TestLateReplaySends(t *testing.T) {
	eng := engine(t)
	tl := scenariotest.NewTimeline("lea", anchor).Consent(parcours.Email).Event(0, parcours.Signup, nil).Timeline()
	r, err := scenariotest.LateReplay(eng, tl, anchor, anchor.Add(10*scenariotest.Day), 3*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range r.Sent {
		got = append(got, s.Step+" "+s.At.Sub(anchor).String())
	}
	// mail1 at 0+3h; mail2 due 1d after mail1 was sent (at 3h), sent 3h
	// late; mail3 likewise.
	want := []string{"mail1 3h0m0s", "mail2 30h0m0s", "mail3 57h0m0s"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if err := scenariotest.NoKeyTwice(r); err != nil {
		t.Error(err)
	}
}

// TestSimulateIsReplay: on time, Simulate sends what Engine.Replay sends,
// at the same instants, and sees every evaluation.
func TestSimulateIsReplay(t *testing.T) {
	eng := engine(t, scenario.WithPolicy(emailCap))
	tl := scenariotest.NewTimeline("lea", anchor).Consent(parcours.Email).
		Event(0, parcours.Signup, nil).
		Event(time.Hour, parcours.CartAbandoned, map[string]any{"amount": 20}).
		Event(3*scenariotest.Day, parcours.CartAbandoned, map[string]any{"amount": 30}).
		Order(3*scenariotest.Day+time.Hour, 30).
		Timeline()
	to := anchor.Add(30 * scenariotest.Day)
	want, err := eng.Replay(tl, anchor, to)
	if err != nil {
		t.Fatal(err)
	}
	var evals, deferred int
	got, err := scenariotest.Simulate(eng, tl, anchor, to, 0, func(_ time.Time, r scenario.Result) {
		evals++
		deferred += len(r.Deferred) + len(r.Skipped)
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Sent, got.Sent); diff != "" {
		t.Errorf("sent (-Replay +Simulate):\n%s", diff)
	}
	if diff := cmp.Diff(want.Skipped, got.Skipped); diff != "" {
		t.Errorf("skipped (-Replay +Simulate):\n%s", diff)
	}
	if evals < len(got.Sent) || deferred == 0 {
		t.Errorf("observed %d evaluations, %d deferrals or skips", evals, deferred)
	}
}
