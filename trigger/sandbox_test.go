package trigger

import (
	"errors"
	"strings"
	"testing"
)

// TestWhereSandboxed: a marketer's where condition cannot read the clock
// or allocate without bound.
func TestWhereSandboxed(t *testing.T) {
	for _, where := range []string{`now() > event.time`, `repeat("x", 1000000) != ""`, strings.Repeat("1 + ", 600) + "1 > 0"} {
		_, err := Spec{Event: &EventSpec{Types: []string{"order"}, Where: where}}.Compile()
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != "event.where" {
			t.Errorf("where %.30q compiled: %v", where, err)
		}
	}
}
