package abtest_test

import (
	"errors"
	"fmt"

	"github.com/parcours-dev/parcours/abtest"
)

// The promo-vs-reminder decision: 90-day lapsed customers get a 20%
// promo code (arm "promo"), a plain reminder ("reminder"), or nothing
// (the 10% holdout). The promo brings more customers back, but is it worth
// its discount?
func Example_promoVsReminder() {
	// 1. Assignment, at send time: deterministic, no state to store.
	exp := abtest.Experiment{Key: "reactivation-90d", Variants: []string{"reminder", "promo"}, Holdout: 0.1}
	a, _ := exp.Assign("cust-0001")
	fmt.Printf("cust-0001: variant %q held out %v\n", a.Variant, a.HeldOut)

	// 2. Analysis, 30 days later, from counts and sums the host queries.
	// Trust nothing before the sample ratio check passes.
	srm, _ := abtest.SRM([]int64{9000, 9000, 2000}, []float64{0.45, 0.45, 0.10})
	if err := srm.Err(); err != nil {
		fmt.Println(err)
		return
	}
	reminder := abtest.Proportion{N: 9000, Conversions: 315}
	promo := abtest.Proportion{N: 9000, Conversions: 405}
	holdout := abtest.Proportion{N: 2000, Conversions: 60}

	// Return rate: the promo wins clearly...
	z, _ := abtest.ZTest(reminder, promo, 0.05)
	fmt.Printf("return rate: reminder %.2f%%, promo %.2f%%, p = %.4f\n", 100*z.ControlRate, 100*z.TreatmentRate, z.PValue)
	b, _ := abtest.Bayes(reminder, promo, abtest.BetaPrior{})
	fmt.Printf("P(promo returns more customers) = %.4f\n", b.ProbTreatmentBeats)

	// ...and each arm beats doing nothing? (two comparisons: Holm.)
	zr, _ := abtest.ZTest(holdout, reminder, 0.05)
	zp, _ := abtest.ZTest(holdout, promo, 0.05)
	adj, _ := abtest.AdjustPValues([]float64{zr.PValue, zp.PValue}, abtest.Holm)
	fmt.Printf("vs holdout (Holm): reminder p = %.3f, promo p = %.3f\n", adj[0], adj[1])

	// Margin after discount: per returning customer the reminder books 24
	// of gross margin; the promo books 24 minus a 12 discount.
	reminderProfit := abtest.ProfitArm{N: 9000, Revenue: 315 * 24, ProfitSq: 315 * (24*24 + 14*14)}
	promoProfit := abtest.ProfitArm{N: 9000, Revenue: 405 * 24, DiscountCost: 405 * 12, ProfitSq: 405 * (12*12 + 8*8)}
	p, _ := abtest.CompareProfit(reminderProfit, promoProfit, 0.05)
	fmt.Printf("profit per customer: reminder %.3f, promo %.3f, diff %.3f [%.3f, %.3f], p = %.2g\n",
		p.Welch.ControlMean, p.Welch.TreatmentMean, p.Welch.Diff, p.Welch.CILow, p.Welch.CIHigh, p.Welch.PValue)
	if z.Significant && p.Welch.Significant && p.Welch.Diff < 0 {
		fmt.Println("decision: keep the reminder (the promo's extra returns do not pay for its discount)")
	}
	// Output:
	// cust-0001: variant "promo" held out false
	// return rate: reminder 3.50%, promo 4.50%, p = 0.0006
	// P(promo returns more customers) = 0.9997
	// vs holdout (Holm): reminder p = 0.265, promo p = 0.005
	// profit per customer: reminder 0.840, promo 0.540, diff -0.300 [-0.423, -0.177], p = 1.7e-06
	// decision: keep the reminder (the promo's extra returns do not pay for its discount)
}

