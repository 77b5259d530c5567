// Command quickstart loads scenarios from JSON, evaluates a few fixture
// customers at a fixed instant and prints what is due, what is skipped and
// when to come back.
//
//	go run ./examples/quickstart
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

	fmt.Fprintf(w, "%d scenarios %v, evaluated at %s\n", len(scs), eng.Scenarios(), data.Now.Format(time.RFC3339))
	for _, tl := range data.Customers {
		res := eng.Evaluate(tl, data.Now)
		fmt.Fprintf(w, "\n%s\n", tl.Profile.ID)
		for _, a := range res.Due {
			fmt.Fprintf(w, "  SEND  %-8s %-22s via %-5s key=%s%s\n", a.Scenario, a.Template, a.Channel, a.Key[:9], vars(a.Vars))
			fmt.Fprintf(w, "        because %s\n", strings.Join(a.Reasons, "; "))
		}
		for _, s := range res.Skipped {
			fmt.Fprintf(w, "  SKIP  %-8s %-22s %s: %s\n", s.Action.Scenario, s.Action.Template, s.Code, s.Detail)
		}
		for _, err := range res.Errors {
			fmt.Fprintf(w, "  ERROR %v\n", err)
		}
		if !res.Next.IsZero() {
			fmt.Fprintf(w, "  next check %s\n", res.Next.Format(time.RFC3339))
		}
		if len(res.Due)+len(res.Skipped)+len(res.Errors) == 0 && res.Next.IsZero() {
			fmt.Fprintln(w, "  nothing to do")
		}
	}
	return nil
}

func vars(m map[string]any) string {
	if len(m) == 0 {
		return ""
	}
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
	eng := map[string]string{}
	return re.ReplaceAllFunc(b, func(m []byte) []byte {
		sub := re.FindSubmatch(m)
		key := string(sub[1]) + "|" + string(sub[2])
		if id, ok := eng[key]; ok {
			return []byte(id)
		}
		id := scenario.RunID(string(sub[1]), string(sub[2]))
		eng[key] = id
		return []byte(id)
	})
}
