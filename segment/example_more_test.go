package segment_test

import (
	"fmt"
	"slices"

	"github.com/parcours-dev/parcours/segment"
)

func ExampleConfig_Facts() {
	f, err := segment.Config{}.Facts(customers()[0], now) // as Compute
	fmt.Println(f.Stage, f.Frequency, f.Monetary, f.Favourite, err)
	// Output: loyal 3 100 dogs <nil>
}

// A Tracker gives the facts at each order of a history, as a segment
// trigger asks for them, each call costing only the events added.
func ExampleConfig_Tracker() {
	tl := customers()[0]
	tr := segment.Config{}.Tracker()
	for i, e := range tl.Events {
		prefix := tl
		prefix.Events = tl.Events[:i+1]
		f, err := tr.Facts(prefix, e.Time)
		fmt.Println(e.Time.Format("2006-01-02"), f.Stage, f.Frequency, err)
	}
	// Output:
	// 2026-02-01 new 1 <nil>
	// 2026-03-01 loyal 2 <nil>
	// 2026-04-01 loyal 3 <nil>
}

func ExampleTracker_Facts() {
	tl := customers()[0]
	f, err := segment.Config{}.Tracker().Facts(tl, now) // as Compute
	fmt.Println(f.Stage, f.Frequency, f.Monetary, err)
	// Output: loyal 3 100 <nil>
}

func ExampleConfig_EventTypes() {
	fmt.Println(segment.Config{}.EventTypes())
	// Output: [message_clicked message_opened message_sent order]
}

func ExampleConfig_Validate() {
	fmt.Println(segment.Config{Window: -1}.Validate())
	// Output: segment: config window = "-1ns": must not be negative
}

func ExampleLoyaltyRules_Validate() {
	fmt.Println(segment.LoyaltyRules{PointsPerUnit: -1}.Validate())
	// Output: segment: config loyalty.points_per_unit = "-1": must be finite and non-negative
}

func ExampleMigration_Moved() {
	m, _ := segment.Migrate(slices.Values(customers()), now.AddDate(0, -4, 0), now, segment.Config{})
	fmt.Println(m.Moved(segment.StageNew, segment.StageLoyal), m.Moved(segment.StageLoyal, "vip"))
	// Output: 1 0
}

func ExampleRFMThresholds_Score() {
	th := segment.RFMThresholds{Recency: [4]float64{10, 30, 90, 180}, Frequency: [4]float64{1, 2, 3, 5}, Monetary: [4]float64{50, 100, 200, 400}}
	s := th.Score(20, 4, 250)
	fmt.Println(s.R, s.F, s.M, s.Segment)
	// Output: 4 4 4 loyal
}

func ExampleRFMThresholds_Validate() {
	th := segment.RFMThresholds{Recency: [4]float64{90, 30, 10, 5}} // written as days, largest first
	fmt.Println(th.Validate())
	// Output:
	// segment: config thresholds.recency[1] = "30": cuts must not decrease
	// segment: config thresholds.recency[2] = "10": cuts must not decrease
	// segment: config thresholds.recency[3] = "5": cuts must not decrease
}

func ExampleSegments() {
	fmt.Println(len(segment.Segments()), segment.Segments()[len(segment.Segments())-1])
	// Output: 11 none
}

func ExampleStages() {
	fmt.Println(segment.Stages())
	// Output: [prospect new loyal inactive]
}
