package abtest

// ProfitArm aggregates one arm for a profit comparison, as sums a host can
// read from its database. Per customer i, profit_i = revenue_i -
// discount_i, where revenue is whatever value the retailer books (revenue
// or gross margin) and discount is the cost of the incentive actually
// redeemed (plus any other per-customer cost, such as an SMS). Every
// enrolled customer counts, including those who did not buy (profit 0, or
// minus the message cost).
type ProfitArm struct {
	N            int64   `json:"n"`             // enrolled customers
	Revenue      float64 `json:"revenue"`       // sum of revenue_i
	DiscountCost float64 `json:"discount_cost"` // sum of discount_i
	ProfitSq     float64 `json:"profit_sq"`     // sum of (revenue_i - discount_i)^2
}

// Sample returns the arm's per-customer profit as a [Sample] (see
// [SampleFromSums]).
func (a ProfitArm) Sample() (Sample, error) {
	if !isFinite(a.Revenue) || !isFinite(a.DiscountCost) {
		return Sample{}, &InputError{Func: "ProfitArm.Sample", Field: "Revenue/DiscountCost", Reason: "not finite"}
	}
	return SampleFromSums(a.N, a.Revenue-a.DiscountCost, a.ProfitSq)
}

// ProfitResult compares profit per customer after discount cost.
type ProfitResult struct {
	// Per-customer averages of each arm.
	ControlRevenue    float64 `json:"control_revenue"`
	TreatmentRevenue  float64 `json:"treatment_revenue"`
	ControlDiscount   float64 `json:"control_discount"`
	TreatmentDiscount float64 `json:"treatment_discount"`
	// Welch is the test on profit per customer: Welch.Diff is the
	// treatment's extra profit per enrolled customer, with its interval.
	Welch WelchResult `json:"welch"`
}

// CompareProfit decides "promo vs plain mail" on margin rather than on
// conversion alone: it runs [Welch] on per-customer profit (revenue minus
// discount cost), computed from each arm's n, sum and sum of squares of
// profit, at level 1 - alpha (0 means 0.05).
func CompareProfit(control, treatment ProfitArm, alpha float64) (ProfitResult, error) {
	sc, err := control.Sample()
	if err != nil {
		return ProfitResult{}, err
	}
	st, err := treatment.Sample()
	if err != nil {
		return ProfitResult{}, err
	}
	w, err := Welch(sc, st, alpha)
	if err != nil {
		return ProfitResult{}, err
	}
	nc, nt := float64(control.N), float64(treatment.N)
	return ProfitResult{
		ControlRevenue: control.Revenue / nc, TreatmentRevenue: treatment.Revenue / nt,
		ControlDiscount: control.DiscountCost / nc, TreatmentDiscount: treatment.DiscountCost / nt,
		Welch: w,
	}, nil
}
