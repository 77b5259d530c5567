package trigger

import (
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// LocalTime is parcours.LocalTime, whose table of published zone rules
// lives with it (localtime_test.go at the root); here, only that the
// trigger package hands every case to it, in a gap and in a fold.
func TestLocalTime(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	for _, c := range []struct{ d, h, min int }{{29, 2, 30}, {25, 2, 30}, {15, 9, 0}} {
		m := time.March
		if c.d == 25 {
			m = time.October
		}
		got := LocalTime(2026, m, c.d, c.h, c.min, 0, 0, paris)
		if want := parcours.LocalTime(2026, m, c.d, c.h, c.min, 0, 0, paris); !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("%s %d %02d:%02d: got %s, want %s", m, c.d, c.h, c.min, got, want)
		}
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
