package clv

import "testing"

// BenchmarkAggregateCDNOW is the cost of collapsing CDNOW's 2,357
// customers into cells, paid once per fit.
func BenchmarkAggregateCDNOW(b *testing.B) {
	cs := cdnowSummary(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := aggregate(cs); err != nil {
			b.Fatal(err)
		}
	}
}
