//go:build !linux

package scenario

import "time"

// threadCPU is unavailable here: benchmarks report no cpu-ns/op.
func threadCPU() time.Duration { return 0 }
