// Command lifecycle shows SPREAD's lifecycle segmentation on a generated
// shop of 200 customers: every customer is a prospect (never ordered), new
// (first order within the six-month window), loyal (more than one order,
// one of them within the window) or inactive (no order within the window).
//
// It prints what a marketer steers by, recomputed daily: customers and
// shares per stage and per RFM segment, the KPIs, the RFM quintile cuts and
// how customers moved between stages over the last 90 days. Then it runs one
// scenario per stage, each targeted with facts().stage, and an
// abandoned-cart scenario whose first-order coupon goes to prospects only,
// and checks that no loyal customer was insulted with a prospect-only offer.
//
// The win-back of inactive customers fires 183 days after the last order,
// not 182: trigger delays count calendar days in the customer's zone, while
// the lifecycle window is elapsed time, so after a winter order the 182nd
// calendar day of summer comes an hour before the window has passed; the
// targeting would then still see a customer who is not inactive yet, and
// the lapse, which fires once, would be lost.
//
// The population is generated with math/rand/v2 from a fixed seed, so the
// figures are the same on every run. Run it from the repository's root:
//
//	go run ./examples/lifecycle
package main

import (
	_ "embed"
	"fmt"
	"io"
	"log"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/segment"
)

//go:embed scenarios.json
var scenariosJSON []byte

//go:embed segments.json
var segmentsJSON []byte

// The simulated day, the population and its seed.
var (
	now  = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	size = 200
	seed = uint64(2026)
)

// prospectOnly are the templates that must never reach a customer who
// already ordered.
var prospectOnly = map[string]bool{"first-order-10pct": true, "cart-first-order-coupon": true}

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	cfg, err := segment.ParseConfig(segmentsJSON)
	if err != nil {
		return err
	}
	pop := population(size, now, seed)

	// The daily snapshot: RFM cuts first, so that facts().rfm is scored
	// against this population in scenarios too.
	th, err := segment.Thresholds(slices.Values(pop), now, cfg)
	if err != nil {
		return err
	}
	cfg.Thresholds = &th
	sum, err := segment.Summarize(slices.Values(pop), now, cfg)
	if err != nil {
		return err
	}
	printSummary(w, sum)

	from := now.Add(-90 * 24 * time.Hour)
	mig, err := segment.Migrate(slices.Values(pop), from, now, cfg)
	if err != nil {
		return err
	}
	printMigration(w, mig)

	scs, err := scenario.ParseAll(scenariosJSON)
	if err != nil {
		return err
	}
	eng, err := scenario.Compile(scs, scenario.WithSegments(cfg))
	if err != nil {
		return err
	}
	return runScenarios(w, eng, pop, cfg)
}

func printSummary(w io.Writer, s segment.Summary) {
	fmt.Fprintf(w, "%d customers on %s, lifecycle window %s\n", s.All.Customers, s.At.Format("2006-01-02"), s.Window)
	fmt.Fprintln(w, "\nlifecycle stage")
	for _, c := range s.All.Stages {
		fmt.Fprintf(w, "  %-9s %4d  %5.1f%%  %s\n", c.Name, c.Customers, 100*c.Share, strings.Repeat("#", c.Customers/4))
	}
	fmt.Fprintln(w, "\nRFM segment (prospects are in none)")
	for _, c := range s.All.Segments {
		if c.Customers > 0 {
			fmt.Fprintf(w, "  %-18s %4d  %5.1f%%\n", c.Name, c.Customers, 100*c.Share)
		}
	}
	t := s.Thresholds
	fmt.Fprintf(w, "\nRFM quintile cuts over %d buyers\n", t.Customers)
	fmt.Fprintf(w, "  recency (days)  %v\n  frequency       %v\n  monetary (EUR)  %v\n",
		round(t.Recency[:]), round(t.Frequency[:]), round(t.Monetary[:]))
	k := s.All.KPIs
	fmt.Fprintf(w, "\nKPIs over the last %s\n", s.KPIPeriod)
	fmt.Fprintf(w, "  active customers   %d of %d buyers (%.1f%%)\n", k.Active, k.Buyers, 100*k.ActiveRate)
	fmt.Fprintf(w, "  orders             %d by %d customers, %.2f each\n", k.Orders, k.PeriodBuyers, k.PurchaseFrequency)
	fmt.Fprintf(w, "  revenue            %.2f EUR, average basket %.2f EUR, %.2f EUR a year per buyer\n", k.Revenue, k.AverageBasket, k.AnnualSpend)
	fmt.Fprintf(w, "  email open rate    %.1f%% (%d opens / %d sent)\n", 100*k.EmailOpenRate, k.EmailsOpened, k.EmailsSent)
}