func ExampleExperiment_Assign() {
	exp := abtest.Experiment{
		Key:      "reactivation-90d",
		Variants: []string{"reminder", "promo"},
		Weights:  []float64{0.5, 0.5},
		Holdout:  0.1,
	}
	for _, id := range []string{"cust-1", "cust-2", "cust-3", "cust-5", "cust-6"} {
		a, err := exp.Assign(id)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %+v\n", id, a)
	}
	_, err := exp.Assign("")
	fmt.Println(errors.Is(err, abtest.ErrEmptyCustomerID))
	// Output:
	// cust-1: {Variant:reminder Index:0 InExperiment:true HeldOut:false Bucket:0.2116}
	// cust-2: {Variant:reminder Index:0 InExperiment:true HeldOut:false Bucket:0.3643}
	// cust-3: {Variant: Index:-1 InExperiment:true HeldOut:true Bucket:0.8815}
	// cust-5: {Variant: Index:-1 InExperiment:true HeldOut:true Bucket:0.4512}
	// cust-6: {Variant: Index:-1 InExperiment:true HeldOut:true Bucket:0.2563}
	// true
}

func ExampleParseExperiment() {
	exp, err := abtest.ParseExperiment([]byte(`{
		"key": "welcome-series",
		"variants": ["control", "short", "long"],
		"weights": [0.5, 0.25, 0.25],
		"coverage": 0.8,
		"namespace": {"id": "onboarding", "range": [0, 0.5]}
	}`))
	fmt.Println(exp.Key, exp.Variants, *exp.Coverage, err)
	_, err = abtest.ParseExperiment([]byte(`{"key": "k", "variants": ["a", "b"], "weight": [1]}`))
	fmt.Println(errors.Is(err, abtest.ErrInvalidExperiment))
	// Output:
	// welcome-series [control short long] 0.8 <nil>
	// true
}

func ExampleExperiment_Validate() {
	err := abtest.Experiment{Key: "k", Variants: []string{"a", "b"}, Weights: []float64{0.5, 0.6}}.Validate()
	var ce *abtest.ConfigError
	fmt.Println(errors.As(err, &ce), ce.Field)
	// Output:
	// true weights
}

func ExampleExperiment_Ranges() {
	cov := 0.5
	exp := abtest.Experiment{Key: "k", Variants: []string{"a", "b", "c"}, Weights: []float64{0.2, 0.3, 0.5}, Coverage: &cov}
	fmt.Println(exp.Ranges())
	// Output:
	// [[0 0.1] [0.2 0.35] [0.5 0.75]]
}

func ExampleInGroup() {
	// A 5% global control group that no marketing scenario may touch.
	in := 0
	for i := range 10000 {
		if abtest.InGroup("global-control-2026", fmt.Sprintf("cust-%d", i), 0.05) {
			in++
		}
	}
	fmt.Println(in, "of 10000 customers in the global control group")
	fmt.Println(abtest.InGroup("global-control-2026", "", 1)) // unknown customer: never
	// Output:
	// 474 of 10000 customers in the global control group
	// false
}

func ExampleHash() {
	v1, _ := abtest.Hash("", "a", 1)
	v2, _ := abtest.Hash("seed", "a", 2)
	_, ok := abtest.Hash("seed", "a", 99)
	fmt.Println(v1, v2, ok)
	// Output:
	// 0.22 0.0505 false
}

func ExampleBucketRanges() {
	fmt.Println(abtest.BucketRanges(3, 0.2, []float64{0.2, 0.3, 0.5}))
	fmt.Println(abtest.BucketRanges(2, 1, []float64{0.7, 0.6})) // bad weights: GrowthBook falls back to equal
	// Output:
	// [[0 0.04000000000000001] [0.2 0.26] [0.5 0.6]]
	// [[0 0.5] [0.5 1]]
}

func ExampleChooseVariation() {
	ranges := [][2]float64{{0, 0.25}, {0.5, 0.75}}
	fmt.Println(abtest.ChooseVariation(0.2, ranges), abtest.ChooseVariation(0.4, ranges), abtest.ChooseVariation(0.5, ranges))
	// Output:
	// 0 -1 1
}

func ExampleInRange() {
	fmt.Println(abtest.InRange(0.5, [2]float64{0, 0.5}), abtest.InRange(0, [2]float64{0, 0.5}))
	// Output:
	// false true
}

func ExampleInNamespace() {
	ns := abtest.Namespace{ID: "namespace1", Range: [2]float64{0.4, 1}}
	fmt.Println(abtest.InNamespace("1", ns), abtest.InNamespace("3", abtest.Namespace{ID: "namespace2", Range: [2]float64{0, 0.4}}))
	// Output:
	// true true
}

func ExampleEqualWeights() {
	fmt.Println(abtest.EqualWeights(4), abtest.EqualWeights(0))
	// Output:
	// [0.25 0.25 0.25 0.25] []
}

