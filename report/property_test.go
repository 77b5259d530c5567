package report

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-dev/parcours"
)

// naive is a deliberately simple second implementation of the rules in
// the package doc: every touch of every message is compared with every
// order, with plain float sums. Attribute must agree with it.
func naive(tls []parcours.Timeline, to time.Time, cfg Config) map[groupKey][2]float64 {
	s, err := cfg.settings()
	if err != nil {
		panic(err)
	}
	out := map[groupKey][2]float64{}
	for _, tl := range tls {
		tl = tl.At(to)
		type cand struct {
			key    groupKey
			at     time.Time
			within time.Duration
			msg    string
		}
		var touches []cand
		sentAt := map[string]time.Time{}
		keyOf := map[string]groupKey{}
		creditable := map[string]bool{}
		for _, e := range tl.Events {
			if e.Type != parcours.MessageSent {
				continue
			}
			k, _ := e.String(parcours.PropKey)
			if _, dup := sentAt[k]; dup {
				continue
			}
			sc, _ := e.String(parcours.PropScenario)
			st, _ := e.String(parcours.PropStep)
			v, _ := e.String(parcours.PropVariant)
			t, _ := e.Bool(parcours.PropTransactional)
			sentAt[k], keyOf[k], creditable[k] = e.Time, groupKey{sc, st, v, e.Channel}, !t || cfg.Transactional
			if w := s.window(e.Channel).Sent.Std(); w > 0 {
				touches = append(touches, cand{keyOf[k], e.Time, w, k})
			}
		}
		for _, e := range tl.Events {
			k, _ := e.String(parcours.PropKey)
			st, ok := sentAt[k]
			if !ok || e.Time.Before(st) || !creditable[k] {
				continue
			}
			w := s.window(keyOf[k].channel)
			switch e.Type {
			case parcours.MessageOpened:
				touches = append(touches, cand{keyOf[k], e.Time, w.Opened.Std(), k})
			case parcours.MessageClicked:
				touches = append(touches, cand{keyOf[k], e.Time, w.Clicked.Std(), k})
			}
		}
		for k := range creditable {
			if !creditable[k] {
				touches = slices.DeleteFunc(touches, func(c cand) bool { return c.msg == k })
			}
		}
		for _, e := range tl.Events {
			if e.Type != parcours.Order {
				continue
			}
			v, _ := e.Value()
			var ok []cand
			for _, c := range touches {
				if c.at.Before(e.Time) && e.Time.Sub(c.at) <= c.within {
					ok = append(ok, c)
				}
			}
			if len(ok) == 0 {
				continue
			}
			credit := func(k groupKey, f float64) {
				x := out[k]
				out[k] = [2]float64{x[0] + f, x[1] + f*v}
			}
			switch s.model {
			case LastTouch, FirstTouch:
				best := ok[0]
				for _, c := range ok[1:] {
					if (s.model == LastTouch) == c.at.After(best.at) && !c.at.Equal(best.at) {
						best = c
					}
				}
				credit(best.key, 1)
			case Linear:
				distinct := map[string]bool{}
				for _, c := range ok {
					distinct[c.msg] = true
				}
				done := map[string]bool{}
				for _, c := range ok {
					if !done[c.msg] {
						done[c.msg] = true
						credit(c.key, 1/float64(len(distinct)))
					}
				}
			}
		}
	}
	return out
}

var approx = cmpopts.EquateApprox(1e-12, 1e-9)

func TestAttributeAgreesWithNaive(t *testing.T) {
	tls := population(1, 400)
	to := at(70 * day)
	for _, cfg := range []Config{{}, {Model: FirstTouch}, {Model: Linear}, {Model: Linear, Transactional: true},
		{Windows: []Window{{Channel: "", Sent: parcours.Duration(36 * time.Hour), Clicked: parcours.Duration(72 * time.Hour)}}}} {
		got, err := Attribute(seq(tls...), time.Time{}, to, cfg)
		if err != nil {
			t.Fatal(err)
		}
		want := naive(tls, to, cfg)
		gotMap := map[groupKey][2]float64{}
		for _, g := range got.Groups {
			if g.Conversions != 0 {
				gotMap[groupKey{g.Scenario, g.Step, g.Variant, g.Channel}] = [2]float64{g.Conversions, g.Revenue}
			}
		}
		if d := cmp.Diff(want, gotMap, approx); d != "" {
			t.Errorf("%+v: (-naive +Attribute):\n%s", cfg, d)
		}
		if len(want) < 5 {
			t.Errorf("%+v: only %d groups credited: the fixture does not exercise the model", cfg, len(want))
		}
	}
}

