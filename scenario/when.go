package scenario

import (
	"fmt"
	"time"

	"github.com/parcours-dev/parcours"
)

// whenStep is the grid a When trigger's instant is found on. Searching a
// grid anchored at the last event, rather than bisecting down to now, makes
// the instant (and so the run ID) the same at every evaluation.
const whenStep = time.Minute

// whenFirings finds the instants a When condition became true. Between two
// events the timeline does not change, so the condition can only change
// with the passing of time; it is assumed to change at most once there
// (true of "no order for 90 days" and of most rules on time since an
// event). The first true instant is found by binary search on a one-minute
// grid from the earlier event.
func (ev *evaluation) whenFirings(cs *compiled) ([]firing, *fieldErr) {
	evs := ev.tl.Events
	var out []firing
	active := false
	test := func(pos int, at time.Time) (bool, *fieldErr) {
		ok, err := ev.test(cs.when, evs[:pos], at, parcours.Event{}, nil)
		if err != nil {
			return false, &fieldErr{cs.when.field, fmt.Errorf("at %s: %w", at.UTC().Format(time.RFC3339), err)}
		}
		return ok, nil
	}
	fire := func(pos int, at time.Time) {
		out = append(out, firing{at: at, key: "w:" + at.UTC().Format(time.RFC3339Nano), pos: pos,
			reason: fmt.Sprintf("condition held at %s", at.UTC().Format(time.RFC3339))})
	}
	for i := 0; i < len(evs); {
		// Group the events of one instant: the timeline changes once.
		j := i + 1
		for j < len(evs) && evs[j].Time.Equal(evs[i].Time) {
			j++
		}
		start := evs[i].Time
		end := ev.now
		if j < len(evs) {
			end = evs[j].Time.Add(-1)
		}
		v0, err := test(j, start)
		if err != nil {
			return nil, err
		}
		switch {
		case v0 && !active:
			fire(j, start)
			active = true
		case !v0:
			active = false
		}
		if end.After(start) {
			v1, err := test(j, end)
			if err != nil {
				return nil, err
			}
			if !v0 && v1 {
				// Smallest n in [1, last] with the condition true at
				// start + n*whenStep; last+1 stands for "after end".
				last := int(end.Sub(start) / whenStep)
				lo, hi := 1, last+1
				for lo < hi {
					mid := lo + (hi-lo)/2
					ok, err := test(j, start.Add(time.Duration(mid)*whenStep))
					if err != nil {
						return nil, err
					}
					if ok {
						hi = mid
					} else {
						lo = mid + 1
					}
				}
				found := lo
				if found <= last {
					fire(j, start.Add(time.Duration(found)*whenStep))
					active = true
				} else {
					// True only past the last grid point: it fires at
					// the next one, unless an event comes first.
					ev.later(start.Add(time.Duration(found) * whenStep))
				}
			}
			if v0 && !v1 {
				active = false
			}
		}
		i = j
	}
	return out, nil
}
