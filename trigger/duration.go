package trigger

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a span of time written in JSON as a string such as "90d",
// "2w", "36h" or "1d12h"; a leading "-" makes it negative ("-7d": seven
// days before).
//
// Days (units w = 7 days and d) are calendar days in the customer's time
// zone: adding one day keeps the local wall-clock time across a daylight
// saving change, so "3d" after an order at 10:00 is 10:00 three local days
// later even when that span is 71 or 73 hours. Clock (units h, m, s) is
// elapsed time, added after the days.
//
// The zero Duration is zero length.
type Duration struct {
	Days  int           // calendar days in the profile's zone; same sign as Clock
	Clock time.Duration // elapsed time added after Days
}

// Limits keep every Duration far from time.Time overflow.
const (
	maxDays  = 100000                // about 273 years
	maxClock = 100000 * time.Hour    // about 11 years
	dayLen   = 24 * time.Hour        // nominal day, for comparisons only
	maxDurS  = len("-100000d99999h") // longer strings cannot be valid
)

// Days returns a Duration of n calendar days.
func Days(n int) Duration { return Duration{Days: n} }

// ErrDuration is wrapped by every error [ParseDuration] returns.
var ErrDuration = errors.New("invalid duration")

// ParseDuration parses a duration string: an optional "-", then one or more
// number+unit pairs with units w, d, h, m, s in that order, each at most
// once ("1w2d", "1d12h", "90m", "-7d"). "0" alone is the zero duration.
func ParseDuration(s string) (Duration, error) {
	bad := func(why string) (Duration, error) {
		return Duration{}, fmt.Errorf("%w %q: %s", ErrDuration, s, why)
	}
	if s == "0" {
		return Duration{}, nil
	}
	if len(s) > maxDurS+8 {
		return bad("too long")
	}
	rest := s
	neg := strings.HasPrefix(rest, "-")
	if neg {
		rest = rest[1:]
	}
	if rest == "" {
		return bad("empty")
	}
	const units = "wdhms"
	last := -1
	var days int64
	var clock int64 // seconds
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return bad("expected a number")
		}
		if i == len(rest) {
			return bad("missing unit (w, d, h, m or s)")
		}
		n, err := strconv.ParseInt(rest[:i], 10, 64)
		if err != nil || n > 1e9 {
			return bad("number too large")
		}
		u := strings.IndexByte(units, rest[i])
		if u < 0 {
			return bad(fmt.Sprintf("unknown unit %q", rest[i]))
		}
		if u <= last {
			return bad("units must appear once each, in the order w d h m s")
		}
		last = u
		switch units[u] {
		case 'w':
			days += 7 * n
		case 'd':
			days += n
		case 'h':
			clock += 3600 * n
		case 'm':
			clock += 60 * n
		case 's':
			clock += n
		}
		rest = rest[i+1:]
	}
	if days > maxDays || clock > int64(maxClock/time.Second) {
		return bad("out of range")
	}
	d := Duration{Days: int(days), Clock: time.Duration(clock) * time.Second}
	if neg {
		d = d.neg()
	}
	return d, nil
}

func (d Duration) neg() Duration { return Duration{Days: -d.Days, Clock: -d.Clock} }

// IsZero reports whether d is zero length.
func (d Duration) IsZero() bool { return d.Days == 0 && d.Clock == 0 }

// Positive reports whether d is longer than zero.
func (d Duration) Positive() bool {
	return d.valid() && (d.Days > 0 || d.Clock > 0)
}

// valid reports whether d is within range and both parts share one sign.
func (d Duration) valid() bool {
	if d.Days > maxDays || d.Days < -maxDays || d.Clock > maxClock || d.Clock < -maxClock {
		return false
	}
	return !(d.Days > 0 && d.Clock < 0) && !(d.Days < 0 && d.Clock > 0)
}

// Nominal returns d with days counted as 24 hours, for reasons and for
// comparing durations; it is not how d is added to an instant.
func (d Duration) Nominal() time.Duration { return time.Duration(d.Days)*dayLen + d.Clock }

// AddTo returns t plus d, in loc: Days calendar days in loc keeping the
// local wall-clock time (see [LocalTime] for wall times that do not exist
// or occur twice), then Clock elapsed time.
func (d Duration) AddTo(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	if d.Days != 0 {
		l := t.In(loc)
		y, m, day := l.Date()
		hh, mm, ss := l.Clock()
		t = LocalTime(y, m, day+d.Days, hh, mm, ss, l.Nanosecond(), loc)
	}
	return t.Add(d.Clock)
}

// String formats d in the form ParseDuration reads, weeks written as days:
// "14d", "1d12h", "-7d", "1h30m", "0".
func (d Duration) String() string {
	if d.IsZero() {
		return "0"
	}
	var b strings.Builder
	days, clock := d.Days, d.Clock
	if days < 0 || clock < 0 {
		b.WriteByte('-')
		days, clock = -days, -clock
	}
	if days != 0 {
		b.WriteString(strconv.Itoa(days) + "d")
	}
	secs := int64(clock / time.Second)
	for _, u := range []struct {
		n int64
		s string
	}{{3600, "h"}, {60, "m"}, {1, "s"}} {
		if q := secs / u.n; q != 0 {
			b.WriteString(strconv.FormatInt(q, 10) + u.s)
			secs -= q * u.n
		}
	}
	return b.String()
}

// MarshalText encodes d as its String form, so JSON writes it as a string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes the form [ParseDuration] reads.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
