package sandbox

import (
	"strings"
	"testing"

	"github.com/expr-lang/expr"
)

type env struct {
	N int `expr:"n"`
}

func TestLimits(t *testing.T) {
	tests := []struct {
		src, compileErr, runErr string
	}{
		{`n > 1`, "", ""},
		{`now() > 0`, "now", ""},
		{`date("2026-01-01") != nil`, "date", ""},
		{`timezone("UTC") != nil`, "timezone", ""},
		{`repeat("x", 100) != ""`, "repeat", ""},
		{`n + 1`, "expected bool", ""},
		{strings.Repeat("n + ", MaxNodes) + "n > 0", "exceeds maximum allowed nodes", ""},
		{`len(1..100000000) > 0`, "", "memory budget exceeded"},
	}
	for _, tc := range tests {
		p, err := expr.Compile(tc.src, Options(env{}, true)...)
		if tc.compileErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.compileErr) {
				t.Errorf("Compile(%.40q) error %v, want %q", tc.src, err, tc.compileErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("Compile(%q): %v", tc.src, err)
		}
		_, err = Run(p, env{N: 2})
		if (tc.runErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.runErr)) {
			t.Errorf("Run(%q) error %v, want %q", tc.src, err, tc.runErr)
		}
	}
}
