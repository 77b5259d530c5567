package segment

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestQuintiles checks nearest-rank cuts worked out by hand.
func TestQuintiles(t *testing.T) {
	tests := []struct {
		name string
		vals []float64
		want [4]float64
	}{
		{"empty", nil, [4]float64{}},
		{"one value", []float64{7}, [4]float64{7, 7, 7, 7}},
		// ceil(k*10/5)-1 = 1, 3, 5, 7
		{"1..10", []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, [4]float64{2, 4, 6, 8}},
		// sorted 1 3 5; indexes ceil(3k/5)-1 = 0, 1, 1, 2
		{"three", []float64{5, 1, 3}, [4]float64{1, 3, 3, 5}},
		// sorted 1x6 2 2 3 9; indexes 1, 3, 5, 7
		{"ties", []float64{1, 1, 1, 1, 1, 1, 2, 2, 3, 9}, [4]float64{1, 1, 1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quintiles(tt.vals); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestScore(t *testing.T) {
	th := RFMThresholds{Recency: [4]float64{10, 30, 60, 120}, Frequency: [4]float64{1, 1, 1, 2}, Monetary: [4]float64{50, 100, 150, 400}}
	tests := []struct {
		r      float64
		f      int
		m      float64
		want   RFMScore
		reason string
	}{
		{10, 1, 50, RFMScore{5, 1, 1, SegmentNewCustomers}, "values equal to the lowest cuts stay in the best/lowest quintile"},
		{10.5, 2, 50.01, RFMScore{4, 4, 2, SegmentLoyal}, "just past a cut"},
		{200, 3, 1000, RFMScore{1, 5, 5, SegmentCannotLose}, "past every cut"},
		{45, 1, 120, RFMScore{3, 1, 3, SegmentAboutToSleep}, "middle"},
		{0, 0, 0, RFMScore{Segment: SegmentNone}, "no orders"},
	}
	for _, tt := range tests {
		if got := th.Score(tt.r, tt.f, tt.m); got != tt.want {
			t.Errorf("%s: Score(%v, %v, %v) = %+v, want %+v", tt.reason, tt.r, tt.f, tt.m, got, tt.want)
		}
	}
}

// TestNamedSegment restates the documented grid as rules and checks all
// 25 cells plus out-of-range scores.
func TestNamedSegment(t *testing.T) {
	rule := func(r, f int) Segment {
		switch {
		case r <= 2 && f <= 2:
			return SegmentHibernating
		case r <= 2 && f <= 4:
			return SegmentAtRisk
		case r <= 2:
			return SegmentCannotLose
		case r == 3 && f <= 2:
			return SegmentAboutToSleep
		case r == 3 && f == 3:
			return SegmentNeedAttention
		case f >= 4 && r <= 4:
			return SegmentLoyal
		case f >= 4:
			return SegmentChampions
		case f == 1 && r == 4:
			return SegmentPromising
		case f == 1:
			return SegmentNewCustomers
		}
		return SegmentPotentialLoyalist
	}
	seen := map[Segment]bool{}
	for r := 1; r <= 5; r++ {
		for f := 1; f <= 5; f++ {
			got := NamedSegment(r, f)
			seen[got] = true
			if want := rule(r, f); got != want {
				t.Errorf("NamedSegment(%d, %d) = %q, want %q", r, f, got, want)
			}
		}
	}
	if len(seen) != len(Segments())-1 {
		t.Errorf("grid uses %d segments, want every one but none", len(seen))
	}
	for _, c := range [][2]int{{0, 3}, {6, 1}, {3, 0}, {3, 6}} {
		if got := NamedSegment(c[0], c[1]); got != SegmentNone {
			t.Errorf("NamedSegment%v = %q, want none", c, got)
		}
	}
}

func TestParseThresholds(t *testing.T) {
	good := `{"at":"2026-06-01T00:00:00Z","customers":5,"recency":[1,2,3,4],"frequency":[1,1,1,2],"monetary":[0,0,10,10]}`
	got, err := ParseThresholds([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	want := RFMThresholds{At: june1, Customers: 5, Recency: [4]float64{1, 2, 3, 4}, Frequency: [4]float64{1, 1, 1, 2}, Monetary: [4]float64{0, 0, 10, 10}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	for _, bad := range []string{
		`{"recency":[4,3,2,1]}`,
		`{"monetary":[-1,0,0,0]}`,
		`{"customers":-1}`,
		`{"recency":[1,2,3]} {}`,
		`{"recency":[1,2,3,4],"extra":1}`,
		`{"recency":"1,2,3,4"}`,
	} {
		if _, err := ParseThresholds([]byte(bad)); !errors.Is(err, ErrConfig) {
			t.Errorf("ParseThresholds(%s) error %v, want ErrConfig", bad, err)
		}
	}
}

func FuzzParseThresholds(f *testing.F) {
	f.Add([]byte(`{"customers":5,"recency":[1,2,3,4],"frequency":[1,1,1,2],"monetary":[0,0,10,10]}`))
	f.Add([]byte(`{"recency":[4,3,2,1]}`))
	f.Add([]byte(`{"monetary":[1e308,1e309,0,0]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		th, err := ParseThresholds(data)
		if err != nil {
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("error %v does not wrap ErrConfig", err)
			}
			return
		}
		if err := th.Validate(); err != nil {
			t.Fatalf("parsed thresholds do not validate: %v", err)
		}
		for _, v := range []float64{0, 1, 100, 1e9} {
			s := th.Score(v, int(v)+1, v)
			if s.R < 1 || s.R > 5 || s.F < 1 || s.F > 5 || s.M < 1 || s.M > 5 {
				t.Fatalf("score out of range: %+v", s)
			}
		}
	})
}
