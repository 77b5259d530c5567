// Command cigusto runs the automated messages of an e-cigarette retailer that
// sells on the web and in about thirty stores, where one customer is one
// identity across both channels:
//
//   - an invoice by email at once after any purchase (transactional: no
//     marketing consent needed, never blocked by the pressure rule);
//   - a satisfaction survey three days later, naming the store when the
//     purchase was made in store (a catalogue "delay" trigger whose firing
//     keeps the order, read as trigger.props.store);
//   - a birthday message at 10:00 local time (an "anniversary" trigger),
//     which may go up to three days late, so that a week's cap can delay it;
//   - the 90-day lapsed customer, A/B tested: a plain "remember us" reminder
//     (the control) against a 10% promotion, with 10% of customers held out;
//   - the pressure rule "never more than three emails in seven days",
//     a frequency cap of the engine's policy.
//
// It then decides the lapsed-customer test on made-up results, as the
// retailer did: return rate (two-proportion z-test) and profit per customer
// once the discount is paid for (Welch test on profit).
//
//	go run ./examples/cigusto
package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

//go:embed scenarios.json
var scenariosJSON []byte

//go:embed policy.json
var policyJSON []byte

//go:embed timelines.json
var timelinesJSON []byte

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	scs, err := scenario.ParseAll(scenariosJSON)
	if err != nil {
		return err
	}
	pol, err := scenario.ParsePolicy(policyJSON)
	if err != nil {
		return err
	}
	eng, err := scenario.Compile(scs, scenario.WithPolicy(pol))
	if err != nil {
		return err
	}
	var data struct {
		Now       time.Time           `json:"now"`
		Customers []parcours.Timeline `json:"customers"`
	}
	if err := json.Unmarshal(withRunIDs(timelinesJSON), &data); err != nil {
		return err
	}

	fmt.Fprintf(w, "Cigusto: %d scenarios %v, at most 3 emails in 7 days, evaluated at %s\n",
		len(scs), eng.Scenarios(), data.Now.Format(time.RFC3339))
	for _, tl := range data.Customers {
		res := eng.Evaluate(tl, data.Now)
		printResult(w, tl.Profile.ID, res)
		if len(res.Deferred) > 0 && len(res.Due) > 0 {
			later(w, eng, tl, res, data.Now)
		}
	}
	for _, sc := range scs {
		if sc.ID == "lapsed90" && sc.Experiment != nil {
			return decide(w, *sc.Experiment)
		}
	}
	return fmt.Errorf("scenario lapsed90 with its experiment not found")
}

// printResult shows one customer's result the way a campaign manager reads
// it: what goes out now, what waits and why, what will never go.
func printResult(w io.Writer, id string, res scenario.Result) {
	fmt.Fprintf(w, "\n%s\n", id)
	for _, a := range res.Due {
		fmt.Fprintf(w, "  SEND  %-9s %-16s via %-5s%s%s\n", a.Scenario, a.Template, a.Channel, variant(a.Variant), vars(a.Vars))
		fmt.Fprintf(w, "        because %s\n", strings.Join(a.Reasons, "; "))
	}
	for _, d := range res.Deferred {
		fmt.Fprintf(w, "  WAIT  %-9s %-16s until %s (%s: %s)\n", d.Action.Scenario, d.Action.Template,
			d.Until.Format(time.RFC3339), d.Code, d.Detail)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(w, "  SKIP  %-9s %-16s%s %s: %s\n", s.Action.Scenario, s.Action.Template, variant(s.Action.Variant), s.Code, s.Detail)
	}
	for _, err := range res.Errors {
		fmt.Fprintf(w, "  ERROR %v\n", err)
	}
	if len(res.Due)+len(res.Deferred)+len(res.Skipped)+len(res.Errors) == 0 {
		fmt.Fprintln(w, "  nothing to send")
	}
}

// later follows a customer whose marketing the cap deferred: the host sends
// what was due, records it, and comes back at Result.Next.
func later(w io.Writer, eng *scenario.Engine, tl parcours.Timeline, res scenario.Result, now time.Time) {
	for i, a := range res.Due {
		tl.Events = append(tl.Events, a.SentEvent(fmt.Sprintf("sent-%d", i), now))
	}
	fmt.Fprintf(w, "  ... %s, once the oldest email has left the 7-day window:\n", res.Next.Format(time.RFC3339))
	for _, a := range eng.Evaluate(tl, res.Next).Due {
		fmt.Fprintf(w, "  SEND  %-9s %-16s via %s\n", a.Scenario, a.Template, a.Channel)
	}
}

func variant(v string) string {
	if v == "" {
		return ""
	}
	return " [" + v + "]"
}

func vars(m map[string]any) string {
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

// withRunIDs lets the fixture write "@run(scenario,firing)" for the run ID
// of a message it recorded; a real host copies Action.Run instead.
func withRunIDs(b []byte) []byte {
	re := regexp.MustCompile(`@run\(([^,]+),([^)]+)\)`)
	return re.ReplaceAllFunc(b, func(m []byte) []byte {
		sub := re.FindSubmatch(m)
		return []byte(scenario.RunID(string(sub[1]), string(sub[2])))
	})
}
