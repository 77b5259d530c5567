package report_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/report"
	"github.com/parcours-dev/parcours/scenario"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func hours(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

func ev(id, typ string, h int, ch string, props map[string]any) parcours.Event {
	return parcours.Event{ID: id, Type: typ, Time: hours(h), Channel: ch, Props: props}
}

func mail(key, sc, step, variant string) map[string]any {
	p := map[string]any{parcours.PropKey: key, parcours.PropScenario: sc, parcours.PropStep: step, parcours.PropRun: sc + "-1"}
	if variant != "" {
		p[parcours.PropVariant] = variant
	}
	return p
}

func amount(a float64) map[string]any { return map[string]any{parcours.PropAmount: a} }

func ExampleAttribute() {
	customers := []parcours.Timeline{
		{Profile: parcours.Profile{ID: "ana"}, Events: []parcours.Event{
			ev("s1", parcours.MessageSent, 0, "email", mail("k1", "cart", "reminder", "")),
			ev("o1", parcours.MessageOpened, 2, "email", map[string]any{parcours.PropKey: "k1"}),
			ev("p1", parcours.Order, 30, "web", amount(80)),  // 28h after the open: credited
			ev("p2", parcours.Order, 400, "web", amount(40)), // weeks later: not
		}},
		{Profile: parcours.Profile{ID: "ben"}, Events: []parcours.Event{
			ev("s1", parcours.MessageSent, 0, "sms", mail("k1", "flash", "sms", "promo")),
			ev("p1", parcours.Order, 5, "web", amount(20)), // 5h after the SMS: credited
		}},
	}
	att, err := report.Attribute(slices.Values(customers), time.Time{}, hours(24*30), report.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(att.Text())
	// Output:
	// last_touch attribution up to 2026-04-01T09:00:00Z: 2 customers, 3 orders, revenue 140.00
	// scenarios brought 100.00 (71.4% of revenue); all messages 100.00 over 2.0 orders
	// scenario/step  variant  channel  recipients  sends  opens  clicks  unsubs  conversions  revenue  per recipient
	// cart                 -        -           1      1      1       0       0          1.0    80.00          80.00
	//   reminder           -    email           1      1      1       0       0          1.0    80.00          80.00
	// flash                -        -           1      1      0       0       0          1.0    20.00          20.00
	//   sms            promo      sms           1      1      0       0       0          1.0    20.00          20.00
}

func ExampleDefaultWindows() {
	b, _ := json.Marshal(report.DefaultWindows())
	fmt.Println(string(b))
	// Output:
	// [{"channel":"","clicked":"5d"},{"channel":"email","opened":"5d","clicked":"5d"},{"channel":"postal","sent":"14d"},{"channel":"push","opened":"1d","clicked":"1d"},{"channel":"sms","sent":"1d","clicked":"1d"},{"channel":"webpush","opened":"1d","clicked":"1d"}]
}

func ExampleIncremental() {
	// Six customers entered a win-back at t0: four were mailed (variant
	// "reminder"), two held out. Their orders in the 30 days after:
	spent := map[string][]float64{"r1": {40}, "r2": {}, "r3": {25, 30}, "r4": {10}, "h1": {20}, "h2": {}}
	arm := map[string]string{"r1": "reminder", "r2": "reminder", "r3": "reminder", "r4": "reminder", "h1": "holdout", "h2": "holdout"}
	var subjects []report.Subject
	for _, id := range []string{"h1", "h2", "r1", "r2", "r3", "r4"} {
		tl := parcours.Timeline{Profile: parcours.Profile{ID: id}}
		for i, a := range spent[id] {
			tl.Events = append(tl.Events, ev(fmt.Sprint("p", i), parcours.Order, 24*(i+1), "web", amount(a)))
		}
		subjects = append(subjects, report.Subject{Timeline: tl, Arm: arm[id], Since: t0})
	}
	lift, err := report.Incremental(slices.Values(subjects), report.LiftConfig{Horizon: parcours.Duration(30 * 24 * time.Hour)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(lift.Text())
	// Output:
	// lift against "holdout" over 30d after entry, 95% intervals
	// arm       customers  converted   rate  revenue  per customer
	// holdout           2          1  50.0%    20.00         10.00
	// reminder          4          3  75.0%   105.00         26.25
	// reminder vs holdout:
	//   revenue per customer +16.25 [-30.48, +62.98] (p=0.379), incremental revenue +65.00 [-121.93, +251.93]
	//   conversion +25.0 points [-56.3, +106.3] (p=0.540)
}

func ExampleEnrolment() {
	r := scenario.Replay{Skipped: []scenario.Skipped{{
		Action: scenario.Action{Scenario: "lapsed90", Variant: scenario.HoldoutVariant, DueAt: t0},
		Code:   scenario.SkipExperimentHoldout,
	}}}
	arm, since, ok := report.Enrolment(r, "lapsed90")
	fmt.Println(arm, since.Format(time.RFC3339), ok)
	// Output: holdout 2026-03-02T09:00:00Z true
}

func ExampleJourneyFunnel() {
	scs, err := scenario.ParseAll([]byte(`[{"id": "welcome", "version": 1, "trigger": {"on": ["signup"]},
	  "steps": [{"id": "mail", "send": {"channels": ["email"], "template": "welcome"}}]}]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	eng, err := scenario.Compile(scs)
	if err != nil {
		fmt.Println(err)
		return
	}
	var replays []scenario.Replay
	for _, c := range []parcours.Profile{
		{ID: "ana", Consent: map[parcours.Channel]bool{parcours.Email: true}},
		{ID: "ben"}, // no consent
	} {
		tl := parcours.Timeline{Profile: c, Events: []parcours.Event{ev("su", parcours.Signup, 0, "web", nil)}}
		r, err := eng.Replay(tl, t0, hours(48))
		if err != nil {
			fmt.Println(err)
			return
		}
		replays = append(replays, r)
	}
	f, err := report.JourneyFunnel(slices.Values(replays), t0.Add(-time.Hour), hours(48), report.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(f.Text())
	// Output:
	// journey funnel (2026-03-02T08:00:00Z, 2026-03-04T09:00:00Z]
	// scenario/step  runs  sent  deferred        skipped  converted
	// welcome           2     1                                   0
	//   mail            2     1         -  unreachable=1
}

func ExampleAttributor() {
	// Two workers each read part of the base; the merged result is what
	// Attribute would return for the whole base.
	shard := func(ids ...string) *report.Attributor {
		x, err := report.NewAttributor(time.Time{}, hours(48), report.Config{})
		if err != nil {
			panic(err)
		}
		for _, id := range ids {
			_ = x.Add(parcours.Timeline{Profile: parcours.Profile{ID: id}, Events: []parcours.Event{
				ev("s1", parcours.MessageSent, 0, "sms", mail("k1", "flash", "sms", "")),
				ev("p1", parcours.Order, 2, "web", amount(10)),
			}})
		}
		return x
	}
	a, b := shard("ana", "ben"), shard("cyd")
	if err := a.Merge(b); err != nil {
		fmt.Println(err)
		return
	}
	att, _ := a.Result()
	fmt.Println(att.Customers, att.Orders, att.ScenarioRevenue, att.Scenarios[0].Recipients)
	// Output: 3 3 30 3
}

func ExampleReplayOf() {
	// A host's own timeline: two mails of a welcome run, an order.
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "ana"}, Events: []parcours.Event{
		ev("s1", parcours.MessageSent, 0, "email", mail("k1", "welcome", "mail1", "")),
		ev("o1", parcours.MessageOpened, 1, "email", map[string]any{parcours.PropKey: "k1"}),
		ev("p1", parcours.Order, 5, "web", amount(30)),
		ev("s2", parcours.MessageSent, 48, "email", mail("k2", "welcome", "mail2", "")),
	}}
	f, err := report.JourneyFunnel(slices.Values([]scenario.Replay{report.ReplayOf(tl)}), time.Time{}, hours(72), report.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(f.Text())
	// Output:
	// journey funnel up to 2026-03-05T09:00:00Z
	// scenario/step  runs  sent  deferred  skipped  converted
	// welcome           1     1                             1
	//   mail1           1     1         -        -
	//   mail2           1     1         -        -
}
