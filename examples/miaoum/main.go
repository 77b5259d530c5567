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

//go:embed timelines.json
var timelinesJSON []byte

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	ex, err := demo.Load(scenariosJSON, timelinesJSON)
	if err != nil {
		return err
	}
	scs, eng, now, customers := ex.Scenarios, ex.Engine, ex.Now, ex.Customers

	fmt.Fprintf(w, "Mia(ou)m: %d scenarios %v, evaluated at %s\n",
		len(scs), eng.Scenarios(), now.Format(time.RFC3339))
	for _, tl := range customers {
		demo.PrintResult(w, tl.Profile.ID, eng.Evaluate(tl, now))
	}

	// Follow Léa as a host would: send what is due, record it in her
	// timeline, come back at Result.Next. She never opens the pack, so the
	// reminder goes three days later and the scenario ends.
	fmt.Fprintf(w, "\nlea's welcome pack, replayed as the host runs it\n")
	journey(w, eng, customers[0], now)
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
