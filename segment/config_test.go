package segment

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

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
		{"number window", `{"window":90}`, ""},
		{"bad window", `{"window":"6mo"}`, ""},
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

// TestValidateReportsEveryProblem: a configuration with several bad
// values gets one *ConfigError for each, in field order; with one, that
// error alone.
func TestValidateReportsEveryProblem(t *testing.T) {
	cfg := Config{
		Window:     -1,
		Rhythm:     RhythmRules{BreakFactor: 0.5},
		Thresholds: &RFMThresholds{Recency: [4]float64{10, 5, 20, 30}},
		Loyalty: &LoyaltyRules{PointsPerUnit: -1, CashbackRate: math.Inf(1),
			Tiers: []Tier{{Name: "gold", Points: 500}, {Name: "gold", Points: 100}}},
	}
	var fields []string
	for _, e := range parcours.ErrorsOf[*ConfigError](cfg.Validate()) {
		fields = append(fields, e.Field)
	}
	want := []string{"window", "rhythm.break_factor", "thresholds.recency[1]", "loyalty.points_per_unit", "loyalty.cashback_rate",
		"loyalty.tiers[1].name", "loyalty.tiers[1].points"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	var ce *ConfigError
	if err := (Config{KPIPeriod: -1}).Validate(); !errors.As(err, &ce) || err != error(ce) {
		t.Errorf("one problem: %#v, want the *ConfigError itself", err)
	}
}
