package main

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The known answers below follow from gen's rule (see runGen) and the
// scenarios of testdata/winback, worked out by hand, independently of the
// engine: customer i has orders unless i%4 == 1 (then it signs up on day
// k = i%90), email consent unless i%10 == 9, its last order on day -k,
// and, if i%15 == 2, an order on day k + 15h that resets the inactivity
// clock. The period is days 0 to 90.

// lapsedSends says whether the win-back after `after` days sends to
// customer i within the period: the trigger fires on day after-k, which
// must be at most 90, unless the cart order came first.
func lapsedSends(i, after int) bool {
	k := i % 90
	hasOrders, reachable, cartOrder := i%4 != 1, i%10 != 9, i%15 == 2
	if !hasOrders || !reachable || after-k > 90 {
		return false
	}
	// The order on day k+15h comes before the firing on day after-k when
	// 2k + 15/24 < after.
	return !(cartOrder && 2*k*24+15 < after*24)
}

func TestReplayKnownAnswers(t *testing.T) {
	const n = 1000
	out, errw, code := cli(t, genPopulation(t, n), "replay", "-s", winback+"scenarios.json", "-from", "2026-01-01", "-to", "2026-04-01", "-format", "json", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errw)
	}
	var rep report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	type total struct{ Sent, Unreachable int }
	got := map[string]total{}
	for _, r := range rep.Rows {
		k := r.Scenario + "/" + r.Step
		tt := got[k]
		tt.Sent += r.Sent
		tt.Unreachable += r.Skipped["unreachable"]
		got[k] = tt
	}
	want := map[string]total{}
	add := func(k string, sent, unreachable bool) {
		tt := want[k]
		if sent {
			tt.Sent++
		}
		if unreachable {
			tt.Unreachable++
		}
		want[k] = tt
	}
	for i := range n {
		k, reachable := i%90, i%10 != 9
		signup, cart, cartOrder := i%4 == 1, i%5 == 2, i%15 == 2
		add("lapsed/remember", lapsedSends(i, 90), !signup && !reachable)
		// A cart on day k + 14h is reminded 2h later unless ordered at 15h.
		add("cart/remind", cart && !cartOrder, false)
		// Signed up on day k + 8h: mail1 at once; mail2 two days later,
		// within the period up to day 87, unless an order (the cart one,
		// 7h after signing up) ends the run.
		add("welcome/mail1", signup && reachable, signup && !reachable)
		add("welcome/mail2", signup && reachable && !cartOrder && k <= 87, false)
	}
	for k, v := range want {
		if v == (total{}) {
			delete(want, k)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("per scenario/step (-want +got):\n%s", diff)
	}
	if rep.Customers != n {
		t.Errorf("customers %d, want %d", rep.Customers, n)
	}
}

func TestDiffKnownAnswers(t *testing.T) {
	const n = 1000
	out, errw, code := cli(t, genPopulation(t, n), "diff", "-old-s", winback+"scenarios.json", "-new-s", winback+"scenarios-120.json",
		"-from", "2026-01-01", "-to", "2026-04-01", "-format", "json", "-examples", "1000", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errw)
	}
	var d diffReport
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, c := range d.Counts {
		if c.Count != len(c.Examples) {
			t.Errorf("%s: count %d, %d examples", c.Kind, c.Count, len(c.Examples))
		}
		for _, e := range c.Examples {
			got[c.Kind+" "+c.Scenario+"/"+c.Step] = append(got[c.Kind+" "+c.Scenario+"/"+c.Step], e.Customer)
		}
	}
	want := map[string][]string{}
	for i := range n {
		id := synthetic(i, anchor).Profile.ID
		old, new := lapsedSends(i, 90), lapsedSends(i, 120)
		switch {
		case old && new:
			want["moved lapsed/remember"] = append(want["moved lapsed/remember"], id)
		case old:
			want["removed lapsed/remember"] = append(want["removed lapsed/remember"], id)
		case new:
			want["added lapsed/remember"] = append(want["added lapsed/remember"], id)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changed customers (-want +got):\n%s", diff)
	}
	if d.Changed != len(want["moved lapsed/remember"])+len(want["removed lapsed/remember"])+len(want["added lapsed/remember"]) {
		t.Errorf("changed customers %d", d.Changed)
	}
	// Every move is 30 days later (29d23h across the change to summer time).
	for _, c := range d.Counts {
		for _, e := range c.Examples {
			if e.Kind != changeMoved {
				continue
			}
			if h := e.New.At.Sub(e.Old.At).Hours(); h != 30*24 && h != 30*24-1 {
				t.Errorf("%s moved by %vh", e.Customer, h)
			}
		}
	}
}
