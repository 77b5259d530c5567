package clv

import "math"

// keyIndex numbers distinct keys of up to three 64-bit words in order
// of first appearance. It is an open-addressing table on the keys' bits:
// the aggregation of a cohort looks up one key per customer, and a Go
// map whose key holds float64 fields hashes each float specially (±0,
// NaN), which made the lookups most of a BG/NBD fit's time.
type keyIndex struct {
	keys  [][3]uint64
	slots []int32 // 1 + index in keys; 0 is empty
}

func newKeyIndex(hint int) *keyIndex {
	n := 16
	for n < 2*hint {
		n <<= 1
	}
	return &keyIndex{keys: make([][3]uint64, 0, hint), slots: make([]int32, n)}
}

// fbits is the key word of a time: its bits, with -0 as 0 (as == sees
// them). NaN never reaches an index (checkCustomer refuses it).
func fbits(v float64) uint64 {
	if v == 0 {
		return 0
	}
	return math.Float64bits(v)
}

// hash mixes every bit of the key into the low bits the table uses
// (float64 times such as whole weeks have all-zero low mantissa bits):
// odd multipliers keep each word's bits, the finaliser brings the high
// bits down.
func (ix *keyIndex) hash(k [3]uint64) uint64 {
	return mix64(k[0]*0x9e3779b97f4a7c15 ^ k[1]*0xc2b2ae3d27d4eb4f ^ k[2]*0x165667b19e3779f9)
}

// mix64 is the splitmix64 finaliser.
func mix64(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}

// id returns the number of k and whether k is new.
func (ix *keyIndex) id(k [3]uint64) (int, bool) {
	mask := uint64(len(ix.slots) - 1)
	for i := ix.hash(k) & mask; ; i = (i + 1) & mask {
		s := ix.slots[i]
		if s == 0 {
			ix.keys = append(ix.keys, k)
			ix.slots[i] = int32(len(ix.keys))
			if 2*len(ix.keys) > len(ix.slots) {
				ix.grow()
			}
			return len(ix.keys) - 1, true
		}
		if ix.keys[s-1] == k {
			return int(s - 1), false
		}
	}
}

// grow doubles the table (load factor stays at most 1/2).
func (ix *keyIndex) grow() {
	ix.slots = make([]int32, 2*len(ix.slots))
	mask := uint64(len(ix.slots) - 1)
	for j, k := range ix.keys {
		i := ix.hash(k) & mask
		for ix.slots[i] != 0 {
			i = (i + 1) & mask
		}
		ix.slots[i] = int32(j + 1)
	}
}
