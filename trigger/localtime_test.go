package trigger

import (
	"testing"
	"time"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The expected instants come from the published zone rules: Europe/Paris
// switches to summer time on 29 March 2026 at 01:00 UTC (02:00 local
// becomes 03:00) and back on 25 October 2026 at 01:00 UTC (03:00 local
// becomes 02:00); Pacific/Kiritimati is UTC+14, Pacific/Pago_Pago UTC-11,
// and Pacific/Apia skipped 30 December 2011 when it moved from UTC-10 to
// UTC+14.
func TestLocalTime(t *testing.T) {
	tests := []struct {
		name, zone string
		y          int
		m          time.Month
		d, h, min  int
		want       string
	}{
		{"paris winter", "Europe/Paris", 2026, time.January, 15, 9, 0, "2026-01-15T08:00:00Z"},
		{"paris summer", "Europe/Paris", 2026, time.July, 15, 9, 0, "2026-07-15T07:00:00Z"},
		{"paris before gap", "Europe/Paris", 2026, time.March, 29, 1, 59, "2026-03-29T00:59:00Z"},
		{"paris gap start", "Europe/Paris", 2026, time.March, 29, 2, 0, "2026-03-29T01:00:00Z"},
		{"paris in gap", "Europe/Paris", 2026, time.March, 29, 2, 30, "2026-03-29T01:30:00Z"},
		{"paris after gap", "Europe/Paris", 2026, time.March, 29, 3, 0, "2026-03-29T01:00:00Z"},
		{"paris ambiguous first", "Europe/Paris", 2026, time.October, 25, 2, 30, "2026-10-25T00:30:00Z"},
		{"paris ambiguous start", "Europe/Paris", 2026, time.October, 25, 2, 0, "2026-10-25T00:00:00Z"},
		{"paris after fold", "Europe/Paris", 2026, time.October, 25, 3, 0, "2026-10-25T02:00:00Z"},
		{"kiritimati", "Pacific/Kiritimati", 2026, time.January, 1, 0, 0, "2025-12-31T10:00:00Z"},
		{"pago pago", "Pacific/Pago_Pago", 2026, time.December, 31, 23, 0, "2027-01-01T10:00:00Z"},
		{"apia skipped day", "Pacific/Apia", 2011, time.December, 30, 12, 0, "2011-12-30T22:00:00Z"},
		{"normalised day 32", "UTC", 2026, time.January, 32, 0, 0, "2026-02-01T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LocalTime(tt.y, tt.m, tt.d, tt.h, tt.min, 0, 0, mustZone(t, tt.zone))
			if s := got.UTC().Format(time.RFC3339); s != tt.want {
				t.Errorf("got %s, want %s", s, tt.want)
			}
			if got.Location().String() != tt.zone {
				t.Errorf("location %s, want %s", got.Location(), tt.zone)
			}
		})
	}
}

// Whole days keep the local wall-clock time, so across the Paris spring
// change one day is 23 hours and across the autumn change 25 hours; the
// rest of a duration is elapsed time.
func TestAddDuration(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	const day = 24 * time.Hour
	tests := []struct {
		name  string
		from  string
		d     time.Duration
		want  string
		hours float64
	}{
		{"spring day", "2026-03-28T10:00:00+01:00", day, "2026-03-29T10:00:00+02:00", 23},
		{"autumn day", "2026-10-24T10:00:00+02:00", day, "2026-10-25T10:00:00+01:00", 25},
		{"into the gap", "2026-03-28T02:30:00+01:00", day, "2026-03-29T03:30:00+02:00", 24},
		{"into the fold: first occurrence", "2026-10-24T02:30:00+02:00", day, "2026-10-25T02:30:00+02:00", 24},
		{"36h is a calendar day and 12 hours", "2026-03-28T10:00:00+01:00", 36 * time.Hour, "2026-03-29T22:00:00+02:00", 35},
		{"hours alone are elapsed", "2026-03-28T22:00:00+01:00", 12 * time.Hour, "2026-03-29T11:00:00+02:00", 12},
		{"a week before", "2026-04-02T09:00:00+02:00", -7 * day, "2026-03-26T09:00:00+01:00", -167},
		{"utc input", "2026-03-28T09:00:00Z", day, "2026-03-29T10:00:00+02:00", 23},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := ts(t, tt.from)
			got := addDuration(from, tt.d, paris)
			if !got.Equal(ts(t, tt.want)) {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			if h := got.Sub(from).Hours(); h != tt.hours {
				t.Errorf("elapsed %vh, want %vh", h, tt.hours)
			}
		})
	}
}
