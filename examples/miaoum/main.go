// Command miaoum runs the two activation scenarios of Mia(ou)m, a pet-food
// retailer:
//
//   - a welcome pack when a customer subscribes to the newsletter or creates
//     an account (only once, even when both happen together in store), by
//     email, or by SMS when the customer cannot be reached by email, with
//     content chosen by the preferred species of the profile; if the mail is
//     not opened within three days, "it is not too late to enjoy your welcome
//     offer" follows; an open or a click ends the scenario;
//   - a kibble stock alert 14 days after a kibble order, 21 days when the bag
//     was XL (a catalogue "depletion" trigger), sent by email only: a
//     customer who cannot be reached by email is reported, not texted.
//
// Run it from the repository's root:
//
//	go run ./examples/miaoum
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
	eng, err := scenario.Compile(scs)
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

	fmt.Fprintf(w, "Mia(ou)m: %d scenarios %v, evaluated at %s\n",
		len(scs), eng.Scenarios(), data.Now.Format(time.RFC3339))
	for _, tl := range data.Customers {
		printResult(w, tl.Profile.ID, eng.Evaluate(tl, data.Now))
	}

	// Follow Léa as a host would: send what is due, record it in her
	// timeline, come back at Result.Next. She never opens the pack, so the
	// reminder goes three days later and the scenario ends.
	fmt.Fprintf(w, "\nlea's welcome pack, replayed as the host runs it\n")
	journey(w, eng, data.Customers[0], data.Now)
	return nil
}

// journey sends and records every due action of one customer, then jumps
// to the next instant the engine asks for, until nothing is pending.
func journey(w io.Writer, eng *scenario.Engine, tl parcours.Timeline, at time.Time) {
	for i := 0; i < 10; i++ {
		res := eng.Evaluate(tl, at)
		for n, a := range res.Due {
			fmt.Fprintf(w, "  %s  sent %s via %s\n", at.Format(time.RFC3339), a.Template, a.Channel)
			tl.Events = append(tl.Events, a.SentEvent(fmt.Sprintf("sent-%d-%d", i, n), at))
		}
		if len(res.Due) > 0 {
			continue // evaluate again at the same instant: the sends are recorded
		}
		if res.Next.IsZero() {
			fmt.Fprintf(w, "  %s  nothing pending: journey over\n", at.Format(time.RFC3339))
			return
		}
		at = res.Next
	}
}

// printResult shows one customer's result the way a campaign manager reads
// it: what goes out now, what waits and why, what will never go.
func printResult(w io.Writer, id string, res scenario.Result) {
	fmt.Fprintf(w, "\n%s\n", id)
	for _, a := range res.Due {
		fmt.Fprintf(w, "  SEND  %-9s %-20s via %-5s%s%s\n", a.Scenario, a.Template, a.Channel, variant(a.Variant), vars(a.Vars))
		fmt.Fprintf(w, "        because %s\n", strings.Join(a.Reasons, "; "))
	}
	for _, d := range res.Deferred {
		fmt.Fprintf(w, "  WAIT  %-9s %-20s until %s (%s: %s)\n", d.Action.Scenario, d.Action.Template,
			d.Until.Format(time.RFC3339), d.Code, d.Detail)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(w, "  SKIP  %-9s %-20s%s %s: %s\n", s.Action.Scenario, s.Action.Template, variant(s.Action.Variant), s.Code, s.Detail)
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
