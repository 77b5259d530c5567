package trigger

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

func TestEventTrigger(t *testing.T) {
	cart := func(id, at, cartID string) parcours.Event {
		p := map[string]any{}
		if cartID != "" {
			p[parcours.PropCart] = cartID
		}
		return ev(t, id, parcours.CartAbandoned, at, p)
	}
	order := func(id, at, cartID string) parcours.Event {
		p := map[string]any{"amount": 30.0}
		if cartID != "" {
			p[parcours.PropCart] = cartID
		}
		return ev(t, id, parcours.Order, at, p)
	}
	tests := []struct {
		name string
		spec EventSpec
		evs  []parcours.Event
		now  string
		want []fired
	}{
		{
			name: "welcome on signup or account",
			spec: EventSpec{Types: []string{parcours.Signup, parcours.AccountCreated}},
			evs: []parcours.Event{
				ev(t, "s1", parcours.Signup, "2026-03-01T10:00:00+01:00", nil),
				ev(t, "v1", parcours.StoreVisit, "2026-03-02T10:00:00+01:00", nil),
				ev(t, "a1", parcours.AccountCreated, "2026-03-03T10:00:00+01:00", nil),
			},
			now:  "2026-03-10T00:00:00Z",
			want: []fired{{"2026-03-01T09:00:00Z", "s1"}, {"2026-03-03T09:00:00Z", "a1"}},
		},
		{
			name: "event exactly at now fires, later one not seen",
			spec: EventSpec{Types: []string{parcours.Order}},
			evs: []parcours.Event{
				order("o1", "2026-03-01T10:00:00Z", ""),
				order("o2", "2026-03-01T10:00:01Z", ""),
			},
			now:  "2026-03-01T10:00:00Z",
			want: []fired{{"2026-03-01T10:00:00Z", "o1"}},
		},
		{
			name: "cart cancelled by an order with the same cart",
			spec: EventSpec{Types: []string{parcours.CartAbandoned}},
			evs:  []parcours.Event{cart("c1", "2026-03-01T10:00:00Z", "K1"), order("o1", "2026-03-01T18:00:00Z", "K1")},
			now:  "2026-03-02T00:00:00Z",
			want: []fired{},
		},
		{
			name: "order for another cart does not cancel",
			spec: EventSpec{Types: []string{parcours.CartAbandoned}},
			evs:  []parcours.Event{cart("c1", "2026-03-01T10:00:00Z", "K1"), order("o1", "2026-03-01T18:00:00Z", "K2")},
			now:  "2026-03-02T00:00:00Z",
			want: []fired{{"2026-03-01T10:00:00Z", "c1"}},
		},
		{
			name: "order without cart ID cancels any cart",
			spec: EventSpec{Types: []string{parcours.CartAbandoned}},
			evs:  []parcours.Event{cart("c1", "2026-03-01T10:00:00Z", "K1"), order("o1", "2026-03-01T18:00:00Z", "")},
			now:  "2026-03-02T00:00:00Z",
			want: []fired{},
		},
		{
			name: "cart without ID cancelled by any order",
			spec: EventSpec{Types: []string{parcours.CartAbandoned}},
			evs:  []parcours.Event{cart("c1", "2026-03-01T10:00:00Z", ""), order("o1", "2026-03-05T18:00:00Z", "K9")},
			now:  "2026-03-06T00:00:00Z",
			want: []fired{},
		},
		{
			name: "order at the same instant cancels, order before does not",
			spec: EventSpec{Types: []string{parcours.CartAbandoned}},
			evs: []parcours.Event{
				order("o0", "2026-03-01T09:00:00Z", ""),
				cart("c1", "2026-03-01T10:00:00Z", ""),
				cart("c2", "2026-03-02T10:00:00Z", "K2"),
				order("a-same", "2026-03-02T10:00:00Z", "K2"),
			},
			now:  "2026-03-03T00:00:00Z",
			want: []fired{},
		},
		{
			name: "only the ordered cart is cancelled",
			spec: EventSpec{Types: []string{parcours.CartAbandoned}},
			evs: []parcours.Event{
				cart("c1", "2026-03-01T10:00:00Z", "K1"),
				cart("c2", "2026-03-01T11:00:00Z", "K2"),
				order("o1", "2026-03-01T12:00:00Z", "K2"),
			},
			now:  "2026-03-03T00:00:00Z",
			want: []fired{{"2026-03-01T10:00:00Z", "c1"}},
		},
		{
			name: "where on channel and amount",
			spec: EventSpec{Types: []string{parcours.Order}, Where: `event.channel == "store" && event.props.amount >= 50`},
			evs: []parcours.Event{
				{ID: "o1", Type: parcours.Order, Time: ts(t, "2026-03-01T10:00:00Z"), Channel: "store", Props: map[string]any{"amount": 80}},
				{ID: "o2", Type: parcours.Order, Time: ts(t, "2026-03-02T10:00:00Z"), Channel: "web", Props: map[string]any{"amount": 80}},
				{ID: "o3", Type: parcours.Order, Time: ts(t, "2026-03-03T10:00:00Z"), Channel: "store", Props: map[string]any{"amount": 20}},
			},
			now:  "2026-03-04T00:00:00Z",
			want: []fired{{"2026-03-01T10:00:00Z", "o1"}},
		},
		{
			name: "events without ID get distinct keys",
			spec: EventSpec{Types: []string{parcours.Signup}},
			evs: []parcours.Event{
				ev(t, "", parcours.Signup, "2026-03-01T10:00:00Z", nil),
				ev(t, "", parcours.Signup, "2026-03-01T10:00:00Z", nil),
			},
			now:  "2026-03-04T00:00:00Z",
			want: []fired{{"2026-03-01T10:00:00Z", "@2026-03-01T10:00:00Z#0"}, {"2026-03-01T10:00:00Z", "@2026-03-01T10:00:00Z#1"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trg := compile(t, Spec{Event: &tt.spec})
			now := ts(t, tt.now)
			fs, _, ok := firings(t, trg, timeline("Europe/Paris", tt.evs...), now)
			if diff := cmp.Diff(tt.want, summary(fs)); diff != "" {
				t.Errorf("firings (-want +got):\n%s", diff)
			}
			if ok {
				t.Error("Next ok for an event trigger")
			}
		})
	}
}

func TestEventFiringKeepsEvent(t *testing.T) {
	trg := compile(t, Spec{Event: &EventSpec{Types: []string{parcours.Order}}})
	o := ev(t, "o1", parcours.Order, "2026-03-01T10:00:00Z", map[string]any{parcours.PropStore: "lyon-2"})
	fs, _, _ := firings(t, trg, timeline("", o), o.Time)
	if len(fs) != 1 || fs[0].Event.ID != "o1" || fs[0].Event.Props[parcours.PropStore] != "lyon-2" {
		t.Fatalf("got %+v", fs)
	}
}

func TestEventErrors(t *testing.T) {
	now := ts(t, "2026-03-04T00:00:00Z")
	o := ev(t, "o1", parcours.Order, "2026-03-01T10:00:00Z", nil)
	// The where expression fails at run time on a missing property.
	trg := compile(t, Spec{Event: &EventSpec{Types: []string{parcours.Order}, Where: `event.props.amount > 5`}})
	var ee *EvalError
	if _, err := trg.Firings(timeline("", o), now); !errors.As(err, &ee) || ee.Event != "o1" {
		t.Errorf("where on missing amount: err = %v, want EvalError on o1", err)
	}
	boom := errors.New("boom")
	trg = compile(t, Spec{Event: &EventSpec{Types: []string{parcours.Order}, Match: func(parcours.Profile, parcours.Event) (bool, error) { return false, boom }}})
	if _, err := trg.Firings(timeline("", o), now); !errors.Is(err, boom) {
		t.Errorf("Match error: err = %v, want boom", err)
	}
	trg = compile(t, Spec{Event: &EventSpec{Types: []string{parcours.Order}}})
	// The event trigger never reads the zone: an unknown one (or the
	// machine's "Local") does not stop an invoice.
	for _, zone := range []string{"Mars/Olympus", "Local"} {
		if fs, err := trg.Firings(timeline(zone, o), now); err != nil || len(fs) != 1 {
			t.Errorf("zone %q: firings %v, err = %v; want the order's firing", zone, fs, err)
		}
		if _, _, err := trg.Next(timeline(zone, o), now); err != nil {
			t.Errorf("zone %q in Next: err = %v", zone, err)
		}
	}
	trg = compile(t, Spec{Delay: &DelaySpec{Types: []string{parcours.Order}, After: parcours.Duration(72 * time.Hour)}})
	for _, zone := range []string{"Mars/Olympus", "Local"} {
		var ze *ZoneError
		if _, err := trg.Firings(timeline(zone, o), now); !errors.As(err, &ze) || ze.Zone != zone {
			t.Errorf("delay trigger, zone %q: err = %v, want a ZoneError: days count on the customer's calendar", zone, err)
		}
	}
}