func ExampleProportion_Rate() {
	fmt.Println(abtest.Proportion{N: 200, Conversions: 7}.Rate())
	// Output:
	// 0.035
}

func ExampleZTest() {
	r, _ := abtest.ZTest(abtest.Proportion{N: 10000, Conversions: 500}, abtest.Proportion{N: 10000, Conversions: 560}, 0)
	fmt.Printf("diff %.4f z %.4f p %.4f CI [%.5f, %.5f] significant %v\n", r.Diff, r.Z, r.PValue, r.CILow, r.CIHigh, r.Significant)
	// Output:
	// diff 0.0060 z 1.8938 p 0.0583 CI [-0.00021, 0.01221] significant false
}

func ExampleRelativeUplift() {
	r, _ := abtest.RelativeUplift(abtest.Proportion{N: 10000, Conversions: 500}, abtest.Proportion{N: 10000, Conversions: 560}, 0.05)
	fmt.Printf("uplift %+.1f%% [%+.1f%%, %+.1f%%], chance to win %.3f\n", 100*r.Uplift, 100*r.CILow, 100*r.CIHigh, r.ChanceToWin)
	_, err := abtest.RelativeUplift(abtest.Proportion{N: 50}, abtest.Proportion{N: 50, Conversions: 5}, 0.05)
	fmt.Println(errors.Is(err, abtest.ErrUndefined))
	// Output:
	// uplift +12.0% [-1.1%, +25.1%], chance to win 0.963
	// true
}

func ExampleWelch() {
	r, _ := abtest.Welch(abtest.Sample{N: 9000, Mean: 2.35, Variance: 180}, abtest.Sample{N: 9000, Mean: 2.80, Variance: 210.5}, 0.05)
	fmt.Printf("revenue/customer diff %.2f [%.3f, %.3f] p %.4f df %.0f uplift %+.1f%%\n", r.Diff, r.CILow, r.CIHigh, r.PValue, r.DF, 100*r.Relative.Uplift)
	_, err := abtest.Welch(abtest.Sample{N: 1, Mean: 10}, abtest.Sample{N: 50, Mean: 12, Variance: 9}, 0.05)
	fmt.Println(err)
	// Output:
	// revenue/customer diff 0.45 [0.042, 0.858] p 0.0308 df 17889 uplift +19.1%
	// abtest: Welch: undefined: control has fewer than 2 customers: no sample variance
}

func ExampleSampleFromSums() {
	s, _ := abtest.SampleFromSums(5, 50, 600)
	fmt.Printf("%+v\n", s)
	// Output:
	// {N:5 Mean:10 Variance:25}
}

func ExampleBayes() {
	r, _ := abtest.Bayes(abtest.Proportion{N: 60, Conversions: 4}, abtest.Proportion{N: 60, Conversions: 11}, abtest.BetaPrior{})
	fmt.Printf("P(B > A) = %.4f, expected loss choosing B %.5f, choosing A %.4f\n", r.ProbTreatmentBeats, r.ExpectedLossTreatment, r.ExpectedLossControl)
	// Output:
	// P(B > A) = 0.9711, expected loss choosing B 0.00069, choosing A 0.1136
}

func ExampleSRM() {
	r, _ := abtest.SRM([]int64{4500, 4600, 800}, []float64{0.45, 0.45, 0.10})
	fmt.Printf("chi2 %.2f p %.2g mismatch %v\n", r.ChiSquare, r.PValue, r.Mismatch)
	// Output:
	// chi2 41.64 p 9.1e-10 mismatch true
}

func ExampleSRMResult_Err() {
	r, _ := abtest.SRM([]int64{100, 95, 3}, []float64{0.5, 0.5, 0})
	err := r.Err()
	fmt.Println(errors.Is(err, abtest.ErrSampleRatioMismatch))
	fmt.Println(err)
	// Output:
	// true
	// abtest: sample ratio mismatch: traffic in zero-weight arms [2] (p = 0.72)
}

func ExampleSampleSize() {
	r, _ := abtest.SampleSize(abtest.SampleSizePlan{Baseline: 0.03, MDE: 0.2, Relative: true, DailyCustomers: 1500})
	fmt.Printf("%d + %d customers, %d days\n", r.ControlN, r.TreatmentN, r.Days)
	// Output:
	// 13914 + 13914 customers, 19 days
}

