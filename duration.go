package parcours

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Duration is a time.Duration that reads and writes the way marketers
// write delays: "90d", "2w", "36h", "1d12h", "30m". JSON reads only such
// a string (a bare number is refused: 90 what?) and writes the shortest
// such string.
//
// The one day rule. Wherever a Duration is counted on a customer's
// calendar — trigger delays, scenario waits and wait timeouts, re-entry
// periods, the day windows of countEvents and sumEvents, segment windows
// — its whole days (the d and w units: multiples of 24 hours) are
// calendar days in the customer's zone, keeping the local time of day
// ([AddCalendar], with [LocalTime]'s rules for a time that does not exist
// or occurs twice), and what is left (h, m, s) is elapsed time. "1d"
// after 18:00 is 18:00 the next local day, 23 or 25 hours across a
// daylight-saving change, and "once per 1d" means once per calendar day;
// "24h" is always 24 hours. A customer without a zone, or with an unknown
// one, counts in UTC, where a day is 24 hours. Policy windows (caps,
// priority gap, suppression), MaxLateness and Horizon bound pressure and
// staleness rather than name a calendar moment, and stay elapsed time.
type Duration time.Duration

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// Days returns d in days, with fraction.
func (d Duration) Days() float64 { return time.Duration(d).Hours() / 24 }

// Largest and smallest Durations, about ±106,751 days (292 years).
const (
	MaxDuration Duration = 1<<63 - 1
	MinDuration Duration = -1 << 63
)

// Add returns d+e, saturating at MaxDuration or MinDuration instead of
// wrapping around. Every sum of durations in parcours goes through it: two
// waits of "106000d" add up to "forever", never to a negative horizon
// that would make a due send vanish.
func (d Duration) Add(e Duration) Duration {
	s := d + e
	switch {
	case e > 0 && s < d:
		return MaxDuration
	case e < 0 && s > d:
		return MinDuration
	}
	return s
}

// DaysOf returns n days of 24 hours, clamped to [MinDuration,
// MaxDuration]. Every day count a marketer writes (countEvents("order",
// 110000)) goes through it, so an absurd count means "as far back as
// can be" rather than overflowing into the future.
func DaysOf(n int) Duration {
	const day = 24 * time.Hour
	const most = int(MaxDuration / Duration(day))
	switch {
	case n > most:
		return MaxDuration
	case n < -most:
		return MinDuration
	}
	return Duration(time.Duration(n) * day)
}

// ParseDuration parses a duration made of decimal numbers, each followed by
// a unit: w (week), d (day), h, m, s, ms, us, ns, as in "1w2d" or "1.5h". A
// leading minus sign is allowed.
func ParseDuration(s string) (Duration, error) {
	orig := s
	if s == "" {
		return 0, fmt.Errorf("parcours: empty duration")
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
		if s == "" {
			return 0, fmt.Errorf("parcours: invalid duration %q: a sign needs a number after it", orig)
		}
	}
	if s == "0" {
		return 0, nil
	}
	var total float64
	for s != "" {
		i := 0
		for i < len(s) && (s[i] == '.' || (s[i] >= '0' && s[i] <= '9')) {
			i++
		}
		if i == 0 {
			return 0, fmt.Errorf("parcours: invalid duration %q: expected a number", orig)
		}
		n, err := strconv.ParseFloat(s[:i], 64)
		if err != nil {
			return 0, fmt.Errorf("parcours: invalid duration %q", orig)
		}
		s = s[i:]
		j := 0
		for j < len(s) && !(s[j] == '.' || (s[j] >= '0' && s[j] <= '9')) {
			j++
		}
		unit, ok := units[s[:j]]
		if !ok {
			return 0, fmt.Errorf("parcours: invalid duration %q: unknown unit %q (use w, d, h, m, s, ms, us, ns)", orig, s[:j])
		}
		s = s[j:]
		total += n * float64(unit)
		if total > float64(1<<63-1) {
			return 0, fmt.Errorf("parcours: invalid duration %q: too large", orig)
		}
	}
	if neg {
		total = -total
	}
	return Duration(total), nil
}

var units = map[string]time.Duration{
	"ns": time.Nanosecond, "us": time.Microsecond, "µs": time.Microsecond,
	"ms": time.Millisecond, "s": time.Second, "m": time.Minute,
	"h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour,
}

// String formats d with the largest units first, days being the largest:
// "14d", "182d", "1d12h"; 90 minutes is "1h30m", zero is "0s".
func (d Duration) String() string {
	if d == 0 {
		return "0s"
	}
	var buf [32]byte
	b, _ := d.AppendText(buf[:0])
	return string(b)
}

// AppendText appends d as String writes it to b (encoding.TextAppender),
// for callers that build text without a string per duration.
func (d Duration) AppendText(b []byte) ([]byte, error) {
	if d == 0 {
		return append(b, "0s"...), nil
	}
	v := time.Duration(d)
	if v < 0 {
		if v == -1<<63 {
			return append(b, time.Duration(d).String()...), nil
		}
		b = append(b, '-')
		v = -v
	}
	// Days, never weeks: "182d" is what a marketer wrote and reads back,
	// where "26w" would need converting.
	const day = 24 * time.Hour
	if days := v / day; days > 0 {
		b = strconv.AppendInt(b, int64(days), 10)
		b = append(b, 'd')
		v -= days * day
	}
	for _, u := range written {
		if n := v / u.d; n > 0 {
			b = strconv.AppendInt(b, int64(n), 10)
			b = append(b, u.name...)
			v -= n * u.d
		}
	}
	return b, nil
}

// written are the units below the day that String writes, largest first.
var written = [...]struct {
	name string
	d    time.Duration
}{{"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}, {"ms", time.Millisecond}, {"us", time.Microsecond}, {"ns", time.Nanosecond}}

// MarshalJSON writes d as a string such as "1d12h".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a duration string. A bare number is refused: "is
// 7 seconds or 7 days?" is a question a configuration should not raise.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("parcours: a duration is a string such as \"2d\" or \"36h\", got %s", b)
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
