// Package sandbox holds the limits every marketer-written expression in
// parcours runs under, so that scenario and trigger cannot drift apart.
//
// Expressions are one-line rules written by marketers and stored in a
// database, run inside the retailer's backend: one bad rule must neither
// stop the process (a fatal error, which recover cannot catch) nor stall
// it, nor read the machine. The limits, and why each value:
//
//   - MaxSource (8 KiB) is checked before anything parses the source: the
//     parser recurses once per nesting level, so 800,000 `!` or a million
//     parentheses overflowed the goroutine stack. The longest realistic
//     rule (a list of a few hundred SKUs) is about 3 KiB.
//   - MaxDepth (64) bounds nesting (brackets plus chained unary operators)
//     for a clear error where the parser would recurse deep; rules nest
//     a handful of levels.
//   - MaxNodes (500) bounds the compiled size; a rule is a few dozen nodes.
//   - MemoryBudget (100,000, expr's units: about one per element of a
//     range, array or map a run builds) stops `1..1e9` within one run.
//   - MaxOps (2,000,000) is the work one [Meter] allows: one per run of a
//     program, one per firing and step a host walks (scenario charges
//     them, which bounds the firings of one evaluation), one per
//     iteration of a loop builtin (all, any, filter,
//     map, sum, reduce...), and what each call of a host helper that
//     scans the timeline costs (see [Meter.SetCallCost]). It bounds
//     nested loops over events (200 events nested four deep is 1.6
//     billion iterations) at well under a second of CPU, while leaving
//     room for the legitimate worst case: a condition probed twice per
//     event on a timeline of 100,000 events.
//   - MaxBytes (16 MiB) is the string and array bytes one Meter allows:
//     every string built by +, replace, join, upper, toJSON... and every
//     array built by concat, map, split... is counted; replace and join
//     are checked before they allocate, since one call can ask for a
//     terabyte. Personalization values are a few hundred bytes; 16 MiB
//     holds the JSON of a very long timeline and keeps the peak of one
//     evaluation near 32 MiB.
//   - MaxPatterns (64) bounds the compiled regular expressions a Meter
//     keeps for `matches` with a pattern that is not a constant (one read
//     from the profile): compiled once per evaluation instead of once per
//     event.
//
// Spending MaxOps or MaxBytes is an error wrapping [ErrBudget], returned
// by the run that spent it; the host reports it for the scenario or
// trigger concerned and goes on with the others.
//
// Builtins that read the clock or the machine's zone (now, date,
// timezone) are disabled, and so are the time.Time methods Local, In,
// Location, Zone, ZoneBounds and IsDST: `now.Local()` would make an answer
// depend on the server's TZ. repeat is disabled: one call multiplies.
package sandbox

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser/lexer"
	"github.com/expr-lang/expr/vm"
)

// Limits of the sandbox; see the package documentation for why each.
const (
	MaxSource    = 8 << 10
	MaxDepth     = 64
	MaxNodes     = 500
	MemoryBudget = 100_000
	MaxOps       = 2_000_000
	MaxBytes     = 16 << 20
	MaxPatterns  = 64
)

// ErrBudget is wrapped by the error of a run that spent its Meter's
// operations or bytes.
var ErrBudget = errors.New("evaluation budget spent")

// Disabled lists the expr builtins no parcours expression may call.
var Disabled = [...]string{"now", "date", "timezone", "repeat"}

// zoneMethods are the time.Time methods that read or change the zone a
// time is shown in; times reach expressions in UTC and must stay so.
var zoneMethods = []string{"Local", "In", "Location", "Zone", "ZoneBounds", "IsDST"}

// Hook is embedded (through an unexported alias) in an expression's
// environment struct: it carries the evaluation's Meter to the budget
// functions the sandbox inserts, and shows expressions nothing.
type Hook struct{ m *Meter }

func (h *Hook) meter() *Meter { return h.m }

// Attach makes h carry m.
func Attach(h *Hook, m *Meter) { h.m = m }

type hooked interface{ meter() *Meter }

