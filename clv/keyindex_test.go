package clv

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestKeyIndex numbers keys in order of first appearance through
// several doublings of the table, with -0 and 0 as one key, as a Go map
// would.
func TestKeyIndex(t *testing.T) {
	ix := newKeyIndex(1)
	want := map[[3]uint64]int{}
	var got, wantIDs []int
	for i := range 5000 {
		// Times on whole weeks: zero low mantissa bits, the worst case
		// of a weak hash.
		k := [3]uint64{uint64(i % 37), fbits(float64(i%101) / 7), fbits(float64(i % 13))}
		id, isNew := ix.id(k)
		w, seen := want[k]
		if !seen {
			w = len(want)
			want[k] = w
		}
		if isNew == seen {
			t.Fatalf("key %v: new = %v, seen before = %v", k, isNew, seen)
		}
		got, wantIDs = append(got, id), append(wantIDs, w)
	}
	if d := cmp.Diff(wantIDs, got); d != "" {
		t.Errorf("ids (-want +got):\n%s", d)
	}
	if len(ix.keys) != len(want) {
		t.Errorf("%d keys, want %d", len(ix.keys), len(want))
	}
	if fbits(math.Copysign(0, -1)) != fbits(0) {
		t.Error("-0 and 0 are different keys")
	}
}
