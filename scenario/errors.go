package scenario

import (
	"fmt"
	"strings"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/internal/sandbox"
)

// ErrBudget is wrapped by the *Error of an expression that spent its
// scenario's budget for one evaluation (the limits are in the package
// documentation). The scenario is reported in Result.Errors; the others
// are evaluated as usual. It is the same error as trigger.ErrBudget.
var ErrBudget = sandbox.ErrBudget

// Error is a problem with one scenario: at load (a field that is invalid,
// an expression that does not compile) or at evaluation (an expression
// that failed on this timeline). It names the scenario, the field as a
// path ("steps[2].send.vars.greeting") and, for expressions, the position.
type Error struct {
	Scenario string // scenario ID
	Version  int
	Field    string // path of the field, as in the JSON form
	Line     int    // 1-based line in the expression; 0 if not about a position
	Column   int    // 1-based column (in characters); 0 if not about a position
	Snippet  string // the expression line with a caret under Column, if any
	Run      string // the run, for evaluation errors
	Err      error  // what is wrong
}

// Error formats the problem as `scenario "id" vN: field (line L, column C): what`.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "scenario %q", e.Scenario)
	if e.Version != 0 {
		fmt.Fprintf(&b, " v%d", e.Version)
	}
	if e.Run != "" {
		fmt.Fprintf(&b, " run %s", e.Run)
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, " (line %d, column %d)", e.Line, e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	b.WriteString(e.Snippet)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Errors lists every *Error in err, in order: the problems Compile found
// (which it returns joined), or those of Result.Errors joined with
// errors.Join. A policy's problems are *PolicyError; list them with
// parcours.ErrorsOf[*PolicyError](err).
//
//	_, err := scenario.Compile(scs)
//	for _, e := range scenario.Errors(err) {
//		log.Printf("%s: %s: %v", e.Scenario, e.Field, e.Err)
//	}
func Errors(err error) []*Error { return parcours.ErrorsOf[*Error](err) }

// ParseError is the error shape of every JSON decoding error in parcours.
//
// Deprecated: use *parcours.DecodeError, which it names: errors.As with
// either finds the same error.
type ParseError = parcours.DecodeError
