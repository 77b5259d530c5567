package trigger

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
)

// ScheduleSpec fires at moments of the calendar, in each customer's own
// time zone: a campaign or broadcast (a Black Friday offer on one date, a
// newsletter every Monday at 10:00, a monthly points statement). Nothing is
// written into timelines: each occurrence is a firing of every customer
// the scenario's targeting accepts, with its own stable key, and the usual
// policies apply.
//
// Set At for one occurrence, or Every for a recurrence starting on From:
//
//	{"schedule": {"at": "2026-11-27T08:00"}}                        // Black Friday, 08:00 local
//	{"schedule": {"every": "week", "weekday": "monday", "time": "10:00", "from": "2026-01-05"}}
//	{"schedule": {"every": "month", "day": 1, "time": "09:00", "from": "2026-01-01"}}
//
// Times are local wall-clock times ("HH:MM") in the profile's zone, with
// parcours.LocalTime's rules on daylight-saving days (a time that does not
// exist moves forward by the gap; one that occurs twice is the first), so
// a Monday 10:00 newsletter goes at 10:00 local before and after the
// change. A monthly Day past the month's end (31 in April) is the month's
// last day. A customer whose zone is unknown is scheduled in UTC (see
// parcours.Profile.Location).
//
// The firing's key is "schedule:" followed by the occurrence's local date
// and time ("schedule:2026-11-30T10:00"), the same for every customer and
// evaluation, so each occurrence starts one run per customer. Occurrences
// from From on count, however old: give the scenario a MaxLateness so
// that a customer evaluated late does not get last month's newsletter.
type ScheduleSpec struct {
	// At is one local date and time, "2026-11-27T08:00".
	At string `json:"at,omitempty"`

	// Every is "day", "week" or "month".
	Every string `json:"every,omitempty"`

	// Weekday is the day of the week of a weekly recurrence ("monday").
	Weekday string `json:"weekday,omitempty"`

	// Day is the day of the month of a monthly recurrence, 1 to 31.
	Day int `json:"day,omitempty"`

	// Time is the local time of day of a recurrence, "HH:MM".
	Time string `json:"time,omitempty"`

	// From is the local date of the first possible occurrence of a
	// recurrence, "2026-01-05"; required with Every.
	From string `json:"from,omitempty"`

	// Until is the local date of the last possible occurrence; empty
	// means no end.
	Until string `json:"until,omitempty"`
}

type scheduleTrigger struct {
	once      bool
	at        civil // once: date and time
	every     string
	weekday   time.Weekday
	day       int
	hh, mm    int
	from, end civil // end zero: none
}

// civil is a local date and time, without zone.
type civil struct {
	y      int
	m      time.Month
	d      int
	hh, mm int
}

func (c civil) isZero() bool { return c == civil{} }

func (c civil) in(loc *time.Location) time.Time {
	return parcours.LocalTime(c.y, c.m, c.d, c.hh, c.mm, 0, 0, loc)
}

func (c civil) key() string {
	return fmt.Sprintf("schedule:%04d-%02d-%02dT%02d:%02d", c.y, c.m, c.d, c.hh, c.mm)
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// ParseWeekday reads an English weekday name, in any case ("Monday").
func ParseWeekday(s string) (time.Weekday, bool) {
	w, ok := weekdays[strings.ToLower(s)]
	return w, ok
}

// ParseClock reads a local time of day "HH:MM" (00:00 to 23:59).
func ParseClock(s string) (hh, mm int, err error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || len(h) != 2 || len(m) != 2 || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, 0, fmt.Errorf("want a local time as HH:MM, got %q", s)
	}
	return hh, mm, nil
}

func parseDate(s string) (civil, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return civil{}, fmt.Errorf("want a local date as YYYY-MM-DD, got %q", s)
	}
	return civil{y: t.Year(), m: t.Month(), d: t.Day()}, nil
}

func (s *ScheduleSpec) compile() (Trigger, error) {
	t := scheduleTrigger{}
	if s.At != "" {
		if s.Every != "" || s.Weekday != "" || s.Day != 0 || s.Time != "" || s.From != "" || s.Until != "" {
			return nil, fieldErr("schedule.at", "one date-time: not with every, weekday, day, time, from or until")
		}
		at, err := time.Parse("2006-01-02T15:04", s.At)
		if err != nil {
			return nil, fieldErr("schedule.at", "want a local date and time as YYYY-MM-DDTHH:MM, got %q", s.At)
		}
		t.once = true
		t.at = civil{at.Year(), at.Month(), at.Day(), at.Hour(), at.Minute()}
		return t, nil
	}
	switch s.Every {
	case "":
		return nil, fieldErr("schedule", "set at (one date-time) or every (day, week or month)")
	case "day", "week", "month":
		t.every = s.Every
	default:
		return nil, fieldErr("schedule.every", "want day, week or month, got %q", s.Every)
	}
	switch {
	case s.Every == "week":
		w, ok := ParseWeekday(s.Weekday)
		if !ok {
			return nil, fieldErr("schedule.weekday", "want a day of the week such as monday, got %q", s.Weekday)
		}
		t.weekday = w
	case s.Weekday != "":
		return nil, fieldErr("schedule.weekday", "only with every week")
	}
	switch {
	case s.Every == "month":
		if s.Day < 1 || s.Day > 31 {
			return nil, fieldErr("schedule.day", "want a day of the month from 1 to 31, got %d", s.Day)
		}
		t.day = s.Day
	case s.Day != 0:
		return nil, fieldErr("schedule.day", "only with every month")
	}
	var err error
	if t.hh, t.mm, err = ParseClock(s.Time); err != nil {
		return nil, fieldErr("schedule.time", "%v", err)
	}
	if s.From == "" {
		return nil, fieldErr("schedule.from", "required with every: the local date the recurrence starts")
	}
	if t.from, err = parseDate(s.From); err != nil {
		return nil, fieldErr("schedule.from", "%v", err)
	}
	if s.Until != "" {
		if t.end, err = parseDate(s.Until); err != nil {
			return nil, fieldErr("schedule.until", "%v", err)
		}
		if dateBefore(t.end, t.from) {
			return nil, fieldErr("schedule.until", "before from")
		}
	}
	return t, nil
}

