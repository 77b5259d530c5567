package trigger

import (
	"time"

	"github.com/parcours-dev/parcours"
)

// LocalTime returns the instant the wall clock in loc shows the given date
// and time. Out-of-range fields are normalised like [time.Date] does
// (day 32 is the next month's first day).
//
// Unlike time.Date, which leaves the choice unspecified, LocalTime fixes
// the two daylight-saving cases:
//
//   - a wall time that does not exist (skipped when clocks go forward, such
//     as 02:30 in Europe/Paris on the last Sunday of March) is moved
//     forward by the length of the gap: 02:30 becomes 03:30 summer time;
//   - a wall time that occurs twice (clocks go back, such as 02:30 on the
//     last Sunday of October in Europe/Paris) is the first occurrence,
//     still in summer time.
func LocalTime(year int, month time.Month, day, hour, min, sec, nsec int, loc *time.Location) time.Time {
	naive := time.Date(year, month, day, hour, min, sec, nsec, time.UTC)
	// The real instant lies within 14 hours of naive (no zone is further
	// from UTC), so the offsets in force 15 hours either side, and at
	// naive itself, are the only candidates.
	before := offsetAt(naive.Add(-15*time.Hour), loc)
	after := offsetAt(naive.Add(15*time.Hour), loc)
	var best time.Time
	found := false
	for _, off := range [...]int{before, offsetAt(naive, loc), after} {
		t := naive.Add(-time.Duration(off) * time.Second)
		if !sameWall(t.In(loc), naive) {
			continue
		}
		if !found || t.Before(best) {
			best, found = t, true
		}
	}
	if found {
		return best.In(loc)
	}
	// In a gap: read the wall time with the offset in force before the
	// jump, which lands the gap's length later on the new clock.
	return naive.Add(-time.Duration(before) * time.Second).In(loc)
}

// dayLen is a day of 24 hours, the unit of whole days in a duration.
const dayLen = 24 * time.Hour

// addDuration returns t plus d, counting d's whole days (multiples of 24
// hours) on the calendar in loc, keeping t's local wall-clock time (see
// LocalTime for times that do not exist or occur twice), and the rest as
// elapsed time. The result is in loc.
func addDuration(t time.Time, d time.Duration, loc *time.Location) time.Time {
	l := t.In(loc)
	if n := int(d / dayLen); n != 0 {
		y, m, day := l.Date()
		hh, mm, ss := l.Clock()
		l = LocalTime(y, m, day+n, hh, mm, ss, l.Nanosecond(), loc)
	}
	return l.Add(d % dayLen)
}

func offsetAt(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	return off
}

func sameWall(t, naive time.Time) bool {
	y, m, d := t.Date()
	ny, nm, nd := naive.Date()
	return y == ny && m == nm && d == nd &&
		t.Hour() == naive.Hour() && t.Minute() == naive.Minute() &&
		t.Second() == naive.Second() && t.Nanosecond() == naive.Nanosecond()
}

// location returns the profile's zone, or a *ZoneError for an unknown one.
func location(p parcours.Profile) (*time.Location, error) {
	loc, ok := p.Location()
	if !ok {
		return nil, &ZoneError{Profile: p.ID, Zone: p.TimeZone}
	}
	return loc, nil
}
