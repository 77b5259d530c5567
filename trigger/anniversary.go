package trigger

import (
	"fmt"
	"strconv"
	"time"

	"github.com/parcours-dev/parcours"
)

// AnniversarySpec fires every year on the anniversary of a date: a profile
// date attribute (birthday, signup date) or the first event of a type
// (first order), at a local time of day in the profile's zone, shifted by
// an optional Offset ("-7d": a week before).
//
// It fires on every anniversary (one year after the date, two years...)
// from the start of the timeline, its first event, up to now: a customer
// known since 2025 does not get the birthdays of 1990 replayed, and a
// timeline without events has no firing and no Next. Rules:
//
//   - 29 February: in a year without one, the anniversary is 28 February.
//   - The local time is read in the profile's zone; a local time skipped by
//     a daylight-saving change moves forward by the gap, one that occurs
//     twice is the first occurrence (see [LocalTime]).
//   - Offset counts calendar days like every trigger duration (see the
//     package doc): "-7d" is 09:00 a week before, even across a daylight
//     saving change.
//   - A missing attribute, a nil or empty string value, or no event of
//     FirstEvent's type gives no firing; any other value that is not a
//     date is an *[AttrError].
//
// The Key is "anniversary:<year>", the year of the anniversary date
// before the offset.
type AnniversarySpec struct {
	// Attribute names a profile attribute holding the date: a string
	// "YYYY-MM-DD" (a calendar date as is), an RFC 3339 string or a
	// time.Time (instants, whose date is taken in the profile's zone).
	Attribute string `json:"attribute,omitempty"`

	// FirstEvent names an event type whose first occurrence gives the
	// date (in the profile's zone); set exactly one of Attribute and
	// FirstEvent.
	FirstEvent string `json:"first_event,omitempty"`

	// At is the local time of day, "HH:MM" or "HH:MM:SS"; empty means
	// midnight.
	At string `json:"at,omitempty"`

	// Offset shifts the firing from the anniversary, at most 366 days
	// either way; negative is before ("-7d").
	Offset parcours.Duration `json:"offset,omitempty"`
}

type anniversaryTrigger struct {
	attr, first string
	h, m, s     int
	offset      time.Duration
}

func (s *AnniversarySpec) compile() (Trigger, error) {
	if (s.Attribute == "") == (s.FirstEvent == "") {
		return nil, fieldErr("anniversary.attribute", "set exactly one of attribute and first_event")
	}
	off := s.Offset.Std()
	t := anniversaryTrigger{attr: s.Attribute, first: s.FirstEvent, offset: off}
	if s.At != "" {
		var tod time.Time
		var err error
		if len(s.At) == len("15:04") {
			tod, err = time.Parse("15:04", s.At)
		} else {
			tod, err = time.Parse(time.TimeOnly, s.At)
		}
		if err != nil {
			return nil, fieldErr("anniversary.at", "want HH:MM or HH:MM:SS, got %q", s.At)
		}
		t.h, t.m, t.s = tod.Clock()
	}
	if off > 366*dayLen || off < -366*dayLen {
		return nil, fieldErr("anniversary.offset", "must be within a year either way, got %s", s.Offset)
	}
	return t, nil
}

// date returns the calendar date the anniversaries follow; ok false when
// the customer has none.
func (t anniversaryTrigger) date(tl parcours.Timeline, loc *time.Location) (d time.Time, cause parcours.Event, ok bool, err error) {
	if t.first != "" {
		e, found := tl.First(t.first)
		if !found {
			return time.Time{}, parcours.Event{}, false, nil
		}
		return e.Time.In(loc), e, true, nil
	}
	bad := func(msg string) error {
		return &AttrError{Profile: tl.Profile.ID, Attr: t.attr, Value: tl.Profile.Attr(t.attr), Msg: msg}
	}
	switch v := tl.Profile.Attr(t.attr).(type) {
	case nil:
		return time.Time{}, parcours.Event{}, false, nil
	case time.Time:
		if v.IsZero() {
			return time.Time{}, parcours.Event{}, false, nil
		}
		return v.In(loc), parcours.Event{}, true, nil
	case string:
		if v == "" {
			return time.Time{}, parcours.Event{}, false, nil
		}
		if d, err := time.Parse(time.DateOnly, v); err == nil {
			return d, parcours.Event{}, true, nil
		}
		if d, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return d.In(loc), parcours.Event{}, true, nil
		}
		return time.Time{}, parcours.Event{}, false, bad("want a date YYYY-MM-DD or an RFC 3339 time")
	default:
		return time.Time{}, parcours.Event{}, false, bad("want a date string or a time.Time")
	}
}