func dateBefore(a, b civil) bool {
	return a.y < b.y || a.y == b.y && (a.m < b.m || a.m == b.m && a.d < b.d)
}

// occurrence returns the n-th occurrence (from 0) of a recurrence, as a
// local date and time, and whether it is within Until.
func (t scheduleTrigger) occurrence(n int) (civil, bool) {
	var c civil
	switch t.every {
	case "day":
		d := time.Date(t.from.y, t.from.m, t.from.d+n, 0, 0, 0, 0, time.UTC)
		c = civil{d.Year(), d.Month(), d.Day(), t.hh, t.mm}
	case "week":
		first := time.Date(t.from.y, t.from.m, t.from.d, 0, 0, 0, 0, time.UTC)
		shift := (int(t.weekday) - int(first.Weekday()) + 7) % 7
		d := first.AddDate(0, 0, shift+7*n)
		c = civil{d.Year(), d.Month(), d.Day(), t.hh, t.mm}
	case "month":
		// From's month counts when its occurrence is not before from.
		m0 := 0
		if min(t.day, lastDay(t.from.y, t.from.m)) < t.from.d {
			m0 = 1
		}
		first := time.Date(t.from.y, t.from.m+time.Month(m0+n), 1, 0, 0, 0, 0, time.UTC)
		d := min(t.day, lastDay(first.Year(), first.Month()))
		c = civil{first.Year(), first.Month(), d, t.hh, t.mm}
	}
	if !t.end.isZero() && dateBefore(t.end, civil{y: c.y, m: c.m, d: c.d}) {
		return c, false
	}
	return c, true
}

func lastDay(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// maxOccurrences bounds the occurrences one evaluation lists: a daily
// schedule over thirty years.
const maxOccurrences = 11_000

// each calls f with every occurrence, in order, until f returns false.
func (t scheduleTrigger) each(loc *time.Location, f func(c civil, at time.Time) bool) {
	if t.once {
		f(t.at, t.at.in(loc))
		return
	}
	for n := 0; n < maxOccurrences; n++ {
		c, ok := t.occurrence(n)
		if !ok || !f(c, c.in(loc)) {
			return
		}
	}
}

func scheduleLocation(p parcours.Profile) *time.Location {
	if loc, ok := p.Location(); ok {
		return loc
	}
	return time.UTC
}

// Firings returns the occurrences at or before now.
func (t scheduleTrigger) Firings(tl parcours.Timeline, now time.Time) ([]Firing, error) {
	loc := scheduleLocation(tl.Profile)
	var out []Firing
	t.each(loc, func(c civil, at time.Time) bool {
		if at.After(now) {
			return false
		}
		out = append(out, Firing{At: at, Key: c.key(), Reason: "scheduled " + at.In(loc).Format("Mon 2006-01-02 15:04") + " local"})
		return true
	})
	sortFirings(out)
	return out, nil
}

// Next returns the first occurrence after now.
func (t scheduleTrigger) Next(tl parcours.Timeline, now time.Time) (time.Time, bool, error) {
	loc := scheduleLocation(tl.Profile)
	var next time.Time
	t.each(loc, func(_ civil, at time.Time) bool {
		if at.After(now) {
			next = at
			return false
		}
		return true
	})
	return next, !next.IsZero(), nil
}

// Reads: a schedule reads no event.
func (t scheduleTrigger) Reads() Reads { return Reads{} }

// Moment is a local moment a run can wait for: the next Time ("HH:MM")
// on the customer's clock, on Weekday when set. {"weekday": "tuesday",
// "time": "10:00"} is "the next Tuesday at 10:00"; {"time": "09:00"} is
// "09:00 the next morning" when waited for from the evening. It uses the
// one local-time rule (parcours.LocalTime), so it is right across
// daylight-saving changes.
type Moment struct {
	Weekday string `json:"weekday,omitempty"`
	Time    string `json:"time"`
}

// Check reports what is wrong with m, as a *FieldError naming "weekday"
// or "time".
func (m Moment) Check() error {
	if _, _, err := ParseClock(m.Time); err != nil {
		return fieldErr("time", "%v", err)
	}
	if _, ok := ParseWeekday(m.Weekday); m.Weekday != "" && !ok {
		return fieldErr("weekday", "want a day of the week such as tuesday, got %q", m.Weekday)
	}
	return nil
}

// After returns the first instant strictly after t at which the clock in
// loc shows m (zero time if m does not pass Check).
func (m Moment) After(t time.Time, loc *time.Location) time.Time {
	hh, mm, err := ParseClock(m.Time)
	if err != nil {
		return time.Time{}
	}
	wd, hasWD := ParseWeekday(m.Weekday)
	l := t.In(loc)
	y, mo, d := l.Date()
	for i := 0; i <= 8; i++ {
		day := time.Date(y, mo, d+i, 12, 0, 0, 0, time.UTC)
		if hasWD && day.Weekday() != wd {
			continue
		}
		if c := parcours.LocalTime(day.Year(), day.Month(), day.Day(), hh, mm, 0, 0, loc); c.After(t) {
			return c
		}
	}
	return time.Time{} // unreachable: some day of the next eight qualifies
}
