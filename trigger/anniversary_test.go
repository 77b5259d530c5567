package trigger

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

func TestAnniversaryTrigger(t *testing.T) {
	tests := []struct {
		name     string
		zone     string
		attr     any // the "birthday" attribute
		evs      []parcours.Event
		spec     AnniversarySpec
		now      string
		count    int     // number of firings
		last     []fired // the last firings
		wantNext string
	}{
		{
			name:     "29 February falls on 28 February in other years",
			zone:     "UTC",
			attr:     "2024-02-29",
			spec:     AnniversarySpec{Attribute: "birthday"},
			now:      "2028-03-01T00:00:00Z",
			count:    4,
			last:     []fired{{"2025-02-28T00:00:00Z", "anniversary:2025"}, {"2026-02-28T00:00:00Z", "anniversary:2026"}, {"2027-02-28T00:00:00Z", "anniversary:2027"}, {"2028-02-29T00:00:00Z", "anniversary:2028"}},
			wantNext: "2029-02-28T00:00:00Z",
		},
		{
			name:     "a week before, at 09:00 Paris, across the spring change",
			zone:     "Europe/Paris",
			attr:     "2024-04-05",
			spec:     AnniversarySpec{Attribute: "birthday", At: "09:00", Offset: days(-7)},
			now:      "2026-03-29T07:00:00Z",
			count:    2,
			last:     []fired{{"2025-03-29T08:00:00Z", "anniversary:2025"}, {"2026-03-29T07:00:00Z", "anniversary:2026"}},
			wantNext: "2027-03-29T07:00:00Z",
		},
		{
			name:  "02:30 local, skipped on the change day",
			zone:  "Europe/Paris",
			attr:  "2020-03-29",
			spec:  AnniversarySpec{Attribute: "birthday", At: "02:30"},
			now:   "2026-03-29T02:00:00Z",
			count: 6,
			last: []fired{
				{"2021-03-29T00:30:00Z", "anniversary:2021"}, // DST began 28 March
				{"2022-03-29T00:30:00Z", "anniversary:2022"},
				{"2023-03-29T00:30:00Z", "anniversary:2023"},
				{"2024-03-29T01:30:00Z", "anniversary:2024"}, // DST began 31 March
				{"2025-03-29T01:30:00Z", "anniversary:2025"},
				{"2026-03-29T01:30:00Z", "anniversary:2026"}, // 03:30 summer time
			},
			wantNext: "2027-03-29T00:30:00Z",
		},
		{
			name:     "02:30 local, twice on the autumn change: the first",
			zone:     "Europe/Paris",
			attr:     "2025-10-25",
			spec:     AnniversarySpec{Attribute: "birthday", At: "02:30"},
			now:      "2026-10-25T00:30:00Z",
			count:    1,
			last:     []fired{{"2026-10-25T00:30:00Z", "anniversary:2026"}},
			wantNext: "2027-10-25T00:30:00Z", // DST ends 31 October 2027
		},
		{
			name:     "Kiritimati new year is 10:00 UTC the day before",
			zone:     "Pacific/Kiritimati",
			attr:     "2000-01-01",
			spec:     AnniversarySpec{Attribute: "birthday"},
			now:      "2025-12-31T10:00:00Z",
			count:    26,
			last:     []fired{{"2024-12-31T10:00:00Z", "anniversary:2025"}, {"2025-12-31T10:00:00Z", "anniversary:2026"}},
			wantNext: "2026-12-31T10:00:00Z",
		},
		{
			name:     "time.Time attribute: its date in Pago Pago",
			zone:     "Pacific/Pago_Pago",
			attr:     time.Date(2020, 6, 1, 5, 0, 0, 0, time.UTC),
			spec:     AnniversarySpec{Attribute: "birthday"},
			now:      "2021-06-01T00:00:00Z",
			count:    1,
			last:     []fired{{"2021-05-31T11:00:00Z", "anniversary:2021"}},
			wantNext: "2022-05-31T11:00:00Z",
		},
		{
			name:     "RFC 3339 string attribute",
			zone:     "Pacific/Pago_Pago",
			attr:     "2020-06-01T05:00:00Z",
			spec:     AnniversarySpec{Attribute: "birthday"},
			now:      "2021-06-01T00:00:00Z",
			count:    1,
			last:     []fired{{"2021-05-31T11:00:00Z", "anniversary:2021"}},
			wantNext: "2022-05-31T11:00:00Z",
		},
		{
			name:     "first order anniversary in Kiritimati",
			zone:     "Pacific/Kiritimati",
			evs:      []parcours.Event{ev(t, "o1", parcours.Order, "2025-03-10T20:00:00Z", nil), ev(t, "o2", parcours.Order, "2025-04-10T20:00:00Z", nil)},
			spec:     AnniversarySpec{FirstEvent: parcours.Order, At: "10:00"},
			now:      "2026-03-11T00:00:00Z",
			count:    1,
			last:     []fired{{"2026-03-10T20:00:00Z", "anniversary:2026"}},
			wantNext: "2027-03-10T20:00:00Z",
		},
		{
			name: "no first order: nothing",
			zone: "UTC",
			evs:  []parcours.Event{ev(t, "s1", parcours.Signup, "2025-03-10T20:00:00Z", nil)},
			spec: AnniversarySpec{FirstEvent: parcours.Order},
			now:  "2027-01-01T00:00:00Z",
		},
		{
			name:     "years before the first event are not replayed; one exactly at it is",
			zone:     "Europe/Paris",
			attr:     "1990-05-12",
			evs:      []parcours.Event{ev(t, "s1", parcours.Signup, "2025-05-12T09:00:00+02:00", nil)},
			spec:     AnniversarySpec{Attribute: "birthday", At: "09:00"},
			now:      "2026-06-01T00:00:00Z",
			count:    2,
			last:     []fired{{"2025-05-12T07:00:00Z", "anniversary:2025"}, {"2026-05-12T07:00:00Z", "anniversary:2026"}},
			wantNext: "2027-05-12T07:00:00Z",
		},
		{
			name: "a second after the anniversary is too late",
			zone: "Europe/Paris",
			attr: "1990-05-12",
			evs:  []parcours.Event{ev(t, "s1", parcours.Signup, "2025-05-12T09:00:01+02:00", nil)},
			spec: AnniversarySpec{Attribute: "birthday", At: "09:00"},
			now:  "2025-12-01T00:00:00Z", wantNext: "2026-05-12T07:00:00Z",
		},
		{name: "no events: no start", zone: "UTC", attr: "2020-01-01", evs: []parcours.Event{}, spec: AnniversarySpec{Attribute: "birthday"}, now: "2027-01-01T00:00:00Z"},
		{name: "missing attribute", zone: "UTC", spec: AnniversarySpec{Attribute: "birthday"}, now: "2027-01-01T00:00:00Z"},
		{name: "empty attribute", zone: "UTC", attr: "", spec: AnniversarySpec{Attribute: "birthday"}, now: "2027-01-01T00:00:00Z"},
		{name: "date itself is not an anniversary", zone: "UTC", attr: "2026-05-01", spec: AnniversarySpec{Attribute: "birthday"}, now: "2026-05-01T00:00:00Z", wantNext: "2027-05-01T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trg := compile(t, Spec{Anniversary: &tt.spec})
			if tt.evs == nil { // known since 1999
				tt.evs = []parcours.Event{ev(t, "s0", parcours.Signup, "1999-01-01T00:00:00Z", nil)}
			}
			tl := timeline(tt.zone, tt.evs...)
			if tt.attr != nil {
				tl.Profile.Attributes = map[string]any{"birthday": tt.attr}
			}
			now := ts(t, tt.now)
			fs, next, ok := firings(t, trg, tl, now)
			if len(fs) != tt.count {
				t.Fatalf("%d firings, want %d: %v", len(fs), tt.count, summary(fs))
			}
			got := summary(fs)[len(fs)-len(tt.last):]
			if diff := cmp.Diff(tt.last, got, cmpEmpty); diff != "" {
				t.Errorf("last firings (-want +got):\n%s", diff)
			}
			checkNext(t, next, ok, tt.wantNext)
			checkStable(t, trg, tl, now, now.AddDate(3, 0, 0))
			nextIsFirst(t, trg, tl, now, now.AddDate(3, 0, 0))
		})
	}
}

