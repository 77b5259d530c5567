package segment

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-dev/parcours"
)

// TestSummarize checks the statistics of testdata/population.json at
// 2026-06-01, worked out by hand:
//
//	p1 prospect (store a), emailed and opened
//	p2 new: 40 on May 1 (a)
//	p3 loyal: 60 Feb 1, 40 Apr 1 (b)
//	p4 inactive: 100 on 2025-08-01, inside the KPI year; emailed (no store)
//	p5 inactive: 20 on 2024-01-01 (b)
//	p6 loyal: 10 on 2024-06-01 and 90 on May 20, recorded twice, plus a
//	   future order that does not count yet (a)
//
// Recency days 31, 61, 304, 882, 12 give cuts [12 31 61 304]; frequencies
// 1 2 1 1 2 give [1 1 1 2]; spends 40 100 100 20 100 give [20 40 100 100].
// Scores: p2 R4 F1 promising, p3 R3 F4 loyal, p4 R2 F1 hibernating, p5 R1
// F1 hibernating, p6 R5 F4 champions.
func TestSummarize(t *testing.T) {
	sum, err := Summarize(slices.Values(population(t)), june1, Config{SplitBy: "store"})
	if err != nil {
		t.Fatal(err)
	}
	wantTh := RFMThresholds{At: june1, Customers: 5, Recency: [4]float64{12, 31, 61, 304}, Frequency: [4]float64{1, 1, 1, 2}, Monetary: [4]float64{20, 40, 100, 100}}
	if d := cmp.Diff(wantTh, sum.Thresholds); d != "" {
		t.Errorf("thresholds (-want +got):\n%s", d)
	}
	counts := func(cs []Count) map[string]int {
		m := map[string]int{}
		for _, c := range cs {
			if c.Customers > 0 {
				m[c.Name] = c.Customers
			}
		}
		return m
	}
	if d := cmp.Diff(map[string]int{"prospect": 1, "new": 1, "loyal": 2, "inactive": 2}, counts(sum.All.Stages)); d != "" {
		t.Errorf("stages (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]int{"champions": 1, "loyal": 1, "promising": 1, "hibernating": 2, "none": 1}, counts(sum.All.Segments)); d != "" {
		t.Errorf("segments (-want +got):\n%s", d)
	}
	// Period (2025-06-01, 2026-06-01]: p2 40, p3 60+40, p4 100, p6 90.
	wantK := KPIs{Buyers: 5, Active: 3, ActiveRate: 0.6, PeriodBuyers: 4, Orders: 5, Revenue: 330,
		PurchaseFrequency: 1.25, AverageBasket: 66, AnnualSpend: 82.5, EmailsSent: 2, EmailsOpened: 1, EmailOpenRate: 0.5}
	if d := cmp.Diff(wantK, sum.All.KPIs, cmpopts.EquateApprox(0, 1e-12)); d != "" {
		t.Errorf("KPIs (-want +got):\n%s", d)
	}
	if sum.All.Stages[2].Share != 2.0/6 {
		t.Errorf("loyal share %v, want 1/3", sum.All.Stages[2].Share)
	}
	var keys []string
	for _, g := range sum.Groups {
		keys = append(keys, g.Key)
	}
	if d := cmp.Diff([]string{"", "a", "b"}, keys); d != "" {
		t.Errorf("group keys (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]int{"prospect": 1, "new": 1, "loyal": 1}, counts(sum.Groups[1].Stats.Stages)); d != "" {
		t.Errorf("group a stages (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]int{"loyal": 1, "hibernating": 1}, counts(sum.Groups[2].Stats.Segments)); d != "" {
		t.Errorf("group b segments (-want +got):\n%s", d)
	}
	golden(t, "summary.golden.json", sum)

	// Given thresholds are used as they are, and Thresholds agrees with Summarize.
	cfg := loadConfig(t)
	sum2, err := Summarize(slices.Values(population(t)), june1, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(*cfg.Thresholds, sum2.Thresholds); d != "" {
		t.Errorf("given thresholds not used (-want +got):\n%s", d)
	}
	th, err := Thresholds(slices.Values(population(t)), june1, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(wantTh, th); d != "" {
		t.Errorf("Thresholds (-want +got):\n%s", d)
	}
	// Scoring one customer against the snapshot gives the population's segment.
	cfg.Thresholds = &th
	f, err := Compute(population(t)[5], june1, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f.RFM != (RFMScore{R: 5, F: 4, M: 3, Segment: SegmentChampions}) {
		t.Errorf("p6 RFM %+v, want R5 F4 M3 champions", f.RFM)
	}
}

func TestSummarizeEmpty(t *testing.T) {
	sum, err := Summarize(slices.Values([]parcours.Timeline(nil)), june1, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.All.Customers != 0 || sum.All.KPIs != (KPIs{}) || len(sum.All.Stages) != 4 || sum.Thresholds.Customers != 0 {
		t.Errorf("empty population: %+v", sum)
	}
}

// TestMigrate checks the matrix from 2026-01-01 to 2026-06-01 by hand.
// The window at From is (2025-07-03, 2026-01-01].
//
//	p1 prospect -> prospect (signed up 2025)
//	p2 prospect -> new      (no event before From: entered)
//	p3 prospect -> loyal    (entered)
//	p4 new      -> inactive (its 2025-08-01 order was recent at From)
//	p5 inactive -> inactive
//	p6 inactive -> loyal
func TestMigrate(t *testing.T) {
	from := date("2026-01-01T00:00:00Z")
	m, err := Migrate(slices.Values(population(t)), from, june1, Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := Migration{From: from, To: june1, Window: DefaultWindow, Customers: 6, Entered: 2,
		Matrix: [4][4]int{
			{1, 1, 1, 0}, // from prospect
			{0, 0, 0, 1}, // from new
			{0, 0, 0, 0}, // from loyal
			{0, 0, 1, 1}, // from inactive
		}}
	if d := cmp.Diff(want, m); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if m.Moved(StageNew, StageInactive) != 1 || m.Moved(StageInactive, StageLoyal) != 1 || m.Moved("vip", StageLoyal) != 0 {
		t.Errorf("Moved disagrees with the matrix")
	}
	golden(t, "migration.golden.json", m)

	same, err := Migrate(slices.Values(population(t)), june1, june1, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		for j := range 4 {
			if i != j && same.Matrix[i][j] != 0 {
				t.Errorf("equal instants: off-diagonal cell [%d][%d] = %d", i, j, same.Matrix[i][j])
			}
		}
	}
	if _, err := Migrate(slices.Values(population(t)), june1, from, Config{}); !errors.Is(err, ErrInput) {
		t.Errorf("from after to: error %v, want ErrInput", err)
	}
}

// TestSummarizeOverflow: totals too large for float64 are errors, not Inf.
func TestSummarizeOverflow(t *testing.T) {
	big := []parcours.Timeline{
		timeline(order("a", "2026-05-01T00:00:00Z", 1e308, "web")),
		timeline(order("b", "2026-05-01T00:00:00Z", 1e308, "web")),
	}
	if _, err := Summarize(slices.Values(big), june1, Config{}); !errors.Is(err, ErrInput) {
		t.Errorf("revenue overflow: error %v, want ErrInput", err)
	}
	tiny := Config{KPIPeriod: Duration(time.Second)}
	one := []parcours.Timeline{timeline(order("a", "2026-06-01T00:00:00Z", 1e308, "web"))}
	if _, err := Summarize(slices.Values(one), june1, tiny); !errors.Is(err, ErrInput) {
		t.Errorf("annual spend overflow: error %v, want ErrInput", err)
	}
}
