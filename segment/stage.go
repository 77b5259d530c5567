package segment

import (
	"time"

	"github.com/parcours-dev/parcours"
)

// Stage is a customer's lifecycle stage. It is an alias of string, not a
// defined type, so that expr expressions can compare it with string
// literals (facts.stage == "inactive"); expr refuses to compare a defined
// string type with a string.
type Stage = string

// The four lifecycle stages. Every customer is in exactly one.
const (
	StageProspect Stage = "prospect" // never ordered
	StageNew      Stage = "new"      // exactly one order ever, inside the window
	StageLoyal    Stage = "loyal"    // at least one order inside the window and more than one order ever
	StageInactive Stage = "inactive" // ordered before, but not inside the window
)

// Stages lists the lifecycle stages in the order reports use.
func Stages() []Stage {
	return []Stage{StageProspect, StageNew, StageLoyal, StageInactive}
}

// stageIndex returns the position of st in Stages().
func stageIndex(st Stage) int {
	switch st {
	case StageProspect:
		return 0
	case StageNew:
		return 1
	case StageLoyal:
		return 2
	}
	return 3
}

// lifecycle classifies a customer with orders orders in all (at or before
// now) of which recent fall inside the window. See the package
// documentation for the edge cases.
func lifecycle(orders, recent int) Stage {
	switch {
	case orders == 0:
		return StageProspect
	case recent == 0:
		return StageInactive
	case orders == 1:
		return StageNew
	}
	return StageLoyal
}

// inWindow reports whether t is in the half-open window (start, now], the
// same convention as parcours.Timeline.Count; start is windowStart's.
func inWindow(t, start, now time.Time) bool {
	return t.After(start) && !t.After(now)
}

// windowStart is now minus w by the one day rule (parcours.Duration):
// whole days are calendar days in the customer's zone (UTC when unknown),
// the rest elapsed time. A "182d" window and an "inactivity 182d"
// trigger thus agree to the minute across daylight-saving changes.
func windowStart(now time.Time, w time.Duration, p parcours.Profile) time.Time {
	loc, _ := p.Location()
	return parcours.AddCalendar(now, -w, loc)
}
