package segment

import (
	"slices"

	"github.com/parcours-dev/parcours"
)

// EventTypes lists, sorted, the event types [Compute] reads with c. Any
// event of these types may change the facts, however old, and events of
// other types never do: Compute on a timeline holding only these types
// gives the same Facts. A host that loads a slice of a long history
// (scenario.Engine.Reads) loads these types in full for facts().
func (c Config) EventTypes() []string {
	ts := []string{parcours.Order, parcours.MessageSent, parcours.MessageOpened, parcours.MessageClicked}
	if r := c.Loyalty; r != nil {
		visits := r.VisitEvents
		if len(visits) == 0 {
			visits = []string{parcours.StoreVisit}
		}
		redeem, bonus := r.events()
		ts = append(append(ts, visits...), redeem, bonus)
	}
	slices.Sort(ts)
	return slices.Compact(ts)
}
