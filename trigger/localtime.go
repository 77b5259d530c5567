package trigger

import (
	"time"

	"github.com/parcours-dev/parcours"
)

// LocalTime returns the instant the wall clock in loc shows the given date
// and time. It is [parcours.LocalTime], the one local-time rule of every
// parcours package (quiet hours use it too): a wall time skipped by a
// daylight-saving change moves forward by the gap, one that occurs twice
// is the first occurrence.
func LocalTime(year int, month time.Month, day, hour, min, sec, nsec int, loc *time.Location) time.Time {
	return parcours.LocalTime(year, month, day, hour, min, sec, nsec, loc)
}

// dayLen is a day of 24 hours, the unit of whole days in a duration.
const dayLen = parcours.Day

// addDuration is [parcours.AddCalendar]: d's whole days on the calendar in
// loc, the rest as elapsed time.
func addDuration(t time.Time, d time.Duration, loc *time.Location) time.Time {
	return parcours.AddCalendar(t, d, loc)
}

// location returns the profile's zone, or a *ZoneError for an unknown one.
func location(p parcours.Profile) (*time.Location, error) {
	loc, ok := p.Location()
	if !ok {
		return nil, &ZoneError{Profile: p.ID, Zone: p.TimeZone}
	}
	return loc, nil
}
