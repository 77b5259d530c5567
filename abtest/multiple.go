package abtest

import (
	"math"
	"slices"
)

// Correction is a multiple-comparison adjustment of p-values.
type Correction int

// The supported corrections, with GrowthBook's algorithms. Family-wise
// error control: Bonferroni, Holm (uniformly more powerful than
// Bonferroni), Sidak (exact for independent tests). False discovery rate:
// BenjaminiHochberg.
const (
	Bonferroni        Correction = iota + 1 // min(1, m p)
	Holm                                    // step-down: min(1, (m-i) p_(i)), running max
	BenjaminiHochberg                       // step-up: min(1, m p_(i)/i), running min from the largest
	Sidak                                   // 1 - (1 - p)^m
)

// String returns the correction's name.
func (c Correction) String() string {
	switch c {
	case Bonferroni:
		return "bonferroni"
	case Holm:
		return "holm"
	case BenjaminiHochberg:
		return "benjamini-hochberg"
	case Sidak:
		return "sidak"
	}
	return "unknown"
}

// AdjustPValues returns the adjusted p-values of m simultaneous tests (for
// instance each variant against the control), in the input order. Compare
// each adjusted value with alpha as usual. Ties are ordered by input
// position, which does not change the result. P-values must lie in [0, 1].
func AdjustPValues(p []float64, c Correction) ([]float64, error) {
	const fn = "AdjustPValues"
	for _, x := range p {
		if !(x >= 0 && x <= 1) {
			return nil, &InputError{Func: fn, Field: "p", Reason: "p-values must be in [0, 1]"}
		}
	}
	m := float64(len(p))
	out := make([]float64, len(p))
	order := make([]int, len(p))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	switch c {
	case Bonferroni:
		for i, x := range p {
			out[i] = math.Min(1, m*x)
		}
	case Sidak:
		for i, x := range p {
			out[i] = -math.Expm1(m * math.Log1p(-x)) // 1-(1-p)^m without cancellation
		}
	case Holm:
		run := 0.0
		for rank, i := range order {
			run = math.Max(run, math.Min(1, (m-float64(rank))*p[i]))
			out[i] = run
		}
	case BenjaminiHochberg:
		run := 1.0
		for rank := len(order) - 1; rank >= 0; rank-- {
			i := order[rank]
			run = math.Min(run, math.Min(1, p[i]*(m/float64(rank+1)))) // m/rank >= 1 exactly
			out[i] = run
		}
	default:
		return nil, &InputError{Func: fn, Field: "correction", Reason: "unknown correction"}
	}
	return out, nil
}
