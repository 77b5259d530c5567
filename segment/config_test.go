package segment

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseDuration(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		in   string
		want time.Duration
		out  string
	}{
		{"90d", 90 * day, "90d"},
		{"2w", 14 * day, "14d"},
		{"36h", 36 * time.Hour, "1d12h"},
		{"1d12h", 36 * time.Hour, "1d12h"},
		{"1w2d3h4m5s", 9*day + 3*time.Hour + 4*time.Minute + 5*time.Second, "9d3h4m5s"},
		{"0s", 0, "0s"},
		{"90m", 90 * time.Minute, "1h30m"},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if err != nil || time.Duration(got) != tt.want || got.String() != tt.out {
			t.Errorf("ParseDuration(%q) = %v (%s), %v; want %v (%s)", tt.in, time.Duration(got), got, err, tt.want, tt.out)
		}
	}
	for _, bad := range []string{"", "d", "90", "-1d", "1.5d", "1d1w", "1d1d", "1y", "3mo", "9999999999999999999d", "2562048h", " 1d"} {
		if d, err := ParseDuration(bad); !errors.Is(err, ErrConfig) {
			t.Errorf("ParseDuration(%q) = %v, %v; want ErrConfig", bad, d, err)
		}
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"90d", "1d12h", "2w", "0s", "1w2d3h4m5s", "", "x", "106751d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("error %v does not wrap ErrConfig", err)
			}
			return
		}
		if d < 0 {
			t.Fatalf("negative duration %v from %q", d, s)
		}
		back, err := ParseDuration(d.String())
		if err != nil || back != d {
			t.Fatalf("round trip %q -> %s -> %v, %v", s, d, back, err)
		}
	})
}

func TestParseConfig(t *testing.T) {
	cfg, err := ParseConfig([]byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(Config{}, cfg); d != "" {
		t.Errorf("empty object (-want +got):\n%s", d)
	}
	full := loadConfig(t)
	want := Config{
		Window: Duration(182 * 24 * time.Hour), Property: "category",
		Rhythm:     RhythmRules{MinGap: Duration(24 * time.Hour), MinIntervals: 2, BreakFactor: 2},
		Thresholds: &RFMThresholds{At: june1, Customers: 1000, Recency: [4]float64{10, 30, 60, 120}, Frequency: [4]float64{1, 2, 3, 5}, Monetary: [4]float64{50, 100, 150, 400}},
		Loyalty:    &LoyaltyRules{PointsPerUnit: 1, PointsPerVisit: 10, CashbackRate: 0.05, Tiers: []Tier{{"silver", 100}, {"gold", 300}}},
		KPIPeriod:  Duration(365 * 24 * time.Hour), SplitBy: "store",
	}
	if d := cmp.Diff(want, full); d != "" {
		t.Errorf("testdata/config.json (-want +got):\n%s", d)
	}
	bad := []struct{ name, json, field string }{
		{"unknown field", `{"windw":"90d"}`, ""},
		{"trailing data", `{} []`, ""},
		{"not an object", `[]`, ""},
		{"number window", `{"window":90}`, "duration"},
		{"bad window", `{"window":"6mo"}`, "duration"},
		{"break factor below 1", `{"rhythm":{"break_factor":0.5}}`, "rhythm.break_factor"},
		{"negative min intervals", `{"rhythm":{"min_intervals":-1}}`, "rhythm.min_intervals"},
		{"decreasing cuts", `{"thresholds":{"frequency":[3,2,1,0]}}`, "thresholds.frequency[1]"},
		{"cashback above 1", `{"loyalty":{"cashback_rate":1.5}}`, "loyalty.cashback_rate"},
		{"negative points", `{"loyalty":{"points_per_unit":-1}}`, "loyalty.points_per_unit"},
		{"tiers out of order", `{"loyalty":{"tiers":[{"name":"gold","points":300},{"name":"silver","points":100}]}}`, "loyalty.tiers[1].points"},
		{"duplicate tier", `{"loyalty":{"tiers":[{"name":"a","points":1},{"name":"a","points":2}]}}`, "loyalty.tiers[1].name"},
		{"unnamed tier", `{"loyalty":{"tiers":[{"points":1}]}}`, "loyalty.tiers[0].name"},
		{"redeem is order", `{"loyalty":{"redeem_event":"order"}}`, "loyalty.redeem_event"},
		{"empty visit type", `{"loyalty":{"visit_events":[""]}}`, "loyalty.visit_events[0]"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tt.json))
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("error %v, want ErrConfig", err)
			}
			var ce *ConfigError
			if tt.field != "" && (!errors.As(err, &ce) || ce.Field != tt.field) {
				t.Errorf("error %v, want a *ConfigError on %s", err, tt.field)
			}
		})
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"window":"90d","rhythm":{"break_factor":1.5},"loyalty":{"points_per_unit":1,"tiers":[{"name":"a","points":1}]}}`))
	f.Add([]byte(`{"thresholds":{"recency":[1,2,3,4]},"split_by":"store","kpi_period":"2w"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(data)
		if err != nil {
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("error %v does not wrap ErrConfig", err)
			}
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("parsed config does not validate: %v", err)
		}
		if _, err := Compute(timeline(order("a", "2026-05-01T00:00:00Z", 10, "web")), june1, cfg); err != nil {
			t.Fatalf("valid config, simple timeline: %v", err)
		}
	})
}

// TestConfigRoundTrip: a Config written as JSON reads back identical, so
// hosts can store the snapshot and the rules they used.
func TestConfigRoundTrip(t *testing.T) {
	cfg := loadConfig(t)
	cfg.Rhythm.MinGap = Duration(36 * time.Hour)
	cfg.Loyalty.TierPeriod = Duration(365 * 24 * time.Hour)
	cfg.Loyalty.VisitEvents = []string{"store_visit", "order"}
	data, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseConfig(data)
	if err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	if d := cmp.Diff(cfg, back); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
}
