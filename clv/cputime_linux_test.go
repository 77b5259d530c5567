//go:build linux

package clv

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user + system) of the whole process: a fit
// runs gonum's optimiser in a goroutine of its own, so a thread's time
// would miss part of it. On a loaded machine this, not wall time, is the
// figure to compare.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
