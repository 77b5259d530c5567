// Command zoro runs two scenarios of Zoro, a fashion retailer:
//
//   - abandoned cart: an email the same day to every recognised customer who
//     left a cart (free delivery, reassurance), two hours later; an order of
//     that cart cancels it, an order of another cart does not (a catalogue
//     "event" trigger matches carts by ID);
//   - repurchase delay exceeded: when a customer's own usual delay between
//     orders has passed (a catalogue "repurchase" trigger), an email whose
//     content depends on her promo sensitivity (share of orders bought on
//     promotion) and her favourite department, both read from facts()
//     (package segment, measured on the order lines' "department").
//
// It first prints the segment facts the second scenario reads.
//
// Run it from the repository's root:
//
//	go run ./examples/zoro
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
	"github.com/parcours-dev/parcours/segment"
)

//go:embed scenarios.json
var scenariosJSON []byte

//go:embed segments.json
var segmentsJSON []byte

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
	cfg, err := segment.ParseConfig(segmentsJSON)
	if err != nil {
		return err
	}
	eng, err := scenario.Compile(scs, scenario.WithSegments(cfg))
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

	fmt.Fprintf(w, "Zoro: %d scenarios %v, evaluated at %s\n",
		len(scs), eng.Scenarios(), data.Now.Format(time.RFC3339))
	if err := printFacts(w, data.Customers, data.Now, cfg); err != nil {
		return err
	}
	for _, tl := range data.Customers {
		printResult(w, tl.Profile.ID, eng.Evaluate(tl, data.Now))
	}

	return nil
}

func printResult(w io.Writer, id string, res scenario.Result) {
	fmt.Fprintf(w, "\n%s\n", id)
	for _, a := range res.Due {
		fmt.Fprintf(w, "  SEND  %-10s %-20s via %-5s%s%s\n", a.Scenario, a.Template, a.Channel, variant(a.Variant), vars(a.Vars))
		fmt.Fprintf(w, "        because %s\n", strings.Join(a.Reasons, "; "))
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

// printFacts shows, for the customers with a buying rhythm, what the
// repurchase scenario reads: cadence, gap, promo share, favourite.
func printFacts(w io.Writer, tls []parcours.Timeline, now time.Time, cfg segment.Config) error {
	fmt.Fprintf(w, "\n%-6s %6s %8s %5s %7s %6s  %s\n", "", "orders", "cadence", "gap", "overdue", "promo", "favourite")
	for _, tl := range tls {
		f, err := segment.Compute(tl, now, cfg)
		if err != nil {
			return err
		}
		if f.Rhythm.Intervals == 0 {
			continue
		}
		fmt.Fprintf(w, "%-6s %6d %7.1fd %4.0fd %7v %5.0f%%  %s\n", tl.Profile.ID, f.Frequency,
			f.Rhythm.Cadence, f.Rhythm.Gap, f.Rhythm.Overdue, 100*f.PromoShare, f.Favourite)
	}
	return nil
}
