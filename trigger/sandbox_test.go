package trigger

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/internal/isolate"
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

// TestWhereBudget: a where that builds strings without bound ended in
// "fatal error: out of memory". Run in a process of its own.
func TestWhereBudget(t *testing.T) {
	if !isolate.Child(t) {
		return
	}
	now := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{
		Profile: parcours.Profile{ID: "c", Attributes: map[string]any{"big": strings.Repeat("a", 1<<20)}},
		Events:  []parcours.Event{{ID: "o1", Type: parcours.Order, Time: now.Add(-time.Hour)}},
	}
	for _, where := range []string{
		`replace(profile.attributes.big, "a", profile.attributes.big) != ""`,
		`reduce(1..40, #acc + #acc, event.type) != ""`,
		`sum(1..100000, sum(1..100000, 1)) > 0`,
	} {
		trg, err := Spec{Event: &EventSpec{Types: []string{parcours.Order}, Where: where}}.Compile()
		if err != nil {
			t.Fatal(err)
		}
		var ee *EvalError
		if _, err := trg.Firings(tl, now); !errors.Is(err, ErrBudget) || !errors.As(err, &ee) || ee.Event != "o1" {
			t.Errorf("where %.40q: err = %v, want an EvalError on o1 wrapping ErrBudget", where, err)
		}
	}
}
