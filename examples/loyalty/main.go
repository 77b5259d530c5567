// Command loyalty runs the loyalty programme of a retailer as Kiss The
// Bride describes it: the rules are data (1 EUR = 1 point, silver at 200
// points, gold at 500, in loyalty.json, package segment), a threshold
// trigger fires at the order whose points reach a tier, and the scenario
// announces the tier with the balance read from facts().loyalty.
//
// The tiers live twice, in loyalty.json and as the thresholds of the
// scenarios, so run checks at load that they agree. Points are fractional
// ("fractional": true) so that facts().loyalty.points equals the threshold
// trigger's running total of amounts: with whole points per order (the
// default), 99.90 + 100.50 EUR make 199 points while the trigger's total
// reaches 200.40, and silver would be announced one order early. Each
// scenario's targeting also requires the tier in facts().loyalty.
//
// A global control group (10% of customers, policy.json) receives no
// marketing at all, so the programme's incremental effect can be measured by
// comparing them with the animated members; the example prints who is held
// out.
//
// Run it from the repository's root:
//
//	go run ./examples/loyalty
package main

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/abtest"
	"github.com/parcours-dev/parcours/examples/internal/demo"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/segment"
)

//go:embed scenarios.json
var scenariosJSON []byte

//go:embed policy.json
var policyJSON []byte

//go:embed loyalty.json
var loyaltyJSON []byte

//go:embed timelines.json
var timelinesJSON []byte

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	pol, err := scenario.ParsePolicy(policyJSON)
	if err != nil {
		return err
	}
	cfg, err := segment.ParseConfig(loyaltyJSON)
	if err != nil {
		return err
	}
	ex, err := demo.Load(scenariosJSON, timelinesJSON, scenario.WithPolicy(pol), scenario.WithSegments(cfg))
	if err != nil {
		return err
	}
	scs, eng, now, customers := ex.Scenarios, ex.Engine, ex.Now, ex.Customers
	if err := checkTiers(scs, cfg); err != nil {
		return err
	}

	fmt.Fprintf(w, "Loyalty programme on %s: 1 EUR = %g point, tiers", now.Format("2006-01-02"), cfg.Loyalty.PointsPerUnit)
	for _, t := range cfg.Loyalty.Tiers {
		fmt.Fprintf(w, " %s=%g", t.Name, t.Points)
	}
	cg := pol.ControlGroup
	fmt.Fprintf(w, ", control group %.0f%%\n\n", 100*cg.Share)

	fmt.Fprintf(w, "%-8s %7s  %-7s %-14s %s\n", "member", "points", "tier", "next", "group")
	for _, tl := range customers {
		f, err := segment.Compute(tl, now, cfg)
		if err != nil {
			return err
		}
		l := f.Loyalty
		next := "-"
		if l.NextTier != "" {
			next = fmt.Sprintf("%s in %g", l.NextTier, l.PointsToNextTier)
		}
		group := "animated"
		if abtest.InGroup(cg.Salt, tl.Profile.ID, cg.Share) {
			group = "CONTROL"
		}
		fmt.Fprintf(w, "%-8s %7.1f  %-7s %-14s %s\n", tl.Profile.ID, l.Points, or(l.Tier, "-"), next, group)
	}

	fmt.Fprintln(w, "\nmessages")
	var held []string
	for _, tl := range customers {
		res := eng.Evaluate(tl, now)
		for _, a := range res.Due {
			fmt.Fprintf(w, "  SEND  %-8s %-12s %-13s via %-5s%s\n", tl.Profile.ID, a.Scenario, a.Template, a.Channel, demo.Vars(a.Vars))
		}
		for _, s := range res.Skipped {
			fmt.Fprintf(w, "  SKIP  %-8s %-12s %-13s %s: %s\n", tl.Profile.ID, s.Action.Scenario, s.Action.Template, s.Code, s.Detail)
			if s.Code == scenario.SkipControlGroup {
				held = append(held, tl.Profile.ID)
			}
		}
		if len(res.Errors) > 0 {
			return res.Errors[0]
		}
	}
	fmt.Fprintf(w, "\nheld out today (control group, no marketing): %s\n", strings.Join(held, ", "))
	fmt.Fprintln(w, "compare their purchase frequency and spend with the animated members to measure the programme's incremental effect")
	return nil
}

// checkTiers makes sure every tier of the loyalty rules is announced by a
// threshold scenario on order amounts at the programme's rate, and that no
// threshold announces a tier that does not exist.
func checkTiers(scs []scenario.Scenario, cfg segment.Config) error {
	if cfg.Loyalty == nil {
		return fmt.Errorf("loyalty.json: no loyalty rules")
	}
	announced := map[float64]string{}
	for _, sc := range scs {
		th := sc.Trigger.Threshold
		if th == nil {
			continue
		}
		if th.Property != parcours.PropAmount || th.Rate != cfg.Loyalty.PointsPerUnit || th.Every {
			return fmt.Errorf("scenario %s: threshold must count %q at %g points per unit, once", sc.ID, parcours.PropAmount, cfg.Loyalty.PointsPerUnit)
		}
		announced[th.Value] = sc.ID
	}
	for _, t := range cfg.Loyalty.Tiers {
		if _, ok := announced[t.Points]; !ok {
			return fmt.Errorf("tier %s at %g points has no threshold scenario", t.Name, t.Points)
		}
		delete(announced, t.Points)
	}
	extra := make([]string, 0, len(announced))
	for v, id := range announced {
		extra = append(extra, fmt.Sprintf("scenario %s: threshold %g is no tier", id, v))
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return errors.New(strings.Join(extra, "; "))
	}
	return nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
