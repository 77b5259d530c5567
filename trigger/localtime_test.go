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
