// Command clv shows how Le Slip Français can steer effort by customer
// lifetime value. It generates a cohort of 1,000 customers (math/rand/v2,
// fixed seed), summarises their orders, fits the BG/NBD purchase model and
// the Gamma-Gamma spend model with package clv, and prints the parameters
// and the most valuable customers.
//
// Two scenarios then read the model through clv() in their expressions:
// a win-back for "high value but fading" customers (they spent a lot, the
// model now doubts they are still active) and a new-collection preview for
// the most valuable engaged ones. A suppression policy keeps disengaged
// customers (no open, click or order for 90 days) out of every marketing
// message, as the retailer isolates its least interested customers.
//
// Run it from the repository's root:
//
//	go run ./examples/clv
package main

import (
	_ "embed"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/clv"
	"github.com/parcours-dev/parcours/examples/internal/demo"
	"github.com/parcours-dev/parcours/scenario"
)

//go:embed scenarios.json
var scenariosJSON []byte

//go:embed policy.json
var policyJSON []byte

// The day of the analysis, the cohort and its seed, the value settings.
var (
	now     = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	size    = 1000
	seed    = uint64(1789)
	horizon = 365 * 24 * time.Hour
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	tls := cohort(size, now, seed)
	model, err := fit(w, tls)
	if err != nil {
		return err
	}
	if err := top(w, model, tls); err != nil {
		return err
	}

	scs, err := scenario.ParseAll(scenariosJSON)
	if err != nil {
		return err
	}
	pol, err := scenario.ParsePolicy(policyJSON)
	if err != nil {
		return err
	}
	eng, err := scenario.Compile(scs, scenario.WithCLV(model, horizon), scenario.WithPolicy(pol))
	if err != nil {
		return err
	}
	return campaign(w, eng, tls)
}

// fit summarises the cohort up to now and fits both models.
func fit(w io.Writer, tls []parcours.Timeline) (clv.Model, error) {
	cs, err := clv.Summarize(tls, clv.Period{CalibrationEnd: now})
	if err != nil {
		return clv.Model{}, err
	}
	repeaters, repeats := 0, 0
	for _, c := range cs {
		if c.X > 0 {
			repeaters++
			repeats += c.X
		}
	}
	fmt.Fprintf(w, "cohort: %d customers, %d came back (%d repeat purchase days), summarised in weeks up to %s\n",
		len(cs), repeaters, repeats, now.Format("2006-01-02"))

	purchases, err := clv.Fit(clv.BGNBD, cs)
	if err != nil {
		return clv.Model{}, err
	}
	printFit(w, "BG/NBD (purchases)", purchases)
	spend, err := clv.Fit(clv.GammaGammaKind, cs)
	if err != nil {
		return clv.Model{}, err
	}
	printFit(w, "Gamma-Gamma (spend)", spend)
	if ind := spend.Independence; ind != nil {
		fmt.Fprintf(w, "  frequency/spend correlation %.3f over %d repeat customers (the model assumes ~0)\n", ind.Correlation, ind.Customers)
	}
	gg, err := spend.GammaGamma()
	if err != nil {
		return clv.Model{}, err
	}
	m := clv.Model{Kind: purchases.Kind, Params: purchases.Params, Spend: &gg, Margin: 0.5, AnnualDiscount: 0.1}
	return m, m.Validate()
}

func printFit(w io.Writer, title string, f clv.FitResult) {
	fmt.Fprintf(w, "\n%s: log-likelihood %.2f, %d customers in %d cells, %s\n", title, f.LogLikelihood, f.Customers, f.Cells, f.Status)
	for i, name := range f.Kind.ParamNames() {
		se := ""
		if i < len(f.StdErrors) {
			se = fmt.Sprintf(" ± %.4f", f.StdErrors[i])
		}
		fmt.Fprintf(w, "  %-6s %10.4f%s\n", name, f.Params[i], se)
	}
	if f.Warning != "" {
		fmt.Fprintf(w, "  warning: %s\n", f.Warning)
	}
}

// top prints the customers with the highest predicted value over the
// horizon, what the retailer allocates more effort to.
func top(w io.Writer, m clv.Model, tls []parcours.Timeline) error {
	type row struct {
		id string
		p  clv.Prediction
	}
	rows := make([]row, 0, len(tls))
	for _, tl := range tls {
		p, err := m.Predict(tl, now, horizon)
		if err != nil {
			return err
		}
		rows = append(rows, row{tl.Profile.ID, p})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].p.Value > rows[j].p.Value })
	fmt.Fprintf(w, "\nmost valuable customers over the next year (margin 50%%, 10%% yearly discount)\n")
	fmt.Fprintf(w, "  %-6s %7s %8s %9s %10s %9s\n", "id", "p_alive", "orders", "basket", "value", "historic")
	for _, r := range rows[:5] {
		fmt.Fprintf(w, "  %-6s %7.2f %8.2f %9.2f %10.2f %9.2f\n", r.id, r.p.PAlive, r.p.ExpectedPurchases, r.p.ExpectedOrderValue, r.p.Value, r.p.HistoricValue)
	}
	return nil
}

// campaign evaluates every customer and tallies what goes out and what the
// suppression policy holds back.
func campaign(w io.Writer, eng *scenario.Engine, tls []parcours.Timeline) error {
	type key struct{ scenario, outcome string }
	tally := map[key][]string{}
	var examples []string
	for _, tl := range tls {
		res := eng.Evaluate(tl, now)
		if len(res.Errors) > 0 {
			return res.Errors[0]
		}
		for _, a := range res.Due {
			k := key{a.Scenario, "due"}
			tally[k] = append(tally[k], tl.Profile.ID)
			if len(tally[k]) <= 2 {
				examples = append(examples, fmt.Sprintf("  %s %s %s%s", tl.Profile.ID, a.Scenario, a.Template, demo.Vars(a.Vars)))
			}
		}
		for _, s := range res.Skipped {
			k := key{s.Action.Scenario, string(s.Code)}
			tally[k] = append(tally[k], tl.Profile.ID)
		}
	}
	keys := make([]key, 0, len(tally))
	for k := range tally {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].scenario != keys[j].scenario {
			return keys[i].scenario < keys[j].scenario
		}
		return keys[i].outcome < keys[j].outcome
	})
	fmt.Fprintf(w, "\ncampaign on %s\n", now.Format(time.RFC3339))
	for _, k := range keys {
		ids := tally[k]
		fmt.Fprintf(w, "  %-20s %-10s %4d  %s\n", k.scenario, k.outcome, len(ids), sample(ids))
	}
	fmt.Fprintln(w, "\nfirst messages, with what the model says")
	sort.Strings(examples)
	for _, e := range examples {
		fmt.Fprintln(w, e)
	}
	return nil
}

func sample(ids []string) string {
	if len(ids) > 4 {
		return strings.Join(ids[:4], " ") + " ..."
	}
	return strings.Join(ids, " ")
}
