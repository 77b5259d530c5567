package report

import (
	"time"

	"github.com/parcours-dev/parcours"
)

// canonical returns the one canonical view of tl at now
// (parcours.Timeline.Canonical) and the number of IDs it found shared by
// events of different content.
func canonical(tl parcours.Timeline, now time.Time) (parcours.Timeline, int) {
	c, conflicts := tl.Canonical(now)
	return c, len(conflicts)
}
