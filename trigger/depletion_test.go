package trigger

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

func TestDepletionTrigger(t *testing.T) {
	kibble := DepletionSpec{Item: map[string]string{parcours.PropCategory: "kibble"}, After: days(14), By: "size", Delays: map[string]parcours.Duration{"XL": days(21)}}
	item := func(cat, size string) map[string]any {
		return map[string]any{parcours.PropCategory: cat, "size": size}
	}
	order := func(id, at string, items ...map[string]any) parcours.Event {
		lines := make([]any, len(items)) // as JSON decodes them
		for i, it := range items {
			lines[i] = it
		}
		return ev(t, id, parcours.Order, at, map[string]any{parcours.PropItems: lines})
	}
	tests := []struct {
		name     string
		zone     string
		spec     DepletionSpec
		evs      []parcours.Event
		now      string
		want     []fired
		wantNext string
	}{
		{
			name:     "14 days for a bag, across the spring change",
			zone:     "Europe/Paris",
			spec:     kibble,
			evs:      []parcours.Event{order("o1", "2026-03-20T10:00:00+01:00", item("kibble", "M"))},
			now:      "2026-04-01T00:00:00Z",
			want:     []fired{},
			wantNext: "2026-04-03T08:00:00Z", // 10:00 summer time
		},
		{
			name: "21 days for an XL bag",
			zone: "Europe/Paris",
			spec: kibble,
			evs:  []parcours.Event{order("o1", "2026-03-20T10:00:00+01:00", item("kibble", "XL"))},
			now:  "2026-04-10T08:00:00Z",
			want: []fired{{"2026-04-10T08:00:00Z", "depletion:o1"}},
		},
		{
			name:     "Pago Pago, across 29 February",
			zone:     "Pacific/Pago_Pago",
			spec:     kibble,
			evs:      []parcours.Event{order("o1", "2028-02-20T20:00:00-11:00", item("kibble", "M"))},
			now:      "2028-03-06T06:59:59Z",
			want:     []fired{},
			wantNext: "2028-03-06T07:00:00Z", // 5 March 20:00 local: 20 February + 14 in a leap year
		},
		{
			name: "the biggest bag of the order wins",
			zone: "UTC",
			spec: kibble,
			evs:  []parcours.Event{order("o1", "2026-01-01T10:00:00Z", item("kibble", "M"), item("toys", "XL"), item("kibble", "XL"))},
			now:  "2026-03-01T00:00:00Z",
			want: []fired{{"2026-01-22T10:00:00Z", "depletion:o1"}},
		},
		{
			name: "no kibble, no alert",
			zone: "UTC",
			spec: kibble,
			evs:  []parcours.Event{order("o1", "2026-01-01T10:00:00Z", item("toys", "M")), ev(t, "o2", parcours.Order, "2026-01-02T10:00:00Z", nil)},
			now:  "2026-03-01T00:00:00Z",
			want: []fired{},
		},
		{
			name: "a restock supersedes the pending alert",
			zone: "UTC",
			spec: kibble,
			evs: []parcours.Event{
				order("o1", "2026-01-01T10:00:00Z", item("kibble", "M")),
				order("o2", "2026-01-10T10:00:00Z", item("toys", "M")),
				order("o3", "2026-01-12T10:00:00Z", item("kibble", "M")),
			},
			now:  "2026-03-01T00:00:00Z",
			want: []fired{{"2026-01-26T10:00:00Z", "depletion:o3"}},
		},
		{
			name: "a restock exactly at the alert instant supersedes it",
			zone: "UTC",
			spec: kibble,
			evs: []parcours.Event{
				order("o1", "2026-01-01T10:00:00Z", item("kibble", "M")),
				order("o2", "2026-01-15T10:00:00Z", item("kibble", "M")),
			},
			now:      "2026-01-20T00:00:00Z",
			want:     []fired{},
			wantNext: "2026-01-29T10:00:00Z",
		},
		{
			name: "an order after the alert does not cancel it",
			zone: "UTC",
			spec: kibble,
			evs: []parcours.Event{
				order("o1", "2026-01-01T10:00:00Z", item("kibble", "M")),
				order("o2", "2026-01-15T10:00:01Z", item("kibble", "M")),
			},
			now:      "2026-01-20T00:00:00Z",
			want:     []fired{{"2026-01-15T10:00:00Z", "depletion:o1"}},
			wantNext: "2026-01-29T10:00:01Z",
		},
		{
			name: "numbers compare by their JSON text, strings as they are",
			zone: "UTC",
			spec: DepletionSpec{Item: map[string]string{"sku": "1042", "kg": "2.5"}, After: days(10)},
			evs: []parcours.Event{
				order("o1", "2026-01-01T10:00:00Z", map[string]any{"sku": 1042, "kg": 2.5}),
				order("o2", "2026-02-01T10:00:00Z", map[string]any{"sku": "1042", "kg": "2.50"}),
			},
			now:  "2026-03-01T00:00:00Z",
			want: []fired{{"2026-01-11T10:00:00Z", "depletion:o1"}}, // "2.50" is not "2.5"
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trg := compile(t, Spec{Depletion: &tt.spec})
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

// TestDepletionBadLine: a line that is not an object is refused with the
// root package's *parcours.PropError, the items rule every package uses;
// it is never skipped as a line that matches nothing.
func TestDepletionBadLine(t *testing.T) {
	trg := compile(t, Spec{Depletion: &DepletionSpec{Item: map[string]string{parcours.PropCategory: "kibble"}, After: days(14)}})
	tl := timeline("UTC", ev(t, "o1", parcours.Order, "2026-01-01T10:00:00Z", map[string]any{
		parcours.PropItems: []any{map[string]any{parcours.PropCategory: "kibble"}, "kibble"},
	}))
	now := ts(t, "2026-03-01T00:00:00Z")
	fs, err := trg.Firings(tl, now)
	var pe *parcours.PropError
	var ee *EvalError
	if fs != nil || !errors.As(err, &pe) || pe.Prop != "items[1]" || !errors.As(err, &ee) || ee.Event != "o1" {
		t.Errorf("Firings = %v, %v; want an *EvalError for o1 wrapping the PropError of items[1]", fs, err)
	}
	if _, _, err := trg.Next(tl, now); !errors.As(err, &pe) {
		t.Errorf("Next error %v, want the PropError", err)
	}
}
