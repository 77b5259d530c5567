package clv_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/clv"
)

// cdnow reads the raw CDNOW sample (2,357 customers) and summarises it
// with the literature's 39 + 39 week split.
func cdnow() []clv.Customer {
	f, err := os.Open("../testdata/cdnow/cdnowElog.csv")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		panic(err)
	}
	var rows []clv.Row
	for _, r := range recs[1:] {
		d, _ := time.Parse("20060102", r[2])
		amount, _ := strconv.ParseFloat(r[4], 64)
		rows = append(rows, clv.Row{Customer: r[1], Time: d, Amount: amount})
	}
	cs, err := clv.SummarizeRows(rows, clv.Period{
		CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC),
		HoldoutEnd:     time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		panic(err)
	}
	return cs
}

func date(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, time.UTC) }

func ExampleSummarizeRows() {
	rows := []clv.Row{
		{Customer: "ann", Time: date(1, 5), Amount: 40},
		{Customer: "ann", Time: date(1, 5).Add(6 * time.Hour), Amount: 10}, // same day: merged
		{Customer: "ann", Time: date(2, 2), Amount: 30},
		{Customer: "bob", Time: date(3, 2), Amount: 20},
		{Customer: "ann", Time: date(4, 13), Amount: 25}, // holdout
	}
	cs, err := clv.SummarizeRows(rows, clv.Period{CalibrationEnd: date(3, 30), HoldoutEnd: date(6, 29)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cs {
		fmt.Printf("%s x=%d t_x=%.0f T=%.0f zbar=%.0f first=%.0f x*=%d\n", c.ID, c.X, c.Tx, c.T, c.MeanValue, c.FirstValue, c.XStar)
	}
	// Output:
	// ann x=1 t_x=4 T=12 zbar=30 first=50 x*=1
	// bob x=0 t_x=0 T=4 zbar=0 first=20 x*=0
}

func ExampleSummarize() {
	tl := parcours.Timeline{
		Profile: parcours.Profile{ID: "c1", TimeZone: "America/New_York"},
		Events: []parcours.Event{
			{ID: "o1", Type: parcours.Order, Time: date(1, 5), Props: map[string]any{parcours.PropAmount: 40.0}},
			{ID: "o2", Type: parcours.Order, Time: date(1, 19), Props: map[string]any{parcours.PropAmount: "19.5"}},
			{ID: "v1", Type: parcours.StoreVisit, Time: date(1, 20)},
		},
	}
	cs, err := clv.Summarize([]parcours.Timeline{tl}, clv.Period{Unit: clv.Day, CalibrationEnd: date(2, 4)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%+v\n", cs[0])
	// Output:
	// {ID:c1 X:1 Tx:14 T:30 MeanValue:19.5 FirstValue:40 RepeatValue:19.5 XStar:0 HoldoutValue:0 Birth:2026-01-05 00:00:00 +0000 UTC}
}

func ExampleFit() {
	f, err := clv.Fit(clv.BGNBD, cdnow())
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, name := range f.Kind.ParamNames() {
		fmt.Printf("%s = %.3f (se %.3f)\n", name, f.Params[i], f.StdErrors[i])
	}
	fmt.Printf("LL = %.1f, %d customers in %d cells\n", f.LogLikelihood, f.Customers, f.Cells)
	// Output:
	// r = 0.243 (se 0.013)
	// alpha = 4.414 (se 0.378)
	// a = 0.793 (se 0.186)
	// b = 2.426 (se 0.705)
	// LL = -9582.4, 2357 customers in 1016 cells
}

func ExampleFitFrom() {
	f, err := clv.FitFrom(clv.GammaGammaKind, cdnow(), []float64{1, 1, 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("p = %.2f, q = %.2f, gamma = %.2f on %d repeat customers\n", f.Params[0], f.Params[1], f.Params[2], f.Customers)
	// Output:
	// p = 6.25, q = 3.74, gamma = 15.44 on 946 repeat customers
}

func ExampleNewPurchaseModel() {
	m, err := clv.NewPurchaseModel(clv.ParetoNBD, []float64{0.553, 10.578, 0.606, 11.669})
	if err != nil {
		fmt.Println(err)
		return
	}
	// CDNOW customer 1516: 26 repeat purchases, the last at week 30.86 of 31.
	c := clv.Customer{X: 26, Tx: 30.86, T: 31}
	p, _ := m.PAlive(c)
	e, _ := m.ConditionalExpected(c, 52)
	fmt.Printf("P(alive) = %.4f, next 52 weeks: %.2f purchases\n", p, e)
	// Output:
	// P(alive) = 0.9979, next 52 weeks: 25.46 purchases
}

func ExampleBGNBDModel_Expected() {
	m := clv.BGNBDModel{R: 0.2425928968807734, Alpha: 4.413531369003333, A: 0.7928860113886045, B: 2.425752717630986}
	e, _ := m.Expected(78)
	fmt.Printf("a new customer makes %.3f repeat purchases in 78 weeks\n", e)
	// Output:
	// a new customer makes 1.858 repeat purchases in 78 weeks
}

func ExampleParetoNBDModel_Expected() {
	m := clv.ParetoNBDModel{R: 0.55, Alpha: 10.56, S: 0.61, Beta: 11.64}
	e, _ := m.Expected(9)
	fmt.Printf("%.8f\n", e)
	// Output:
	// 0.38909211
}

func ExampleParetoNBDModel_DiscountedExpected() {
	m := clv.ParetoNBDModel{R: 0.5532755375581382, Alpha: 10.577612422297099, S: 0.606213694392384, Beta: 11.66791418870149}
	// 15 % a year, continuously compounded per week.
	delta := 0.002687729661060743
	det, _ := m.DiscountedExpected(clv.Customer{X: 2, Tx: 30.43, T: 38.86}, delta)
	spend := clv.GammaGamma{P: 6.248802741747647, Q: 3.744588619095421, Gamma: 15.447747638050021}
	ev, _ := spend.ExpectedValue(clv.Customer{X: 2, MeanValue: 22.35})
	fmt.Printf("DET %.2f, CLV at 30 %% margin %.2f\n", det, 0.3*ev*det)
	// Output:
	// DET 6.50, CLV at 30 % margin 48.09
}

func ExampleGammaGamma_ExpectedValue() {
	g := clv.GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	for _, c := range []clv.Customer{{X: 0}, {X: 1, MeanValue: 11.77}, {X: 2, MeanValue: 22.35}} {
		v, _ := g.ExpectedValue(c)
		fmt.Printf("x=%d zbar=%.2f: %.2f\n", c.X, c.MeanValue, v)
	}
	// Output:
	// x=0 zbar=0.00: 35.22
	// x=1 zbar=11.77: 18.92
	// x=2 zbar=22.35: 24.66
}

func ExampleDiscountedPurchases() {
	m := clv.BGNBDModel{R: 0.2425928968807734, Alpha: 4.413531369003333, A: 0.7928860113886045, B: 2.425752717630986}
	c := clv.Customer{X: 2, Tx: 30.43, T: 38.86}
	// 12 months of 4.345 weeks, 1 % per month.
	d, _ := clv.DiscountedPurchases(m, c, 4.345, 12, 0.01)
	fmt.Printf("%.4f discounted purchases\n", d)
	// Output:
	// 1.4712 discounted purchases
}

func ExampleParseModel() {
	m, err := clv.ParseModel([]byte(`{
		"kind": "bgnbd", "params": [0.243, 4.414, 0.793, 2.426],
		"spend": {"p": 6.25, "q": 3.74, "gamma": 15.44},
		"margin": 0.3, "annual_discount": 0.15, "period": "4w"}`))
	fmt.Println(m.Kind, m.Params, m.Period, err)
	_, err = clv.ParseModel([]byte(`{"kind": "bgnbd", "params": [0.243, 4.414]}`))
	fmt.Println(err)
	// Output:
	// bgnbd [0.243 4.414 0.793 2.426] 28d <nil>
	// clv: invalid parameters: bgnbd takes 4 parameters [r alpha a b], got 2
}

func ExampleModel_Predict() {
	m := clv.Model{Kind: clv.BGNBD, Params: []float64{0.243, 4.414, 0.793, 2.426},
		Spend: &clv.GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}, Margin: 0.3, AnnualDiscount: 0.15}
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1"}, Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: date(1, 5), Props: map[string]any{parcours.PropAmount: 40.0}},
		{ID: "o2", Type: parcours.Order, Time: date(3, 2), Props: map[string]any{parcours.PropAmount: 25.0}},
		{ID: "o3", Type: parcours.Order, Time: date(5, 11), Props: map[string]any{parcours.PropAmount: 30.0}},
	}}
	p, err := m.Predict(tl, date(6, 30), 365*24*time.Hour)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("P(alive) %.3f, purchases %.2f, order value %.2f, value %.2f, historic %.2f\n",
		p.PAlive, p.ExpectedPurchases, p.ExpectedOrderValue, p.Value, p.HistoricValue)
	// Output:
	// P(alive) 0.699, purchases 2.04, order value 28.89, value 16.47, historic 28.50
}

func ExampleTrackHoldout() {
	m := clv.BGNBDModel{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	tr, err := clv.TrackHoldout(m, cdnow(), 39)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range append(tr.Rows, tr.Total) {
		fmt.Printf("%-5s %4d %6.3f %6.3f\n", r.Frequency, r.Customers, r.ActualMean, r.PredictedMean)
	}
	// Output:
	// 0     1411  0.237  0.225
	// 1      439  0.697  0.523
	// 2      214  1.393  1.044
	// 3      100  1.560  1.520
	// 4       62  2.532  2.164
	// 5       38  2.947  2.654
	// 6       29  3.862  3.504
	// 7+      64  6.359  6.157
	// total 2357  0.798  0.702
}

func ExampleCheckIndependence() {
	ind, err := clv.CheckIndependence(cdnow())
	fmt.Printf("%d repeat customers, correlation %.2f, %v\n", ind.Customers, ind.Correlation, err)
	// Output:
	// 946 repeat customers, correlation 0.11, <nil>
}

func ExampleHistoricValue() {
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c1"}, Events: []parcours.Event{
		{ID: "o1", Type: parcours.Order, Time: date(1, 5), Props: map[string]any{parcours.PropAmount: 40.0}},
		{ID: "o1", Type: parcours.Order, Time: date(1, 5), Props: map[string]any{parcours.PropAmount: 40.0}}, // a retry
		{ID: "o2", Type: parcours.Order, Time: date(3, 2), Props: map[string]any{parcours.PropAmount: 25.0}},
		{ID: "o3", Type: parcours.Order, Time: date(9, 1), Props: map[string]any{parcours.PropAmount: 30.0}}, // after now
	}}
	v, err := clv.HistoricValue(tl, date(6, 30), 0.3)
	fmt.Printf("%.2f %v\n", v, err)
	// Output:
	// 19.50 <nil>
}

func ExampleMBGNBDModel_Expected() {
	// CDNOW's MBG/NBD estimates, weeks.
	m := clv.MBGNBDModel{R: 0.525, Alpha: 6.183, A: 0.891, B: 1.614}
	e, err := m.Expected(52)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.3f repeat purchases in the first year\n", e)
	// Output: 1.420 repeat purchases in the first year
}

func ExampleFitWith() {
	// A host refitting every night keeps only the estimates.
	f, err := clv.FitWith(clv.ParetoNBD, cdnow(), clv.FitOptions{NoStdErrors: true})
	if err != nil {
		panic(err)
	}
	fmt.Printf("r=%.3f alpha=%.2f s=%.3f beta=%.2f, LL %.2f, %d standard errors\n",
		f.Params[0], f.Params[1], f.Params[2], f.Params[3], f.LogLikelihood, len(f.StdErrors))
	// Output: r=0.553 alpha=10.58 s=0.606 beta=11.67, LL -9594.98, 0 standard errors
}
