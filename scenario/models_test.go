package scenario

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/clv"
	"github.com/parcours-dev/parcours/segment"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestFactsInExpressions is the Zoro scenario: when a customer's usual
// delay is passed, the mail's content depends on her promo sensitivity
// and favourite department. Values are hand-checked: 2 of 3 orders on
// promotion; denim is 90 of 130 spent.
func TestFactsInExpressions(t *testing.T) {
	eng, err := Compile([]Scenario{{
		ID:        "zoro",
		Targeting: `facts().stage != "prospect"`,
		Trigger:   Trigger{On: []string{"visit_web"}},
		Steps: []Step{{ID: "mail", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "comeback", Vars: map[string]string{
			"promo":      `facts().promo_share > 0.5`,
			"department": `facts().favourite`,
			"orders":     `facts().frequency`,
		}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	item := func(cat string, price float64) map[string]any {
		return map[string]any{"category": cat, "price": price, "quantity": 1}
	}
	tl := parcours.Timeline{
		Profile: parcours.Profile{ID: "z", Consent: map[parcours.Channel]bool{parcours.Email: true}},
		Events: []parcours.Event{
			{ID: "o1", Type: parcours.Order, Time: day("2026-01-05"), Props: map[string]any{"amount": 60.0, "promo": true, "items": []any{item("denim", 60)}}},
			{ID: "o2", Type: parcours.Order, Time: day("2026-02-05"), Props: map[string]any{"amount": 40.0, "promo": false, "items": []any{item("skirts", 40)}}},
			{ID: "o3", Type: parcours.Order, Time: day("2026-03-05"), Props: map[string]any{"amount": 30.0, "promo": true, "items": []any{item("denim", 30)}}},
			{ID: "v1", Type: "visit_web", Time: day("2026-06-01")},
		},
	}
	res := eng.Evaluate(tl, day("2026-06-01"))
	if len(res.Errors) > 0 || len(res.Due) != 1 {
		t.Fatalf("due %v, errors %v", res.Due, res.Errors)
	}
	got := res.Due[0].Vars
	want := map[string]any{"promo": true, "department": "denim", "orders": 3}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("vars[%s] = %#v, want %#v", k, got[k], v)
		}
	}
	// A prospect (no order) is not targeted.
	tl.Events = tl.Events[3:]
	if res := eng.Evaluate(tl, day("2026-06-01")); len(res.Due) != 0 || len(res.Errors) != 0 {
		t.Errorf("prospect: due %v errors %v", res.Due, res.Errors)
	}
}

// TestCLVInExpressions checks clv() against the published BG/NBD
// P(alive) of CDNOW customer 1 (reference 0.7266091441 at the 2-decimal
// summary x=2, t_x=30.43, T=38.86; the raw dates give 30.4286 and
// 38.857, hence the 1e-3 tolerance), from the customer's raw orders.
func TestCLVInExpressions(t *testing.T) {
	model := clv.Model{Kind: clv.BGNBD, Params: []float64{0.2425928968807734, 4.413531369003333, 0.7928860113886045, 2.425752717630986}}
	s := Scenario{
		ID:        "fading",
		Targeting: `clv().p_alive < 0.9 && clv().historic_value > 50`,
		Trigger:   Trigger{On: []string{"check"}},
		Steps: []Step{{ID: "mail", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "we-miss-you",
			Vars: map[string]string{"p_alive": `clv().p_alive`}}}},
	}
	if _, err := Compile([]Scenario{s}); err == nil || !strings.Contains(err.Error(), "WithCLV") {
		t.Fatalf("clv() without a model compiled: %v", err)
	}
	eng, err := Compile([]Scenario{s}, WithCLV(model, 39*7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	tl := parcours.Timeline{
		Profile: parcours.Profile{ID: "cdnow-1", Consent: map[parcours.Channel]bool{parcours.Email: true}},
		Events: []parcours.Event{
			{ID: "o1", Type: parcours.Order, Time: day("1997-01-01"), Props: map[string]any{"amount": 29.33}},
			{ID: "o2", Type: parcours.Order, Time: day("1997-01-18"), Props: map[string]any{"amount": 29.73}},
			{ID: "o3", Type: parcours.Order, Time: day("1997-08-02"), Props: map[string]any{"amount": 14.96}},
			{ID: "c", Type: "check", Time: day("1997-09-30")},
		},
	}
	res := eng.Evaluate(tl, day("1997-09-30"))
	if len(res.Errors) > 0 || len(res.Due) != 1 {
		t.Fatalf("due %v, errors %v", res.Due, res.Errors)
	}
	p := res.Due[0].Vars["p_alive"].(float64)
	if math.Abs(p-0.7266091441) > 1e-3 {
		t.Errorf("clv().p_alive = %v, want 0.7266 (BG/NBD on CDNOW customer 1)", p)
	}
}

// TestTierEntryWithWhen: "announce the tier when the customer reaches it"
// with the tier computed by segment's loyalty rules (points rounded down
// per order), so the threshold and the tier can never disagree: 99.90 +
// 100.50 gives 199 points, no silver yet; the next order crosses it.
func TestTierEntryWithWhen(t *testing.T) {
	cfg, err := segment.ParseConfig([]byte(`{"loyalty": {"points_per_unit": 1, "tiers": [{"name": "silver", "points": 200}, {"name": "gold", "points": 500}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := Compile([]Scenario{{
		ID:      "silver",
		Trigger: Trigger{When: `facts().loyalty.tier == "silver"`},
		Reentry: Reentry{Mode: Once},
		Steps: []Step{{ID: "hello", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "welcome-silver",
			Vars: map[string]string{"points": `facts().loyalty.points`}}}},
	}}, WithSegments(cfg))
	if err != nil {
		t.Fatal(err)
	}
	order := func(id, day string, amount float64) parcours.Event {
		return parcours.Event{ID: id, Type: parcours.Order, Time: dayAt(day), Props: map[string]any{"amount": amount}}
	}
	tl := parcours.Timeline{
		Profile: parcours.Profile{ID: "k", Consent: map[parcours.Channel]bool{parcours.Email: true}},
		Events:  []parcours.Event{order("o1", "2026-02-01", 99.90), order("o2", "2026-03-01", 100.50)},
	}
	if res := eng.Evaluate(tl, dayAt("2026-03-10")); len(res.Due)+len(res.Errors) != 0 {
		t.Fatalf("199 points: due %v errors %v", res.Due, res.Errors)
	}
	tl.Events = append(tl.Events, order("o3", "2026-03-12", 5))
	res := eng.Evaluate(tl, dayAt("2026-03-12"))
	if len(res.Due) != 1 || res.Due[0].Vars["points"] != 204.0 || !res.Due[0].DueAt.Equal(dayAt("2026-03-12")) {
		t.Fatalf("due %+v errors %v, want the silver mail at the third order with 204 points", res.Due, res.Errors)
	}
}

func dayAt(s string) time.Time { return day(s).Add(10 * time.Hour) }
