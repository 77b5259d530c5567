package clv

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
	"gonum.org/v1/gonum/stat/distuv"
)

func benchFit(b *testing.B, k Kind) {
	cs := cdnowSummary(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Fit(k, cs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitBGNBDCDNOW: target under 50 ms.
func BenchmarkFitBGNBDCDNOW(b *testing.B)      { benchFit(b, BGNBD) }
func BenchmarkFitMBGNBDCDNOW(b *testing.B)     { benchFit(b, MBGNBD) }
func BenchmarkFitParetoNBDCDNOW(b *testing.B)  { benchFit(b, ParetoNBD) }
func BenchmarkFitGammaGammaCDNOW(b *testing.B) { benchFit(b, GammaGammaKind) }

// simulateBGNBD draws n customers from a BG/NBD process with the CDNOW
// estimates: births spread over the first 12 weeks, a 39-week
// calibration, purchases on whole days (merged per day, as Summarize
// does), so that t_x and T are multiples of 1/7 week as in real data.
func simulateBGNBD(n int, seed uint64) []Customer {
	src := rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	rng := rand.New(src)
	lambda := distuv.Gamma{Alpha: 0.243, Beta: 4.414, Src: src}
	pGen := distuv.Beta{Alpha: 0.793, Beta: 2.426, Src: src}
	cs := make([]Customer, n)
	for i := range cs {
		birth := rng.IntN(84)
		T := 273 - birth         // days
		lam := lambda.Rand() / 7 // per day
		p := pGen.Rand()
		c := Customer{T: float64(T) / 7}
		t, last := 0.0, -1
		for {
			t += rng.ExpFloat64() / lam
			d := int(t)
			if d > T || math.IsInf(t, 0) {
				break
			}
			if d != last && d > 0 {
				c.X++
				c.Tx = float64(d) / 7
				last = d
			}
			if rng.Float64() < p {
				break
			}
		}
		cs[i] = c
	}
	return cs
}

// BenchmarkFitBGNBD1M fits BG/NBD on a generated 1,000,000-customer
// summary (generation not timed). Target: under 10 s on 2 cores; the
// cells aggregation makes it far faster (see doc.go).
func BenchmarkFitBGNBD1M(b *testing.B) {
	cs := simulateBGNBD(1_000_000, 1)
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		f, err := Fit(BGNBD, cs)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(f.Cells), "cells")
		b.ReportMetric(time.Since(start).Seconds(), "s/fit")
		b.Logf("1M fit: %v LL %.1f cells %d in %v", f.Params, f.LogLikelihood, f.Cells, time.Since(start))
	}
}

func BenchmarkPredict(b *testing.B) {
	m := Model{Kind: ParetoNBD, Params: []float64{0.553, 10.578, 0.606, 11.669},
		Spend: &GammaGamma{6.25, 3.74, 15.44}, Margin: 0.3, AnnualDiscount: 0.15}
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "b"}}
	for i := range 20 {
		tl.Events = append(tl.Events, order(itoa(i), day(1, 1, 9).Add(time.Duration(i)*100*time.Hour), 25.0))
	}
	now := day(6, 1, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Predict(tl, now, 365*24*time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}
