package trigger

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04Z", s)
	if err != nil {
		panic(err)
	}
	return t
}

// The expected instants are worked out by hand from the zones' published
// offsets: Paris +2 until 2026-10-25 then +1; Montreal (America/Toronto
// rules) -4 until 2026-11-01 then -5; Reunion +4 all year; Kiritimati
// +14; Niue -11.
func TestScheduleMondayNewsletterAcrossOctoberDST(t *testing.T) {
	spec := Spec{Schedule: &ScheduleSpec{Every: "week", Weekday: "monday", Time: "10:00", From: "2026-10-12", Until: "2026-11-09"}}
	tests := []struct {
		zone string
		want []string
	}{
		{"Europe/Paris", []string{"2026-10-12T08:00Z", "2026-10-19T08:00Z", "2026-10-26T09:00Z", "2026-11-02T09:00Z", "2026-11-09T09:00Z"}},
		{"America/Montreal", []string{"2026-10-12T14:00Z", "2026-10-19T14:00Z", "2026-10-26T14:00Z", "2026-11-02T15:00Z", "2026-11-09T15:00Z"}},
		{"Indian/Reunion", []string{"2026-10-12T06:00Z", "2026-10-19T06:00Z", "2026-10-26T06:00Z", "2026-11-02T06:00Z", "2026-11-09T06:00Z"}},
		{"Pacific/Kiritimati", []string{"2026-10-11T20:00Z", "2026-10-18T20:00Z", "2026-10-25T20:00Z", "2026-11-01T20:00Z", "2026-11-08T20:00Z"}},
		{"Pacific/Niue", []string{"2026-10-12T21:00Z", "2026-10-19T21:00Z", "2026-10-26T21:00Z", "2026-11-02T21:00Z", "2026-11-09T21:00Z"}},
	}
	trg := compile(t, spec)
	for _, tc := range tests {
		t.Run(tc.zone, func(t *testing.T) {
			tl := parcours.Timeline{Profile: parcours.Profile{ID: "c", TimeZone: tc.zone}}
			fs, err := trg.Firings(tl, utc("2026-12-31T00:00Z"))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				got = append(got, f.At.UTC().Format("2006-01-02T15:04Z"))
				if !strings.HasPrefix(f.Key, "schedule:2026-") || !strings.HasSuffix(f.Key, "T10:00") {
					t.Errorf("key %q, want schedule:<local date>T10:00", f.Key)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("firings (-want +got):\n%s", diff)
			}
			// Next from just before the third occurrence is the third.
			third := utc(tc.want[2])
			next, ok, err := trg.Next(tl, third.Add(-time.Minute))
			if err != nil || !ok || !next.Equal(third) {
				t.Errorf("Next = %v %v %v, want %v", next, ok, err, third)
			}
		})
	}
}

