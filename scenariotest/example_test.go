package scenariotest_test

import (
	"fmt"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/scenariotest"
)

func ExampleNewTimeline() {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tl := scenariotest.NewTimeline("lea", at).Zone("Europe/Paris").Consent("email").
		Order(-120*scenariotest.Day, 80).
		Event(-2*time.Hour, "cart_abandoned", map[string]any{"cart": "C1"}).
		Timeline()
	for _, e := range tl.Events {
		fmt.Println(e.ID, e.Type, e.Time.Format(time.DateTime))
	}
	// Output:
	// e1 order 2025-11-02 09:00:00
	// e2 cart_abandoned 2026-03-02 07:00:00
}

func ExampleParseFixture() {
	fx, err := scenariotest.ParseFixture([]byte(`{
	  "scenarios": ["scenarios.json"],
	  "anchor": "2026-03-02T10:00:00Z",
	  "at": ["@anchor+2h30m"],
	  "timeline": {"profile": {"id": "lea"}, "events": [
	    {"id": "k1", "type": "cart_abandoned", "time": "@anchor-1d"},
	    {"id": "m1", "type": "message_sent", "time": "@anchor", "props": {"run": "@run(cart,k1)"}}
	  ]}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fx.At[0].Format(time.RFC3339))
	for _, e := range fx.Customers[0].Events {
		fmt.Println(e.ID, e.Time.Format(time.RFC3339), e.Props["run"] == scenario.RunID("cart", "k1"))
	}
	// Output:
	// 2026-03-02T12:30:00Z
	// k1 2026-03-01T10:00:00Z false
	// m1 2026-03-02T10:00:00Z true
}

func ExampleCheck() {
	// testdata/cart.json against testdata/cart.golden.json; `parcours
	// test` and Run do this for every fixture.
	diff, err := scenariotest.Check("testdata/cart.json", false)
	fmt.Printf("diff %q, error %v\n", diff, err)
	// Output: diff "", error <nil>
}

func ExampleDiffJSON() {
	diff, _ := scenariotest.DiffJSON([]byte(`{"due": [], "next": "2026-03-02T12:00:00Z"}`), []byte(`{"next":"2026-03-02T12:00:00Z","due":[]}`))
	fmt.Printf("%q\n", diff)
	// Output: ""
}

func ExampleNoKeyTwice() {
	scs, _ := scenariotest.ReadScenarios("testdata/scenarios.json")
	eng, _ := scenario.Compile(scs)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tl := scenariotest.NewTimeline("lea", at).Consent("email").Event(0, "signup", nil).Timeline()
	r, _ := eng.Replay(tl, at, at.Add(30*scenariotest.Day))
	fmt.Println(len(r.Sent), "sent;", scenariotest.NoKeyTwice(r))
	// Output: 3 sent; <nil>
}

func ExampleCapsRespected() {
	policy := scenario.Policy{Caps: []scenario.Cap{{Channels: []parcours.Channel{"email"}, Max: 2, Window: parcours.Duration(7 * scenariotest.Day)}}}
	scs, _ := scenariotest.ReadScenarios("testdata/scenarios.json")
	eng, _ := scenario.Compile(scs) // forgot WithPolicy(policy)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tl := scenariotest.NewTimeline("lea", at).Consent("email").Event(0, "signup", nil).Timeline()
	r, _ := eng.Replay(tl, at, at.Add(30*scenariotest.Day))
	fmt.Println(scenariotest.CapsRespected(policy, r))
	// Output: cap of 2 [email] in 7d exceeded at 2026-03-04T09:00:00Z: 3 messages (kb24f72af0cb66144681941f2b3c4a0a, kbbcc83172abc2e901e737e1576fb5fb, k6ac59a68b264fe77eeed06e7befc86a)
}

func ExampleLateWithin() {
	scs, _ := scenariotest.ReadScenarios("testdata/scenarios.json")
	eng, _ := scenario.Compile(scs)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tl := scenariotest.NewTimeline("lea", at).Consent("email").Event(0, "cart_abandoned", nil).Timeline()
	fmt.Println(scenariotest.LateWithin(eng, tl, at, at.Add(7*scenariotest.Day), 6*time.Hour)) // max_lateness is 1d
	fmt.Println(scenariotest.LateWithin(eng, tl, at, at.Add(7*scenariotest.Day), 2*scenariotest.Day))
	// Output:
	// <nil>
	// cart/remind key kd6779b15b8a65f4c163e813c7ee612f sent at 2026-03-02T11:00:00Z on time, skipped (late: due 1d22h ago, max lateness 1d) when 2d late
}

func ExampleLateReplay() {
	scs, _ := scenariotest.ReadScenarios("testdata/scenarios.json")
	eng, _ := scenario.Compile(scs)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tl := scenariotest.NewTimeline("lea", at).Consent("email").Event(0, "signup", nil).Timeline()
	r, _ := scenariotest.LateReplay(eng, tl, at, at.Add(7*scenariotest.Day), 3*time.Hour)
	for _, s := range r.Sent {
		fmt.Println(s.Step, s.At.Format(time.DateTime))
	}
	// Output:
	// mail1 2026-03-02 12:00:00
	// mail2 2026-03-03 15:00:00
	// mail3 2026-03-04 18:00:00
}

func ExampleSimulate() {
	policy := scenario.Policy{Caps: []scenario.Cap{{Channels: []parcours.Channel{"email"}, Max: 1, Window: parcours.Duration(scenariotest.Day)}}}
	scs, _ := scenariotest.ReadScenarios("testdata/scenarios.json")
	eng, _ := scenario.Compile(scs, scenario.WithPolicy(policy))
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tl := scenariotest.NewTimeline("lea", at).Consent("email").
		Event(0, "signup", nil).Event(time.Hour, "cart_abandoned", map[string]any{"amount": 20}).Timeline()
	deferred := map[string]bool{}
	_, _ = scenariotest.Simulate(eng, tl, at, at.Add(7*scenariotest.Day), 0, func(now time.Time, r scenario.Result) {
		for _, d := range r.Deferred {
			if !deferred[d.Action.Key] {
				deferred[d.Action.Key] = true
				fmt.Println(now.Format(time.DateTime), d.Action.Step, d.Code, "until", d.Until.Format(time.DateTime))
			}
		}
	})
	// Output:
	// 2026-03-02 12:00:00 remind cap until 2026-03-03 09:00:00
	// 2026-03-03 09:00:00 mail2 cap until 2026-03-04 09:00:00
}

func ExampleFixture_Evaluate() {
	fx, _ := scenariotest.ReadFixture("testdata/cart.json")
	eng, _ := fx.Engine()
	outs, _ := fx.Evaluate(eng)
	for _, o := range outs {
		fmt.Println(o.Customer, o.At.Format(time.RFC3339), len(o.Result) > 0)
	}
	// Output:
	// lea 2026-03-02T11:00:00Z true
	// lea 2026-03-02T12:30:00Z true
	// lea 2026-03-02T13:00:00Z true
}

func ExampleFind() {
	paths, _ := scenariotest.Find("testdata")
	fmt.Println(paths)
	// Output: [testdata/capped.json testdata/cart.json]
}

func ExampleResultJSON() {
	b, _ := scenariotest.ResultJSON(scenario.Result{Due: []scenario.Action{}})
	fmt.Println(string(b))
	// Output: {"due":[]}
}