// Meter is the budget of one evaluation. The zero Meter is ready; it is
// not safe for concurrent use (one per evaluation).
type Meter struct {
	// MaxOps, when positive, replaces the package's MaxOps: for tests
	// that reach the limit without building millions of events.
	MaxOps int64

	ops, bytes int64
	callCost   int64
	patterns   map[string]*regexp.Regexp
}

// Reset starts a new budget. Compiled patterns are kept: they are pure.
func (m *Meter) Reset() { m.ops, m.bytes = 0, 0 }

// SetCallCost sets what each call of a costly host helper (the names
// given to Compile) is charged: the number of events it may scan.
func (m *Meter) SetCallCost(n int) { m.callCost = int64(max(n, 1)) }

// Call charges one call of a costly host helper: the call cost set by
// SetCallCost (at least 1). A host helper that charges itself so (and is
// not named costly to Compile) spares every run that calls it the
// wrapping call the sandbox would insert, and that call's allocation.
func (m *Meter) Call() error { return m.Spend(max(m.callCost, 1)) }

// Ops returns the operations spent since the last Reset.
func (m *Meter) Ops() int64 { return m.ops }

// Spent reports whether the budget is spent: every run would fail.
func (m *Meter) Spent() bool { return m.ops > m.maxOps() || m.bytes > MaxBytes }

func (m *Meter) maxOps() int64 {
	if m.MaxOps > 0 {
		return m.MaxOps
	}
	return MaxOps
}

// Spend charges n operations.
func (m *Meter) Spend(n int64) error {
	m.ops += n
	if max := m.maxOps(); m.ops > max {
		return fmt.Errorf("%w: more than %d operations (loop iterations, helper scans and runs)", ErrBudget, max)
	}
	return nil
}

func (m *Meter) spendBytes(n int64) error {
	m.bytes += n
	if m.bytes > MaxBytes {
		return fmt.Errorf("%w: more than %d bytes of strings and arrays built", ErrBudget, MaxBytes)
	}
	return nil
}

// Run runs p on env with v, charging one operation, within the memory
// budget of one run. env must embed the Hook attached to m, for the
// budget functions to find it.
func (m *Meter) Run(v *vm.VM, p *Program, env any) (any, error) {
	if err := m.Spend(1); err != nil {
		return nil, err
	}
	v.MemoryBudget = MemoryBudget
	out, err := v.Run(p.patched, env)
	if err != nil && strings.Contains(err.Error(), "memory budget exceeded") {
		err = fmt.Errorf("%w: %v", ErrBudget, err)
	}
	return out, err
}

// Compile compiles the expression src against env (a pointer to a struct
// embedding a Hook) within the limits. A predicate must return a bool.
// costly names the host functions of env that scan the timeline: each
// call is charged the Meter's call cost. Errors are *file.Error, with the
// position when there is one.
func Compile(src string, env any, predicate bool, costly ...string) (*Program, error) {
	if err := checkShape(src); err != nil {
		return nil, err
	}
	// Typed against the struct, not the pointer: expr then resolves
	// `event.type` at compile time to a field path loaded in one step,
	// where a pointer's fields are looked up by name, through a lock and
	// a copy of the whole struct, at every run. Runs still get the
	// pointer (the budget functions need it).
	if v := reflect.ValueOf(env); v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
		env = v.Elem().Interface()
	}
	opts := []expr.Option{expr.Env(env), expr.MaxNodes(MaxNodes)}
	for _, b := range Disabled {
		opts = append(opts, expr.DisableBuiltin(b))
	}
	if predicate {
		opts = append(opts, expr.AsBool())
	}
	// Checked first as written, so that errors are expr's own, about
	// the marketer's text; then compiled with the budget patched in.
	written, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, err
	}
	p := &patcher{costly: costly}
	opts = append(opts, expr.Patch(p), expr.MaxNodes(0))
	opts = append(opts, functions...)
	patched, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, err
	}
	if p.err != nil {
		return nil, p.err.Bind(file.NewSource(src))
	}
	return &Program{Program: written, patched: patched}, nil
}

// Program is a compiled expression. Its embedded *vm.Program is the
// expression as written, for static analysis (Node); what runs is the
// same program with the budget calls patched in.
type Program struct {
	*vm.Program
	patched *vm.Program
}