func TestAnniversaryFirstEventCause(t *testing.T) {
	trg := compile(t, Spec{Anniversary: &AnniversarySpec{FirstEvent: parcours.Signup}})
	tl := timeline("", ev(t, "s1", parcours.Signup, "2025-03-10T20:00:00Z", nil))
	fs, _, _ := firings(t, trg, tl, ts(t, "2026-04-01T00:00:00Z"))
	if len(fs) != 1 || fs[0].Event.ID != "s1" {
		t.Fatalf("got %+v", fs)
	}
}

func TestAnniversaryBadAttribute(t *testing.T) {
	trg := compile(t, Spec{Anniversary: &AnniversarySpec{Attribute: "birthday"}})
	now := ts(t, "2026-01-01T00:00:00Z")
	for _, v := range []any{12.0, "12/05/1990", "1700-01-01", true} {
		tl := timeline("Europe/Paris", ev(t, "s1", parcours.Signup, "2025-01-01T00:00:00Z", nil))
		tl.Profile.Attributes = map[string]any{"birthday": v}
		var ae *AttrError
		if _, err := trg.Firings(tl, now); !errors.As(err, &ae) || ae.Attr != "birthday" {
			t.Errorf("%#v: Firings err = %v, want AttrError", v, err)
		}
		if _, _, err := trg.Next(tl, now); !errors.As(err, &ae) {
			t.Errorf("%#v: Next err = %v, want AttrError", v, err)
		}
	}
}
