package clv

import (
	"errors"
	"math"
	"testing"
)

// TestFitCDNOW fits every model on the summary built from the raw CDNOW
// transactions and checks the estimates against the published figures
// (3 significant digits, log-likelihood within 0.1) and against the
// reference's fit on the same unrounded inputs (1e-3 relative, 0.01).
func TestFitCDNOW(t *testing.T) {
	cs := cdnowSummary(t)
	ref := loadReference(t)
	published := map[Kind][]float64{ // the issue's / SOURCE.md's figures
		BGNBD:          {0.243, 4.414, 0.793, 2.426},
		ParetoNBD:      {0.553, 10.578, 0.606, 11.669},
		GammaGammaKind: {6.25, 3.74, 15.44},
		MBGNBD:         ref.Published["mbgnbd"].Params,
	}
	publishedLL := map[Kind]float64{BGNBD: -9582.4, ParetoNBD: -9595.0}
	for _, k := range []Kind{BGNBD, ParetoNBD, MBGNBD, GammaGammaKind} {
		t.Run(string(k), func(t *testing.T) {
			f, err := Fit(k, cs)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %v LL %.4f se %v status %s iter %d evals %d grad %.2g", k, f.Params, f.LogLikelihood, f.StdErrors, f.Status, f.Iterations, f.Evaluations, f.GradientNorm)
			m := ref.Models[string(k)]
			un := m.Unrounded
			if un == nil {
				un = m.UnroundedZbar
			}
			for i, name := range k.ParamNames() {
				if !sig3(f.Params[i], published[k][i]) {
					t.Errorf("%s = %.5g, published %v (3 significant digits)", name, f.Params[i], published[k][i])
				}
				if e := relErr(f.Params[i], un.Params[name]); e > 1e-3 {
					t.Errorf("%s = %.7g, reference %.7g (rel. error %.2g)", name, f.Params[i], un.Params[name], e)
				}
				if e := relErr(f.Params[i], m.Params[name]); e > 1e-3 {
					t.Errorf("%s = %.7g, reference on rounded inputs %.7g (rel. error %.2g)", name, f.Params[i], m.Params[name], e)
				}
				if e := relErr(f.StdErrors[i], m.StdErrors[name]); e > 0.02 {
					t.Errorf("se(%s) = %.5g, reference %.5g", name, f.StdErrors[i], m.StdErrors[name])
				}
			}
			if k == GammaGammaKind {
				g, err := f.GammaGamma()
				if err != nil || g.Params()[0] != f.Params[0] {
					t.Errorf("GammaGamma() = %+v, %v", g, err)
				}
				if _, err := f.Model(); !errors.Is(err, ErrParams) {
					t.Errorf("Model() of a spend fit: err = %v, want ErrParams", err)
				}
			} else {
				m, err := f.Model()
				if err != nil || m.Kind() != k || m.Params()[1] != f.Params[1] {
					t.Errorf("Model() = %+v, %v", m, err)
				}
				if _, err := f.GammaGamma(); !errors.Is(err, ErrParams) {
					t.Errorf("GammaGamma() of a purchase fit: err = %v, want ErrParams", err)
				}
			}
			if k == GammaGammaKind && (f.Independence == nil || f.Independence.Customers != 946) {
				t.Errorf("independence check %+v, want 946 customers", f.Independence)
			}
			if d := f.LogLikelihood - un.LogLikelihood; d > 0.01 || d < -0.01 {
				t.Errorf("LL = %.4f, reference %.4f", f.LogLikelihood, un.LogLikelihood)
			}
			if want, ok := publishedLL[k]; ok && (f.LogLikelihood-want > 0.1 || f.LogLikelihood-want < -0.1) {
				t.Errorf("LL = %.4f, published %.1f", f.LogLikelihood, want)
			}
		})
	}
}

