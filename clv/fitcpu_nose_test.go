package clv

import "testing"

// BenchmarkFitCPUNoStdErrors is BenchmarkFitCPU without standard errors,
// as scipy's L-BFGS-B fits in clv/bench/run.sh.
func BenchmarkFitCPUNoStdErrors(b *testing.B) {
	benchFitCPU(b, func(k Kind, cs []Customer) error {
		_, err := FitWith(k, cs, FitOptions{NoStdErrors: true})
		return err
	})
}