func TestAttributeProperties(t *testing.T) {
	tls := population(2, 500)
	to := at(70 * day)
	for _, cfg := range []Config{{}, {Model: FirstTouch}, {Model: Linear}} {
		got, err := Attribute(seq(tls...), at(10*day), to, cfg)
		if err != nil {
			t.Fatal(err)
		}
		// Attributed revenue never exceeds total revenue.
		if got.AttributedRevenue > got.Revenue || got.ScenarioRevenue > got.AttributedRevenue || got.AttributedOrders > float64(got.Orders) {
			t.Errorf("%s: attributed %v (%v orders) of %v (%d orders), scenarios %v", cfg.Model,
				got.AttributedRevenue, got.AttributedOrders, got.Revenue, got.Orders, got.ScenarioRevenue)
		}
		if got.AttributedOrders < 10 {
			t.Errorf("%s: only %v orders credited", cfg.Model, got.AttributedOrders)
		}
		// The groups add up to the totals, and to the scenario rollup.
		var conv, rev, scen float64
		perScenario := map[string]Group{}
		for _, g := range got.Groups {
			conv += g.Conversions
			rev += g.Revenue
			if g.Scenario != "" {
				scen += g.Revenue
			}
			s := perScenario[g.Scenario]
			s.Sends += g.Sends
			s.Opens += g.Opens
			s.Clicks += g.Clicks
			s.Unsubscribes += g.Unsubscribes
			s.Revenue += g.Revenue
			s.Conversions += g.Conversions
			perScenario[g.Scenario] = s
		}
		if d := cmp.Diff([]float64{got.AttributedOrders, got.AttributedRevenue, got.ScenarioRevenue}, []float64{conv, rev, scen}, approx); d != "" {
			t.Errorf("%s: groups do not add up (-totals +sum of groups):\n%s", cfg.Model, d)
		}
		for _, s := range got.Scenarios {
			p := perScenario[s.Scenario]
			p.Scenario, p.Recipients, p.RevenuePerRecipient = s.Scenario, s.Recipients, s.RevenuePerRecipient
			if d := cmp.Diff(p, s, approx); d != "" {
				t.Errorf("%s: scenario %q is not the sum of its groups (-sum +rollup):\n%s", cfg.Model, s.Scenario, d)
			}
		}
		// No order is credited twice: per customer, the credited orders
		// never exceed the orders, and summing customers gives the whole.
		var sum float64
		for _, tl := range tls {
			one, err := Attribute(seq(tl), at(10*day), to, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if one.AttributedOrders > float64(one.Orders)+1e-12 {
				t.Fatalf("%s: customer %s: %v orders credited of %d", cfg.Model, tl.Profile.ID, one.AttributedOrders, one.Orders)
			}
			if cfg.Model != Linear && one.AttributedOrders != math.Trunc(one.AttributedOrders) {
				t.Fatalf("%s: customer %s: fractional credit %v", cfg.Model, tl.Profile.ID, one.AttributedOrders)
			}
			sum += one.AttributedRevenue
		}
		if d := cmp.Diff(got.AttributedRevenue, sum, approx); d != "" {
			t.Errorf("%s: customers one by one (-together +one by one):\n%s", cfg.Model, d)
		}
		// Shuffling customers and events changes nothing, byte for byte.
		r := rand.New(rand.NewPCG(7, 8))
		shuffled := slices.Clone(tls)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		for i := range shuffled {
			evs := slices.Clone(shuffled[i].Events)
			r.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
			shuffled[i].Events = evs
		}
		again, err := Attribute(seq(shuffled...), at(10*day), to, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(got, again); d != "" {
			t.Errorf("%s: shuffled input changed the result:\n%s", cfg.Model, d)
		}
	}
}

func TestAttributorShards(t *testing.T) {
	tls := population(3, 300)
	for _, cfg := range []Config{{}, {Model: Linear}} {
		want, err := Attribute(seq(tls...), at(5*day), at(70*day), cfg)
		if err != nil {
			t.Fatal(err)
		}
		// Three shards of unequal size, merged in another order.
		var shards [3]*Attributor
		for i := range shards {
			if shards[i], err = NewAttributor(at(5*day), at(70*day), cfg); err != nil {
				t.Fatal(err)
			}
		}
		for i, tl := range tls {
			if err := shards[(i*i)%3].Add(tl); err != nil {
				t.Fatal(err)
			}
		}
		if err := shards[2].Merge(shards[0]); err != nil {
			t.Fatal(err)
		}
		if err := shards[2].Merge(shards[1]); err != nil {
			t.Fatal(err)
		}
		got, err := shards[2].Result()
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: merged shards differ (-one pass +shards):\n%s", cfg.Model, d)
		}
		again, _ := shards[2].Result()
		if d := cmp.Diff(got, again); d != "" {
			t.Errorf("%s: Result twice differs:\n%s", cfg.Model, d)
		}
	}
	a, _ := NewAttributor(time.Time{}, at(day), Config{})
	b, _ := NewAttributor(time.Time{}, at(day), Config{Model: Linear})
	if err := a.Merge(b); !errors.Is(err, ErrConfig) {
		t.Errorf("merging different configs: %v, want ErrConfig", err)
	}
	bad := purchase("p", 0, 1)
	bad.Props[parcours.PropAmount] = "x"
	if err := b.Add(customer("z", bad)); !errors.Is(err, ErrEvent) {
		t.Fatalf("Add: %v", err)
	}
	if _, err := b.Result(); !errors.Is(err, ErrEvent) {
		t.Errorf("Result after a failed Add: %v, want the same error", err)
	}
}
