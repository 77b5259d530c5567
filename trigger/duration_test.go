package trigger

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want Duration
		str  string
	}{
		{"90d", Duration{Days: 90}, "90d"},
		{"2w", Duration{Days: 14}, "14d"},
		{"1w2d", Duration{Days: 9}, "9d"},
		{"36h", Duration{Clock: 36 * time.Hour}, "36h"},
		{"1d12h", Duration{Days: 1, Clock: 12 * time.Hour}, "1d12h"},
		{"1h30m15s", Duration{Clock: time.Hour + 30*time.Minute + 15*time.Second}, "1h30m15s"},
		{"-7d", Duration{Days: -7}, "-7d"},
		{"-1d6h", Duration{Days: -1, Clock: -6 * time.Hour}, "-1d6h"},
		{"0", Duration{}, "0"},
		{"0d", Duration{}, "0"},
		{"90m", Duration{Clock: 90 * time.Minute}, "1h30m"},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.in, diff)
		}
		if got.String() != tt.str {
			t.Errorf("%q: String() = %q, want %q", tt.in, got.String(), tt.str)
		}
	}
	for _, bad := range []string{"", "-", "d", "5", "5x", "1d1w", "1d1d", "5 d", "+5d", "1.5d", "100001d", "99999999999d", "--1d", "1d-2h"} {
		if _, err := ParseDuration(bad); !errors.Is(err, ErrDuration) {
			t.Errorf("%q: err %v, want ErrDuration", bad, err)
		}
	}
}

// Adding days keeps the local wall-clock time, so across the Paris spring
// change one day is 23 hours and across the autumn change 25 hours.
func TestDurationAddTo(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	tests := []struct {
		name  string
		from  string
		d     Duration
		want  string
		hours float64
	}{
		{"spring day", "2026-03-28T10:00:00+01:00", Days(1), "2026-03-29T10:00:00+02:00", 23},
		{"autumn day", "2026-10-24T10:00:00+02:00", Days(1), "2026-10-25T10:00:00+01:00", 25},
		{"into gap", "2026-03-28T02:30:00+01:00", Days(1), "2026-03-29T03:30:00+02:00", 24},
		{"into fold", "2026-10-24T02:30:00+02:00", Days(1), "2026-10-25T02:30:00+02:00", 24},
		{"hours are elapsed", "2026-03-28T10:00:00+01:00", Duration{Clock: 24 * time.Hour}, "2026-03-29T11:00:00+02:00", 24},
		{"week before", "2026-04-02T09:00:00+02:00", Days(-7), "2026-03-26T09:00:00+01:00", -167},
		{"utc input", "2026-03-28T09:00:00Z", Days(1), "2026-03-29T10:00:00+02:00", 23},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := ts(t, tt.from)
			got := tt.d.AddTo(from, paris)
			if !got.Equal(ts(t, tt.want)) {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			if h := got.Sub(from).Hours(); h != tt.hours {
				t.Errorf("elapsed %vh, want %vh", h, tt.hours)
			}
		})
	}
}

func TestDurationJSON(t *testing.T) {
	var s struct{ D Duration }
	if err := jsonStrict(`{"D": "1d12h"}`, &s); err != nil {
		t.Fatal(err)
	}
	if s.D != (Duration{Days: 1, Clock: 12 * time.Hour}) {
		t.Errorf("got %+v", s.D)
	}
	if err := jsonStrict(`{"D": 90}`, &s); err == nil {
		t.Error("a JSON number was accepted as a duration")
	}
	b, err := Duration{Days: 3}.MarshalText()
	if err != nil || string(b) != "3d" {
		t.Errorf("MarshalText = %q, %v", b, err)
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"90d", "1w2d3h4m5s", "-7d", "0", "", "1d1w", "999999999w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if !d.valid() {
			t.Fatalf("%q parsed to invalid %+v", s, d)
		}
		back, err := ParseDuration(d.String())
		if err != nil || back != d {
			t.Fatalf("%q -> %q -> %+v, %v", s, d.String(), back, err)
		}
	})
}
