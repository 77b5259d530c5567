package scenario

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/internal/isolate"
	"github.com/parcours-dev/parcours/trigger"
)

// Tests of hostile input: data a host may well pass (a mistyped zone, an
// absurd day count) must give a clear answer that does not depend on the
// machine, and lose nothing.

func hostileTimeline(zone string, types ...string) (parcours.Timeline, time.Time) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c", TimeZone: zone,
		Consent:    map[parcours.Channel]bool{parcours.Email: true},
		Attributes: map[string]any{"birthday": "1990-03-02"}}}
	for i, typ := range types {
		tl.Events = append(tl.Events, parcours.Event{ID: fmt.Sprint("e", i), Type: typ, Time: t0.Add(time.Duration(i) * time.Hour)})
	}
	return tl, t0.Add(48 * time.Hour)
}

func sendStep(id string) Step {
	return Step{ID: id, Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: id}}
}

// dueSteps lists "scenario/step@due" for the due actions.
func dueSteps(r Result) []string {
	var out []string
	for _, a := range r.Due {
		out = append(out, a.Scenario+"/"+a.Step+"@"+a.DueAt.UTC().Format(time.RFC3339))
	}
	return out
}

func TestBadZoneEvaluatesInUTC(t *testing.T) {
	eng, err := Compile([]Scenario{
		{ID: "invoice", Transactional: true, Trigger: Trigger{On: []string{parcours.Order}}, Steps: []Step{sendStep("invoice")}},
		{ID: "birthday", Trigger: Trigger{Spec: trigger.Spec{Anniversary: &trigger.AnniversarySpec{Attribute: "birthday", At: "10:00"}}}, Steps: []Step{sendStep("wish")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		zone    string
		want    []string
		badZone bool
	}{
		{"Europe/Paris", []string{"invoice/invoice@2026-03-01T09:00:00Z", "birthday/wish@2026-03-02T09:00:00Z"}, false},
		{"", []string{"invoice/invoice@2026-03-01T09:00:00Z", "birthday/wish@2026-03-02T10:00:00Z"}, false},
		// A mistyped zone, and the machine's own zone, are reported once;
		// the evaluation goes on in UTC, the invoice included.
		{"Europe/Pariss", []string{"invoice/invoice@2026-03-01T09:00:00Z", "birthday/wish@2026-03-02T10:00:00Z"}, true},
		{"Local", []string{"invoice/invoice@2026-03-01T09:00:00Z", "birthday/wish@2026-03-02T10:00:00Z"}, true},
	}
	for _, tc := range tests {
		tl, now := hostileTimeline(tc.zone, parcours.Order)
		r := eng.Evaluate(tl, now)
		if diff := cmp.Diff(tc.want, dueSteps(r)); diff != "" {
			t.Errorf("zone %q: due (-want +got):\n%s", tc.zone, diff)
		}
		var ze *trigger.ZoneError
		switch {
		case !tc.badZone && len(r.Errors) > 0:
			t.Errorf("zone %q: errors %v", tc.zone, r.Errors)
		case tc.badZone && (len(r.Errors) != 1 || !errors.As(r.Errors[0], &ze) || ze.Zone != tc.zone):
			t.Errorf("zone %q: errors %v, want one *trigger.ZoneError naming it", tc.zone, r.Errors)
		}
	}
}

func TestDayCountsClamp(t *testing.T) {
	tests := []struct {
		expr string
		want bool
	}{
		{`countEvents("order", 110000) == 1`, true},
		{`countEvents("order", 4611686018427387904) == 1`, true},
		{`sumEvents("order", "amount", 110000) == 0`, true},
		{`countEvents("order", 1) == 0`, true}, // the order is 2 days old
		{`countEvents("order", 0) == 1`, true},
		{`countEvents("order", -110000) == 1`, true},
	}
	for _, tc := range tests {
		eng, err := Compile([]Scenario{{ID: "x", Trigger: Trigger{On: []string{parcours.Signup}, If: tc.expr}, Steps: []Step{sendStep("s")}}})
		if err != nil {
			t.Fatal(err)
		}
		tl, now := hostileTimeline("", parcours.Order, parcours.Signup)
		tl.Events[1].Time = now
		r := eng.Evaluate(tl, now)
		if got := len(r.Due) == 1; got != tc.want || len(r.Errors) > 0 {
			t.Errorf("%s: %v (errors %v), want %v", tc.expr, got, r.Errors, tc.want)
		}
	}
}

// TestHugeWaitsKeepTheFirstSend: the default horizon adds up every wait;
// two waits of 106000d must not wrap it around and hide the send due now.
func TestHugeWaitsKeepTheFirstSend(t *testing.T) {
	long := parcours.DaysOf(106000)
	eng, err := Compile([]Scenario{{ID: "x", Trigger: Trigger{On: []string{parcours.Order}}, Steps: []Step{
		sendStep("now"), {ID: "w1", Wait: &Wait{For: long}}, {ID: "w2", Wait: &Wait{For: long}}, sendStep("later"),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	tl, now := hostileTimeline("", parcours.Order)
	r := eng.Evaluate(tl, now)
	if diff := cmp.Diff([]string{"x/now@2026-03-01T09:00:00Z"}, dueSteps(r)); diff != "" || len(r.Errors) > 0 {
		t.Errorf("due (-want +got):\n%s\nerrors %v", diff, r.Errors)
	}
}

// invoice is a transactional scenario with no expression: whatever a
// hostile scenario next to it does, the invoice stays due.
var invoice = Scenario{ID: "invoice", Transactional: true, Trigger: Trigger{On: []string{parcours.Order}}, Steps: []Step{sendStep("invoice")}}

// checkIsolated evaluates the hostile scenario next to the invoice and
// wants the invoice due and one ErrBudget error for the hostile one.
func checkIsolated(t *testing.T, hostile Scenario, tl parcours.Timeline, now time.Time) {
	t.Helper()
	eng, err := Compile([]Scenario{invoice, hostile})
	if err != nil {
		t.Fatal(err)
	}
	r := eng.Evaluate(tl, now)
	var got []string
	for _, a := range r.Due {
		if a.Scenario == "invoice" {
			got = append(got, a.Step)
		}
	}
	if len(got) == 0 {
		t.Errorf("%s: the invoice is not due: %v", hostile.ID, r.Errors)
	}
	var se *Error
	if len(r.Errors) != 1 || !errors.Is(r.Errors[0], ErrBudget) || !errors.As(r.Errors[0], &se) || se.Scenario != hostile.ID {
		t.Errorf("%s: errors %v, want one ErrBudget naming the scenario", hostile.ID, r.Errors)
	}
}

// TestHostileStrings: strings built without bound ended in "fatal
// error: out of memory". Run in a process of its own.
func TestHostileStrings(t *testing.T) {
	if !isolate.Child(t) {
		return
	}
	tl, now := hostileTimeline("", parcours.Order)
	tl.Profile.Attributes["big"] = strings.Repeat("a", 1<<20)
	on := Trigger{On: []string{parcours.Order}}
	for _, s := range []Scenario{
		{ID: "doubling", Targeting: `reduce(1..40, #acc + #acc, event.type) != ""`, Trigger: on, Steps: []Step{sendStep("s")}},
		{ID: "replace", Targeting: `replace(profile.attributes.big, "a", profile.attributes.big) != ""`, Trigger: on, Steps: []Step{sendStep("s")}},
		{ID: "join", Trigger: on, Steps: []Step{{ID: "s", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "t",
			Vars: map[string]string{"v": `join(map(1..1000, profile.attributes.big), "")`}}}}},
		{ID: "concat", Trigger: Trigger{On: on.On, If: `len(reduce(1..40, concat(#acc, #acc), [1])) > 0`}, Steps: []Step{sendStep("s")}},
		{ID: "where", Trigger: Trigger{Spec: trigger.Spec{Event: &trigger.EventSpec{Types: []string{parcours.Order},
			Where: `replace(profile.attributes.big, "a", profile.attributes.big) != ""`}}}, Steps: []Step{sendStep("s")}},
	} {
		checkIsolated(t, s, tl, now)
	}
}

// TestHostileCompile: 800,000 `!` or a million parentheses overflowed
// the stack in expr's parser. Run in a process of its own.
func TestHostileCompile(t *testing.T) {
	if !isolate.Child(t) {
		return
	}
	tests := []struct{ src, want string }{
		{strings.Repeat("!", 800_000) + "true", "800004 bytes long"},
		{strings.Repeat("(", 1_000_000) + "true" + strings.Repeat(")", 1_000_000), "2000004 bytes long"},
		{strings.Repeat("!", 600) + "true", "nests deeper than 64"},
		{strings.Repeat("(", 1000) + "true" + strings.Repeat(")", 1000), "nests deeper than 64"},
	}
	for _, tc := range tests {
		_, err := Compile([]Scenario{{ID: "x", Targeting: tc.src, Trigger: Trigger{On: []string{parcours.Order}}, Steps: []Step{sendStep("s")}}})
		var se *Error
		if !errors.As(err, &se) || se.Field != "targeting" || !strings.Contains(se.Err.Error(), tc.want) {
			t.Errorf("%.20q...: %.200v, want an *Error on targeting saying %q", tc.src, err, tc.want)
		}
	}
}

// TestHostileWork: loops nested over the events, and helpers that scan
// the timeline called per event, ran for minutes. Each scenario has a
// budget per evaluation. Run in a process of its own.
func TestHostileWork(t *testing.T) {
	if !isolate.Child(t) {
		return
	}
	many := func(n int) (parcours.Timeline, time.Time) {
		tl, now := hostileTimeline("", parcours.Order)
		for i := 0; i < n; i++ {
			tl.Events = append(tl.Events, parcours.Event{Type: "page_view", Time: tl.Events[0].Time.Add(-time.Duration(i+1) * time.Second)})
		}
		return tl, now
	}
	tl, now := many(200)
	checkIsolated(t, Scenario{ID: "nested", Trigger: Trigger{When: `sum(events, sum(events, sum(events, sum(events, 1)))) > 0`}, Steps: []Step{sendStep("s")}}, tl, now)
	checkIsolated(t, Scenario{ID: "nested-targeting", Targeting: `sum(events, sum(events, sum(events, 1))) > 0`, Trigger: Trigger{On: []string{parcours.Order}}, Steps: []Step{sendStep("s")}}, tl, now)
	tl, now = many(100_000)
	checkIsolated(t, Scenario{ID: "scan", Trigger: Trigger{When: `sum(events, hasEvent("zzz") ? 1 : 0) > 0`}, Steps: []Step{sendStep("s")}}, tl, now)
	// One loop over 100,000 events calling a helper per event is within
	// the budget: helpers answer from the index.
	eng, err := Compile([]Scenario{{ID: "scan-once", Trigger: Trigger{On: []string{parcours.Order}, If: `sum(events, hasEvent("zzz") ? 1 : 0) == 0`}, Steps: []Step{sendStep("s")}}})
	if err != nil {
		t.Fatal(err)
	}
	if r := eng.Evaluate(tl, now); len(r.Due) != 1 || len(r.Errors) > 0 {
		t.Errorf("scan-once: due %v, errors %v; want one due", dueSteps(r), r.Errors)
	}
}

func TestMachineZoneStaysOut(t *testing.T) {
	for _, src := range []string{`now.Local().Hour() == 10`, `event.time.In(now.Location()) == now`, `now.Zone() == "CET"`, `trigger.time.IsDST()`} {
		_, err := Compile([]Scenario{{ID: "x", Targeting: src, Trigger: Trigger{On: []string{parcours.Order}}, Steps: []Step{sendStep("s")}}})
		var se *Error
		if !errors.As(err, &se) || se.Field != "targeting" || se.Line != 1 || !strings.Contains(se.Err.Error(), "not allowed") {
			t.Errorf("%s: %v, want refused with a position", src, err)
		}
	}
}

// TestFiringsBudget: every firing considered and every step walked is an
// operation, so a scenario firing on each of millions of events stops at
// the budget, with one error, instead of walking them all.
func TestFiringsBudget(t *testing.T) {
	eng, err := Compile([]Scenario{invoice, {ID: "views", Trigger: Trigger{On: []string{"page_view"}}, Steps: []Step{sendStep("s")}}})
	if err != nil {
		t.Fatal(err)
	}
	const limit = 1000
	eng.opsLimit = limit // the budget's rule at a scale a test can build
	n := limit/2 + 1     // two operations per run: the firing and its send step
	tl, now := hostileTimeline("", parcours.Order)
	for i := 0; i < n; i++ {
		tl.Events = append(tl.Events, parcours.Event{Type: "page_view", Time: now.Add(-time.Duration(i+1) * time.Millisecond)})
	}
	r := eng.Evaluate(tl, now)
	views, invoices := 0, 0
	for _, a := range r.Due {
		switch a.Scenario {
		case "views":
			views++
		case "invoice":
			invoices++
		}
	}
	if invoices != 1 {
		t.Errorf("%d invoices due, want 1: the budget is the scenario's own", invoices)
	}
	if len(r.Errors) != 1 || !errors.Is(r.Errors[0], ErrBudget) || views == 0 || views >= n {
		t.Errorf("%d views due of %d, errors %.300v; want some due then one ErrBudget", views, n, r.Errors)
	}
}

// TestInstantsInUTC: a host passing times in its own zone (time.Now()
// is in time.Local) must not change what now.Hour() says.
func TestInstantsInUTC(t *testing.T) {
	eng, err := Compile([]Scenario{{ID: "x", Trigger: Trigger{On: []string{parcours.Order},
		If: `now.Hour() == 9 && event.time.Hour() == 9 && trigger.time.Hour() == 9`}, Steps: []Step{sendStep("s")}}})
	if err != nil {
		t.Fatal(err)
	}
	tl, now := hostileTimeline("", parcours.Order)
	// Trigger.If sees the firing's instant as now: the order, at 09:00Z.
	for _, zone := range []*time.Location{time.UTC, time.FixedZone("UTC+5", 5*3600), time.FixedZone("UTC-7", -7*3600)} {
		tl := tl
		tl.Events = slices.Clone(tl.Events)
		tl.Events[0].Time = tl.Events[0].Time.In(zone)
		if r := eng.Evaluate(tl, now.In(zone)); len(r.Due) != 1 || len(r.Errors) > 0 {
			t.Errorf("times in %v: due %v, errors %v; want the send", zone, dueSteps(r), r.Errors)
		}
	}
}

// TestHelperCallsCharged: each call of a helper that may read the
// timeline is an operation of the budget (more when it must scan), so
// a loop calling one stops at the budget where the same loop without
// the call would not.
func TestHelperCallsCharged(t *testing.T) {
	const limit = 1000
	for _, tc := range []struct {
		cond   string
		budget bool // spends the budget
	}{
		{`all(1..600, # > 0)`, false}, // 600 iterations: within 1,000
		{`all(1..600, countEvents("order", 0) > 0)`, true},
		{`all(1..600, daysSince("order") < 10)`, true},
		{`all(1..600, hasEvent("order"))`, true},
		{`all(1..600, sumEvents("order", "amount", 0) >= 0)`, true},
		{`all(1..600, lastEvent("order").type == "order")`, true},
		{`all(1..600, !opened("s"))`, true},
		{`all(1..600, !clicked("s"))`, true},
	} {
		eng, err := Compile([]Scenario{{ID: "x", Trigger: Trigger{On: []string{parcours.Order}, If: tc.cond}, Steps: []Step{sendStep("s")}}})
		if err != nil {
			t.Fatal(err)
		}
		eng.opsLimit = limit
		tl, now := hostileTimeline("", parcours.Order)
		r := eng.Evaluate(tl, now)
		spent := len(r.Errors) == 1 && errors.Is(r.Errors[0], ErrBudget)
		if spent != tc.budget || (!spent && len(r.Due) != 1) {
			t.Errorf("%s: due %v, errors %v; want budget spent %v", tc.cond, dueSteps(r), r.Errors, tc.budget)
		}
	}
}

// TestSharedExitBudget: scenarios with the same exit conditions share
// their tests per event, but not their budgets: one that spends its own
// while testing them does not pass the error on to the other.
func TestSharedExitBudget(t *testing.T) {
	const limit = 1000
	steps := []Step{{ID: "w", Wait: &Wait{For: parcours.Duration(time.Hour)}}, sendStep("s")}
	exit := []string{`event.type == "order" && event.channel == "web"`} // not a Match: runs the VM
	eng, err := Compile([]Scenario{
		{ID: "spender", Targeting: `all(1..900, # > 0)`, Trigger: Trigger{On: []string{"page_view"}}, Exit: exit, Steps: steps},
		{ID: "saver", Trigger: Trigger{On: []string{"page_view"}}, Exit: exit, Steps: steps},
	})
	if err != nil {
		t.Fatal(err)
	}
	eng.opsLimit = limit
	tl, now := hostileTimeline("", parcours.Order)
	tl.Events = tl.Events[:0]
	for i := range 100 {
		tl.Events = append(tl.Events, parcours.Event{ID: fmt.Sprint("v", i), Type: "page_view", Time: now.Add(-time.Duration(100-i) * time.Minute)})
	}
	r := eng.Evaluate(tl, now)
	spent := false
	for _, e := range r.Errors {
		var se *Error
		spent = spent || errors.As(e, &se) && se.Scenario == "spender" && errors.Is(e, ErrBudget)
		if errors.As(e, &se) && se.Scenario == "saver" {
			t.Errorf("saver reports %v: another scenario's budget", e)
		}
	}
	saver := 0
	for _, a := range r.Due {
		if a.Scenario == "saver" {
			saver++
		}
	}
	if saver == 0 || !spent {
		t.Errorf("saver has %d due, spender spent its budget: %v; errors %v", saver, spent, r.Errors)
	}
}
