package abtest

import "testing"

var sinkAssignment Assignment

func benchAssign(b *testing.B, e Experiment) {
	ids := customers(1024)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a, err := e.Assign(ids[i&1023])
		if err != nil {
			b.Fatal(err)
		}
		sinkAssignment = a
		i++
	}
}

func BenchmarkAssign(b *testing.B) {
	b.Run("v2-two-variants", func(b *testing.B) {
		benchAssign(b, Experiment{Key: "reactivation-90d", Variants: []string{"reminder", "promo"}})
	})
	b.Run("v1-two-variants", func(b *testing.B) {
		benchAssign(b, Experiment{Key: "reactivation-90d", Variants: []string{"reminder", "promo"}, HashVersion: 1})
	})
	b.Run("v2-holdout-namespace-weights", func(b *testing.B) {
		benchAssign(b, Experiment{Key: "welcome", Variants: []string{"a", "b", "c", "d"}, Weights: []float64{0.4, 0.2, 0.2, 0.2},
			Coverage: ptr(0.9), Holdout: 0.1, Namespace: &Namespace{ID: "onboarding", Range: [2]float64{0, 0.8}}})
	})
}

func BenchmarkInGroup(b *testing.B) {
	ids := customers(1024)
	b.ReportAllocs()
	i, n := 0, 0
	for b.Loop() {
		if InGroup("global-control", ids[i&1023], 0.05) {
			n++
		}
		i++
	}
	_ = n
}

func BenchmarkZTest(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ZTest(Proportion{10000, 500}, Proportion{10000, 560}, 0.05); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWelch(b *testing.B) {
	for _, n := range []int64{1000, 10_000_000} {
		b.Run(itoa(int(n)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Welch(Sample{n, 2.35, 180}, Sample{n, 2.8, 210.5}, 0.05); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBayes(b *testing.B) {
	for _, n := range []int64{100, 10_000, 10_000_000} {
		b.Run(itoa(int(n)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Bayes(Proportion{n, n / 20}, Proportion{n, n / 18}, BetaPrior{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