// in returns the firing instant for the anniversary in year y.
func (t anniversaryTrigger) in(y int, m time.Month, d int, loc *time.Location) time.Time {
	if m == time.February && d == 29 && !isLeap(y) {
		d = 28
	}
	return addDuration(LocalTime(y, m, d, t.h, t.m, t.s, 0, loc), t.offset, loc)
}

// Dates outside these years are placeholders or typos, not customer
// dates; they are reported rather than looped over.
const minYear, maxYear = 1800, 9999

func (t anniversaryTrigger) yearErr(tl parcours.Timeline, y int) error {
	if t.first != "" {
		return &EvalError{Trigger: "anniversary", Err: fmt.Errorf("first %s in year %d, outside %d..%d", t.first, y, minYear, maxYear)}
	}
	return &AttrError{Profile: tl.Profile.ID, Attr: t.attr, Value: tl.Profile.Attr(t.attr), Msg: fmt.Sprintf("year outside %d..%d", minYear, maxYear)}
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// Firings returns every anniversary from the first one up to now.
func (t anniversaryTrigger) Firings(tl parcours.Timeline, now time.Time) ([]Firing, error) {
	return t.firings(tl, now, nil)
}

func (t anniversaryTrigger) scanFrom(tl parcours.Timeline, now time.Time, o ScanOptions) ([]Firing, time.Time, bool, error) {
	from, dst := o.From, o.Buf
	fs, err := t.firings(tl, now, dst)
	if err != nil {
		return nil, time.Time{}, false, err
	}
	next, ok, err := t.Next(tl, now)
	if err != nil {
		return nil, time.Time{}, false, err
	}
	i := 0
	for i < len(fs) && fs[i].At.Before(from) {
		i++
	}
	return fs[i:], next, ok, nil
}

// firings is Firings, appending to dst[:0]. Its reasons are always
// written: Explain has not the profile date they name.
func (t anniversaryTrigger) firings(tl parcours.Timeline, now time.Time, dst []Firing) ([]Firing, error) {
	loc, err := location(tl.Profile)
	if err != nil {
		return nil, err
	}
	if len(tl.Events) == 0 {
		return nil, nil
	}
	d, cause, ok, err := t.date(tl, loc)
	if err != nil || !ok {
		return nil, err
	}
	y0, m, dd := d.Date()
	if y0 < minYear || y0 > maxYear {
		return nil, t.yearErr(tl, y0)
	}
	start := tl.Events[0].Time
	out := dst[:0]
	// The offset is under a year, so no anniversary before the start's
	// year minus two can reach it.
	for y := max(y0+1, start.In(loc).Year()-2); ; y++ {
		at := t.in(y, m, dd, loc)
		if at.After(now) {
			break
		}
		if at.Before(start) {
			continue
		}
		var buf [96]byte
		why := append(strconv.AppendInt(append(buf[:0], "anniversary "...), int64(y-y0), 10), " of "...)
		if t.first != "" {
			why = append(why, "first "...)
		}
		why = d.AppendFormat(append(append(why, t.source()...), ' '), time.DateOnly)
		out = append(out, Firing{At: at, Key: "anniversary:" + strconv.Itoa(y), Event: cause, Reason: string(why)})
	}
	return out, nil
}

// source is the attribute or the first event the date comes from.
func (t anniversaryTrigger) source() string {
	if t.first != "" {
		return t.first
	}
	return t.attr
}

// Next returns the first anniversary after now.
func (t anniversaryTrigger) Next(tl parcours.Timeline, now time.Time) (time.Time, bool, error) {
	loc, err := location(tl.Profile)
	if err != nil {
		return time.Time{}, false, err
	}
	if len(tl.Events) == 0 {
		return time.Time{}, false, nil
	}
	d, _, ok, err := t.date(tl, loc)
	if err != nil || !ok {
		return time.Time{}, false, err
	}
	y0, m, dd := d.Date()
	if y0 < minYear || y0 > maxYear {
		return time.Time{}, false, t.yearErr(tl, y0)
	}
	// The offset is under a year, so the answer is within two years of
	// now's year.
	y := max(y0+1, now.In(loc).Year()-2)
	for {
		if at := t.in(y, m, dd, loc); at.After(now) {
			return at, true, nil
		}
		y++
	}
}
