package scenario_test

import (
	"fmt"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/clv"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/segment"
)

func ExampleParse() {
	s, err := scenario.Parse([]byte(`{
		"id": "cart", "version": 1,
		"trigger": {"on": ["cart_abandoned"]},
		"exit": ["event.type == \"order\""],
		"steps": [
			{"id": "wait", "wait": {"for": "2h"}},
			{"id": "remind", "send": {"channels": ["email"], "template": "cart"}}
		]
	}`))
	fmt.Println(s.ID, len(s.Steps), err)
	_, err = scenario.Parse([]byte(`{"id": "cart", "trigger": {"onn": ["x"]}}`))
	fmt.Println(err)
	// Output:
	// cart 2 <nil>
	// scenario: json line 1, column 28: trigger.onn: unknown field "onn"
}

func ExampleCompile() {
	_, err := scenario.Compile([]scenario.Scenario{{
		ID:        "welcome",
		Targeting: `profile.attributes.species = "cat"`,
		Trigger:   scenario.Trigger{On: []string{parcours.Signup}},
		Steps:     []scenario.Step{{ID: "mail", Send: &scenario.Send{Channels: []parcours.Channel{parcours.Email}, Template: "w1"}}},
	}})
	fmt.Println(err)
	// Output:
	// scenario "welcome": targeting (line 1, column 28): unexpected token Operator("=")
	//  | profile.attributes.species = "cat"
	//  | ...........................^
}

func ExampleEngine_Evaluate() {
	eng, err := scenario.Compile([]scenario.Scenario{{
		ID: "welcome", Version: 1,
		Trigger: scenario.Trigger{On: []string{parcours.Signup}},
		Exit:    []string{`event.type == "order"`},
		Steps: []scenario.Step{
			{ID: "mail1", Send: &scenario.Send{Channels: []parcours.Channel{parcours.Email, parcours.SMS}, Template: "welcome-1",
				Vars: map[string]string{"species": `profile.attributes.species ?? "pet"`}}},
			{ID: "wait", Wait: &scenario.Wait{For: parcours.Duration(48 * time.Hour)}},
			{ID: "mail2", Send: &scenario.Send{Channels: []parcours.Channel{parcours.Email, parcours.SMS}, Template: "welcome-2"}},
		},
	}})
	if err != nil {
		panic(err)
	}
	signup := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{
		Profile: parcours.Profile{ID: "c1", Consent: map[parcours.Channel]bool{parcours.SMS: true},
			Attributes: map[string]any{"species": "dog"}},
		Events: []parcours.Event{{ID: "s1", Type: parcours.Signup, Time: signup}},
	}

	res := eng.Evaluate(tl, signup.Add(time.Minute))
	a := res.Due[0]
	fmt.Println(a.Step, a.Channel, a.Template, a.Vars["species"])

	// The host sends, then records it: the step is done, the wait runs.
	tl.Events = append(tl.Events, a.SentEvent("m1", signup.Add(2*time.Minute)))
	res = eng.Evaluate(tl, signup.Add(time.Hour))
	fmt.Println(len(res.Due), "due; come back at", res.Next.Format(time.RFC3339))

	res = eng.Evaluate(tl, res.Next)
	fmt.Println(res.Due[0].Step, res.Due[0].Channel)
	// Output:
	// mail1 sms welcome-1 dog
	// 0 due; come back at 2026-03-04T09:02:00Z
	// mail2 sms
}

