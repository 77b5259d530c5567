package report

import (
	"cmp"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/abtest"
)

// Subject is one customer of a lift comparison: the arm they were put in
// and when they entered it. Every customer assigned to an arm belongs in
// it, whether or not a message reached them (intention to treat):
// leaving out the unreachable from the treated arm only, and not from the
// held-out one, would flatter the scenario.
type Subject struct {
	Timeline parcours.Timeline
	// Arm names the customer's arm: an experiment variant, the control
	// arm's name (LiftConfig.Control), or any label.
	Arm string
	// Since is when the customer entered the arm; the orders in
	// (Since, Since+Horizon] are the outcome.
	Since time.Time
	// Cost is what treating this customer cost within the horizon: the
	// discount the promotion gave away on their orders, the price of an
	// SMS... When any subject has a cost, effects also compare profit
	// per customer (revenue minus cost) with abtest.CompareProfit.
	Cost float64
}

// LiftConfig configures Incremental.
type LiftConfig struct {
	// Control is the arm that received nothing; "" means "holdout", the
	// arm scenario reports experiment holdouts in (see Enrolment).
	Control string `json:"control,omitempty"`
	// Horizon is how long after entering a customer's orders count. It
	// must be positive: the same horizon for every customer is what
	// makes the arms comparable.
	Horizon parcours.Duration `json:"horizon"`
	// Alpha is the significance level; 0 means 0.05.
	Alpha float64 `json:"alpha,omitempty"`
}

// Lift compares each arm's revenue and conversion per customer with the
// control arm's: the honest answer to "would they have bought anyway?".
type Lift struct {
	Control string            `json:"control"`
	Horizon parcours.Duration `json:"horizon"`
	Alpha   float64           `json:"alpha"`
	// Arms are every arm read, sorted by name.
	Arms []Arm `json:"arms"`
	// Effects compare each arm but the control with the control, sorted
	// by arm name.
	Effects []Effect `json:"effects"`
	// Pooled compares every arm but the control, together, with the
	// control: the effect of the scenario whatever the variant. It is nil
	// with fewer than two such arms (it would repeat Effects[0]).
	Pooled *Effect `json:"pooled,omitempty"`
	// Conflicts counts the IDs shared by events of different content
	// (parcours.ConflictError), all kept and read.
	Conflicts int `json:"conflicts,omitempty"`
}

// Arm is what one arm's customers did within the horizon.
type Arm struct {
	Name      string  `json:"name"`
	Customers int64   `json:"customers"`
	Converted int64   `json:"converted"` // customers with at least one order
	Orders    int64   `json:"orders"`
	Revenue   float64 `json:"revenue"`
	// ConversionRate is Converted / Customers; RevenuePerCustomer is
	// Revenue / Customers, every customer counting, buyers or not.
	ConversionRate     float64 `json:"conversion_rate"`
	RevenuePerCustomer float64 `json:"revenue_per_customer"`
	// Cost is the sum of the subjects' Cost.
	Cost float64 `json:"cost,omitempty"`

	sum, sumSq, cost, profitSq exact
}

// Effect is one arm against the control. Differences are the arm minus
// the control.
type Effect struct {
	Arm       string `json:"arm"`
	Customers int64  `json:"customers"`
	// Revenue is Welch's test on revenue per customer: Revenue.Diff is
	// the incremental revenue per customer, [Revenue.CILow,
	// Revenue.CIHigh] its confidence interval. Nil when undefined (see
	// Undefined).
	Revenue *abtest.WelchResult `json:"revenue,omitempty"`
	// Conversion is the two-proportion z-test on the conversion rate.
	Conversion *abtest.ZTestResult `json:"conversion,omitempty"`
	// Profit compares revenue minus Subject.Cost per customer
	// (abtest.CompareProfit); nil when no subject has a cost, or when
	// undefined.
	Profit *abtest.ProfitResult `json:"profit,omitempty"`
	// Incremental is Revenue.Diff x Customers: the revenue the arm
	// brought beyond what its customers would have spent anyway, with
	// the interval scaled the same way.
	Incremental     float64 `json:"incremental"`
	IncrementalLow  float64 `json:"incremental_low"`
	IncrementalHigh float64 `json:"incremental_high"`
	// Undefined says why a test is missing: an arm with fewer than two
	// customers, or no variance at all.
	Undefined string `json:"undefined,omitempty"`
}

