package parcours

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"90d", 90 * 24 * time.Hour, true},
		{"2w", 14 * 24 * time.Hour, true},
		{"1d12h", 36 * time.Hour, true},
		{"1.5h", 90 * time.Minute, true},
		{"30m", 30 * time.Minute, true},
		{"-2d", -48 * time.Hour, true},
		{"0", 0, true},
		{"", 0, false},
		{"d", 0, false},
		{"-", 0, false},
		{"+", 0, false},
		{"5", 0, false},
		{"5y", 0, false},
		{"1..2d", 0, false},
		{"999999999999w", 0, false},
	}
	for _, tc := range tests {
		got, err := ParseDuration(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got.Std() != tc.want) {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v ok=%v", tc.in, got.Std(), err, tc.want, tc.ok)
		}
	}
}

func TestDurationRoundTrip(t *testing.T) {
	for _, s := range []string{"14d", "1d12h", "1h30m", "0s", "-3d", "8d1h1m1s", "90d", "182d", "1m30s250ms", "2us7ns"} {
		d, err := ParseDuration(s)
		if err != nil {
			t.Fatal(err)
		}
		if d.String() != s {
			t.Errorf("String(ParseDuration(%q)) = %q", s, d.String())
		}
		if b, err := d.AppendText([]byte("x=")); err != nil || string(b) != "x="+s {
			t.Errorf("AppendText of %q = %q, %v", s, b, err)
		}
		b, _ := json.Marshal(d)
		var back Duration
		if err := json.Unmarshal(b, &back); err != nil || back != d {
			t.Errorf("JSON round trip of %q: %s -> %v, %v", s, b, back, err)
		}
	}
	var n Duration
	if err := json.Unmarshal([]byte("3600000000000"), &n); err == nil {
		t.Errorf("numeric JSON accepted: %v", n)
	}
	if err := json.Unmarshal([]byte("true"), &n); err == nil {
		t.Errorf("bool JSON accepted")
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"90d", "1d12h", "-2w", "1.5h", "", "x", "0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		back, err := ParseDuration(d.String())
		if err != nil {
			t.Fatalf("String() %q of %q does not parse: %v", d.String(), s, err)
		}
		if back != d {
			t.Fatalf("round trip %q -> %v -> %v", s, d, back)
		}
		if b, _ := d.AppendText(nil); string(b) != d.String() {
			t.Fatalf("AppendText %q, String %q", b, d.String())
		}
	})
}

func TestDurationAdd(t *testing.T) {
	day := Duration(24 * time.Hour)
	tests := []struct {
		a, b, want Duration
	}{
		{day, day, 2 * day},
		{day, -2 * day, -day},
		{106000 * day, 106000 * day, MaxDuration},
		{MaxDuration, 1, MaxDuration},
		{-106000 * day, -106000 * day, MinDuration},
		{MinDuration, -1, MinDuration},
		{MaxDuration, MinDuration, -1},
	}
	for _, tc := range tests {
		if got := tc.a.Add(tc.b); got != tc.want {
			t.Errorf("%v.Add(%v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestDaysOf(t *testing.T) {
	day := Duration(24 * time.Hour)
	tests := []struct {
		n    int
		want Duration
	}{
		{0, 0},
		{3, 3 * day},
		{-3, -3 * day},
		{106751, 106751 * day},
		{106752, MaxDuration},
		{110000, MaxDuration},
		{-110000, MinDuration},
		{1 << 62, MaxDuration},
	}
	for _, tc := range tests {
		if got := DaysOf(tc.n); got != tc.want {
			t.Errorf("DaysOf(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
}