func TestScheduleKinds(t *testing.T) {
	paris := parcours.Timeline{Profile: parcours.Profile{ID: "c", TimeZone: "Europe/Paris"}}
	tests := []struct {
		name string
		spec ScheduleSpec
		now  string
		want []string // keys
	}{
		{"Black Friday once, 08:00 local", ScheduleSpec{At: "2026-11-27T08:00"}, "2026-12-01T00:00Z",
			[]string{"schedule:2026-11-27T08:00"}},
		{"once, not yet", ScheduleSpec{At: "2026-11-27T08:00"}, "2026-11-27T06:59Z", nil},
		{"monthly on the 31st: last day of short months", ScheduleSpec{Every: "month", Day: 31, Time: "09:00", From: "2026-01-15"}, "2026-05-01T00:00Z",
			[]string{"schedule:2026-01-31T09:00", "schedule:2026-02-28T09:00", "schedule:2026-03-31T09:00", "schedule:2026-04-30T09:00"}},
		{"monthly, from after the day: next month first", ScheduleSpec{Every: "month", Day: 1, Time: "09:00", From: "2026-01-02"}, "2026-03-15T00:00Z",
			[]string{"schedule:2026-02-01T09:00", "schedule:2026-03-01T09:00"}},
		{"daily until", ScheduleSpec{Every: "day", Time: "18:30", From: "2026-03-28", Until: "2026-03-30"}, "2026-04-30T00:00Z",
			[]string{"schedule:2026-03-28T18:30", "schedule:2026-03-29T18:30", "schedule:2026-03-30T18:30"}},
		{"weekly, from on the weekday counts", ScheduleSpec{Every: "week", Weekday: "Monday", Time: "10:00", From: "2026-01-05"}, "2026-01-13T00:00Z",
			[]string{"schedule:2026-01-05T10:00", "schedule:2026-01-12T10:00"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := compile(t, Spec{Schedule: &tc.spec}).Firings(paris, utc(tc.now))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				got = append(got, f.Key)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestScheduleSpecErrors(t *testing.T) {
	tests := []struct {
		spec  ScheduleSpec
		field string
	}{
		{ScheduleSpec{}, "schedule"},
		{ScheduleSpec{At: "2026-11-27 08:00"}, "schedule.at"},
		{ScheduleSpec{At: "2026-11-27T08:00", Every: "week"}, "schedule.at"},
		{ScheduleSpec{Every: "year", Time: "10:00", From: "2026-01-01"}, "schedule.every"},
		{ScheduleSpec{Every: "week", Weekday: "lundi", Time: "10:00", From: "2026-01-01"}, "schedule.weekday"},
		{ScheduleSpec{Every: "day", Weekday: "monday", Time: "10:00", From: "2026-01-01"}, "schedule.weekday"},
		{ScheduleSpec{Every: "month", Day: 32, Time: "10:00", From: "2026-01-01"}, "schedule.day"},
		{ScheduleSpec{Every: "week", Weekday: "monday", Time: "25:00", From: "2026-01-01"}, "schedule.time"},
		{ScheduleSpec{Every: "week", Weekday: "monday", Time: "10:00"}, "schedule.from"},
		{ScheduleSpec{Every: "day", Time: "10:00", From: "2026-02-01", Until: "2026-01-01"}, "schedule.until"},
	}
	for _, tc := range tests {
		_, err := Spec{Schedule: &tc.spec}.Compile()
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%+v: error %v, want one on %s", tc.spec, err, tc.field)
		}
	}
}

// TestMomentAfterAcrossDST: "the next Tuesday at 10:00" and "09:00 the
// next morning" keep the local time across both changes in Paris.
func TestMomentAfterAcrossDST(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	tests := []struct {
		m        Moment
		from     string
		want     string
		zoneName string
	}{
		// Saturday before the October change (CEST) -> Tuesday in CET.
		{Moment{Weekday: "tuesday", Time: "10:00"}, "2026-10-24T10:00Z", "2026-10-27T09:00Z", "Europe/Paris"},
		// Saturday before the March change (CET) -> Tuesday in CEST.
		{Moment{Weekday: "tuesday", Time: "10:00"}, "2026-03-28T10:00Z", "2026-03-31T08:00Z", "Europe/Paris"},
		// On Tuesday 10:00 exactly: strictly after, a week later.
		{Moment{Weekday: "tuesday", Time: "10:00"}, "2026-03-31T08:00Z", "2026-04-07T08:00Z", "Europe/Paris"},
		// Saturday 20:00 local -> 09:00 Sunday, the day clocks go forward.
		{Moment{Time: "09:00"}, "2026-03-28T19:00Z", "2026-03-29T07:00Z", "Europe/Paris"},
		// 08:00 local: the same morning's 09:00 is next.
		{Moment{Time: "09:00"}, "2026-10-25T07:00Z", "2026-10-25T08:00Z", "Europe/Paris"},
		// A time inside the spring gap moves forward by the gap.
		{Moment{Time: "02:30"}, "2026-03-28T12:00Z", "2026-03-29T01:30Z", "Europe/Paris"},
	}
	for _, tc := range tests {
		got := tc.m.After(utc(tc.from), paris)
		if want := utc(tc.want); !got.Equal(want) {
			t.Errorf("%+v after %s = %s, want %s", tc.m, tc.from, got.UTC().Format(time.RFC3339), tc.want)
		}
	}
	if err := (Moment{Time: "9h"}).Check(); err == nil {
		t.Error("bad time accepted")
	}
	if err := (Moment{Weekday: "mardi", Time: "10:00"}).Check(); err == nil {
		t.Error("bad weekday accepted")
	}
}
