package scenario

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/abtest"
)

// lapsedAB is Cigusto's test: 90-day lapsed customers get a promo code in
// variant "promo", a plain "remember us" mail in "plain", and nothing in
// a 10% holdout.
const lapsedAB = `{
  "id": "lapsed-ab", "version": 1,
  "trigger": {"inactivity": {"types": ["order"], "after": "90d"}},
  "experiment": {"key": "lapsed-90-2026", "variants": ["plain", "promo"], "holdout": 0.1},
  "steps": [
    {"id": "mail", "send": {"channels": ["email"], "template": "remember-us",
      "variants": {"promo": {"channels": ["email"], "template": "remember-us-promo", "vars": {"code": "\"BACK10\""}}}}}
  ]
}`

func TestExperimentVariants(t *testing.T) {
	s, err := Parse([]byte(lapsedAB))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := Compile([]Scenario{s})
	if err != nil {
		t.Fatal(err)
	}
	last := time.Date(2026, 1, 2, 15, 0, 0, 0, time.UTC)
	now := last.Add(91 * 24 * time.Hour)
	count := map[string]int{}
	for i := 0; i < 1000; i++ {
		id := fmt.Sprint("cust-", i)
		tl := parcours.Timeline{
			Profile: parcours.Profile{ID: id, Consent: map[parcours.Channel]bool{parcours.Email: true}},
			Events:  []parcours.Event{{ID: "o", Type: parcours.Order, Time: last, Props: map[string]any{"amount": 20.0}}},
		}
		res := eng.Evaluate(tl, now)
		want, err := s.Experiment.Assign(id)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case want.HeldOut:
			if len(res.Due) != 0 || len(res.Skipped) != 1 || res.Skipped[0].Code != SkipExperimentHoldout || res.Skipped[0].Action.Variant != HoldoutVariant {
				t.Fatalf("%s held out: due %v skipped %v", id, res.Due, res.Skipped)
			}
			count[HoldoutVariant]++
		default:
			if len(res.Due) != 1 {
				t.Fatalf("%s: due %v skipped %v errors %v", id, res.Due, res.Skipped, res.Errors)
			}
			a := res.Due[0]
			wantTemplate := map[string]string{"plain": "remember-us", "promo": "remember-us-promo"}[want.Variant]
			if a.Variant != want.Variant || a.Template != wantTemplate {
				t.Fatalf("%s: variant %q template %q, want %q %q", id, a.Variant, a.Template, want.Variant, wantTemplate)
			}
			if (a.Vars["code"] == "BACK10") != (a.Variant == "promo") {
				t.Fatalf("%s: vars %v for variant %s", id, a.Vars, a.Variant)
			}
			count[a.Variant]++
		}
	}
	// 10% holdout, the rest split evenly: generous bounds for 1000 draws.
	if count[HoldoutVariant] < 70 || count[HoldoutVariant] > 130 || count["plain"] < 400 || count["promo"] < 400 {
		t.Errorf("split %v, want about 100/450/450", count)
	}
}

func TestExperimentErrors(t *testing.T) {
	s, _ := Parse([]byte(lapsedAB))
	s.Steps[0].Send.Variants["gold"] = &Send{Channels: []parcours.Channel{parcours.Email}, Template: "x"}
	if _, err := Compile([]Scenario{s}); err == nil || !strings.Contains(err.Error(), `steps[0].send.variants.gold: unknown variant "gold"`) {
		t.Errorf("unknown variant: %v", err)
	}
	s, _ = Parse([]byte(lapsedAB))
	s.Experiment.Variants = []string{"plain", "holdout"}
	if _, err := Compile([]Scenario{s}); err == nil || !strings.Contains(err.Error(), "reserved") {
		t.Errorf("variant named holdout: %v", err)
	}
	s, _ = Parse([]byte(lapsedAB))
	s.Experiment = &abtest.Experiment{Key: "", Variants: []string{"a"}}
	if _, err := Compile([]Scenario{s}); err == nil || !strings.Contains(err.Error(), "experiment") {
		t.Errorf("invalid experiment: %v", err)
	}
}
