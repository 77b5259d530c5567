//go:build !linux

package clv

import "time"

// processCPU is unavailable here: benchmarks report no cpu-ns/op.
func processCPU() (time.Duration, bool) { return 0, false }