// checkShape refuses sources too long or too deeply nested to parse
// safely, before the parser (which recurses per level) sees them.
func checkShape(src string) error {
	if len(src) > MaxSource {
		return &file.Error{Message: fmt.Sprintf("expression is %d bytes long, more than the limit of %d", len(src), MaxSource)}
	}
	toks, err := lexer.Lex(file.NewSource(src))
	if err != nil {
		return nil // the parser reports it, with its position
	}
	// depth counts open brackets and, within each, the unary operators
	// chained before an operand (`!!!x`, `- -x`): both make the parser
	// recurse.
	var stack []int
	depth, chain := 0, 0
	operand := true // an operand is expected: an operator here is unary
	for _, t := range toks {
		switch {
		case t.Kind == lexer.Bracket && strings.Contains("([{", t.Value):
			stack = append(stack, chain+1)
			depth += chain + 1
			chain, operand = 0, true
		case t.Kind == lexer.Bracket:
			if n := len(stack); n > 0 {
				depth -= stack[n-1]
				stack = stack[:n-1]
			}
			chain, operand = 0, false
		case t.Kind == lexer.Operator && operand && slices.Contains([]string{"!", "not", "-", "+"}, t.Value):
			chain++
		case t.Kind == lexer.Operator:
			chain, operand = 0, true
		default:
			chain, operand = 0, false
		}
		if depth+chain > MaxDepth {
			e := &file.Error{Location: t.Location, Message: fmt.Sprintf("expression nests deeper than %d levels", MaxDepth)}
			return e.Bind(file.NewSource(src))
		}
	}
	return nil
}

// Names of the functions the patcher inserts. A marketer calling them
// gains nothing: they only charge the budget.
const (
	fnTick   = "_sandboxTick"
	fnCost   = "_sandboxCost"
	fnBytes  = "_sandboxBytes"
	fnRepl   = "_sandboxReplace"
	fnJoin   = "_sandboxJoin"
	fnMatch  = "_sandboxMatches"
	fnScan   = "_sandboxScan"
	fnDeep   = "_sandboxDeep"
	envIdent = "$env"
)

// loops are the builtins that run a closure per element.
var loops = []string{"all", "none", "any", "one", "filter", "map", "count", "sum", "find", "findIndex", "findLast", "findLastIndex", "groupBy", "sortBy", "reduce"}

// builders are the builtins whose result is a new string or array.
var builders = []string{"string", "trim", "trimPrefix", "trimSuffix", "upper", "lower", "split", "splitAfter", "toJSON", "fromJSON", "toBase64", "fromBase64", "keys", "values", "toPairs", "fromPairs", "reverse", "uniq", "concat", "flatten", "sort", "map", "filter", "groupBy", "sortBy", "take"}

// scanners are the builtins that read their arguments whole without a
// closure: each call is charged what it reads.
var scanners = []string{"sum", "count", "max", "min", "mean", "median", "uniq", "sort", "reverse", "flatten", "concat", "keys", "values", "toPairs", "fromPairs", "indexOf", "lastIndexOf", "hasPrefix", "hasSuffix", "trim", "trimPrefix", "trimSuffix", "upper", "lower", "split", "splitAfter", "toBase64", "fromBase64", "fromJSON"}

// scanOps are the binary operators that read their left operand whole:
// the first four a string, the comparisons two strings (when neither is
// a literal, whose length bounds the work); in reads its right one.
var scanOps = []string{"contains", "startsWith", "endsWith", "matches", "==", "!=", "<", ">", "<=", ">="}

// patcher rewrites a checked tree so that its loops, string and array
// building, helper calls and non-constant patterns are charged to the
// Meter of the environment ($env), and records uses of zone methods.
type patcher struct {
	costly []string
	err    *file.Error
}

func call(name string, n ast.Node, args ...ast.Node) ast.Node {
	c := &ast.CallNode{Callee: &ast.IdentifierNode{Value: name}, Arguments: append([]ast.Node{&ast.IdentifierNode{Value: envIdent}}, args...)}
	c.SetLocation(n.Location())
	c.Callee.SetLocation(n.Location())
	c.Arguments[0].SetLocation(n.Location())
	return c
}

