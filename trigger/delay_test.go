package trigger

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

func TestDelayTrigger(t *testing.T) {
	tests := []struct {
		name     string
		zone     string
		spec     DelaySpec
		evs      []parcours.Event
		now      string
		want     []fired
		wantNext string // "" for none
	}{
		{
			name: "survey three days after each order",
			zone: "Europe/Paris",
			spec: DelaySpec{Types: []string{parcours.Order}, After: days(3)},
			evs: []parcours.Event{
				ev(t, "o1", parcours.Order, "2026-02-01T15:00:00+01:00", nil),
				ev(t, "o2", parcours.Order, "2026-02-10T15:00:00+01:00", nil),
			},
			now:      "2026-02-11T00:00:00Z",
			want:     []fired{{"2026-02-04T14:00:00Z", "o1"}},
			wantNext: "2026-02-13T14:00:00Z",
		},
		{
			name: "across the spring change: same local time, 71 hours",
			zone: "Europe/Paris",
			spec: DelaySpec{Types: []string{parcours.Order}, After: days(3)},
			evs:  []parcours.Event{ev(t, "o1", parcours.Order, "2026-03-27T15:00:00+01:00", nil)},
			now:  "2026-03-31T00:00:00Z",
			want: []fired{{"2026-03-30T13:00:00Z", "o1"}},
		},
		{
			name: "across the autumn change: same local time, 73 hours",
			zone: "Europe/Paris",
			spec: DelaySpec{Types: []string{parcours.Order}, After: days(3)},
			evs:  []parcours.Event{ev(t, "o1", parcours.Order, "2026-10-23T15:00:00+02:00", nil)},
			now:  "2026-10-26T14:00:00Z",
			want: []fired{{"2026-10-26T14:00:00Z", "o1"}},
		},
		{
			name:     "due exactly at now fires; a nanosecond before does not",
			zone:     "UTC",
			spec:     DelaySpec{Types: []string{parcours.Order}, After: days(3)},
			evs:      []parcours.Event{ev(t, "o1", parcours.Order, "2026-02-01T15:00:00Z", nil), ev(t, "o2", parcours.Order, "2026-02-01T15:00:01Z", nil)},
			now:      "2026-02-04T15:00:00Z",
			want:     []fired{{"2026-02-04T15:00:00Z", "o1"}},
			wantNext: "2026-02-04T15:00:01Z",
		},
		{
			name: "Kiritimati: calendar day then hours in +14",
			zone: "Pacific/Kiritimati",
			spec: DelaySpec{Types: []string{parcours.Order}, After: days(1) + parcours.Duration(2*time.Hour)},
			evs:  []parcours.Event{ev(t, "o1", parcours.Order, "2026-01-01T23:00:00+14:00", nil)},
			now:  "2026-01-03T00:00:00Z",
			want: []fired{{"2026-01-02T11:00:00Z", "o1"}},
		},
		{
			name:     "one day after 28 February 2028 is the 29th",
			zone:     "Pacific/Pago_Pago",
			spec:     DelaySpec{Types: []string{parcours.Order}, After: days(1)},
			evs:      []parcours.Event{ev(t, "o1", parcours.Order, "2028-02-28T12:00:00-11:00", nil)},
			now:      "2028-02-29T12:00:00-11:00",
			want:     []fired{{"2028-02-29T23:00:00Z", "o1"}},
			wantNext: "",
		},
		{
			name: "abandoned cart reminder cancelled by the order",
			zone: "Europe/Paris",
			spec: DelaySpec{Types: []string{parcours.CartAbandoned}, After: parcours.Duration(2 * time.Hour)},
			evs: []parcours.Event{
				ev(t, "c1", parcours.CartAbandoned, "2026-02-01T10:00:00Z", map[string]any{parcours.PropCart: "K1"}),
				ev(t, "c2", parcours.CartAbandoned, "2026-02-02T10:00:00Z", map[string]any{parcours.PropCart: "K2"}),
				ev(t, "o1", parcours.Order, "2026-02-02T11:00:00Z", map[string]any{parcours.PropCart: "K2"}),
			},
			now:  "2026-02-03T00:00:00Z",
			want: []fired{{"2026-02-01T12:00:00Z", "c1"}},
		},
		{
			name:     "in-store orders only",
			zone:     "Europe/Paris",
			spec:     DelaySpec{Types: []string{parcours.Order}, After: days(2), Where: `event.channel == "store"`},
			evs:      []parcours.Event{{ID: "o1", Type: parcours.Order, Time: ts(t, "2026-02-01T10:00:00Z"), Channel: "web"}, {ID: "o2", Type: parcours.Order, Time: ts(t, "2026-02-01T11:00:00Z"), Channel: "store"}},
			now:      "2026-02-02T00:00:00Z",
			want:     []fired{},
			wantNext: "2026-02-03T11:00:00Z",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trg := compile(t, Spec{Delay: &tt.spec})
			tl := timeline(tt.zone, tt.evs...)
			now := ts(t, tt.now)
			fs, next, ok := firings(t, trg, tl, now)
			if diff := cmp.Diff(tt.want, summary(fs)); diff != "" {
				t.Errorf("firings (-want +got):\n%s", diff)
			}
			checkNext(t, next, ok, tt.wantNext)
			checkStable(t, trg, tl, now, now.AddDate(0, 2, 0))
		})
	}
}
