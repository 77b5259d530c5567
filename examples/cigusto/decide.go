package main

import (
	"fmt"
	"io"

	"github.com/parcours-dev/parcours/abtest"
)

// arm is one arm of the lapsed-customer test as the retailer's database
// would report it after a month: customers enrolled, how many came back,
// and what the returning customers' baskets were.
type arm struct {
	name     string
	n        int64
	baskets  []float64 // basket of each returning customer
	discount float64   // share of the basket given away
}

// The made-up results: the promotion brings back a few more customers,
// but pays 10% of every returning basket for it.
var (
	reminder = arm{name: "reminder", n: 2011, baskets: baskets(236, 0), discount: 0}
	promo    = arm{name: "promo", n: 1989, baskets: baskets(262, 1), discount: 0.10}
	holdout  = arm{name: "holdout", n: 452, baskets: baskets(31, 2), discount: 0}
)

// margin is the gross margin on a basket before any discount.
const margin = 0.40

// baskets returns k deterministic basket amounts between 25 and 84.50 EUR
// (a fixed pattern, so the example prints the same figures every time).
func baskets(k, shift int) []float64 {
	out := make([]float64, k)
	for i := range out {
		out[i] = 25 + float64((i*7+shift*3)%18)*3.5
	}
	return out
}

// proportion is the arm's return rate as abtest wants it.
func (a arm) proportion() abtest.Proportion {
	return abtest.Proportion{N: a.n, Conversions: int64(len(a.baskets))}
}

// profit sums, per enrolled customer, the margin earned minus the discount
// paid; customers who did not come back count with a profit of 0.
func (a arm) profit() abtest.ProfitArm {
	p := abtest.ProfitArm{N: a.n}
	for _, b := range a.baskets {
		rev, disc := margin*b, a.discount*b
		p.Revenue += rev
		p.DiscountCost += disc
		p.ProfitSq += (rev - disc) * (rev - disc)
	}
	return p
}

// decide analyses the lapsed-customer test the way Cigusto did: first check
// the traffic split, then the return rate, then the profit.
func decide(w io.Writer, exp abtest.Experiment) error {
	fmt.Fprintf(w, "\nA/B decision, experiment %q (control = %s)\n", exp.Key, exp.Variants[0])
	// Arms in the experiment's order, holdout last, as ExpectedShares.
	shares := exp.ExpectedShares()
	srm, err := abtest.SRM([]int64{reminder.n, promo.n, holdout.n}, shares)
	if err != nil {
		return err
	}
	if err := srm.Err(); err != nil {
		return err
	}
	fmt.Fprintf(w, "  traffic split %d/%d/%d matches the expected %.0f/%.0f/%.0f%% (SRM p=%.3f)\n",
		reminder.n, promo.n, holdout.n, 100*shares[0], 100*shares[1], 100*shares[2], srm.PValue)

	for _, a := range []arm{holdout, reminder, promo} {
		fmt.Fprintf(w, "  %-8s %5d customers, %4d came back (%.1f%%)\n", a.name, a.n, len(a.baskets), 100*a.proportion().Rate())
	}
	lift, err := abtest.ZTest(holdout.proportion(), reminder.proportion(), 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  reminder vs nothing: %+.1f points (p=%.4f, significant=%v)\n", 100*lift.Diff, lift.PValue, lift.Significant)
	z, err := abtest.ZTest(reminder.proportion(), promo.proportion(), 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  promo vs reminder:   %+.1f points of return rate, 95%% CI [%+.1f, %+.1f] (p=%.3f, significant=%v)\n",
		100*z.Diff, 100*z.CILow, 100*z.CIHigh, z.PValue, z.Significant)

	p, err := abtest.CompareProfit(reminder.profit(), promo.profit(), 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  profit per customer: reminder %.2f EUR, promo %.2f EUR (margin %.2f - discount %.2f)\n",
		p.ControlRevenue-p.ControlDiscount, p.TreatmentRevenue-p.TreatmentDiscount, p.TreatmentRevenue, p.TreatmentDiscount)
	fmt.Fprintf(w, "  promo - reminder: %+.3f EUR per customer, 95%% CI [%+.3f, %+.3f] (p=%.3f)\n",
		p.Welch.Diff, p.Welch.CILow, p.Welch.CIHigh, p.Welch.PValue)

	switch {
	case z.Significant && p.Welch.Diff > 0:
		fmt.Fprintln(w, "  DECISION: keep the promo: it brings more customers back and pays for its discount")
	case p.Welch.Significant && p.Welch.Diff < 0:
		fmt.Fprintln(w, "  DECISION: keep the plain reminder: the promo costs more in discount than it brings back")
	default:
		fmt.Fprintln(w, "  DECISION: keep the plain reminder: the promo's extra returns are not proven, and it gives margin away")
	}
	return nil
}
