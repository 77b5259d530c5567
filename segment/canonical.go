package segment

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
)

// canonical returns tl.At(now), without At's copy when tl already is in
// canonical form: sorted by time then ID, nothing after now, no repeated
// non-empty ID. Hosts usually store timelines that way, and the population
// functions read millions of them.
func canonical(tl parcours.Timeline, now time.Time) parcours.Timeline {
	if isCanonical(tl.Events, now) {
		return tl
	}
	return tl.At(now)
}

// isCanonical checks the form At produces. Repeated IDs are found with a
// 4096-bit filter of ID hashes; only a filter hit costs a scan of the
// earlier events, so the check is linear in practice and never allocates.
func isCanonical(evs []parcours.Event, now time.Time) bool {
	var seen [64]uint64
	for i := range evs {
		e := &evs[i]
		if e.Time.After(now) {
			return false
		}
		if i > 0 {
			p := &evs[i-1]
			if c := p.Time.Compare(e.Time); c > 0 || c == 0 && p.ID > e.ID {
				return false
			}
		}
		if e.ID == "" {
			continue
		}
		h := fnv(e.ID) & 4095
		if seen[h>>6]&(1<<(h&63)) != 0 {
			for j := range i {
				if evs[j].ID == e.ID {
					return false
				}
			}
		}
		seen[h>>6] |= 1 << (h & 63)
	}
	return true
}

// fnv is 64-bit FNV-1a.
func fnv(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
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
