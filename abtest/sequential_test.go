package abtest

import (
	"math"
	"math/rand/v2"
	"testing"
)

// binomialSampler draws Binomial(n, p) by inverting its CDF table, one
// uniform per draw.
type binomialSampler []float64

func newBinomialSampler(n int, p float64) binomialSampler {
	cdf := make([]float64, n+1)
	acc := 0.0
	for k := 0; k <= n; k++ {
		lc, _ := math.Lgamma(float64(n + 1))
		l1, _ := math.Lgamma(float64(k + 1))
		l2, _ := math.Lgamma(float64(n - k + 1))
		acc += math.Exp(lc - l1 - l2 + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
		cdf[k] = acc
	}
	return cdf
}

func (b binomialSampler) draw(r *rand.Rand) int64 {
	u := r.Float64()
	for k, c := range b {
		if u < c {
			return int64(k)
		}
	}
	return int64(len(b) - 1)
}

// simulateDaily runs experiments with daily looks and returns the share
// rejected at some look by the mSPRT and by a naive fixed-horizon z-test
// checked every day.
func simulateDaily(t *testing.T, experiments, days, perDay int, pc, pt float64, seed uint64) (msprt, naive float64) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	sc, st := newBinomialSampler(perDay, pc), newBinomialSampler(perDay, pt)
	m := MSPRT{Tau2: 1e-4, Alpha: 0.05}
	var rejM, rejN int
	looks := make([]ConversionLook, days)
	for range experiments {
		var c, tr Proportion
		naiveRejected := false
		for d := range days {
			c.N += int64(perDay)
			tr.N += int64(perDay)
			c.Conversions += sc.draw(r)
			tr.Conversions += st.draw(r)
			looks[d] = ConversionLook{Control: c, Treatment: tr}
			if z, err := ZTest(c, tr, 0.05); err == nil && z.Significant {
				naiveRejected = true
			}
		}
		res, err := m.Sequence(looks)
		if err != nil {
			t.Fatal(err)
		}
		if res[days-1].Reject {
			rejM++
		}
		if naiveRejected {
			rejN++
		}
	}
	return float64(rejM) / float64(experiments), float64(rejN) / float64(experiments)
}

// TestMSPRTFalsePositiveUnderDailyPeeking simulates 3000 A/A experiments
// (5% conversion in both arms, 300 customers per arm per day, 30 daily
// looks) and checks that the mSPRT's always-valid p-value rejects at most
// alpha + 3 standard errors of the simulation (sqrt(0.05*0.95/3000) =
// 0.004, so <= 0.062), while the same data peeked daily with a fixed
// horizon z-test reject far more often (the problem mSPRT solves). The
// run is seeded and therefore deterministic.
func TestMSPRTFalsePositiveUnderDailyPeeking(t *testing.T) {
	const n = 3000
	fpr, naive := simulateDaily(t, n, 30, 300, 0.05, 0.05, 1)
	limit := 0.05 + 3*math.Sqrt(0.05*0.95/n)
	t.Logf("false-positive rate with daily peeking: mSPRT %.4f, naive z-test %.4f", fpr, naive)
	if fpr > limit {
		t.Errorf("mSPRT false-positive rate %.4f > %.4f", fpr, limit)
	}
	if naive < 0.12 {
		t.Errorf("naive daily z-test rejected only %.4f: the simulation does not exercise peeking", naive)
	}
}

// TestMSPRTPower checks that the test still detects a real effect
// (5% -> 7%, 30 days of 300 customers per arm).
func TestMSPRTPower(t *testing.T) {
	power, _ := simulateDaily(t, 200, 30, 300, 0.05, 0.07, 2)
	t.Logf("mSPRT power: %.3f", power)
	if power < 0.8 {
		t.Errorf("mSPRT power %.3f for a 5%% -> 7%% effect, want >= 0.8", power)
	}
}

func TestMSPRTSequenceSkipsEmptyLooks(t *testing.T) {
	m := MSPRT{Tau2: 1e-4}
	res, err := m.Sequence([]ConversionLook{
		{Control: Proportion{N: 0}, Treatment: Proportion{N: 0}},
		{Control: Proportion{N: 10}, Treatment: Proportion{N: 10}},
		{Control: Proportion{N: 100, Conversions: 5}, Treatment: Proportion{N: 100, Conversions: 9}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].Skipped || !res[1].Skipped || res[2].Skipped {
		t.Errorf("skipped flags %v %v %v", res[0].Skipped, res[1].Skipped, res[2].Skipped)
	}
	if res[0].PValue != 1 || res[2].PValue > 1 || res[2].CILow > res[2].Diff || res[2].CIHigh < res[2].Diff {
		t.Errorf("results %+v", res)
	}
	if _, err := (MSPRT{}).Sequence(nil); err == nil {
		t.Error("Tau2 0 accepted")
	}
}
