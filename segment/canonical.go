package segment

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
)

// canonical returns the timeline's canonical view at now: it is
// parcours.Timeline.Canonical, which skips the copy when tl already is
// canonical (hosts usually store timelines that way, and the population
// functions read millions of them). Conflicting duplicate IDs are kept by
// the view; segment computes on it and leaves reporting to the caller.
func canonical(tl parcours.Timeline, now time.Time) parcours.Timeline {
	c, _ := tl.Canonical(now)
	return c
}

// isCanonical is parcours.Timeline.IsCanonical on bare events.
func isCanonical(evs []parcours.Event, now time.Time) bool {
	return parcours.Timeline{Events: evs}.IsCanonical(now)
}

// propText renders a property or attribute value as the text facts and
// report groups use: strings as they are, bools as "true"/"false",
// numbers in Go's shortest form ("3", "2.5"), nil as "", anything else
// with fmt's %v.
func propText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	}
	if f, ok := parcours.ToFloat(v); ok {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strings.TrimSpace(fmt.Sprint(v))
}