func ExampleAction_SentEvent() {
	a := scenario.Action{Scenario: "welcome", Run: "r1", Step: "mail1", Key: "k1", Channel: parcours.Email}
	e := a.SentEvent("m1", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	fmt.Println(e.Type, e.Channel, e.Props["run"], e.Props["step"], e.Props["key"])
	// Output: message_sent email r1 mail1 k1
}

func ExampleParseAll() {
	ss, err := scenario.ParseAll([]byte(`[
		{"id": "a", "trigger": {"on": ["order"]}, "steps": [{"id": "s", "send": {"channels": ["email"], "template": "invoice"}}], "transactional": true},
		{"id": "b", "trigger": {"when": "hasEvent(\"order\") && daysSince(\"order\") > 90"}, "steps": [{"id": "s", "send": {"channels": ["email"], "template": "miss-you"}}]}
	]`))
	fmt.Println(len(ss), err)
	eng, err := scenario.Compile(ss)
	fmt.Println(eng.Scenarios(), err)
	// Output:
	// 2 <nil>
	// [a b] <nil>
}

func ExampleWithPolicy() {
	p, err := scenario.ParsePolicy([]byte(`{
		"caps": [{"channels": ["email"], "max": 3, "window": "7d"}],
		"quiet_hours": [{"channels": ["sms"], "from": "21:00", "to": "09:00"}]
	}`))
	if err != nil {
		panic(err)
	}
	eng, err := scenario.Compile([]scenario.Scenario{{
		ID:      "welcome",
		Trigger: scenario.Trigger{On: []string{parcours.Signup}},
		Steps:   []scenario.Step{{ID: "hello", Send: &scenario.Send{Channels: []parcours.Channel{parcours.SMS}, Template: "hello"}}},
	}}, scenario.WithPolicy(p))
	if err != nil {
		panic(err)
	}
	late := time.Date(2026, 3, 28, 21, 30, 0, 0, time.UTC) // 22:30 in Paris
	res := eng.Evaluate(parcours.Timeline{
		Profile: parcours.Profile{ID: "c1", TimeZone: "Europe/Paris", Consent: map[parcours.Channel]bool{parcours.SMS: true}},
		Events:  []parcours.Event{{ID: "s1", Type: parcours.Signup, Time: late}},
	}, late)
	d := res.Deferred[0]
	fmt.Println(d.Code, "until", d.Until.In(time.UTC).Format(time.RFC3339), "=", d.Until.In(must(time.LoadLocation("Europe/Paris"))).Format("15:04 MST"))
	// Output: quiet_hours until 2026-03-29T07:00:00Z = 09:00 CEST
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func ExampleParsePolicy() {
	p, err := scenario.ParsePolicy([]byte(`{
		"caps": [{"channels": ["email"], "max": 3, "window": "7d"}],
		"priority": {"gap": "1d"},
		"suppression": {"after": "180d"},
		"control_group": {"share": 0.05, "salt": "programme-2026"}
	}`))
	fmt.Println(p.Caps[0].Max, p.Caps[0].Window, p.Priority.Gap, p.Suppression.After, p.ControlGroup.Share, err)
	_, err = scenario.ParsePolicy([]byte(`{"caps": [{"max": 3, "window": 7}]}`))
	fmt.Println(err != nil)
	// Output:
	// 3 7d 1d 180d 0.05 <nil>
	// true
}

func ExampleRunID() {
	// A fixture records that mail1 of the run started by signup s1 went out.
	run := scenario.RunID("welcome", "s1")
	sent := parcours.Event{ID: "m1", Type: parcours.MessageSent, Time: time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC),
		Channel: parcours.Email, Props: map[string]any{parcours.PropRun: run, parcours.PropStep: "mail1"}}
	fmt.Println(len(run), sent.Props[parcours.PropStep])
	// Output: 21 mail1
}

func ExampleWithSegments() {
	eng, err := scenario.Compile([]scenario.Scenario{{
		ID:        "winback",
		Targeting: `facts().stage == "inactive"`,
		Trigger:   scenario.Trigger{On: []string{"newsletter_opened"}},
		Steps: []scenario.Step{{ID: "offer", Send: &scenario.Send{Channels: []parcours.Channel{parcours.Email}, Template: "winback",
			Vars: map[string]string{"favourite": `facts().favourite`}}}},
	}}, scenario.WithSegments(segment.Config{Window: parcours.Duration(182 * 24 * time.Hour)}))
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	order := parcours.Event{ID: "o1", Type: parcours.Order, Time: now.AddDate(-1, 0, 0), Props: map[string]any{
		"amount": 50.0, "items": []any{map[string]any{"category": "dogs", "price": 50.0, "quantity": 1}}}}
	res := eng.Evaluate(parcours.Timeline{
		Profile: parcours.Profile{ID: "c1", Consent: map[parcours.Channel]bool{parcours.Email: true}},
		Events:  []parcours.Event{order, {ID: "n1", Type: "newsletter_opened", Time: now}},
	}, now)
	fmt.Println(res.Due[0].Template, res.Due[0].Vars["favourite"])
	// Output: winback dogs
}

func ExampleWithCLV() {
	// BG/NBD as fitted on CDNOW (weeks), stored by the host as JSON.
	m, err := clv.ParseModel([]byte(`{"kind": "bgnbd", "params": [0.2426, 4.4135, 0.7929, 2.4258]}`))
	if err != nil {
		panic(err)
	}
	eng, err := scenario.Compile([]scenario.Scenario{{
		ID:        "fading-vip",
		Targeting: `clv().historic_value > 50 && clv().p_alive < 0.8`,
		Trigger:   scenario.Trigger{On: []string{"weekly_check"}},
		Steps:     []scenario.Step{{ID: "call", Send: &scenario.Send{Channels: []parcours.Channel{parcours.Email}, Template: "vip-care"}}},
	}}, scenario.WithCLV(m, 52*7*24*time.Hour))
	if err != nil {
		panic(err)
	}
	day := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	res := eng.Evaluate(parcours.Timeline{
		Profile: parcours.Profile{ID: "cdnow-1", Consent: map[parcours.Channel]bool{parcours.Email: true}},
		Events: []parcours.Event{
			{ID: "o1", Type: parcours.Order, Time: day("1997-01-01"), Props: map[string]any{"amount": 29.33}},
			{ID: "o2", Type: parcours.Order, Time: day("1997-01-18"), Props: map[string]any{"amount": 29.73}},
			{ID: "o3", Type: parcours.Order, Time: day("1997-08-02"), Props: map[string]any{"amount": 14.96}},
			{ID: "w", Type: "weekly_check", Time: day("1997-09-30")},
		},
	}, day("1997-09-30"))
	fmt.Println(len(res.Due), res.Due[0].Template)
	// Output: 1 vip-care
}

func ExampleEngine_Scenarios() {
	eng, _ := scenario.Compile([]scenario.Scenario{
		{ID: "b", Trigger: scenario.Trigger{On: []string{"x"}}, Steps: []scenario.Step{{ID: "s", Exit: true}}},
		{ID: "a", Trigger: scenario.Trigger{On: []string{"x"}}, Steps: []scenario.Step{{ID: "s", Exit: true}}},
	})
	fmt.Println(eng.Scenarios())
	// Output: [b a]
}

func ExampleEngine_Replay() {
	eng, err := scenario.Compile([]scenario.Scenario{{
		ID:      "welcome",
		Trigger: scenario.Trigger{On: []string{parcours.Signup}},
		Exit:    []string{`event.type == "order"`},
		Steps: []scenario.Step{
			{ID: "mail1", Send: &scenario.Send{Channels: []parcours.Channel{parcours.Email}, Template: "welcome-1"}},
			{ID: "wait1", Wait: &scenario.Wait{For: parcours.Duration(48 * time.Hour)}},
			{ID: "mail2", Send: &scenario.Send{Channels: []parcours.Channel{parcours.Email}, Template: "welcome-2"}},
			{ID: "wait2", Wait: &scenario.Wait{For: parcours.Duration(48 * time.Hour)}},
			{ID: "mail3", Send: &scenario.Send{Channels: []parcours.Channel{parcours.Email}, Template: "welcome-3"}},
		},
	}})
	if err != nil {
		panic(err)
	}
	signup := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r, err := eng.Replay(parcours.Timeline{
		Profile: parcours.Profile{ID: "c1", Consent: map[parcours.Channel]bool{parcours.Email: true}},
		Events: []parcours.Event{
			{ID: "s1", Type: parcours.Signup, Time: signup},
			{ID: "o1", Type: parcours.Order, Time: signup.Add(3 * 24 * time.Hour)}, // buys on day 3
		},
	}, signup, signup.AddDate(0, 0, 14))
	if err != nil {
		panic(err)
	}
	for _, s := range r.Sent {
		fmt.Println(s.At.Format("Mon Jan 2"), s.Template)
	}
	// Output:
	// Mon Mar 2 welcome-1
	// Wed Mar 4 welcome-2
}

// A scheduler that runs three hours late sends the same welcome series.
// Each send is three hours late, and the wait counts from the first
// mail as sent, so the lateness adds up. Observe sees each evaluation.
func ExampleEngine_ReplayWith() {
	eng, err := scenario.Compile([]scenario.Scenario{{
		ID:          "welcome",
		Trigger:     scenario.Trigger{On: []string{parcours.Signup}},
		MaxLateness: parcours.Duration(24 * time.Hour),
		Steps: []scenario.Step{
			{ID: "mail1", Send: &scenario.Send{Channels: []parcours.Channel{parcours.Email}, Template: "welcome-1"}},
			{ID: "wait", Wait: &scenario.Wait{For: parcours.Duration(48 * time.Hour)}},
			{ID: "mail2", Send: &scenario.Send{Channels: []parcours.Channel{parcours.Email}, Template: "welcome-2"}},
		},
	}})
	if err != nil {
		panic(err)
	}
	signup := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	evaluations := 0
	r, err := eng.ReplayWith(parcours.Timeline{
		Profile: parcours.Profile{ID: "c1", Consent: map[parcours.Channel]bool{parcours.Email: true}},
		Events:  []parcours.Event{{ID: "s1", Type: parcours.Signup, Time: signup}},
	}, signup, signup.AddDate(0, 0, 7), scenario.ReplayOptions{
		Late:    3 * time.Hour,
		Observe: func(time.Time, scenario.Result) { evaluations++ },
	})
	if err != nil {
		panic(err)
	}
	for _, s := range r.Sent {
		fmt.Println(s.At.Format("Mon Jan 2 15:04"), s.Template)
	}
	fmt.Println(evaluations, "evaluations")
	// Output:
	// Mon Mar 2 12:00 welcome-1
	// Wed Mar 4 15:00 welcome-2
	// 4 evaluations
}

func ExampleErrors() {
	_, err := scenario.Compile([]scenario.Scenario{{
		ID:        "welcome",
		Targeting: `profile.attributes.species ==`,
		Trigger:   scenario.Trigger{On: []string{parcours.Signup}},
		Steps:     []scenario.Step{{ID: "mail", Send: &scenario.Send{Channels: []parcours.Channel{parcours.Email}}}},
	}})
	for _, e := range scenario.Errors(err) {
		fmt.Printf("%s %s (line %d)\n", e.Scenario, e.Field, e.Line)
	}
	// Output:
	// welcome targeting (line 1)
	// welcome steps[0].send.template (line 0)
}
