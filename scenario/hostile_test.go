package scenario

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
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