// Incremental reads the subjects once and measures each arm against the
// control arm (cfg.Control) with package abtest: Welch's t-test on
// revenue per customer (orders in (Since, Since+Horizon]) and a
// two-proportion z-test on conversion, both with a confidence interval
// at level 1 - Alpha. Subjects with an empty Arm are skipped.
//
// Each timeline is read as tl.Canonical(Since+Horizon). A control arm with no
// customer is an error; an arm too small for a test gets an Effect with
// Undefined set. Orders are valued by parcours.Event.Value.
func Incremental(subjects iter.Seq[Subject], cfg LiftConfig) (Lift, error) {
	control := cmp.Or(cfg.Control, "holdout")
	if cfg.Horizon <= 0 {
		return Lift{}, &ConfigError{Field: "horizon", Value: cfg.Horizon.String(), Reason: "must be positive"}
	}
	if !(cfg.Alpha >= 0 && cfg.Alpha < 1) {
		return Lift{}, &ConfigError{Field: "alpha", Value: fmt.Sprint(cfg.Alpha), Reason: "must be in [0, 1)"}
	}
	alpha := cmp.Or(cfg.Alpha, abtest.DefaultAlpha)
	h := cfg.Horizon.Std()
	arms := map[string]*Arm{}
	conflicts, costs := 0, false
	for s := range subjects {
		if s.Arm == "" {
			continue
		}
		end := s.Since.Add(h)
		tl, n := canonical(s.Timeline, end)
		conflicts += n
		var rev float64
		var orders int64
		for i := range tl.Events {
			e := &tl.Events[i]
			if e.Type != parcours.Order || !e.Time.After(s.Since) {
				continue
			}
			v, err := e.Value()
			if err != nil {
				return Lift{}, &EventError{Customer: tl.Profile.ID, EventID: e.ID, Err: err}
			}
			rev += v
			orders++
		}
		a := arms[s.Arm]
		if a == nil {
			a = &Arm{Name: s.Arm}
			arms[s.Arm] = a
		}
		a.Customers++
		a.Orders += orders
		if orders > 0 {
			a.Converted++
		}
		a.sum.add(rev)
		a.sumSq.add(rev * rev)
		if s.Cost != 0 {
			if !(s.Cost >= 0 && s.Cost < maxExact) {
				return Lift{}, &ConfigError{Field: "subject.cost", Value: fmt.Sprint(s.Cost), Reason: "want a finite cost >= 0"}
			}
			costs = true
			a.cost.add(s.Cost)
		}
		a.profitSq.add((rev - s.Cost) * (rev - s.Cost))
	}
	l := Lift{Control: control, Horizon: cfg.Horizon, Alpha: alpha, Conflicts: conflicts}
	names := make([]string, 0, len(arms))
	for n := range arms {
		names = append(names, n)
	}
	slices.Sort(names)
	var pooled Arm
	for _, n := range names {
		a := arms[n]
		if a.sum.overflow || a.sumSq.overflow || a.cost.overflow || a.profitSq.overflow {
			return Lift{}, fmt.Errorf("%w: revenue of arm %q overflows", ErrInput, n)
		}
		a.Revenue, a.Cost = a.sum.float(), a.cost.float()
		a.ConversionRate = ratio(float64(a.Converted), float64(a.Customers))
		a.RevenuePerCustomer = ratio(a.Revenue, float64(a.Customers))
		l.Arms = append(l.Arms, *a)
		if n != control {
			pooled.Customers += a.Customers
			pooled.Converted += a.Converted
			pooled.sum.merge(a.sum)
			pooled.sumSq.merge(a.sumSq)
			pooled.cost.merge(a.cost)
			pooled.profitSq.merge(a.profitSq)
		}
	}
	c, ok := arms[control]
	if !ok {
		return Lift{}, &ConfigError{Field: "control", Value: control, Reason: fmt.Sprintf("no subject in the control arm (arms: %v)", names)}
	}
	for _, n := range names {
		if n != control {
			l.Effects = append(l.Effects, effect(c, arms[n], alpha, costs))
		}
	}
	if len(l.Effects) > 1 {
		if pooled.sum.overflow || pooled.sumSq.overflow || pooled.cost.overflow || pooled.profitSq.overflow {
			return Lift{}, fmt.Errorf("%w: pooled revenue overflows", ErrInput)
		}
		pooled.Name = "all but " + control
		e := effect(c, &pooled, alpha, costs)
		l.Pooled = &e
	}
	return l, nil
}

func effect(c, t *Arm, alpha float64, costs bool) Effect {
	e := Effect{Arm: t.Name, Customers: t.Customers}
	var why []string
	sc, err1 := abtest.SampleFromSums(c.Customers, c.sum.float(), c.sumSq.float())
	st, err2 := abtest.SampleFromSums(t.Customers, t.sum.float(), t.sumSq.float())
	if err := errors.Join(err1, err2); err != nil {
		why = append(why, "revenue: "+err.Error())
	} else if w, err := abtest.Welch(sc, st, alpha); err != nil {
		why = append(why, "revenue: "+err.Error())
	} else {
		e.Revenue = &w
		n := float64(t.Customers)
		e.Incremental, e.IncrementalLow, e.IncrementalHigh = w.Diff*n, w.CILow*n, w.CIHigh*n
	}
	if costs {
		arm := func(a *Arm) abtest.ProfitArm {
			return abtest.ProfitArm{N: a.Customers, Revenue: a.sum.float(), DiscountCost: a.cost.float(), ProfitSq: a.profitSq.float()}
		}
		if p, err := abtest.CompareProfit(arm(c), arm(t), alpha); err != nil {
			why = append(why, "profit: "+err.Error())
		} else {
			e.Profit = &p
		}
	}
	z, err := abtest.ZTest(abtest.Proportion{N: c.Customers, Conversions: c.Converted},
		abtest.Proportion{N: t.Customers, Conversions: t.Converted}, alpha)
	if err != nil {
		why = append(why, "conversion: "+err.Error())
	} else {
		e.Conversion = &z
	}
	if len(why) > 0 {
		e.Undefined = strings.Join(why, "; ")
	}
	return e
}
