package segment

import (
	"fmt"
	"iter"
	"time"

	"github.com/parcours-dev/parcours"
)

// Migration is how customers moved between lifecycle stages from one
// instant to another: who became loyal, who lapsed.
type Migration struct {
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Window Duration  `json:"window"` // lifecycle window used at both instants
	// Customers is the number of timelines read.
	Customers int `json:"customers"`
	// Entered counts the customers with no event at or before From
	// (not yet in the base then); they are counted as prospects at From.
	Entered int `json:"entered"`
	// Matrix[i][j] is the number of customers in stage Stages()[i] at
	// From and in stage Stages()[j] at To.
	Matrix [4][4]int `json:"matrix"`
}

// Moved returns the number of customers in stage from at Migration.From
// and in stage to at Migration.To; 0 for unknown stages.
func (m Migration) Moved(from, to Stage) int {
	i, j := stageOf(from), stageOf(to)
	if i < 0 || j < 0 {
		return 0
	}
	return m.Matrix[i][j]
}

// stageOf is stageIndex that reports unknown stages as -1.
func stageOf(st Stage) int {
	for i, s := range Stages() {
		if s == st {
			return i
		}
	}
	return -1
}

// Migrate reads a population once and returns its stage migration from
// from to to. Each timeline is read as tl.At(to), and only event types and
// times are used, so it is much cheaper than [Summarize]. A from after to
// is an [ErrInput] error; equal instants give a diagonal matrix.
func Migrate(customers iter.Seq[parcours.Timeline], from, to time.Time, cfg Config) (Migration, error) {
	s, err := cfg.settings()
	if err != nil {
		return Migration{}, err
	}
	if from.After(to) {
		return Migration{}, fmt.Errorf("%w: migration from %s is after to %s", ErrInput, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	m := Migration{From: from, To: to, Window: Duration(s.window)}
	for tl := range customers {
		tl = canonical(tl, to)
		startTo, startFrom := windowStart(to, s.window, tl.Profile), windowStart(from, s.window, tl.Profile)
		var before, recentBefore, orders, recent int
		entered := true
		for i := range tl.Events {
			e := &tl.Events[i]
			old := !e.Time.After(from)
			if old {
				entered = false
			}
			if e.Type != parcours.Order {
				continue
			}
			orders++
			if e.Time.After(startTo) { // and not after to: the timeline is canonical
				recent++
			}
			if old {
				before++
				if e.Time.After(startFrom) {
					recentBefore++
				}
			}
		}
		m.Customers++
		if entered {
			m.Entered++
		}
		m.Matrix[stageIndex(lifecycle(before, recentBefore))][stageIndex(lifecycle(orders, recent))]++
	}
	return m, nil
}
