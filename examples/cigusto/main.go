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
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/examples/internal/demo"
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
	pol, err := scenario.ParsePolicy(policyJSON)
	if err != nil {
		return err
	}
	ex, err := demo.Load(scenariosJSON, timelinesJSON, scenario.WithPolicy(pol))
	if err != nil {
		return err
	}
	scs, eng, now, customers := ex.Scenarios, ex.Engine, ex.Now, ex.Customers

	fmt.Fprintf(w, "Cigusto: %d scenarios %v, at most 3 emails in 7 days, evaluated at %s\n",
		len(scs), eng.Scenarios(), now.Format(time.RFC3339))
	for _, tl := range customers {
		res := eng.Evaluate(tl, now)
		demo.PrintResult(w, tl.Profile.ID, res)
		if len(res.Deferred) > 0 && len(res.Due) > 0 {
			later(w, eng, tl, res, now)
		}
	}
	for _, sc := range scs {
		if sc.ID == "lapsed90" && sc.Experiment != nil {
			if err := decide(w, *sc.Experiment); err != nil {
				return err
			}
			return journeys(w, eng)
		}
	}
	return fmt.Errorf("scenario lapsed90 with its experiment not found")
}

// later follows a customer whose marketing the cap deferred: the host sends
// what was due, records it, and comes back at Result.Next.
func later(w io.Writer, eng *scenario.Engine, tl parcours.Timeline, res scenario.Result, now time.Time) {
	for i, a := range res.Due {
		tl.Events = append(tl.Events, a.SentEvent(fmt.Sprintf("sent-%d", i), now))
	}
	fmt.Fprintln(w, "  ... then, once the oldest email has left the 7-day window:")
	for _, a := range eng.Evaluate(tl, res.Next).Due {
		fmt.Fprintf(w, "  SEND  %-10s %-20s via %s\n", a.Scenario, a.Template, a.Channel)
	}
}
