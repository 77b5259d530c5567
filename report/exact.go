package report

import (
	"math"
	"math/bits"
)

// exact is a sum of float64 values that does not depend on the order of
// the additions: each value is rounded once to a multiple of 2^-40
// (about 1e-12, far below a cent) and added as a 128-bit integer, which
// is associative. Shuffling the customers of a population therefore
// gives the same totals byte for byte, which a float64 sum cannot
// promise.
type exact struct {
	hi       int64
	lo       uint64
	overflow bool
}

const (
	fracBits = 40
	// maxExact bounds one value: 2^60 currency units (1e18) is beyond any
	// order, and keeps 2^27 additions of it within 128 bits.
	maxExact = 1 << 60
)

// add adds x, which must be finite; a value of 2^60 or more, or a sum
// leaving 128 bits, sets the overflow flag.
func (s *exact) add(x float64) {
	hi, lo, ok := fixed(x)
	if !ok {
		s.overflow = true
		return
	}
	s.add128(hi, lo)
}

// fixed returns x as a 128-bit multiple of 2^-40, rounded to nearest; ok
// is false when |x| >= 2^60 or x is not finite.
func fixed(x float64) (hi int64, lo uint64, ok bool) {
	if x == 0 {
		return 0, 0, true
	}
	neg := x < 0
	if neg {
		x = -x
	}
	if !(x < maxExact) {
		return 0, 0, false
	}
	frac, exp := math.Frexp(x) // x = frac * 2^exp, frac in [0.5, 1)
	m := uint64(frac * (1 << 53))
	sh := exp - 53 + fracBits
	var h uint64
	switch {
	case sh >= 0: // sh < 48 since x < 2^60
		lo = m << sh
		h = m >> (64 - sh) // 0 when sh == 0
	case sh > -64:
		lo = (m + 1<<(-sh-1)) >> -sh // to nearest, ties away from zero
	default:
		return 0, 0, true // below the resolution
	}
	if neg {
		lo = ^lo + 1
		h = ^h
		if lo == 0 {
			h++
		}
	}
	return int64(h), lo, true
}

// split divides the non-negative fixed value (hi, lo) into k parts that
// add up to it exactly: part(i) for i < k-1 is the floor of the quotient,
// the last part takes the remainder.
func split(hi int64, lo uint64, k int) (part, last [2]uint64) {
	kk := uint64(k)
	qh, r := uint64(hi)/kk, uint64(hi)%kk
	ql, _ := bits.Div64(r, lo, kk)
	// last = value - (k-1)*q
	mh, ml := bits.Mul64(ql, kk-1)
	mh += qh * (kk - 1)
	ll, borrow := bits.Sub64(lo, ml, 0)
	lh, _ := bits.Sub64(uint64(hi), mh, borrow)
	return [2]uint64{qh, ql}, [2]uint64{lh, ll}
}

func (s *exact) add128(hi int64, lo uint64) {
	sum := s.lo + lo
	carry := int64(0)
	if sum < s.lo {
		carry = 1
	}
	h := s.hi + hi + carry
	// Signed overflow: both operands of one sign, the result of the other.
	if (s.hi >= 0) == (hi >= 0) && (h >= 0) != (s.hi >= 0) {
		s.overflow = true
	}
	s.hi, s.lo = h, sum
}

// merge adds another sum.
func (s *exact) merge(o exact) {
	s.add128(o.hi, o.lo)
	s.overflow = s.overflow || o.overflow
}

// float returns the sum, correctly rounded up to the last conversion:
// the same integer always gives the same float64.
func (s exact) float() float64 {
	hi, lo := s.hi, s.lo
	neg := hi < 0
	if neg {
		lo = ^lo + 1
		hi = ^hi
		if lo == 0 {
			hi++
		}
	}
	f := math.Ldexp(float64(uint64(hi)), 64-fracBits) + math.Ldexp(float64(lo), -fracBits)
	if neg {
		return -f
	}
	return f
}