func (p *patcher) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.BuiltinNode:
		if slices.Contains(loops, n.Name) {
			for _, a := range n.Arguments {
				if pr, ok := a.(*ast.PredicateNode); ok {
					pr.Node = call(fnTick, pr.Node, pr.Node)
				}
			}
		}
		switch {
		case n.Name == "toJSON" || n.Name == "string":
			// Their output is about the size of everything their argument
			// holds: measured before they allocate.
			n.Arguments[0] = call(fnDeep, n.Arguments[0], n.Arguments[0])
		case slices.Contains(scanners, n.Name) && !hasPredicate(n):
			for i, a := range n.Arguments {
				n.Arguments[i] = scan(a)
			}
		}
		switch {
		case n.Name == "replace":
			*node = call(fnRepl, n, n.Arguments...)
		case n.Name == "join":
			*node = call(fnJoin, n, n.Arguments...)
		case slices.Contains(builders, n.Name):
			*node = call(fnBytes, n, n)
		}
	case *ast.BinaryNode:
		switch {
		case n.Operator == "in":
			n.Right = scan(n.Right)
		case slices.Contains(scanOps[:4], n.Operator):
			n.Left = scan(n.Left)
		case slices.Contains(scanOps, n.Operator) && !constant(n.Left) && !constant(n.Right):
			n.Left = scan(n.Left)
		}
		switch {
		case n.Operator == "+" && (isString(n.Type()) || n.Type().Kind() == reflect.Interface):
			*node = call(fnBytes, n, n)
		case n.Operator == "matches":
			if _, constant := n.Right.(*ast.StringNode); !constant {
				*node = call(fnMatch, n, n.Left, n.Right)
			}
		}
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && slices.Contains(p.costly, id.Value) && len(n.Arguments) > 0 {
			n.Arguments[0] = call(fnCost, n.Arguments[0], n.Arguments[0])
		}
		if m, ok := n.Callee.(*ast.MemberNode); ok {
			p.zoneMethod(m, true)
		}
	case *ast.MemberNode:
		p.zoneMethod(n, false)
	}
}

// zoneMethod records the use of a zone method on a time (or, for a call,
// on a value whose type is only known at run time).
func (p *patcher) zoneMethod(m *ast.MemberNode, called bool) {
	s, ok := m.Property.(*ast.StringNode)
	if !ok || p.err != nil || !slices.Contains(zoneMethods, s.Value) {
		return
	}
	if t := m.Node.Type(); t == reflect.TypeFor[time.Time]() || (called && t.Kind() == reflect.Interface) {
		p.err = &file.Error{Location: m.Location(), Message: fmt.Sprintf("%s is not allowed: times are in UTC, and the server's zone must not change an answer", s.Value)}
	}
}

func hasPredicate(n *ast.BuiltinNode) bool {
	for _, a := range n.Arguments {
		if _, ok := a.(*ast.PredicateNode); ok {
			return true
		}
	}
	return false
}

// constant reports whether n is a literal, bounded by the source's size.
func constant(n ast.Node) bool {
	switch n.(type) {
	case *ast.StringNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NilNode, *ast.ConstantNode, *ast.ArrayNode, *ast.MapNode:
		return true
	}
	return false
}

// scannable are the types fnScan keeps (its overloads); other values are
// not wrapped, so that their static type, and its checks, stay.
var scannable = []reflect.Type{reflect.TypeFor[string](), reflect.TypeFor[[]any](), reflect.TypeFor[[]string](),
	reflect.TypeFor[[]int](), reflect.TypeFor[[]float64](), reflect.TypeFor[map[string]any]()}

// scan wraps n so that reading it is charged, when that keeps its type.
func scan(n ast.Node) ast.Node {
	if constant(n) {
		return n
	}
	if t := n.Type(); t.Kind() == reflect.Interface || slices.Contains(scannable, t) {
		return call(fnScan, n, n)
	}
	return n
}

func isString(t reflect.Type) bool { return t != nil && t.Kind() == reflect.String }