func TestFitErrors(t *testing.T) {
	ok := Customer{ID: "a", X: 1, Tx: 1, T: 2, MeanValue: 10}
	tests := []struct {
		name string
		kind Kind
		cs   []Customer
		want error
	}{
		{"no customers", BGNBD, nil, ErrInput},
		{"unknown kind", "weibull", []Customer{ok}, ErrParams},
		{"t_x after T", BGNBD, []Customer{{X: 1, Tx: 3, T: 2}}, ErrInput},
		{"negative x", ParetoNBD, []Customer{{X: -1, T: 2}}, ErrInput},
		{"too few repeaters", GammaGammaKind, []Customer{ok}, ErrInput},
		{"zero spend", GammaGammaKind, []Customer{ok, ok, {X: 2, Tx: 1, T: 2}}, ErrInput},
		// Nobody ever comes back: r/alpha runs to 0, the MLE does not exist.
		{"no repeat purchases", BGNBD, []Customer{{T: 10}, {T: 20}, {T: 5}}, ErrFit},
		// Everyone buys every week and nobody leaves: a runs to 0.
		{"no drop-out, no heterogeneity", BGNBD, regularBuyers(), ErrFit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Fit(tt.kind, tt.cs)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var fe *FitError
			if tt.want == ErrFit && (!errors.As(err, &fe) || fe.Kind != tt.kind || fe.Reason == "" ||
				err.Error() != "clv: fitting bgnbd: "+fe.Reason) {
				t.Fatalf("err %T %q is not a *FitError with a reason", err, err)
			}
		})
	}
}

// TestFitInDays fits BG/NBD on CDNOW summarised in days: r, a, b are
// unit-free, alpha scales by 7, and the log-likelihood of the timing data
// changes by the Jacobian -(sum of x) log 7.
func TestFitInDays(t *testing.T) {
	p := cdnowPeriod
	p.Unit = Day
	days, err := SummarizeRows(elogRows(t), p)
	if err != nil {
		t.Fatal(err)
	}
	weeks := cdnowSummary(t)
	fd, err := Fit(BGNBD, days)
	if err != nil {
		t.Fatal(err)
	}
	fw, err := Fit(BGNBD, weeks)
	if err != nil {
		t.Fatal(err)
	}
	sumX := 0
	for _, c := range days {
		sumX += c.X
	}
	scale := []float64{1, 7, 1, 1}
	for i, name := range BGNBD.ParamNames() {
		if e := relErr(fd.Params[i], fw.Params[i]*scale[i]); e > 1e-4 {
			t.Errorf("%s in days %.6g, weeks %.6g × %v", name, fd.Params[i], fw.Params[i], scale[i])
		}
	}
	want := fw.LogLikelihood - float64(sumX)*math.Log(7)
	if d := fd.LogLikelihood - want; math.Abs(d) > 1e-4 {
		t.Errorf("LL in days %.6f, want %.6f", fd.LogLikelihood, want)
	}
}

// TestFitRoundedSummary fits on the 2-decimal summary file the published
// estimates were computed from: the reference's fit on those inputs must
// come out to 1e-4 relative and 0.01 in log-likelihood.
func TestFitRoundedSummary(t *testing.T) {
	var cs []Customer
	for _, r := range readCSV(t, "cdnow_customers_summary_with_transactions.csv") {
		cs = append(cs, Customer{ID: r[0], X: int(num(t, r[1])), Tx: num(t, r[2]), T: num(t, r[3]), MeanValue: num(t, r[4])})
	}
	ref := loadReference(t)
	for _, k := range []Kind{BGNBD, ParetoNBD, MBGNBD, GammaGammaKind} {
		f, err := Fit(k, cs)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		m := ref.Models[string(k)]
		for i, name := range k.ParamNames() {
			if e := relErr(f.Params[i], m.Params[name]); e > 1e-4 {
				t.Errorf("%s %s = %.7g, reference %.7g", k, name, f.Params[i], m.Params[name])
			}
		}
		if d := f.LogLikelihood - m.LogLikelihood; math.Abs(d) > 0.01 {
			t.Errorf("%s LL = %.4f, reference %.4f", k, f.LogLikelihood, m.LogLikelihood)
		}
	}
}

func regularBuyers() []Customer {
	var cs []Customer
	for i := range 200 {
		T := float64(20 + i%20)
		cs = append(cs, Customer{X: int(T), Tx: T, T: T})
	}
	return cs
}
