// Package isolate runs a test in a process of its own, for tests of
// failures that would be fatal: a stack overflow or an out-of-memory
// error kills the whole process, and recover cannot catch it. A
// regression must fail its test, not take the test runner down.
//
//	func TestHostile(t *testing.T) {
//		if !isolate.Child(t) {
//			return // the parent: the child ran the test and passed
//		}
//		... // the body, run in the child only
//	}
package isolate

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"testing"
	"time"
)

// Timeout bounds the child's run: a hang is a failure too.
const Timeout = 3 * time.Minute

const envVar = "PARCOURS_ISOLATE_CHILD"

// Child reports whether the caller is the child process running t. In
// the parent it runs the test binary again for t alone, with Timeout,
// fails t if the child fails, crashes or hangs, and returns false.
func Child(t *testing.T) bool {
	t.Helper()
	if os.Getenv(envVar) == t.Name() {
		return true
	}
	if testing.Short() {
		t.Skip("runs in a child process; skipped with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), envVar+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("child process ran longer than %v:\n%s", Timeout, tail(out))
	}
	if err != nil {
		t.Fatalf("child process failed (%v):\n%s", err, tail(out))
	}
	return false
}

// tail keeps the end of a child's output, where a fatal error is.
func tail(b []byte) []byte {
	const n = 4000
	if len(b) > n {
		return append([]byte("...\n"), b[len(b)-n:]...)
	}
	return b
}
