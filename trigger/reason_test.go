package trigger

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// TestReasonsAsFmtWroteThem: the reasons written with strconv and
// AppendFormat (one allocation each) are the text fmt.Sprintf wrote,
// for awkward numbers and zones too.
func TestReasonsAsFmtWroteThem(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	at := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC) // 01:30 or 02:30 local: the DST night
	e := parcours.Event{ID: "e1", Type: "order", Time: at}
	for _, types := range []typeSet{{"order"}, {"order", "store_visit"}} {
		for _, after := range []time.Duration{time.Hour, 90 * 24 * time.Hour, 36*time.Hour + 90*time.Second} {
			for _, loc := range []*time.Location{time.UTC, paris} {
				in := inactivityTrigger{types: types, after: after}
				want := fmt.Sprintf("no %s for %s since %s", strings.Join(types, "/"), parcours.Duration(after), at.In(loc).Format(time.DateOnly))
				if got := in.reason(e, loc); got != want {
					t.Errorf("inactivity reason %q, want %q", got, want)
				}
				for _, factor := range []float64{1, 1.5, 0.3333333333333333, 100, 1e-7} {
					rp := repurchaseTrigger{types: types, factor: factor}
					want := fmt.Sprintf("no %s since %s, usual interval %s x %v", strings.Join(types, "/"), at.In(loc).Format(time.DateOnly), parcours.Duration(after.Round(time.Hour)), factor)
					if got := rp.reason(e, loc, after); got != want {
						t.Errorf("repurchase reason %q, want %q", got, want)
					}
				}
			}
			d := delayTrigger{after: after}
			f := Firing{Key: "e1", Event: e}
			if got, want := d.reason(f), parcours.Duration(after).String()+" after order e1"; got != want {
				t.Errorf("delay reason %q, want %q", got, want)
			}
		}
	}
	for _, x := range []float64{0, 1, 99.99, 100, 1e21, 123456789.125, math.SmallestNonzeroFloat64, 0.1 + 0.2} {
		want := fmt.Sprintf("running total %s reached %s", num(x), num(2*x))
		if got := reachedReason(x, 2*x); got != want {
			t.Errorf("threshold reason %q, want %q", got, want)
		}
	}
}
