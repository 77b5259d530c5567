package clv

import "testing"

// BenchmarkFitCPU fits each model on CDNOW with Fit (standard errors
// included) and reports the process CPU time per fit (cpu-ns/op), the
// figure to compare on a loaded machine. It uses only Fit and
// processCPU, so clv/bench/run.sh can build it into an older
// revision of the package as the baseline.
func BenchmarkFitCPU(b *testing.B) {
	benchFitCPU(b, func(k Kind, cs []Customer) error { _, err := Fit(k, cs); return err })
}

func benchFitCPU(b *testing.B, fit func(Kind, []Customer) error) {
	cs := cdnowSummary(b)
	for _, k := range []Kind{BGNBD, ParetoNBD, MBGNBD, GammaGammaKind} {
		b.Run(string(k), func(b *testing.B) {
			b.ReportAllocs()
			cpu0, ok := processCPU()
			n := 0
			for b.Loop() {
				if err := fit(k, cs); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if cpu1, ok1 := processCPU(); ok && ok1 && n > 0 {
				b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(n), "cpu-ns/op")
			}
		})
	}
}
