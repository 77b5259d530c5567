//go:build race

package scenario

// raceOn: the race detector slows evaluation tenfold; long simulations
// shrink under it.
const raceOn = true

// RaceOn is raceOn for the external test package.
const RaceOn = raceOn
