// Command quickstart loads scenarios from JSON, evaluates a few fixture
// customers at a fixed instant and prints what is due, what is skipped and
// when to come back.
//
//	go run ./examples/quickstart
package main

import (
	_ "embed"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/parcours-dev/parcours/examples/internal/demo"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/scenariotest"
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
	fx, err := scenariotest.ParseFixture(timelinesJSON)
	if err != nil {
		return err
	}
	now, customers := fx.At[0], fx.Customers

	fmt.Fprintf(w, "%d scenarios %v, evaluated at %s\n", len(scs), eng.Scenarios(), now.Format(time.RFC3339))
	for _, tl := range customers {
		demo.PrintResult(w, tl.Profile.ID, eng.Evaluate(tl, now))
	}
	return nil
}
