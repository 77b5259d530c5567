package sandbox

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

type matchEnv struct {
	hook
	Ev struct {
		Type  string         `expr:"type"`
		N     int            `expr:"n"`
		Props map[string]any `expr:"props"`
	} `expr:"event"`
}

// TestMatch checks which predicates are recognised, and that Holds gives
// what running the program gives, for values in and out of the literals.
func TestMatch(t *testing.T) {
	tests := []struct {
		src  string
		want *Match // nil: not a Match
	}{
		{`event.type == "order"`, &Match{Ident: "event", Field: "type", Values: []string{"order"}}},
		{`"order" == event.type`, &Match{Ident: "event", Field: "type", Values: []string{"order"}}},
		{`event.type != "order"`, &Match{Ident: "event", Field: "type", Values: []string{"order"}, Negate: true}},
		{`event.type in ["order", "refund"]`, &Match{Ident: "event", Field: "type", Values: []string{"order", "refund"}}},
		{`event.type not in ["refund", "order"]`, &Match{Ident: "event", Field: "type", Values: []string{"order", "refund"}, Negate: true}},
		{`!(event.type == "order")`, &Match{Ident: "event", Field: "type", Values: []string{"order"}, Negate: true}},
		{`not (event.type != "order")`, &Match{Ident: "event", Field: "type", Values: []string{"order"}}},
		{`event.props.kind == "order"`, nil},     // a map entry: any type
		{`event?.type == "order"`, nil},          // optional chain
		{`event.type == event.type`, nil},        // no literal
		{`event.type in ["order", 1]`, nil},      // not all strings
		{`event.type == "a" || true`, nil},       // more than a comparison
		{`event.type startsWith "ord"`, nil},     // another operator
		{`string(event.n) == "1"`, nil},          // not a field
		{`event.type matches "^o"`, nil},         // another operator
		{`event.type in ["order"] == true`, nil}, // not a predicate of the shape
	}
	for _, tc := range tests {
		p, err := Compile(tc.src, &matchEnv{}, true)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		m, ok := p.Match()
		if tc.want == nil {
			if ok {
				t.Errorf("%s: Match() = %+v, want none", tc.src, m)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: not recognised", tc.src)
			continue
		}
		if diff := cmp.Diff(*tc.want, m); diff != "" {
			t.Errorf("%s: Match() (-want +got):\n%s", tc.src, diff)
		}
		for _, v := range []string{"order", "refund", "", "Order"} {
			e := &matchEnv{}
			e.Ev.Type = v
			out, err := Run(p, e, &e.hook)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Holds(v); got != out.(bool) {
				t.Errorf("%s with type %q: Holds = %v, the program gives %v", tc.src, v, got, out)
			}
		}
	}
}
