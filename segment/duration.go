package segment

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a length of time that reads and writes in JSON as a string
// of whole-number parts with units w (7 days), d (24 hours), h, m and s,
// largest unit first: "182d", "2w", "36h", "1d12h", "90m". "0s" is zero.
// Calendar months are deliberately absent: a month has no fixed length.
type Duration time.Duration

// Days returns d as a number of (24-hour) days.
func (d Duration) Days() float64 { return time.Duration(d).Hours() / 24 }

var durationUnits = []struct {
	name string
	size time.Duration
}{
	{"w", 7 * 24 * time.Hour},
	{"d", 24 * time.Hour},
	{"h", time.Hour},
	{"m", time.Minute},
	{"s", time.Second},
}

// ParseDuration reads a Duration written as described on [Duration]. It
// rejects an empty string, signs, fractions, unknown or repeated units,
// units out of order and values that overflow, with a *[ConfigError].
func ParseDuration(s string) (Duration, error) {
	bad := func(why string) (Duration, error) {
		return 0, &ConfigError{Field: "duration", Value: s, Reason: why}
	}
	if s == "" {
		return bad("empty duration")
	}
	var total time.Duration
	rest, next := s, 0 // next: index of the first unit still allowed
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return bad("want a whole number before each unit")
		}
		if i == len(rest) {
			return bad("missing unit after " + rest + " (use w, d, h, m or s)")
		}
		n, err := strconv.ParseInt(rest[:i], 10, 64)
		if err != nil {
			return bad("number too large")
		}
		j := i
		for j < len(rest) && (rest[j] < '0' || rest[j] > '9') {
			j++
		}
		unit := rest[i:j]
		u := -1
		for k := next; k < len(durationUnits); k++ {
			if unit == durationUnits[k].name {
				u = k
				break
			}
		}
		if u < 0 {
			return bad(fmt.Sprintf("unit %q unknown, repeated or out of order (use w, d, h, m, s, largest first)", unit))
		}
		size := durationUnits[u].size
		if n > int64((1<<63-1)/size) || total > time.Duration(1<<63-1)-time.Duration(n)*size {
			return bad("duration too long")
		}
		total += time.Duration(n) * size
		next = u + 1
		rest = rest[j:]
	}
	return Duration(total), nil
}

// String writes d in the form ParseDuration reads, using days rather than
// weeks ("14d", not "2w") so that windows read the same everywhere.
// Sub-second parts are dropped; negative durations get a leading '-',
// which ParseDuration rejects (no configuration needs them).
func (d Duration) String() string {
	v := time.Duration(d)
	if v == 0 {
		return "0s"
	}
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
		v = -v
	}
	for _, u := range durationUnits[1:] {
		if n := v / u.size; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10))
			b.WriteString(u.name)
			v -= n * u.size
		}
	}
	if b.Len() == 0 || b.String() == "-" {
		return "0s"
	}
	return b.String()
}

// MarshalJSON writes d as a JSON string, see [Duration.String].
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a JSON string with [ParseDuration]; numbers are
// rejected, since a bare number hides its unit.
func (d *Duration) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return &ConfigError{Field: "duration", Value: string(data), Reason: `want a string such as "90d"`}
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
