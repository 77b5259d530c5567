package abtest

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

// allFinite walks a result struct and reports any NaN or Inf float.
func allFinite(v any) bool {
	return finiteValue(reflect.ValueOf(v))
}

func finiteValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Float64:
		return isFinite(v.Float())
	case reflect.Struct:
		for i := range v.NumField() {
			if !finiteValue(v.Field(i)) {
				return false
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if !finiteValue(v.Index(i)) {
				return false
			}
		}
	case reflect.Pointer:
		return v.IsNil() || finiteValue(v.Elem())
	}
	return true
}

// typedError reports whether err is one of the package's sentinels.
func typedError(err error) bool {
	return errors.Is(err, ErrInvalidInput) || errors.Is(err, ErrUndefined) ||
		errors.Is(err, ErrInvalidExperiment) || errors.Is(err, ErrEmptyCustomerID)
}

func isProb(p float64) bool { return p >= 0 && p <= 1 }

func FuzzParseExperiment(f *testing.F) {
	f.Add([]byte(`{"key":"k","variants":["a","b"]}`), "c1")
	f.Add([]byte(`{"key":"k","variants":["a","b","c"],"weights":[0.2,0.3,0.5],"coverage":0.5,"holdout":0.1,"namespace":{"id":"n","range":[0.1,0.7]},"hash_version":1,"seed":"s"}`), "cust-9")
	f.Add([]byte(`{"key":"k","variants":["a"],"holdout":0.99}`), "x")
	f.Add([]byte(`{"key":"k","variants":["a","b"],"weights":[1e308,1e308]}`), "x")
	f.Add([]byte(`{"key":"k","variants":["a","b"]}garbage`), "x")
	f.Add([]byte(`[]`), "")
	f.Fuzz(func(t *testing.T, data []byte, id string) {
		e, err := ParseExperiment(data)
		if err != nil {
			if !errors.Is(err, ErrInvalidExperiment) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		checkAssign(t, e, id)
	})
}

// checkAssign asserts Assign's invariants for a valid experiment.
func checkAssign(t *testing.T, e Experiment, id string) {
	t.Helper()
	a, err := e.Assign(id)
	if id == "" {
		if !errors.Is(err, ErrEmptyCustomerID) {
			t.Fatalf("empty id: err %v", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("valid experiment: %v", err)
	}
	b, _ := e.Assign(id)
	if a != b {
		t.Fatalf("not deterministic: %+v vs %+v", a, b)
	}
	if !(a.Bucket >= 0 && a.Bucket < 1) {
		t.Fatalf("bucket %v", a.Bucket)
	}
	switch {
	case a.HeldOut:
		if !a.InExperiment || a.Index != -1 || a.Variant != "" {
			t.Fatalf("held out %+v", a)
		}
	case a.InExperiment:
		if a.Index < 0 || a.Index >= len(e.Variants) || e.Variants[a.Index] != a.Variant {
			t.Fatalf("enrolled %+v", a)
		}
		if !InRange(a.Bucket, e.Ranges()[a.Index]) {
			t.Fatalf("bucket %v outside range %v", a.Bucket, e.Ranges()[a.Index])
		}
	default:
		if a.Index != 0 || a.Variant != e.Variants[0] {
			t.Fatalf("not enrolled %+v", a)
		}
	}
}

func FuzzAssign(f *testing.F) {
	f.Add("reactivation", "cust-1", "", 0.5, 1.0, 0.1, 2, "", 0.0, 1.0)
	f.Add("k", "José", "seed", 0.1, 0.5, 0.0, 1, "ns", 0.2, 0.6)
	f.Add("k", "客户-42", "", 0.0, 0.0, 0.5, 0, "", 0.0, 0.0)
	f.Fuzz(func(t *testing.T, key, id, seed string, w0, cov, holdout float64, version int, ns string, lo, hi float64) {
		e := Experiment{Key: key, Variants: []string{"a", "b"}, Weights: []float64{w0, 1 - w0}, Coverage: &cov,
			Holdout: holdout, HashVersion: version, Seed: seed}
		if ns != "" {
			e.Namespace = &Namespace{ID: ns, Range: [2]float64{lo, hi}}
		}
		if err := e.Validate(); err != nil {
			if _, aerr := e.Assign(id); !errors.Is(aerr, ErrInvalidExperiment) {
				t.Fatalf("invalid experiment assigned: %v", aerr)
			}
			return
		}
		checkAssign(t, e, id)
		_ = InGroup(key, id, holdout)
	})
}

func FuzzZTestRelativeBayes(f *testing.F) {
	f.Add(int64(10000), int64(500), int64(10000), int64(560), 0.05)
	f.Add(int64(1), int64(0), int64(1), int64(1), 0.0)
	f.Add(int64(50), int64(50), int64(50), int64(50), 0.1)
	f.Add(int64(0), int64(0), int64(5), int64(1), 0.05)
	f.Add(int64(1e15), int64(1), int64(3), int64(3), 0.5)
	f.Add(int64(-1), int64(0), int64(5), int64(9), 2.0)
	f.Fuzz(func(t *testing.T, na, xa, nb, xb int64, alpha float64) {
		c, tr := Proportion{na, xa}, Proportion{nb, xb}
		z, err := ZTest(c, tr, alpha)
		if err != nil {
			if !typedError(err) {
				t.Fatalf("untyped %v", err)
			}
		} else if !allFinite(z) || !isProb(z.PValue) || !isProb(z.PValueOneSided) || z.CILow > z.CIHigh {
			t.Fatalf("ZTest %+v", z)
		}
		r, err := RelativeUplift(c, tr, alpha)
		if err != nil {
			if !typedError(err) {
				t.Fatalf("untyped %v", err)
			}
		} else if !allFinite(r) || !isProb(r.PValue) || !isProb(r.ChanceToWin) || r.ExpectedLossControl < 0 || r.ExpectedLossTreatment < 0 {
			t.Fatalf("RelativeUplift %+v", r)
		}
		if na > 1e9 || nb > 1e9 { // keep the seed corpus fast; counts are still exercised above
			return
		}
		b, err := Bayes(c, tr, BetaPrior{})
		if err != nil {
			if !typedError(err) {
				t.Fatalf("untyped %v", err)
			}
			return
		}
		if !allFinite(b) || !isProb(b.ProbTreatmentBeats) || !isProb(b.ProbControlBeats) ||
			math.Abs(b.ProbTreatmentBeats+b.ProbControlBeats-1) > 1e-9 || b.ExpectedLossControl < 0 || b.ExpectedLossTreatment < 0 {
			t.Fatalf("Bayes %+v", b)
		}
	})
}

func FuzzWelch(f *testing.F) {
	f.Add(int64(9000), 2.35, 180.0, int64(9000), 2.8, 210.5, 0.05)
	f.Add(int64(2), 10.0, 8.0, int64(2), 14.0, 18.0, 0.0)
	f.Add(int64(1), 10.0, 0.0, int64(50), 12.0, 9.0, 0.05)
	f.Add(int64(30), 7.0, 0.0, int64(30), 7.0, 0.0, 0.05)
	f.Add(int64(10000000), 1.0, 25.0, int64(10000000), 1.01, 25.5, 0.05)
	f.Add(int64(3), 1e300, 1e300, int64(3), -1e300, 1e-300, 0.05)
	f.Fuzz(func(t *testing.T, na int64, ma, va float64, nb int64, mb, vb, alpha float64) {
		w, err := Welch(Sample{na, ma, va}, Sample{nb, mb, vb}, alpha)
		if err != nil {
			if !typedError(err) {
				t.Fatalf("untyped %v", err)
			}
			return
		}
		if !allFinite(w) || !isProb(w.PValue) || w.CILow > w.CIHigh || w.DF <= 0 {
			t.Fatalf("Welch %+v", w)
		}
		if s, err := SampleFromSums(na, ma, va); err == nil && !allFinite(s) {
			t.Fatalf("SampleFromSums %+v", s)
		}
	})
}

func FuzzSRM(f *testing.F) {
	f.Add(int64(4500), int64(4600), int64(800), 0.45, 0.45, 0.1)
	f.Add(int64(0), int64(0), int64(0), 0.5, 0.5, 0.0)
	f.Add(int64(100), int64(95), int64(3), 0.5, 0.5, 0.0)
	f.Add(int64(1), int64(0), int64(1e18), 1e-300, 1.0, 1.0)
	f.Fuzz(func(t *testing.T, a, b, c int64, wa, wb, wc float64) {
		r, err := SRM([]int64{a, b, c}, []float64{wa, wb, wc})
		if err != nil {
			if !typedError(err) {
				t.Fatalf("untyped %v", err)
			}
			return
		}
		if !allFinite(r) || !isProb(r.PValue) || r.ChiSquare < 0 || (r.Err() != nil) != r.Mismatch {
			t.Fatalf("SRM %+v", r)
		}
	})
}

func FuzzPlanningAndSequential(f *testing.F) {
	f.Add(0.05, 0.01, false, 0.05, 0.8, 1.0, 0.006, 4e-6, 1e-4)
	f.Add(0.95, 0.06, false, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
	f.Add(0.1, 0.1, true, 0.01, 0.99, 9.0, 1e300, 1e-300, 1e300)
	f.Fuzz(func(t *testing.T, base, mde float64, rel bool, alpha, power, ratio, d, v, tau2 float64) {
		s, err := SampleSize(SampleSizePlan{Baseline: base, MDE: mde, Relative: rel, Alpha: alpha, Power: power, Ratio: ratio, DailyCustomers: 100})
		if err != nil {
			if !typedError(err) {
				t.Fatalf("untyped %v", err)
			}
		} else if !allFinite(s) || s.ControlN <= 0 || s.TreatmentN <= 0 {
			t.Fatalf("SampleSize %+v", s)
		}
		m, err := MSPRT{Tau2: tau2, Alpha: alpha}.Look(d, v)
		if err != nil {
			if !typedError(err) {
				t.Fatalf("untyped %v", err)
			}
		} else if !allFinite(m) || !isProb(m.PValue) || m.CILow > m.CIHigh {
			t.Fatalf("MSPRT %+v", m)
		}
		g, err := NewGrowthBookSequential(d, v, int64(ratio*1000), alpha, tau2)
		if err != nil {
			if !typedError(err) {
				t.Fatalf("untyped %v", err)
			}
		} else if !allFinite(g) || !isProb(g.PValue) {
			t.Fatalf("GrowthBookSequential %+v", g)
		}
		for _, c := range []Correction{Bonferroni, Holm, BenjaminiHochberg, Sidak} {
			adj, err := AdjustPValues([]float64{alpha, power, base}, c)
			if err != nil {
				if !typedError(err) {
					t.Fatalf("untyped %v", err)
				}
				continue
			}
			for i, p := range adj {
				if !isProb(p) || p < []float64{alpha, power, base}[i] {
					t.Fatalf("%v adjusted %v", c, adj)
				}
			}
		}
	})
}
