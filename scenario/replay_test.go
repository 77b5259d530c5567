package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

// sentLine is what a marketer previews of a journey: when, which step,
// by which channel.
func sentLines(r Replay) []string {
	var out []string
	for _, s := range r.Sent {
		out = append(out, s.At.UTC().Format("Jan 2 15:04")+" "+s.Scenario+"/"+s.Step+" "+s.Channel)
	}
	return out
}

func TestReplayJourneys(t *testing.T) {
	load := func(names ...string) []Scenario {
		var ss []Scenario
		for _, n := range names {
			ss = append(ss, mustScenarios(t, filepath.Join("testdata", "scenarios", n))...)
		}
		return ss
	}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	email := parcours.Profile{ID: "c1", Consent: map[parcours.Channel]bool{parcours.Email: true}}
	tests := []struct {
		name      string
		scenarios []string
		policy    *Policy
		events    []parcours.Event
		days      int
		want      []string
		skips     []SkipCode
		defers    []SkipCode
	}{
		{"welcome pack, three mails two days apart", []string{"welcome.json"}, nil,
			[]parcours.Event{{ID: "s1", Type: parcours.Signup, Time: t0}}, 10,
			[]string{"Mar 2 09:00 welcome/mail1 email", "Mar 4 09:00 welcome/mail2 email", "Mar 6 09:00 welcome/mail3 email"}, nil, nil},
		{"welcome pack stopped by the first order", []string{"welcome.json"}, nil,
			[]parcours.Event{{ID: "s1", Type: parcours.Signup, Time: t0}, {ID: "o1", Type: parcours.Order, Time: t0.Add(72 * time.Hour)}}, 10,
			[]string{"Mar 2 09:00 welcome/mail1 email", "Mar 4 09:00 welcome/mail2 email"}, nil, nil},
		{"welcome offer not opened: the reminder after 3 days", []string{"reminder.json"}, nil,
			[]parcours.Event{{ID: "s1", Type: parcours.Signup, Time: t0}}, 10,
			[]string{"Mar 2 09:00 welcome-offer/offer email", "Mar 5 09:00 welcome-offer/reminder email"}, nil, nil},
		{"cap of two emails a week spreads the pack", []string{"welcome.json"},
			&Policy{Caps: []Cap{{Channels: []parcours.Channel{parcours.Email}, Max: 2, Window: parcours.Duration(7 * 24 * time.Hour)}}},
			[]parcours.Event{{ID: "s1", Type: parcours.Signup, Time: t0}}, 14,
			// mail3 is due on Mar 6, the cap frees a slot on Mar 9, one
			// day past the pack's max lateness of 2 days: skipped.
			[]string{"Mar 2 09:00 welcome/mail1 email", "Mar 4 09:00 welcome/mail2 email"}, []SkipCode{SkipCap}, nil},
		{"an offer every 14 days goes on for 120 days (issue 14)", []string{"loop.json"}, nil,
			[]parcours.Event{{ID: "s1", Type: parcours.Signup, Time: t0}}, 120,
			[]string{"Mar 16 09:00 loop/offer email", "Mar 30 09:00 loop/offer email", "Apr 13 09:00 loop/offer email",
				"Apr 27 09:00 loop/offer email", "May 11 09:00 loop/offer email", "May 25 09:00 loop/offer email",
				"Jun 8 09:00 loop/offer email", "Jun 22 09:00 loop/offer email"}, nil, nil},
		{"priority drop stays final (issue 14)", []string{"welcome.json", "newsletter-welcome.json"},
			&Policy{Priority: &Priority{Gap: parcours.Duration(24 * time.Hour), Drop: true}},
			[]parcours.Event{{ID: "v1", Type: parcours.StoreVisit, Time: t0}, {ID: "s1", Type: parcours.Signup, Time: t0.Add(4 * time.Minute)}}, 10,
			[]string{"Mar 2 09:00 store-welcome/hello email"}, []SkipCode{SkipPriority}, nil},
		{"quiet hours defer the first mail once", []string{"welcome.json"},
			&Policy{QuietHours: []QuietHours{{From: "08:00", To: "10:00"}}},
			[]parcours.Event{{ID: "s1", Type: parcours.Signup, Time: t0}}, 10,
			[]string{"Mar 2 10:00 welcome/mail1 email", "Mar 4 10:00 welcome/mail2 email", "Mar 6 10:00 welcome/mail3 email"},
			nil, []SkipCode{SkipQuietHours}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var opts []Option
			if tc.policy != nil {
				opts = append(opts, WithPolicy(*tc.policy))
			}
			eng, err := Compile(load(tc.scenarios...), opts...)
			if err != nil {
				t.Fatal(err)
			}
			r, err := eng.Replay(parcours.Timeline{Profile: email, Events: tc.events}, t0, t0.Add(time.Duration(tc.days)*24*time.Hour))
			if err != nil || len(r.Errors) > 0 {
				t.Fatalf("Replay: %v %v", err, r.Errors)
			}
			if diff := cmp.Diff(tc.want, sentLines(r)); diff != "" {
				t.Errorf("sent (-want +got):\n%s", diff)
			}
			var skips []SkipCode
			for _, s := range r.Skipped {
				skips = append(skips, s.Code)
			}
			if diff := cmp.Diff(tc.skips, skips); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
			var defers []SkipCode
			for _, d := range r.Deferred {
				defers = append(defers, d.Code)
			}
			if diff := cmp.Diff(tc.defers, defers); diff != "" {
				t.Errorf("deferred (-want +got):\n%s", diff)
			}
		})
	}
}

func mustScenarios(tb testing.TB, path string) []Scenario {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	ss, err := parseOneOrMany(b)
	if err != nil {
		tb.Fatal(err)
	}
	return ss
}

func TestReplaySkipsReportedOnce(t *testing.T) {
	eng, err := Compile(mustScenarios(t, "testdata/scenarios/welcome.json"))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r, err := eng.Replay(parcours.Timeline{Profile: parcours.Profile{ID: "nobody"}, Events: []parcours.Event{{ID: "s1", Type: parcours.Signup, Time: t0}}}, t0, t0.Add(5*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Sent) != 0 || len(r.Skipped) != 1 || r.Skipped[0].Code != SkipUnreachable || !strings.Contains(r.Skipped[0].Detail, "no consent") {
		t.Errorf("sent %v skipped %+v", r.Sent, r.Skipped)
	}
}
