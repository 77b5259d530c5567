package scenario

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-dev/parcours"
)

var allChannels = []parcours.Channel{parcours.Email, parcours.SMS, parcours.Push}

// randomScenarios builds n scenarios from random parts: triggers, channel
// lists, waits, priorities, a transactional one now and then.
func randomScenarios(rng *rand.Rand, n int) []Scenario {
	triggers := []string{parcours.Signup, parcours.Order, parcours.CartAbandoned, parcours.StoreVisit}
	var out []Scenario
	for i := 0; i < n; i++ {
		s := Scenario{
			ID:            fmt.Sprintf("s%d", i),
			Priority:      rng.IntN(5),
			Transactional: rng.IntN(6) == 0,
			Trigger:       Trigger{On: []string{triggers[rng.IntN(len(triggers))]}},
		}
		for k := 0; k < 1+rng.IntN(3); k++ {
			if k > 0 {
				s.Steps = append(s.Steps, Step{ID: fmt.Sprintf("w%d", k), Wait: &Wait{For: parcours.Duration(time.Duration(1+rng.IntN(72)) * time.Hour)}})
			}
			chs := append([]parcours.Channel(nil), allChannels...)
			rng.Shuffle(len(chs), func(i, j int) { chs[i], chs[j] = chs[j], chs[i] })
			s.Steps = append(s.Steps, Step{ID: fmt.Sprintf("m%d", k), Send: &Send{Channels: chs[:1+rng.IntN(3)], Template: "t"}})
		}
		out = append(out, s)
	}
	return out
}

func randomPolicy(rng *rand.Rand) Policy {
	p := Policy{Caps: []Cap{
		{Channels: []parcours.Channel{parcours.Email}, Max: 1 + rng.IntN(3), Window: parcours.Duration(time.Duration(1+rng.IntN(7)) * 24 * time.Hour)},
		{Max: 2 + rng.IntN(4), Window: parcours.Duration(time.Duration(1+rng.IntN(7)) * 24 * time.Hour)},
	}}
	if rng.IntN(2) == 0 {
		p.Priority = &Priority{Gap: parcours.Duration(time.Duration(1+rng.IntN(24)) * time.Hour)}
	}
	if rng.IntN(2) == 0 {
		p.QuietHours = []QuietHours{{Channels: []parcours.Channel{parcours.SMS}, From: "21:00", To: "09:00"}}
	}
	return p
}

// TestCapsHoldOverSixtyDays simulates a scheduler on random customers and
// scenario sets for 60 days, recording every due action as sent, and
// checks that no rolling window of any cap ever holds more marketing
// messages than the cap allows.
func TestCapsHoldOverSixtyDays(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 11))
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	types := []string{parcours.Signup, parcours.Order, parcours.CartAbandoned, parcours.StoreVisit, parcours.Order}
	trials := 8
	var totalSent int
	for trial := 0; trial < trials; trial++ {
		policy := randomPolicy(rng)
		eng, err := Compile(randomScenarios(rng, 3+rng.IntN(8)), WithPolicy(policy))
		if err != nil {
			t.Fatal(err)
		}
		tl := parcours.Timeline{Profile: parcours.Profile{
			ID: fmt.Sprint("c", trial), TimeZone: "Europe/Paris",
			Consent: map[parcours.Channel]bool{parcours.Email: true, parcours.SMS: rng.IntN(2) == 0, parcours.Push: true},
		}}
		for i := 0; i < 10+rng.IntN(30); i++ {
			tl.Events = append(tl.Events, parcours.Event{ID: fmt.Sprint("e", i), Type: types[rng.IntN(len(types))],
				Time: start.Add(time.Duration(rng.Int64N(int64(60 * 24 * time.Hour))))})
		}
		type sentMsg struct {
			at            time.Time
			ch            parcours.Channel
			transactional bool
		}
		var sent []sentMsg
		now := start
		for now.Before(start.Add(60 * 24 * time.Hour)) {
			res := eng.Evaluate(tl, now)
			if len(res.Errors) > 0 {
				t.Fatalf("trial %d: %v", trial, res.Errors)
			}
			for i, a := range res.Due {
				tl.Events = append(tl.Events, a.SentEvent(fmt.Sprintf("sent-%d-%d", len(sent), i), now))
				sent = append(sent, sentMsg{now, a.Channel, a.Transactional})
			}
			next := now.Add(time.Duration(2+rng.IntN(8)) * time.Hour)
			if !res.Next.IsZero() && res.Next.Before(next) {
				next = res.Next
			}
			now = next
		}
		totalSent += len(sent)
		for _, c := range policy.Caps {
			for _, m := range sent {
				n := 0
				for _, o := range sent {
					if !o.transactional && o.at.After(m.at.Add(-c.Window.Std())) && !o.at.After(m.at) && capCounts(c, o.ch, false) {
						n++
					}
				}
				if n > c.Max {
					t.Fatalf("trial %d: %d messages in the window of cap %+v ending %s", trial, n, c, m.at)
				}
			}
		}
	}
	// The property is only worth something if messages flowed.
	if totalSent < trials*3 {
		t.Fatalf("only %d messages sent in %d trials: the simulation tests nothing", totalSent, trials)
	}
}

