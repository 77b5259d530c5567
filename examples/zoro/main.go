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
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/examples/internal/demo"
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
	cfg, err := segment.ParseConfig(segmentsJSON)
	if err != nil {
		return err
	}
	ex, err := demo.Load(scenariosJSON, timelinesJSON, scenario.WithSegments(cfg))
	if err != nil {
		return err
	}
	scs, eng, now, customers := ex.Scenarios, ex.Engine, ex.Now, ex.Customers

	fmt.Fprintf(w, "Zoro: %d scenarios %v, evaluated at %s\n",
		len(scs), eng.Scenarios(), now.Format(time.RFC3339))
	if err := printFacts(w, customers, now, cfg); err != nil {
		return err
	}
	for _, tl := range customers {
		demo.PrintResult(w, tl.Profile.ID, eng.Evaluate(tl, now))
	}

	return nil
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
