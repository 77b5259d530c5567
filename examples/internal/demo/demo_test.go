package demo_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours/examples/internal/demo"
	"github.com/parcours-dev/parcours/scenario"
	_ "github.com/parcours-dev/parcours/scenariotest" // accepts the -update that go test ./examples/... -update passes to every package
)

func TestVars(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   map[string]any
		want string
	}{
		{"nil", nil, ""},
		{"empty", map[string]any{}, ""},
		{"sorted", map[string]any{"species": "cat", "amount": 42.5, "Offer": "CHAT10", "items": 2}, " Offer=CHAT10 amount=42.5 items=2 species=cat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, demo.Vars(tc.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrintResult(t *testing.T) {
	at := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	send := scenario.Action{Scenario: "lapsed90", Key: "k0123456789abcdef", Template: "lapsed-promo", Channel: "email", Variant: "promo",
		Vars: map[string]any{"discount": 10, "last_store": "Rennes Gare"}, Reasons: []string{"trigger: no order for 90d", "branch where: true"}}
	for _, tc := range []struct {
		name string
		res  scenario.Result
		want string
	}{
		{"nothing", scenario.Result{}, `
omar
  nothing to send
`},
		{"nothing yet", scenario.Result{Next: at}, `
yann
  nothing to send
  look again at 2026-11-24T08:00:00Z
`},
		{"everything", scenario.Result{
			Due:      []scenario.Action{send},
			Deferred: []scenario.Deferred{{Action: scenario.Action{Scenario: "birthday", Template: "birthday"}, Code: "cap", Detail: "cap of 3 [email] in 7d reached", Until: at}},
			Skipped:  []scenario.Skipped{{Action: scenario.Action{Scenario: "lapsed90", Template: "lapsed-reminder", Variant: "holdout"}, Code: scenario.SkipExperimentHoldout, Detail: "in the holdout"}},
			Errors:   []error{errors.New("scenario x: boom")},
			Next:     at,
		}, `
zoe
  SEND  lapsed90   lapsed-promo         via email [promo] discount=10 last_store=Rennes Gare
        key k01234567, because trigger: no order for 90d; branch where: true
  WAIT  birthday   birthday             until 2026-11-24T08:00:00Z (cap: cap of 3 [email] in 7d reached)
  SKIP  lapsed90   lapsed-reminder      [holdout] experiment_holdout: in the holdout
  ERROR scenario x: boom
  look again at 2026-11-24T08:00:00Z
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			customer := strings.SplitN(tc.want, "\n", 3)[1]
			demo.PrintResult(&b, customer, tc.res)
			if diff := cmp.Diff(tc.want, b.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
