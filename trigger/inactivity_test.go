package trigger

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

func TestInactivityTrigger(t *testing.T) {
	visit := func(id, at string) parcours.Event { return ev(t, id, parcours.StoreVisit, at, nil) }
	order := func(id, at string) parcours.Event { return ev(t, id, parcours.Order, at, nil) }
	tests := []struct {
		name     string
		zone     string
		spec     InactivitySpec
		evs      []parcours.Event
		now      string
		want     []fired
		wantNext string
	}{
		{
			name: "90 days across the spring change: same local time",
			zone: "Europe/Paris",
			spec: InactivitySpec{After: days(90)},
			evs:  []parcours.Event{order("o1", "2026-01-02T10:00:00+01:00")},
			now:  "2026-05-01T00:00:00Z",
			want: []fired{{"2026-04-02T08:00:00Z", "inactivity:o1"}},
		},
		{
			name:     "before the lapse: Next is the lapse",
			zone:     "Europe/Paris",
			spec:     InactivitySpec{After: days(90)},
			evs:      []parcours.Event{order("o1", "2026-01-02T10:00:00+01:00")},
			now:      "2026-04-02T07:59:59Z",
			want:     []fired{},
			wantNext: "2026-04-02T08:00:00Z",
		},
		{
			name: "fires once per lapse and re-arms when the customer comes back",
			zone: "Europe/Paris",
			spec: InactivitySpec{After: days(90)},
			evs: []parcours.Event{
				order("o1", "2026-01-02T10:00:00+01:00"),
				order("o2", "2026-05-01T10:00:00+02:00"),
				order("o3", "2026-06-01T10:00:00+02:00"),
			},
			now:  "2026-10-01T00:00:00Z",
			want: []fired{{"2026-04-02T08:00:00Z", "inactivity:o1"}, {"2026-08-30T08:00:00Z", "inactivity:o3"}},
		},
		{
			name:     "an order exactly at the lapse instant is in time",
			zone:     "UTC",
			spec:     InactivitySpec{After: days(90)},
			evs:      []parcours.Event{order("o1", "2026-01-01T00:00:00Z"), order("o2", "2026-04-01T00:00:00Z")},
			now:      "2026-04-01T00:00:00Z",
			want:     []fired{},
			wantNext: "2026-06-30T00:00:00Z",
		},
		{
			name:     "one second late is a lapse",
			zone:     "UTC",
			spec:     InactivitySpec{After: days(90)},
			evs:      []parcours.Event{order("o1", "2026-01-01T00:00:00Z"), order("o2", "2026-04-01T00:00:01Z")},
			now:      "2026-04-01T00:00:01Z",
			want:     []fired{{"2026-04-01T00:00:00Z", "inactivity:o1"}},
			wantNext: "2026-06-30T00:00:01Z",
		},
		{
			name: "visits do not count by default",
			zone: "UTC",
			spec: InactivitySpec{After: days(30)},
			evs:  []parcours.Event{order("o1", "2026-01-01T00:00:00Z"), visit("v1", "2026-01-20T00:00:00Z")},
			now:  "2026-03-01T00:00:00Z",
			want: []fired{{"2026-01-31T00:00:00Z", "inactivity:o1"}},
		},
		{
			name: "visits count when listed",
			zone: "UTC",
			spec: InactivitySpec{Types: []string{parcours.Order, parcours.StoreVisit}, After: days(30)},
			evs:  []parcours.Event{order("o1", "2026-01-01T00:00:00Z"), visit("v1", "2026-01-20T00:00:00Z")},
			now:  "2026-03-01T00:00:00Z",
			want: []fired{{"2026-02-19T00:00:00Z", "inactivity:v1"}},
		},
		{
			name: "365 days across 29 February 2028",
			zone: "UTC",
			spec: InactivitySpec{After: days(365)},
			evs:  []parcours.Event{order("o1", "2027-03-01T10:00:00Z")},
			now:  "2028-03-01T00:00:00Z",
			want: []fired{{"2028-02-29T10:00:00Z", "inactivity:o1"}},
		},
		{
			name:     "Kiritimati: the lapse is local midnight, 10:00 UTC the day before",
			zone:     "Pacific/Kiritimati",
			spec:     InactivitySpec{After: days(30)},
			evs:      []parcours.Event{order("o1", "2026-12-02T00:00:00+14:00")},
			now:      "2026-12-31T09:59:59Z",
			want:     []fired{},
			wantNext: "2026-12-31T10:00:00Z",
		},
		{
			name: "never ordered: never lapsed",
			zone: "UTC",
			spec: InactivitySpec{After: days(30)},
			evs:  []parcours.Event{ev(t, "s1", parcours.Signup, "2026-01-01T00:00:00Z", nil)},
			now:  "2026-06-01T00:00:00Z",
			want: []fired{},
		},
		{
			name: "Pago Pago: across the date line",
			zone: "Pacific/Pago_Pago",
			spec: InactivitySpec{After: days(1)},
			evs:  []parcours.Event{order("o1", "2026-02-28T23:00:00-11:00")},
			now:  "2026-03-03T00:00:00Z",
			want: []fired{{"2026-03-02T10:00:00Z", "inactivity:o1"}},
		},
		{
			name: "two orders at one instant lapse once, from the later ID",
			zone: "UTC",
			spec: InactivitySpec{After: days(1)},
			evs:  []parcours.Event{order("b", "2026-01-01T00:00:00Z"), order("a", "2026-01-01T00:00:00Z")},
			now:  "2026-03-03T00:00:00Z",
			want: []fired{{"2026-01-02T00:00:00Z", "inactivity:b"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trg := compile(t, Spec{Inactivity: &tt.spec})
			tl := timeline(tt.zone, tt.evs...)
			now := ts(t, tt.now)
			fs, next, ok := firings(t, trg, tl, now)
			if diff := cmp.Diff(tt.want, summary(fs)); diff != "" {
				t.Errorf("firings (-want +got):\n%s", diff)
			}
			checkNext(t, next, ok, tt.wantNext)
			checkStable(t, trg, tl, now, now.AddDate(1, 0, 0))
			nextIsFirst(t, trg, tl, now, now.AddDate(1, 0, 0))
		})
	}
}
