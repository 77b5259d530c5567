package parcours

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is the one sentinel for input parcours cannot use. Every such
// error wraps it, whatever the package: a JSON document that does not
// decode (*[DecodeError]), an event property that breaks the rules
// (*[PropError]), and the packages' own kinds of bad input (a trigger
// spec, a segment configuration, a CLV model's parameters, an experiment
// or analysis input), whose older sentinels wrap it too. Test for it with
// errors.Is; get the details with errors.As.
var ErrInvalid = errors.New("parcours: invalid input")

// DecodeError is the one shape of every JSON decoding error in parcours:
// scenario.Parse and ParseAll, scenario.ParsePolicy, trigger.Parse,
// segment.ParseConfig, clv.ParseModel, abtest.ParseExperiment all decode
// strictly (unknown fields, values of the wrong type and data after the
// value are errors) and report each problem as a *DecodeError. When a
// document has several problems, all of them are reported, joined (see
// [ErrorsOf] to list them); the value returned with the error is always
// the zero value, never a partly decoded one.
type DecodeError struct {
	// File is the file the document came from. The parsers read bytes and
	// leave it empty; a host that reads files sets it (see [ErrorsOf]).
	File string

	// Path is the field at fault, as written in the document:
	// "steps[2].send.vars", "loyalty.tiers[0].points", `vars["first name"]`.
	// Empty for the document as a whole (bad syntax, trailing data).
	Path string

	// Line and Column locate the problem in the input, 1-based; Column
	// counts characters. Zero when unknown.
	Line, Column int

	// Err says what is wrong.
	Err error
}

// Error formats the problem as "file:line:col: path: what", leaving out
// what is unknown.
func (e *DecodeError) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Column)
	case e.File != "":
		b.WriteString(e.File + ": ")
	case e.Line > 0:
		fmt.Fprintf(&b, "json line %d, column %d: ", e.Line, e.Column)
	default:
		b.WriteString("json: ")
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns [ErrInvalid] and Err.
func (e *DecodeError) Unwrap() []error { return []error{ErrInvalid, e.Err} }

// ErrorsOf lists every error of type E in err's tree, depth first, in
// order: the problems of a document joined in one error, for instance.
//
//	for _, de := range parcours.ErrorsOf[*parcours.DecodeError](err) {
//		de.File = name
//	}
//
// An E found is not searched further.
func ErrorsOf[E error](err error) []E {
	var out []E
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		if e, ok := err.(E); ok {
			out = append(out, e)
			return
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}
