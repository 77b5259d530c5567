// Package sandbox holds the limits every marketer-written expression in
// parcours runs under, so that scenario and trigger cannot drift apart.
//
// Expressions are one-line rules written by marketers, not programs: a few
// hundred nodes is plenty; the memory budget (in expr's units, roughly one
// per allocated element) stops `1..1e9` and the like; and builtins that
// read the clock or the machine's zone (now, date, timezone) would make
// evaluation impure, while repeat allocates without bound.
package sandbox

import (
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// Limits of the sandbox.
const (
	MaxNodes     = 500
	MemoryBudget = 100_000
)

// Disabled lists the expr builtins no parcours expression may call.
var Disabled = [...]string{"now", "date", "timezone", "repeat"}

// Options returns the compile options of a sandboxed expression over env.
// A predicate must return a bool.
func Options(env any, predicate bool) []expr.Option {
	opts := []expr.Option{expr.Env(env), expr.MaxNodes(MaxNodes)}
	for _, b := range Disabled {
		opts = append(opts, expr.DisableBuiltin(b))
	}
	if predicate {
		opts = append(opts, expr.AsBool())
	}
	return opts
}

// Run runs p on env within the memory budget, on a fresh VM.
func Run(p *vm.Program, env any) (any, error) {
	m := vm.VM{MemoryBudget: MemoryBudget}
	return m.Run(p, env)
}
