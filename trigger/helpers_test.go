package trigger

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-dev/parcours"
)

// ts parses an RFC 3339 instant; tests write instants with their offset so
// the expected value is readable against the real zone rules.
func ts(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func ev(t testing.TB, id, typ, at string, props map[string]any) parcours.Event {
	return parcours.Event{ID: id, Type: typ, Time: ts(t, at), Props: props}
}

func timeline(zone string, evs ...parcours.Event) parcours.Timeline {
	return parcours.Timeline{Profile: parcours.Profile{ID: "p1", TimeZone: zone}, Events: evs}
}

func compile(t testing.TB, s Spec) Trigger {
	t.Helper()
	trg, err := s.Compile()
	if err != nil {
		t.Fatal(err)
	}
	return trg
}

// fired is the comparable part of a Firing.
type fired struct {
	At  string // RFC 3339 in UTC
	Key string
}

func summary(fs []Firing) []fired {
	out := []fired{}
	for _, f := range fs {
		out = append(out, fired{f.At.UTC().Format(time.RFC3339), f.Key})
	}
	return out
}

// firings evaluates trg on tl.At(now) and checks the invariants every
// trigger promises.
func firings(t testing.TB, trg Trigger, tl parcours.Timeline, now time.Time) ([]Firing, time.Time, bool) {
	t.Helper()
	tl = tl.At(now)
	fs, err := trg.Firings(tl, now)
	if err != nil {
		t.Fatalf("Firings: %v", err)
	}
	next, ok, err := trg.Next(tl, now)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	if msg := invariants(fs, now, next, ok); msg != "" {
		t.Fatal(msg)
	}
	return fs, next, ok
}

// invariants returns what is wrong with an answer, or "".
func invariants(fs []Firing, now, next time.Time, ok bool) string {
	keys := map[string]bool{}
	for i, f := range fs {
		if f.At.After(now) {
			return "firing after now: " + f.Key
		}
		if keys[f.Key] {
			return "duplicate key " + f.Key
		}
		keys[f.Key] = true
		if i > 0 && (fs[i-1].At.After(f.At) || fs[i-1].At.Equal(f.At) && fs[i-1].Key > f.Key) {
			return "firings not sorted at " + f.Key
		}
	}
	if ok && !next.After(now) {
		return "Next not after now: " + next.String()
	}
	if !ok && !next.IsZero() {
		return "Next not zero with ok false"
	}
	return ""
}

// checkStable verifies that the firings at now are a prefix-in-time of
// the firings at a later instant: moving now forward never changes or
// drops a past firing when no event is added.
func checkStable(t testing.TB, trg Trigger, tl parcours.Timeline, now, later time.Time) {
	t.Helper()
	past, _, _ := firings(t, trg, tl, now)
	all, _, _ := firings(t, trg, tl.At(now), later)
	var upto []Firing
	for _, f := range all {
		if !f.At.After(now) {
			upto = append(upto, f)
		}
	}
	if diff := cmp.Diff(summary(past), summary(upto)); diff != "" {
		t.Errorf("firings changed when now moved on (-before +after):\n%s", diff)
	}
}

// nextIsFirst checks Next against Firings: the first firing after now
// (evaluated later without new events) is at or after Next.
func nextIsFirst(t testing.TB, trg Trigger, tl parcours.Timeline, now, later time.Time) {
	t.Helper()
	_, next, ok := firings(t, trg, tl, now)
	all, _, _ := firings(t, trg, tl.At(now), later)
	i := slices.IndexFunc(all, func(f Firing) bool { return f.At.After(now) })
	if i < 0 {
		return
	}
	if !ok || all[i].At.Before(next) {
		t.Errorf("firing %s at %s is before Next %s (ok %v)", all[i].Key, all[i].At, next, ok)
	}
}

// checkNext compares Next's answer with want, an RFC 3339 instant or ""
// for none.
func checkNext(t testing.TB, next time.Time, ok bool, want string) {
	t.Helper()
	got := ""
	if ok {
		got = next.UTC().Format(time.RFC3339)
	}
	if got != want {
		t.Errorf("Next = %q, want %q", got, want)
	}
}

// cmpEmpty treats nil and empty slices alike.
var cmpEmpty = cmpopts.EquateEmpty()

// days is n days of elapsed time, as parcours.Duration counts them.
func days(n int) parcours.Duration { return parcours.Duration(time.Duration(n) * 24 * time.Hour) }
