package trigger

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

func TestSegmentEnterExit(t *testing.T) {
	const day = 24 * time.Hour
	active := activeWithin(30 * day)
	order := func(id, at string) parcours.Event { return ev(t, id, parcours.Order, at, nil) }
	signup := ev(t, "s1", parcours.Signup, "2025-12-01T10:00:00Z", nil)
	tests := []struct {
		name     string
		trg      Trigger
		evs      []parcours.Event
		now      string
		want     []fired
		wantNext string
	}{
		{
			name: "enter at each order after a lapse",
			trg:  Enter(active),
			evs:  []parcours.Event{signup, order("o1", "2026-01-01T10:00:00Z"), order("o2", "2026-01-15T10:00:00Z"), order("o3", "2026-03-01T10:00:00Z")},
			now:  "2026-05-01T00:00:00Z",
			want: []fired{{"2026-01-01T10:00:00Z", "when:2026-01-01T10:00:00Z"}, {"2026-03-01T10:00:00Z", "when:2026-03-01T10:00:00Z"}},
		},
		{
			name: "exit 30 days after the last order, each time",
			trg:  Exit(active),
			evs:  []parcours.Event{signup, order("o1", "2026-01-01T10:00:00Z"), order("o2", "2026-01-15T10:00:00Z"), order("o3", "2026-03-01T10:00:00Z")},
			now:  "2026-05-01T00:00:00Z",
			want: []fired{{"2026-02-14T10:00:00Z", "when:2026-02-14T10:00:00Z"}, {"2026-03-31T10:00:00Z", "when:2026-03-31T10:00:00Z"}},
		},
		{
			name:     "exit pending: Next is the exit instant",
			trg:      Exit(active),
			evs:      []parcours.Event{order("o1", "2026-01-01T10:00:00Z")},
			now:      "2026-01-05T00:00:00Z",
			want:     []fired{},
			wantNext: "2026-01-31T10:00:00Z",
		},
		{
			name: "never a member: no exit",
			trg:  Exit(active),
			evs:  []parcours.Event{signup},
			now:  "2026-05-01T00:00:00Z",
			want: []fired{},
		},
		{
			name: "exit exactly at now",
			trg:  Exit(active),
			evs:  []parcours.Event{order("o1", "2026-01-01T10:00:00Z")},
			now:  "2026-01-31T10:00:00Z",
			want: []fired{{"2026-01-31T10:00:00Z", "when:2026-01-31T10:00:00Z"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := timeline("Pacific/Kiritimati", tt.evs...)
			now := ts(t, tt.now)
			fs, next, ok := firings(t, tt.trg, tl, now)
			if diff := cmp.Diff(tt.want, summary(fs)); diff != "" {
				t.Errorf("firings (-want +got):\n%s", diff)
			}
			checkNext(t, next, ok, tt.wantNext)
			checkStable(t, tt.trg, tl, now, now.Add(100*day))
			nextIsFirst(t, tt.trg, tl, now, now.Add(100*day))
		})
	}
}

func TestSegmentSpec(t *testing.T) {
	s, err := Parse([]byte(`{"segment": {"name": "active", "on": "exit"}}`))
	if err != nil {
		t.Fatal(err)
	}
	s.Segment.Member = activeWithin(30 * 24 * time.Hour)
	trg := compile(t, s)
	tl := timeline("", ev(t, "o1", parcours.Order, "2026-01-01T10:00:00Z", nil))
	fs, _, _ := firings(t, trg, tl, ts(t, "2026-03-01T00:00:00Z"))
	if len(fs) != 1 || fs[0].Reason != "left segment active" || !fs[0].At.Equal(ts(t, "2026-01-31T10:00:00Z")) {
		t.Fatalf("got %+v", fs)
	}
}
