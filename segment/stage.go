package segment

import "time"

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

// inWindow reports whether t is in the half-open window (now-w, now], the
// same convention as parcours.Timeline.Count.
func inWindow(t, now time.Time, w time.Duration) bool {
	return t.After(now.Add(-w)) && !t.After(now)
}
