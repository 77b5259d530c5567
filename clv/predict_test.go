package clv

import (
	"testing"
)

// TestReferencePredictions checks every per-customer value of the
// reference at its fitted parameters, to its stated 1e-6 relative
// tolerance.
func TestReferencePredictions(t *testing.T) {
	ref := loadReference(t)
	const tol = 1e-6
	models := map[string]PurchaseModel{}
	for _, k := range []Kind{BGNBD, ParetoNBD, MBGNBD} {
		m, err := NewPurchaseModel(k, ref.Fitted[string(k)])
		if err != nil {
			t.Fatal(err)
		}
		models[string(k)] = m
	}
	gp := ref.Fitted["gamma_gamma"]
	gg := GammaGamma{gp[0], gp[1], gp[2]}
	check := func(t *testing.T, what string, got float64, err error, want float64) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", what, err)
			return
		}
		if e := relErr(got, want); e > tol {
			t.Errorf("%s = %.10g, want %.10g (rel. error %.2g)", what, got, want, e)
		}
	}
	for i, p := range ref.Predictions {
		c := Customer{X: int(p.X), Tx: p.Tx, T: p.T}
		if p.Zbar != nil {
			c.MeanValue = *p.Zbar
		}
		name := "paradox"
		if p.ID != nil {
			name = "id" + itoa(*p.ID)
		}
		t.Run(itoa(i)+"_"+name, func(t *testing.T) {
			for k, want := range map[string]refModelPred{"bgnbd": p.BG, "pareto_nbd": p.PNBD, "mbgnbd": p.MBG} {
				m := models[k]
				ll, err := m.LogLikelihood(c)
				check(t, k+" ll", ll, err, *want.LL)
				pa, err := m.PAlive(c)
				check(t, k+" p_alive", pa, err, want.PAlive)
				e, err := m.ConditionalExpected(c, 39)
				check(t, k+" exp_holdout_39w", e, err, want.Exp39)
			}
			pn := models["pareto_nbd"].(ParetoNBDModel)
			det, err := pn.DiscountedExpected(c, ref.Settings.PNBD.Delta)
			check(t, "pareto_nbd det_15pct", det, err, *p.PNBD.DET)
			if p.GG == nil {
				return
			}
			spend, err := gg.ExpectedValue(c)
			check(t, "expected_spend", spend, err, *p.GG.Spend)
			if p.GG.LL != nil {
				ll, err := gg.LogLikelihood(c)
				check(t, "gamma_gamma ll", ll, err, *p.GG.LL)
			}
			check(t, "clv pnbd_det_margin30", ref.Settings.PNBD.Margin*spend*det, nil, p.CLV.PNBD)
			s := ref.Settings.BG
			dp, err := DiscountedPurchases(models["bgnbd"], c, s.WeeksPerMonth, s.Months, s.MonthlyDiscount)
			check(t, "clv bgnbd_12m_1pct", spend*dp, err, p.CLV.BG)
		})
	}
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
