package sandbox

import (
	"reflect"
	"slices"

	"github.com/expr-lang/expr/ast"

	"github.com/parcours-dev/parcours"
)

// Match is the shape of the predicates hosts test most often, a string
// field of an environment value compared with literals:
//
//	event.type == "order"
//	event.channel != "app"
//	event.type in ["order", "refund"]
//	not (event.type in ["order", "refund"])
//
// A host that knows the value can answer such a predicate without the VM
// (which, through reflection, allocates for every string it reads): the
// exit "on order" of most journeys is tested once per event.
type Match struct {
	Ident  string   // the environment value: "event"
	Field  string   // its field, as expressions name it: "type"
	Values []string // the literals; the predicate holds when the field is one of them
	Negate bool     // ... or, with Negate, when it is none of them
}

// Holds reports whether the predicate holds for a field equal to v.
func (m *Match) Holds(v string) bool { return slices.Contains(m.Values, v) != m.Negate }

// OnEvent reports whether m is about a string field of the environment's
// event (Ident "event": type, channel or id), which scenario and trigger
// both name so: HoldsFor answers it.
func (m *Match) OnEvent() bool {
	return m.Ident == "event" && (m.Field == "type" || m.Field == "channel" || m.Field == "id")
}

// HoldsFor reports whether m, OnEvent, holds for e. A method, not a
// closure: e stays on its caller's stack.
func (m *Match) HoldsFor(e *parcours.Event) bool {
	switch m.Field {
	case "type":
		return m.Holds(e.Type)
	case "channel":
		return m.Holds(e.Channel)
	}
	return m.Holds(e.ID)
}

// Match returns the shape of p, a predicate, when it is a Match.
func (p *Program) Match() (Match, bool) {
	return match(p.Node())
}

func match(n ast.Node) (Match, bool) {
	switch n := n.(type) {
	case *ast.UnaryNode:
		if n.Operator == "not" || n.Operator == "!" {
			m, ok := match(n.Node)
			m.Negate = !m.Negate
			return m, ok
		}
	case *ast.BinaryNode:
		switch n.Operator {
		case "==", "!=":
			l, r := n.Left, n.Right
			if _, ok := l.(*ast.StringNode); ok {
				l, r = r, l
			}
			m, ok := field(l)
			s, isLit := r.(*ast.StringNode)
			if !ok || !isLit {
				break
			}
			m.Values, m.Negate = []string{s.Value}, n.Operator == "!="
			return m, true
		case "in":
			m, ok := field(n.Left)
			if !ok {
				break
			}
			switch r := n.Right.(type) {
			case *ast.ArrayNode:
				for _, x := range r.Nodes {
					s, ok := x.(*ast.StringNode)
					if !ok {
						return Match{}, false
					}
					m.Values = append(m.Values, s.Value)
				}
				return m, true
			case *ast.ConstantNode: // the optimiser's set of literals
				set, ok := r.Value.(map[string]struct{})
				if !ok {
					break
				}
				for s := range set {
					m.Values = append(m.Values, s)
				}
				slices.Sort(m.Values)
				return m, true
			}
		}
	}
	return Match{}, false
}

// field recognises ident.field where the field is a string, not a map
// entry or an optional chain.
func field(n ast.Node) (Match, bool) {
	mn, ok := n.(*ast.MemberNode)
	if !ok || mn.Optional {
		return Match{}, false
	}
	id, ok := mn.Node.(*ast.IdentifierNode)
	prop, isLit := mn.Property.(*ast.StringNode)
	if !ok || !isLit || id.Type() == nil || id.Type().Kind() != reflect.Struct || mn.Type() == nil || mn.Type().Kind() != reflect.String {
		return Match{}, false
	}
	return Match{Ident: id.Value, Field: prop.Value}, true
}
