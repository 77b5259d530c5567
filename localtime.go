package parcours

import "time"

// This file is the one owner of local wall-clock time: every package that
// turns a customer's local date and time into an instant (trigger's
// calendar days and anniversaries, scenario's quiet hours, segment and
// clv's calendar days) calls these functions, so they all agree on what
// happens across a daylight-saving change.

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
//
// The result is in loc.
func LocalTime(year int, month time.Month, day, hour, min, sec, nsec int, loc *time.Location) time.Time {
	naive := time.Date(year, month, day, hour, min, sec, nsec, time.UTC)
	// Fast path: far (more than 30 hours) from any offset change, the
	// wall time exists once and the offset at naive is the one.
	_, off := naive.In(loc).Zone()
	t := naive.Add(-time.Duration(off) * time.Second).In(loc)
	if _, o := t.Zone(); o == off {
		start, end := t.ZoneBounds()
		if (start.IsZero() || t.Sub(start) > 30*time.Hour) && (end.IsZero() || end.Sub(t) > 30*time.Hour) {
			return t
		}
	}
	// The real instant lies within 14 hours of naive (no zone is further
	// from UTC), so the offsets in force 15 hours either side, and at
	// naive itself, are the only candidates.
	before := offsetAt(naive.Add(-15*time.Hour), loc)
	after := offsetAt(naive.Add(15*time.Hour), loc)
	var best time.Time
	found := false
	for _, off := range [...]int{before, off, after} {
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

// AddDays returns t moved n calendar days in loc, keeping its local
// wall-clock time (with LocalTime's rules when that time does not exist or
// occurs twice on the new day). The result is in loc.
func AddDays(t time.Time, n int, loc *time.Location) time.Time {
	l := t.In(loc)
	if n == 0 {
		return l
	}
	y, m, d := l.Date()
	hh, mm, ss := l.Clock()
	return LocalTime(y, m, d+n, hh, mm, ss, l.Nanosecond(), loc)
}

// Day is 24 hours, the unit of whole days in a [Duration].
const Day = 24 * time.Hour

// AddCalendar returns t plus d, counting d's whole days (multiples of 24
// hours) as calendar days in loc with [AddDays], and the rest as elapsed
// time: "3d" after 15:00 is 15:00 three local days later, 71 or 73 hours
// across a daylight-saving change; "36h" is one calendar day and 12 hours.
// This is the "one day rule" for the d and w units wherever a delay is
// counted on the customer's calendar. The result is in loc.
func AddCalendar(t time.Time, d time.Duration, loc *time.Location) time.Time {
	return AddDays(t, int(d/Day), loc).Add(d % Day)
}

// DayNumber returns the index of t's calendar date in loc: the days from
// 1970-01-01 to that date, independent of the offset and of daylight
// saving. Two instants fall on the same local day when their DayNumbers
// are equal.
func DayNumber(t time.Time, loc *time.Location) int64 {
	y, m, d := t.In(loc).Date()
	return daysFromCivil(int64(y), int64(m), int64(d))
}

// daysFromCivil is the proleptic Gregorian day count from 1970-01-01.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
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
