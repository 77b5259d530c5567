package trigger

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

func TestThresholdTrigger(t *testing.T) {
	order := func(id, at string, amount any) parcours.Event {
		return ev(t, id, parcours.Order, at, map[string]any{parcours.PropAmount: amount})
	}
	visit := func(id, day string) parcours.Event {
		return ev(t, id, parcours.StoreVisit, "2026-01-"+day+"T10:00:00+01:00", nil)
	}
	var visits []parcours.Event
	for i, d := range []string{"02", "03", "05", "08", "09", "12", "15", "16", "19", "20", "21", "22"} {
		visits = append(visits, visit("v"+string(rune('a'+i)), d))
	}
	tests := []struct {
		name string
		spec ThresholdSpec
		evs  []parcours.Event
		now  string
		want []fired
	}{
		{
			name: "500 points at 1 point per euro: fires at the crossing order",
			spec: ThresholdSpec{Property: parcours.PropAmount, Value: 500},
			evs: []parcours.Event{
				order("o1", "2026-01-01T10:00:00Z", 200.0),
				order("o2", "2026-02-01T10:00:00Z", "150.50"),
				order("o3", "2026-03-01T10:00:00Z", 149.5), // 500 exactly: reached
				order("o4", "2026-04-01T10:00:00Z", 300),
			},
			now:  "2026-05-01T00:00:00Z",
			want: []fired{{"2026-03-01T10:00:00Z", "threshold:o3"}},
		},
		{
			name: "rate: 2 points per euro",
			spec: ThresholdSpec{Property: parcours.PropAmount, Rate: 2, Value: 500},
			evs:  []parcours.Event{order("o1", "2026-01-01T10:00:00Z", 200.0), order("o2", "2026-02-01T10:00:00Z", 60)},
			now:  "2026-05-01T00:00:00Z",
			want: []fired{{"2026-02-01T10:00:00Z", "threshold:o2"}},
		},
		{
			name: "a refund and a new crossing do not fire again",
			spec: ThresholdSpec{Property: parcours.PropAmount, Value: 100},
			evs: []parcours.Event{
				order("o1", "2026-01-01T10:00:00Z", 120),
				order("r1", "2026-01-02T10:00:00Z", -50),
				order("o2", "2026-01-03T10:00:00Z", 40),
			},
			now:  "2026-05-01T00:00:00Z",
			want: []fired{{"2026-01-01T10:00:00Z", "threshold:o1"}},
		},
		{
			name: "missing or non-numeric amounts add nothing",
			spec: ThresholdSpec{Property: parcours.PropAmount, Value: 100},
			evs: []parcours.Event{
				order("o1", "2026-01-01T10:00:00Z", 90),
				order("o2", "2026-01-02T10:00:00Z", "n/a"),
				ev(t, "o3", parcours.Order, "2026-01-03T10:00:00Z", nil),
				order("o4", "2026-01-04T10:00:00Z", 10),
			},
			now:  "2026-05-01T00:00:00Z",
			want: []fired{{"2026-01-04T10:00:00Z", "threshold:o4"}},
		},
		{
			name: "the 10th store visit",
			spec: ThresholdSpec{Types: []string{parcours.StoreVisit}, Value: 10},
			evs:  visits,
			now:  "2026-02-01T00:00:00Z",
			want: []fired{{"2026-01-20T09:00:00Z", "threshold:vj"}},
		},
		{
			name: "the 10th visit not reached before now",
			spec: ThresholdSpec{Types: []string{parcours.StoreVisit}, Value: 10},
			evs:  visits,
			now:  "2026-01-20T08:59:59Z",
			want: []fired{},
		},
		{
			name: "every 5 visits",
			spec: ThresholdSpec{Types: []string{parcours.StoreVisit}, Value: 5, Every: true},
			evs:  visits,
			now:  "2026-02-01T00:00:00Z",
			want: []fired{{"2026-01-09T09:00:00Z", "threshold:ve"}, {"2026-01-20T09:00:00Z", "threshold:vj"}},
		},
		{
			name: "every 100 euros: one big order jumps two tiers and fires once",
			spec: ThresholdSpec{Property: parcours.PropAmount, Value: 100, Every: true},
			evs: []parcours.Event{
				order("o1", "2026-01-01T10:00:00Z", 50),
				order("o2", "2026-01-02T10:00:00Z", 200),
				order("o3", "2026-01-03T10:00:00Z", 60),
			},
			now:  "2026-05-01T00:00:00Z",
			want: []fired{{"2026-01-02T10:00:00Z", "threshold:o2"}, {"2026-01-03T10:00:00Z", "threshold:o3"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trg := compile(t, Spec{Threshold: &tt.spec})
			tl := timeline("Europe/Paris", tt.evs...)
			now := ts(t, tt.now)
			fs, _, ok := firings(t, trg, tl, now)
			if diff := cmp.Diff(tt.want, summary(fs)); diff != "" {
				t.Errorf("firings (-want +got):\n%s", diff)
			}
			if ok {
				t.Error("Next ok for a threshold")
			}
			checkStable(t, trg, tl, now, now.AddDate(1, 0, 0))
		})
	}
}
