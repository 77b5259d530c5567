//go:build !race

package scenario_test

// raceOn: the race detector slows evaluation tenfold; long simulations
// shrink under it.
const raceOn = false
