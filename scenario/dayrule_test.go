package scenario

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

// TestDayRule: d units are calendar days in the customer's zone for waits
// and re-entry, h units elapsed time. The expected instants are worked out
// by hand from the zones' offsets: Paris +1 in winter, +2 in summer (the
// changes are on 2026-03-29 and 2026-10-25); Kiritimati +14 and Niue -11
// all year.
func TestDayRule(t *testing.T) {
	welcome := Scenario{ID: "w", Trigger: Trigger{On: []string{parcours.Signup}}, Steps: []Step{
		{ID: "m1", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "1"}},
		{ID: "gap", Wait: &Wait{For: parcours.Duration(2 * parcours.Day)}},
		{ID: "m2", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "2"}},
		{ID: "gap2", Wait: &Wait{For: parcours.Duration(36 * time.Hour)}},
		{ID: "m3", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "3"}},
	}}
	eng, err := Compile([]Scenario{welcome})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		zone, signup string
		want         []string // m1, m2, m3 sent at
	}{
		// Friday 10:00 CET -> Sunday 10:00 CEST (47 hours) -> 36h later, 1 day 12 hours on the calendar.
		{"Europe/Paris", "2026-03-27T09:00Z", []string{"2026-03-27T09:00Z", "2026-03-29T08:00Z", "2026-03-30T20:00Z"}},
		// Friday 10:00 CEST -> Sunday 10:00 CET (49 hours).
		{"Europe/Paris", "2026-10-23T08:00Z", []string{"2026-10-23T08:00Z", "2026-10-25T09:00Z", "2026-10-26T21:00Z"}},
		{"Pacific/Kiritimati", "2026-03-27T09:00Z", []string{"2026-03-27T09:00Z", "2026-03-29T09:00Z", "2026-03-30T21:00Z"}},
		{"Pacific/Niue", "2026-10-23T08:00Z", []string{"2026-10-23T08:00Z", "2026-10-25T08:00Z", "2026-10-26T20:00Z"}},
	}
	for _, tc := range tests {
		t.Run(tc.zone+" "+tc.signup, func(t *testing.T) {
			t0 := utcMinute(t, tc.signup)
			tl := parcours.Timeline{Profile: parcours.Profile{ID: "c", TimeZone: tc.zone, Consent: map[parcours.Channel]bool{parcours.Email: true}},
				Events: []parcours.Event{{ID: "s", Type: parcours.Signup, Time: t0}}}
			r, err := eng.Replay(tl, t0, t0.Add(10*24*time.Hour))
			if err != nil || len(r.Errors) > 0 {
				t.Fatal(err, r.Errors)
			}
			var got []string
			for _, s := range r.Sent {
				got = append(got, s.At.UTC().Format("2006-01-02T15:04Z"))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("sent at (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOncePerCalendarDay: "once_per 1d" lets a customer in again on the
// next local day, even when the spring change makes that 23 hours later.
func TestOncePerCalendarDay(t *testing.T) {
	visit := Scenario{ID: "v", Trigger: Trigger{On: []string{parcours.StoreVisit}},
		Reentry: Reentry{Mode: OncePer, Period: parcours.Duration(parcours.Day)},
		Steps:   []Step{{ID: "hi", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "hi"}}}}
	eng, err := Compile([]Scenario{visit})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		zone   string
		visits []string
		runs   int
	}{
		// Saturday 18:00 CET, Sunday 18:00 CEST: 23 hours, the next day.
		{"Europe/Paris", []string{"2026-03-28T17:00Z", "2026-03-29T16:00Z"}, 2},
		// Saturday 18:00 CET, Sunday 17:59 CEST: not yet the next day at 18:00.
		{"Europe/Paris", []string{"2026-03-28T17:00Z", "2026-03-29T15:59Z"}, 1},
		{"Pacific/Kiritimati", []string{"2026-03-28T17:00Z", "2026-03-29T16:59Z"}, 1},
		{"Pacific/Niue", []string{"2026-03-28T17:00Z", "2026-03-29T17:00Z"}, 2},
	} {
		tl := parcours.Timeline{Profile: parcours.Profile{ID: "c", TimeZone: tc.zone, Consent: map[parcours.Channel]bool{parcours.Email: true}}}
		for i, v := range tc.visits {
			tl.Events = append(tl.Events, parcours.Event{ID: "v" + string(rune('1'+i)), Type: parcours.StoreVisit, Time: utcMinute(t, v)})
		}
		res := eng.Evaluate(tl, utcMinute(t, tc.visits[len(tc.visits)-1]))
		if len(res.Due) != tc.runs {
			t.Errorf("%s %v: %d runs due, want %d", tc.zone, tc.visits, len(res.Due), tc.runs)
		}
	}
}

func utcMinute(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02T15:04Z", s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