func TestPolicyErrors(t *testing.T) {
	tests := []struct {
		p      Policy
		fields []string
	}{
		{Policy{Caps: []Cap{{Max: 0, Window: 1}}}, []string{"caps[0].max"}},
		{Policy{Caps: []Cap{{Max: 1}}}, []string{"caps[0].window"}},
		{Policy{Priority: &Priority{}}, []string{"priority.gap"}},
		{Policy{QuietHours: []QuietHours{{From: "9pm", To: "24:00"}}}, []string{"quiet_hours[0].from", "quiet_hours[0].to"}},
		{Policy{QuietHours: []QuietHours{{From: "09:00", To: "09:00"}}}, []string{"quiet_hours[0]"}},
		{Policy{Suppression: &Suppression{}}, []string{"suppression.after"}},
		{Policy{ControlGroup: &ControlGroup{Share: 1.5}}, []string{"control_group.share"}},
	}
	for _, tc := range tests {
		_, err := Compile([]Scenario{valid()}, WithPolicy(tc.p))
		var fields []string
		for _, pe := range parcours.ErrorsOf[*PolicyError](err) {
			fields = append(fields, pe.Field)
		}
		if diff := cmp.Diff(tc.fields, fields); diff != "" {
			t.Errorf("%+v: fields (-want +got):\n%s", tc.p, diff)
		}
	}
	if _, err := ParsePolicy([]byte(`{"caps":[{"max":3,"window":"7d","channel":"email"}]}`)); err == nil || !strings.Contains(err.Error(), `unknown field "channel"`) {
		t.Errorf("ParsePolicy accepted an unknown field: %v", err)
	}
}

// TestControlGroup checks that the held-out share is about what was asked
// and that held-out customers are reported, not dropped.
func TestControlGroup(t *testing.T) {
	eng, err := Compile([]Scenario{valid()}, WithPolicy(Policy{ControlGroup: &ControlGroup{Share: 0.1, Salt: "programme-2026"}}))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	held, due := 0, 0
	for i := 0; i < 2000; i++ {
		tl := parcours.Timeline{
			Profile: parcours.Profile{ID: fmt.Sprint("cust-", i), Consent: map[parcours.Channel]bool{parcours.Email: true}},
			Events:  []parcours.Event{{ID: "s", Type: parcours.Signup, Time: t0}},
		}
		res := eng.Evaluate(tl, t0)
		due += len(res.Due)
		for _, s := range res.Skipped {
			if s.Code == SkipControlGroup {
				held++
			}
		}
	}
	if held+due != 2000 {
		t.Fatalf("held %d + due %d != 2000: actions lost", held, due)
	}
	if held < 160 || held > 240 {
		t.Errorf("held out %d of 2000, want about 10%%", held)
	}
}

func TestQuietUntil(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	q := quiet{from: 21 * 60, to: 9 * 60}
	day := quiet{from: 12 * 60, to: 14 * 60}
	tests := []struct {
		q    quiet
		now  string
		want string // "" = not quiet
	}{
		{q, "2026-03-28T21:30:00Z", "2026-03-29T07:00:00Z"}, // 22:30 CET; 09:00 CEST after the spring change
		{q, "2026-10-24T22:00:00Z", "2026-10-25T08:00:00Z"}, // 00:00 CEST; 09:00 CET after the autumn change
		{q, "2026-06-01T06:59:00Z", "2026-06-01T07:00:00Z"}, // 08:59 local
		{q, "2026-06-01T07:00:00Z", ""},                     // 09:00 local: allowed
		{q, "2026-06-01T18:59:00Z", ""},                     // 20:59 local
		{q, "2026-06-01T19:00:00Z", "2026-06-02T07:00:00Z"}, // 21:00 local
		{day, "2026-06-01T10:30:00Z", "2026-06-01T12:00:00Z"},
		{day, "2026-06-01T12:00:00Z", ""},
	}
	for _, tc := range tests {
		now, _ := time.Parse(time.RFC3339, tc.now)
		got, in := tc.q.until(now, paris)
		gotS := ""
		if in {
			gotS = got.UTC().Format(time.RFC3339)
		}
		if gotS != tc.want {
			t.Errorf("until(%s) = %q, want %q", tc.now, gotS, tc.want)
		}
	}
}