func ExampleMSPRT_Look() {
	m := abtest.MSPRT{Tau2: 1e-4, Alpha: 0.05}
	r, _ := m.Look(0.015, 4e-6)
	fmt.Printf("p %.3g reject %v CI [%.4f, %.4f]\n", r.PValue, r.Reject, r.CILow, r.CIHigh)
	// Output:
	// p 9.18e-12 reject true CI [0.0088, 0.0212]
}

func ExampleMSPRT_Sequence() {
	// Cumulative counts, one look per day: peeking daily is safe.
	looks := []abtest.ConversionLook{
		{Control: abtest.Proportion{N: 1000, Conversions: 30}, Treatment: abtest.Proportion{N: 1000, Conversions: 45}},
		{Control: abtest.Proportion{N: 2000, Conversions: 61}, Treatment: abtest.Proportion{N: 2000, Conversions: 95}},
		{Control: abtest.Proportion{N: 3000, Conversions: 90}, Treatment: abtest.Proportion{N: 3000, Conversions: 150}},
	}
	res, _ := abtest.MSPRT{Tau2: 1e-4}.Sequence(looks)
	for day, r := range res {
		fmt.Printf("day %d: diff %.4f always-valid p %.4f reject %v\n", day+1, r.Diff, r.PValue, r.Reject)
	}
	// Output:
	// day 1: diff 0.0150 always-valid p 0.6238 reject false
	// day 2: diff 0.0170 always-valid p 0.1152 reject false
	// day 3: diff 0.0200 always-valid p 0.0043 reject true
}

func ExampleNewGrowthBookSequential() {
	r, _ := abtest.NewGrowthBookSequential(0.05, 0.02, 5000, 0.05, 5000)
	fmt.Printf("CI [%.4f, %.4f] p %.4f\n", r.CILow, r.CIHigh, r.PValue)
	// Output:
	// CI [-0.0107, 0.1107] p 0.1863
}

func ExampleAdjustPValues() {
	p := []float64{0.01, 0.04, 0.03, 0.005}
	for _, c := range []abtest.Correction{abtest.Bonferroni, abtest.Holm, abtest.BenjaminiHochberg, abtest.Sidak} {
		adj, _ := abtest.AdjustPValues(p, c)
		fmt.Printf("%s %.4f\n", c, adj)
	}
	// Output:
	// bonferroni [0.0400 0.1600 0.1200 0.0200]
	// holm [0.0300 0.0600 0.0600 0.0200]
	// benjamini-hochberg [0.0200 0.0400 0.0400 0.0200]
	// sidak [0.0394 0.1507 0.1147 0.0199]
}

func ExampleCompareProfit() {
	control := abtest.ProfitArm{N: 4000, Revenue: 30000, DiscountCost: 0, ProfitSq: 2.1e6}
	promo := abtest.ProfitArm{N: 4000, Revenue: 38000, DiscountCost: 9000, ProfitSq: 2.0e6}
	r, _ := abtest.CompareProfit(control, promo, 0.05)
	fmt.Printf("revenue %.2f vs %.2f, discount %.2f, profit diff %.3f p %.3f\n",
		r.ControlRevenue, r.TreatmentRevenue, r.TreatmentDiscount, r.Welch.Diff, r.Welch.PValue)
	// Output:
	// revenue 7.50 vs 9.50, discount 2.25, profit diff -0.250 p 0.601
}

func ExampleProfitArm_Sample() {
	s, _ := abtest.ProfitArm{N: 4, Revenue: 100, DiscountCost: 20, ProfitSq: 3200}.Sample()
	fmt.Printf("%+v\n", s)
	// Output:
	// {N:4 Mean:20 Variance:533.3333333333334}
}

func ExampleCorrection_String() {
	fmt.Println(abtest.Holm, abtest.BenjaminiHochberg)
	// Output:
	// holm benjamini-hochberg
}

func ExampleExperiment_ExpectedShares() {
	cov := 0.5
	exp := abtest.Experiment{Key: "k", Variants: []string{"reminder", "promo"}, Coverage: &cov, Holdout: 0.1}
	fmt.Printf("%.4f\n", exp.ExpectedShares()) // reminder, promo, holdout
	// Output:
	// [0.4091 0.4091 0.1818]
}
