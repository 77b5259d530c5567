package report

import (
	"errors"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/abtest"
)

func subjects(ss ...Subject) iter.Seq[Subject] { return slices.Values(ss) }

// spender is a customer who entered at hour 0 and spent the amounts
// within the horizon, plus an order before entering and one after the
// horizon, which must not count.
func spender(id, arm string, amounts ...float64) Subject {
	evs := []parcours.Event{purchase(id+"-before", 1000, -1), purchase(id+"-after", 1000, 31*day)}
	for i, a := range amounts {
		evs = append(evs, purchase(id+"-"+string(rune('a'+i)), a, float64(i+1)*day))
	}
	return Subject{Timeline: customer(id, evs...), Arm: arm, Since: at(0)}
}

func TestIncremental(t *testing.T) {
	got, err := Incremental(subjects(
		spender("h1", "holdout"), spender("h2", "holdout", 10), spender("h3", "holdout", 20),
		spender("p1", "promo", 10), spender("p2", "promo", 20), spender("p3", "promo", 30), spender("p4", "promo", 15, 25),
		spender("r1", "reminder", 50),
		spender("x", "", 99), // not enrolled
	), LiftConfig{Horizon: parcours.Duration(30 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: holdout revenues 0, 10, 20 (mean 10, variance 100);
	// promo 10, 20, 30, 40 (mean 25, variance 500/3); all but the
	// holdout 10, 20, 30, 40, 50 (mean 30, variance 250).
	welch := func(c, tr abtest.Sample) *abtest.WelchResult {
		w, err := abtest.Welch(c, tr, 0.05)
		if err != nil {
			t.Fatal(err)
		}
		return &w
	}
	ztest := func(c, tr abtest.Proportion) *abtest.ZTestResult {
		z, err := abtest.ZTest(c, tr, 0.05)
		if err != nil {
			t.Fatal(err)
		}
		return &z
	}
	hold := abtest.Sample{N: 3, Mean: 10, Variance: 100}
	promo := welch(hold, abtest.Sample{N: 4, Mean: 25, Variance: 500.0 / 3})
	all := welch(hold, abtest.Sample{N: 5, Mean: 30, Variance: 250})
	want := Lift{
		Control: "holdout", Horizon: parcours.Duration(30 * 24 * time.Hour), Alpha: 0.05,
		Arms: []Arm{
			{Name: "holdout", Customers: 3, Converted: 2, Orders: 2, Revenue: 30, ConversionRate: 2.0 / 3, RevenuePerCustomer: 10},
			{Name: "promo", Customers: 4, Converted: 4, Orders: 5, Revenue: 100, ConversionRate: 1, RevenuePerCustomer: 25},
			{Name: "reminder", Customers: 1, Converted: 1, Orders: 1, Revenue: 50, ConversionRate: 1, RevenuePerCustomer: 50},
		},
		Effects: []Effect{
			{Arm: "promo", Customers: 4, Revenue: promo, Conversion: ztest(abtest.Proportion{N: 3, Conversions: 2}, abtest.Proportion{N: 4, Conversions: 4}),
				Incremental: 60, IncrementalLow: promo.CILow * 4, IncrementalHigh: promo.CIHigh * 4},
			{Arm: "reminder", Customers: 1, Conversion: ztest(abtest.Proportion{N: 3, Conversions: 2}, abtest.Proportion{N: 1, Conversions: 1}),
				Undefined: "revenue: abtest: Welch: undefined: treatment has fewer than 2 customers: no sample variance"},
		},
		Pooled: &Effect{Arm: "all but holdout", Customers: 5, Revenue: all,
			Conversion:  ztest(abtest.Proportion{N: 3, Conversions: 2}, abtest.Proportion{N: 5, Conversions: 5}),
			Incremental: 100, IncrementalLow: all.CILow * 5, IncrementalHigh: all.CIHigh * 5},
	}
	if d := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Arm{}), cmpopts.EquateApprox(1e-12, 0)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if promo.Diff != 15 || all.Diff != 20 {
		t.Errorf("promo diff %v, pooled diff %v: want 15 and 20", promo.Diff, all.Diff)
	}
}

func TestIncrementalErrors(t *testing.T) {
	h := parcours.Duration(24 * time.Hour)
	bad := spender("b", "holdout")
	bad.Timeline.Events = append(bad.Timeline.Events, purchase("bad", -5, 1))
	for _, tt := range []struct {
		name string
		ss   []Subject
		cfg  LiftConfig
		is   error
	}{
		{"no horizon", []Subject{spender("a", "holdout")}, LiftConfig{}, ErrConfig},
		{"bad alpha", []Subject{spender("a", "holdout")}, LiftConfig{Horizon: h, Alpha: 2}, ErrConfig},
		{"no control", []Subject{spender("a", "promo")}, LiftConfig{Horizon: h}, ErrConfig},
		{"bad order", []Subject{bad}, LiftConfig{Horizon: h}, ErrEvent},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Incremental(subjects(tt.ss...), tt.cfg)
			if !errors.Is(err, tt.is) {
				t.Fatalf("err = %v, want %v", err, tt.is)
			}
		})
	}
}

func TestIncrementalProfit(t *testing.T) {
	// The promotion gives 10% of each basket away: profits 9, 18, 27, 36
	// against the holdout's 0, 10, 20.
	promo := func(id string, amount float64) Subject {
		s := spender(id, "promo", amount)
		s.Cost = amount / 10
		return s
	}
	got, err := Incremental(subjects(
		spender("h1", "holdout"), spender("h2", "holdout", 10), spender("h3", "holdout", 20),
		promo("p1", 10), promo("p2", 20), promo("p3", 30), promo("p4", 40),
	), LiftConfig{Horizon: parcours.Duration(30 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	want, err := abtest.CompareProfit(
		abtest.ProfitArm{N: 3, Revenue: 30, ProfitSq: 100 + 400},
		abtest.ProfitArm{N: 4, Revenue: 100, DiscountCost: 10, ProfitSq: 81 + 324 + 729 + 1296}, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&want, got.Effects[0].Profit, cmpopts.EquateApprox(1e-12, 0)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if p := got.Effects[0].Profit; p == nil || p.Welch.Diff != 12.5 || got.Arms[1].Cost != 10 {
		t.Errorf("profit %+v, cost %v: want a difference of 12.5 and a cost of 10", p, got.Arms[1].Cost)
	}
	bad := promo("p5", 10)
	bad.Cost = -1
	if _, err := Incremental(subjects(spender("h1", "holdout"), bad), LiftConfig{Horizon: 1}); !errors.Is(err, ErrConfig) {
		t.Errorf("negative cost: %v, want ErrConfig", err)
	}
}

func TestIncrementalShuffleInvariant(t *testing.T) {
	r := lcg(5)
	var ss []Subject
	arms := []string{"holdout", "promo", "reminder"}
	for i, tl := range population(9, 300) {
		ss = append(ss, Subject{Timeline: tl, Arm: arms[r.intn(3)], Since: at(float64(r.intn(20)) * day), Cost: float64(i%3) * 0.5})
	}
	cfg := LiftConfig{Horizon: parcours.Duration(20 * 24 * time.Hour)}
	want, err := Incremental(subjects(ss...), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, a := range want.Arms {
		n += a.Customers
	}
	if n != int64(len(ss)) || want.Pooled == nil || want.Pooled.Customers != n-want.Arms[0].Customers {
		t.Fatalf("arms do not add up: %+v", want.Arms)
	}
	slices.Reverse(ss)
	got, err := Incremental(subjects(ss...), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Arm{})); d != "" {
		t.Errorf("reversed input changed the result:\n%s", d)
	}
}