func round(v []float64) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = fmt.Sprintf("%.1f", x)
	}
	return out
}

func printMigration(w io.Writer, m segment.Migration) {
	fmt.Fprintf(w, "\nstage migration %s -> %s (%d joined since, counted as prospects then)\n",
		m.From.Format("2006-01-02"), m.To.Format("2006-01-02"), m.Entered)
	st := segment.Stages()
	fmt.Fprintf(w, "  %-12s", "from \\ to")
	for _, s := range st {
		fmt.Fprintf(w, " %9s", s)
	}
	fmt.Fprintln(w)
	for i, a := range st {
		fmt.Fprintf(w, "  %-12s", a)
		for j := range st {
			fmt.Fprintf(w, " %9d", m.Matrix[i][j])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  became loyal: %d new, %d came back from inactive; lapsed: %d loyal, %d new\n",
		m.Moved(segment.StageNew, segment.StageLoyal), m.Moved(segment.StageInactive, segment.StageLoyal),
		m.Moved(segment.StageLoyal, segment.StageInactive), m.Moved(segment.StageNew, segment.StageInactive))
}

// runScenarios evaluates every customer once, tallies what goes out, and
// checks the promise of the action plan: prospect-only offers reach
// prospects only.
func runScenarios(w io.Writer, eng *scenario.Engine, pop []parcours.Timeline, cfg segment.Config) error {
	type key struct{ scenario, template, outcome string }
	tally := map[key][]string{}
	insults := 0
	for _, tl := range pop {
		res := eng.Evaluate(tl, now)
		if len(res.Errors) > 0 {
			return res.Errors[0]
		}
		for _, a := range res.Due {
			k := key{a.Scenario, a.Template, "due"}
			tally[k] = append(tally[k], tl.Profile.ID)
			if prospectOnly[a.Template] {
				f, err := segment.Compute(tl, now, cfg)
				if err != nil {
					return err
				}
				if f.Stage != segment.StageProspect {
					insults++
				}
			}
		}
		for _, s := range res.Skipped {
			k := key{s.Action.Scenario, s.Action.Template, string(s.Code)}
			tally[k] = append(tally[k], tl.Profile.ID)
		}
	}
	keys := make([]key, 0, len(tally))
	for k := range tally {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.scenario != b.scenario {
			return a.scenario < b.scenario
		}
		if a.template != b.template {
			return a.template < b.template
		}
		return a.outcome < b.outcome
	})
	fmt.Fprintf(w, "\naction plan, evaluated on %s\n", now.Format(time.RFC3339))
	fmt.Fprintln(w, "  (late: fell due more than max_lateness ago, before this engine ran; not sent)")
	for _, k := range keys {
		ids := tally[k]
		fmt.Fprintf(w, "  %-20s %-25s %-5s %3d  %s\n", k.scenario, k.template, k.outcome, len(ids), sample(ids))
	}
	fmt.Fprintf(w, "\nprospect-only offers sent to customers who already ordered: %d\n", insults)
	if insults > 0 {
		return fmt.Errorf("%d prospect-only offers reached buyers", insults)
	}
	return nil
}

// sample lists the first few customer IDs, for a look at their timelines.
func sample(ids []string) string {
	if len(ids) > 4 {
		return strings.Join(ids[:4], " ") + " ..."
	}
	return strings.Join(ids, " ")
}
