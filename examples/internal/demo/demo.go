// Package demo is the shared presentation of the example programs under
// examples/: printing what the engine decided for a customer the way a
// campaign manager reads it. It is not part of parcours' API; a real host
// reports results its own way. The examples read their fixture timelines
// with package scenariotest.
package demo

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/scenariotest"
)

// Example is what an example program starts from: its scenarios, the
// Engine compiled from them, and the customers of its fixture at the
// fixture's first instant.
type Example struct {
	Scenarios []scenario.Scenario
	Engine    *scenario.Engine
	Now       time.Time
	Customers []parcours.Timeline
}

// Load reads an example's scenarios (scenario.ParseAll), compiles them
// with opts and reads its fixture (scenariotest.ParseFixture), as every
// example begins. The quickstart spells these steps out instead: it is
// the one a newcomer reads.
func Load(scenariosJSON, timelinesJSON []byte, opts ...scenario.Option) (Example, error) {
	scs, err := scenario.ParseAll(scenariosJSON)
	if err != nil {
		return Example{}, err
	}
	eng, err := scenario.Compile(scs, opts...)
	if err != nil {
		return Example{}, err
	}
	fx, err := scenariotest.ParseFixture(timelinesJSON)
	if err != nil {
		return Example{}, err
	}
	return Example{Scenarios: scs, Engine: eng, Now: fx.At[0], Customers: fx.Customers}, nil
}

// short abbreviates an idempotency key for reading; hosts keep it whole.
func short(key string) string {
	if len(key) > 9 {
		return key[:9]
	}
	return key
}

// PrintResult shows one customer's result the way a campaign manager reads
// it, under a line naming the customer: what goes out now, with its
// idempotency key and why (SEND),
// what a policy postponed and until when (WAIT), what will not go and why
// (SKIP), the evaluation errors (ERROR), "nothing to send" when there is
// none of these, and when to look at the customer again if something is
// pending.
func PrintResult(w io.Writer, customer string, res scenario.Result) {
	fmt.Fprintf(w, "\n%s\n", customer)
	for _, a := range res.Due {
		fmt.Fprintf(w, "  SEND  %-10s %-20s via %-5s%s%s\n", a.Scenario, a.Template, a.Channel, variant(a.Variant), Vars(a.Vars))
		fmt.Fprintf(w, "        key %s, because %s\n", short(a.Key), strings.Join(a.Reasons, "; "))
	}
	for _, d := range res.Deferred {
		fmt.Fprintf(w, "  WAIT  %-10s %-20s until %s (%s: %s)\n", d.Action.Scenario, d.Action.Template,
			d.Until.Format(time.RFC3339), d.Code, d.Detail)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(w, "  SKIP  %-10s %-20s%s %s: %s\n", s.Action.Scenario, s.Action.Template, variant(s.Action.Variant), s.Code, s.Detail)
	}
	for _, err := range res.Errors {
		fmt.Fprintf(w, "  ERROR %v\n", err)
	}
	if len(res.Due)+len(res.Deferred)+len(res.Skipped)+len(res.Errors) == 0 {
		fmt.Fprintln(w, "  nothing to send")
	}
	if !res.Next.IsZero() {
		fmt.Fprintf(w, "  look again at %s\n", res.Next.Format(time.RFC3339))
	}
}

// Vars formats an action's personalisation variables as " key=value" for
// each, keys in ascending order, so that output is the same on every run;
// it returns "" for none.
func Vars(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, m[k])
	}
	return b.String()
}

// variant formats an experiment variant as " [name]", or "" for none.
func variant(v string) string {
	if v == "" {
		return ""
	}
	return " [" + v + "]"
}
