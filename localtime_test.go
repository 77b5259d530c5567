package parcours

import (
	"testing"
	"time"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The expected instants come from the published zone rules: Europe/Paris
// switches to summer time on 29 March 2026 at 01:00 UTC and back on 25
// October 2026 at 01:00 UTC; America/New_York on 8 March 2026 at 07:00
// UTC (02:00 local becomes 03:00) and back on 1 November 2026 at 06:00
// UTC; Australia/Lord_Howe moves by half an hour; Pacific/Apia skipped 30
// December 2011.
func TestLocalTime(t *testing.T) {
	tests := []struct {
		name, zone string
		y          int
		m          time.Month
		d, h, min  int
		want       string
	}{
		{"paris winter", "Europe/Paris", 2026, time.January, 15, 9, 0, "2026-01-15T08:00:00Z"},
		{"paris in gap", "Europe/Paris", 2026, time.March, 29, 2, 30, "2026-03-29T01:30:00Z"},
		{"paris ambiguous first", "Europe/Paris", 2026, time.October, 25, 2, 30, "2026-10-25T00:30:00Z"},
		{"new york in gap", "America/New_York", 2026, time.March, 8, 2, 30, "2026-03-08T07:30:00Z"},
		{"new york ambiguous first", "America/New_York", 2026, time.November, 1, 1, 30, "2026-11-01T05:30:00Z"},
		{"new york day after fold", "America/New_York", 2026, time.November, 2, 1, 30, "2026-11-02T06:30:00Z"},
		{"lord howe half-hour gap", "Australia/Lord_Howe", 2026, time.October, 4, 2, 15, "2026-10-03T15:45:00Z"},
		{"apia skipped day", "Pacific/Apia", 2011, time.December, 30, 12, 0, "2011-12-30T22:00:00Z"},
		{"normalised day 32", "UTC", 2026, time.January, 32, 0, 0, "2026-02-01T00:00:00Z"},
		{"paris summer", "Europe/Paris", 2026, time.July, 15, 9, 0, "2026-07-15T07:00:00Z"},
		{"paris before gap", "Europe/Paris", 2026, time.March, 29, 1, 59, "2026-03-29T00:59:00Z"},
		{"paris gap start", "Europe/Paris", 2026, time.March, 29, 2, 0, "2026-03-29T01:00:00Z"},
		{"paris after gap", "Europe/Paris", 2026, time.March, 29, 3, 0, "2026-03-29T01:00:00Z"},
		{"paris ambiguous start", "Europe/Paris", 2026, time.October, 25, 2, 0, "2026-10-25T00:00:00Z"},
		{"paris after fold", "Europe/Paris", 2026, time.October, 25, 3, 0, "2026-10-25T02:00:00Z"},
		{"kiritimati (UTC+14)", "Pacific/Kiritimati", 2026, time.January, 1, 0, 0, "2025-12-31T10:00:00Z"},
		{"pago pago (UTC-11)", "Pacific/Pago_Pago", 2026, time.December, 31, 23, 0, "2027-01-01T10:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LocalTime(tt.y, tt.m, tt.d, tt.h, tt.min, 0, 0, zone(t, tt.zone))
			if s := got.UTC().Format(time.RFC3339); s != tt.want {
				t.Errorf("got %s, want %s", s, tt.want)
			}
			if got.Location().String() != tt.zone {
				t.Errorf("location %s, want %s", got.Location(), tt.zone)
			}
		})
	}
}

// slowLocalTime is LocalTime without its fast path: the rule as stated.
func slowLocalTime(year int, month time.Month, day, hour, min int, loc *time.Location) time.Time {
	naive := time.Date(year, month, day, hour, min, 0, 0, time.UTC)
	var best time.Time
	found := false
	for _, d := range [...]time.Duration{-15 * time.Hour, 0, 15 * time.Hour} {
		t := naive.Add(-time.Duration(offsetAt(naive.Add(d), loc)) * time.Second)
		if sameWall(t.In(loc), naive) && (!found || t.Before(best)) {
			best, found = t, true
		}
	}
	if !found {
		best = naive.Add(-time.Duration(offsetAt(naive.Add(-15*time.Hour), loc)) * time.Second)
	}
	return best
}

// TestLocalTimeFastPath checks the fast path against the rule every 20
// minutes of two years in zones with whole-hour, half-hour and southern
// changes.
func TestLocalTimeFastPath(t *testing.T) {
	step := 20 * time.Minute
	if testing.Short() {
		step = 3 * time.Hour
	}
	for _, name := range []string{"Europe/Paris", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata", "UTC"} {
		loc := zone(t, name)
		start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		for w := start; w.Year() < 2027; w = w.Add(step) {
			got := LocalTime(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), 0, 0, loc)
			if want := slowLocalTime(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), loc); !got.Equal(want) {
				t.Fatalf("%s %s: got %s, want %s", name, w.Format("2006-01-02 15:04"), got.UTC(), want.UTC())
			}
		}
	}
}

func TestAddCalendar(t *testing.T) {
	paris := zone(t, "Europe/Paris")
	from := time.Date(2026, 3, 28, 14, 0, 0, 0, time.UTC) // 15:00 local, winter
	tests := []struct {
		d    time.Duration
		want string
	}{
		{24 * time.Hour, "2026-03-29T13:00:00Z"},       // 15:00 summer time: 23 hours
		{36 * time.Hour, "2026-03-30T01:00:00Z"},       // one calendar day, then 12 hours
		{7 * 24 * time.Hour, "2026-04-04T13:00:00Z"},   // a week
		{-24 * time.Hour, "2026-03-27T14:00:00Z"},      // a day before
		{90 * time.Minute, "2026-03-28T15:30:00Z"},     // elapsed only
		{210 * 24 * time.Hour, "2026-10-24T13:00:00Z"}, // still summer
		{211 * 24 * time.Hour, "2026-10-25T14:00:00Z"}, // back in winter: 25 hours
		{0, "2026-03-28T14:00:00Z"},                    // nothing
	}
	for _, tt := range tests {
		if got := AddCalendar(from, tt.d, paris).UTC().Format(time.RFC3339); got != tt.want {
			t.Errorf("AddCalendar(%v) = %s, want %s", tt.d, got, tt.want)
		}
	}
}

func TestDayNumber(t *testing.T) {
	kolkata := zone(t, "Asia/Kolkata")
	for _, s := range []string{"1969-12-31T23:00:00Z", "1970-01-01T00:00:00Z", "2000-02-29T20:00:00Z", "1600-03-01T00:00:00Z", "2026-12-31T18:29:00Z", "2026-12-31T18:30:00Z"} {
		at, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		y, m, d := at.In(kolkata).Date()
		want := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
		if got := DayNumber(at, kolkata); got != want {
			t.Errorf("DayNumber(%s) = %d, want %d", s, got, want)
		}
	}
}
