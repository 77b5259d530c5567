package abtest

import (
	"math"
	"strconv"
)

// This file implements GrowthBook's helper functions (SDK spec 0.8.0,
// docs/lib/build-your-own.mdx, "Helper functions") so that buckets agree
// with the GrowthBook Go SDK byte for byte. Strings are hashed as UTF-8
// bytes, like the Go and Python SDKs (the JS SDK hashes UTF-16 code units
// and therefore differs for non-ASCII IDs).

const (
	fnvOffset32 = 0x811c9dc5
	fnvPrime32  = 0x01000193
)

// fnv1a32 hashes the concatenation of parts without building it.
func fnv1a32(parts ...string) uint32 {
	h := uint32(fnvOffset32)
	for _, s := range parts {
		for i := 0; i < len(s); i++ {
			h ^= uint32(s[i])
			h *= fnvPrime32
		}
	}
	return h
}

// hashSalted is [Hash] with the seed given as seed+salt, so that derived
// hashes (the holdout) need no string concatenation.
func hashSalted(seed, salt, value string, version int) (float64, bool) {
	switch version {
	case 1:
		return float64(fnv1a32(value, seed, salt)%1000) / 1000, true
	case 2:
		var buf [10]byte // decimal uint32 has at most 10 digits
		first := strconv.AppendUint(buf[:0], uint64(fnv1a32(seed, salt, value)), 10)
		h := uint32(fnvOffset32)
		for _, c := range first {
			h ^= uint32(c)
			h *= fnvPrime32
		}
		return float64(h%10000) / 10000, true
	}
	return 0, false
}

// Hash is GrowthBook's hash function: a deterministic bucket in [0, 1) for
// value (the customer ID) under seed (the experiment seed).
//
//   - version 1: (fnv1a32(value + seed) mod 1000) / 1000 (legacy, 1000
//     buckets, slightly biased);
//   - version 2: (fnv1a32(decimal(fnv1a32(seed + value))) mod 10000) / 10000
//     (10000 buckets, seed first, double hash).
//
// Any other version returns ok = false (GrowthBook returns null: the user is
// not in the experiment).
func Hash(seed, value string, version int) (bucket float64, ok bool) {
	return hashSalted(seed, "", value, version)
}

// InRange reports whether n lies in the half-open range [r[0], r[1]).
func InRange(n float64, r [2]float64) bool {
	return r[0] <= n && n < r[1]
}

// EqualWeights returns n equal weights 1/n, or an empty slice for n <= 0
// (GrowthBook getEqualWeights).
func EqualWeights(n int) []float64 {
	if n <= 0 {
		return []float64{}
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / float64(n)
	}
	return w
}

// clampCoverage clamps coverage to [0, 1]; NaN counts as 0 (nobody).
func clampCoverage(c float64) float64 {
	switch {
	case !(c > 0): // also NaN
		return 0
	case c > 1:
		return 1
	}
	return c
}

// usableWeights reports whether GrowthBook would use weights as given for
// n variations: the right length and a sum within [0.99, 1.01].
func usableWeights(weights []float64, n int) bool {
	if len(weights) != n {
		return false
	}
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	return sum >= 0.99 && sum <= 1.01
}

// BucketRanges is GrowthBook's getBucketRanges: the bucket range of each of
// n variations. Coverage is clamped to [0, 1] (NaN counts as 0); weights
// fall back to [EqualWeights] when their length is not n or their sum is
// outside [0.99, 1.01]. Range i is [c_i, c_i + coverage*w_i) where c_i is
// the sum of the weights before i: the start of each range does not depend
// on coverage, so raising coverage only adds customers and never moves an
// enrolled customer to another variation.
//
// [Experiment.Validate] rejects the inputs this function silently repairs;
// BucketRanges keeps GrowthBook's lenient behaviour for interoperability.
func BucketRanges(n int, coverage float64, weights []float64) [][2]float64 {
	coverage = clampCoverage(coverage)
	if !usableWeights(weights, n) {
		weights = EqualWeights(n)
	}
	ranges := make([][2]float64, len(weights))
	cum := 0.0
	for i, w := range weights {
		start := cum
		cum += w
		ranges[i] = [2]float64{start, start + coverage*w}
	}
	return ranges
}

// ChooseVariation is GrowthBook's chooseVariation: the index of the first
// range containing n, or -1 when n is in none (not in the experiment).
func ChooseVariation(n float64, ranges [][2]float64) int {
	for i, r := range ranges {
		if InRange(n, r) {
			return i
		}
	}
	return -1
}

// Namespace makes experiments mutually exclusive: experiments sharing a
// namespace ID with disjoint ranges never enrol the same customer.
type Namespace struct {
	// ID names the namespace; customers are hashed with seed "__" + ID.
	ID string `json:"id"`
	// Range is the half-open share [start, end) of the namespace this
	// experiment owns, with 0 <= start <= end <= 1.
	Range [2]float64 `json:"range"`
}

// InNamespace is GrowthBook's inNamespace: whether customerID falls in the
// namespace's range, using hash version 1 with seed "__" + ns.ID whatever
// the experiment's own hash version (as every GrowthBook SDK does).
func InNamespace(customerID string, ns Namespace) bool {
	n, _ := hashSalted("__", ns.ID, customerID, 1)
	return InRange(n, ns.Range)
}

// InGroup reports whether customerID belongs to the share of customers
// selected by salt: Hash(salt, customerID, 2) < share, i.e. a GrowthBook
// version-2 bucket below share. It is meant for global control groups
// ("5% of customers never receive marketing") that policies consult across
// scenarios and experiments.
//
// The result is deterministic and stateless; a different salt gives an
// independent group. Raising share only adds customers (a customer in the
// group at share s stays in it at every share above s). share <= 0 or NaN
// selects nobody, share >= 1 everybody with a non-empty ID; an empty
// customer ID is never in the group. The bucket resolution is 1/10000.
func InGroup(salt, customerID string, share float64) bool {
	if customerID == "" || !(share > 0) {
		return false
	}
	if share >= 1 {
		return true
	}
	n, _ := Hash(salt, customerID, 2)
	return n < share
}

// isFinite reports whether x is neither NaN nor infinite.
func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
