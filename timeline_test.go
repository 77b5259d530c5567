package parcours

import (
	"encoding/json"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func at(h int) time.Time { return time.Date(2026, 3, 1, h, 0, 0, 0, time.UTC) }

func ids(evs []Event) []string {
	out := []string{}
	for _, e := range evs {
		out = append(out, e.ID)
	}
	return out
}

func TestTimelineAt(t *testing.T) {
	tests := []struct {
		name   string
		events []Event
		now    time.Time
		want   []string
	}{
		{"empty", nil, at(10), []string{}},
		{"sorted by time", []Event{{ID: "b", Time: at(3)}, {ID: "a", Time: at(1)}}, at(10), []string{"a", "b"}},
		{"ties by ID", []Event{{ID: "z", Time: at(1)}, {ID: "a", Time: at(1)}}, at(10), []string{"a", "z"}},
		{"future dropped", []Event{{ID: "a", Time: at(1)}, {ID: "b", Time: at(11)}}, at(10), []string{"a"}},
		{"now kept", []Event{{ID: "a", Time: at(10)}}, at(10), []string{"a"}},
		{"retry kept once", []Event{{ID: "a", Time: at(1), Type: "x"}, {ID: "b", Time: at(2)}, {ID: "a", Time: at(1), Type: "x"}}, at(10), []string{"a", "b"}},
		{"conflicting copies all kept", []Event{{ID: "a", Time: at(5), Type: "late"}, {ID: "b", Time: at(2)}, {ID: "a", Time: at(1), Type: "early"}}, at(10), []string{"a", "b", "a#2"}},
		{"empty IDs all kept", []Event{{Time: at(2)}, {Time: at(1)}}, at(10), []string{"", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Timeline{Events: tc.events}.At(tc.now)
			if diff := cmp.Diff(tc.want, ids(got.Events)); diff != "" {
				t.Errorf("At() IDs (-want +got):\n%s", diff)
			}
		})
	}
}

// Issue 13: an order and an unsubscribe recorded under one ID are two
// records; neither may hide the other, and the conflict is reported. The
// renaming does not depend on input order.
func TestCanonicalConflicts(t *testing.T) {
	order := Event{ID: "x", Type: Order, Time: at(1), Props: map[string]any{PropAmount: 30.0}}
	unsub := Event{ID: "x", Type: Unsubscribed, Time: at(2)}
	sameTime := Event{ID: "x", Type: Order, Time: at(1), Props: map[string]any{PropAmount: 31.0}}
	evs := []Event{unsub, order, order, sameTime, {ID: "y", Time: at(3)}}
	var first []Event
	for perm := range 20 {
		in := slices.Clone(evs)
		for i := range in { // a deterministic shuffle per perm
			j := (i*7 + perm*3) % len(in)
			in[i], in[j] = in[j], in[i]
		}
		got, conflicts := Timeline{Profile: Profile{ID: "c"}, Events: in}.Canonical(at(10))
		want := []string{"x", "x#2", "x#3", "y"}
		if diff := cmp.Diff(want, ids(got.Events)); diff != "" {
			t.Fatalf("IDs (-want +got):\n%s", diff)
		}
		if first == nil {
			first = got.Events
		} else if diff := cmp.Diff(first, got.Events); diff != "" {
			t.Fatalf("input order changed the view (-first +got):\n%s", diff)
		}
		if len(conflicts) != 1 || conflicts[0].ID != "x" || len(conflicts[0].Events) != 3 || conflicts[0].Customer != "c" {
			t.Fatalf("conflicts = %+v", conflicts)
		}
	}
	if first[2].Type != Unsubscribed {
		t.Errorf("the unsubscribe was lost: %+v", first)
	}
	_, conflicts := Timeline{Profile: Profile{ID: "c"}, Events: evs}.Canonical(at(10))
	const msg = `parcours: customer "c": 3 different events share ID "x" (x order at 2026-03-01T01:00:00Z, x#2 order at 2026-03-01T01:00:00Z, x#3 unsubscribed at 2026-03-01T02:00:00Z); all kept`
	if got := conflicts[0].Error(); got != msg {
		t.Errorf("Error() = %s\nwant      %s", got, msg)
	}
}

// A canonical timeline is returned as it is, without a copy; At still
// copies.
func TestCanonicalFastPath(t *testing.T) {
	tl := Timeline{Events: []Event{{ID: "a", Time: at(1)}, {Time: at(2)}, {Time: at(2)}, {ID: "b", Time: at(2)}, {ID: "c", Time: at(3)}}}
	got, conflicts := tl.Canonical(at(3))
	if &got.Events[0] != &tl.Events[0] || conflicts != nil || !tl.IsCanonical(at(3)) {
		t.Errorf("canonical input was copied or reported")
	}
	if c := tl.At(at(3)); &c.Events[0] == &tl.Events[0] {
		t.Errorf("At shares the input's events")
	}
	for name, evs := range map[string][]Event{
		"after now":   {{ID: "a", Time: at(4)}},
		"unsorted":    {{ID: "b", Time: at(2)}, {ID: "a", Time: at(1)}},
		"ID order":    {{ID: "b", Time: at(1)}, {ID: "a", Time: at(1)}},
		"repeated ID": {{ID: "a", Time: at(1)}, {ID: "b", Time: at(2)}, {ID: "a", Time: at(3)}},
	} {
		if (Timeline{Events: evs}).IsCanonical(at(3)) {
			t.Errorf("%s: reported canonical", name)
		}
	}
	// Long timelines use a heap set: a repeat far apart is still found.
	long := make([]Event, 3000)
	for i := range long {
		long[i] = Event{ID: strconv.Itoa(100000 + i), Time: at(0).Add(time.Duration(i) * time.Second)}
	}
	if !(Timeline{Events: long}).IsCanonical(at(10)) {
		t.Errorf("long unique timeline not canonical")
	}
	long[2999].ID = long[3].ID
	if (Timeline{Events: long}).IsCanonical(at(10)) {
		t.Errorf("long timeline with a repeat reported canonical")
	}
}

func TestQueries(t *testing.T) {
	tl := Timeline{Events: []Event{
		{ID: "o1", Type: Order, Time: at(1), Props: map[string]any{PropAmount: 10.5}},
		{ID: "o2", Type: Order, Time: at(3), Props: map[string]any{PropAmount: json.Number("20")}},
		{ID: "o3", Type: Order, Time: at(5), Props: map[string]any{PropAmount: "oops, text"}},
		{ID: "v1", Type: StoreVisit, Time: at(4)},
	}}.At(at(10))
	if got := tl.Count(Order, time.Time{}, at(10)); got != 3 {
		t.Errorf("Count all = %d, want 3", got)
	}
	if got := tl.Count(Order, at(1), at(3)); got != 1 {
		t.Errorf("Count (1,3] = %d, want 1 (window is half-open)", got)
	}
	if got := tl.Sum(Order, PropAmount, time.Time{}, at(10)); got != 30.5 {
		t.Errorf("Sum = %v, want 30.5 (text amount ignored)", got)
	}
	if e, ok := tl.Last(Order); !ok || e.ID != "o3" {
		t.Errorf("Last = %v %v, want o3", e.ID, ok)
	}
	if e, ok := tl.First(Order); !ok || e.ID != "o1" {
		t.Errorf("First = %v %v, want o1", e.ID, ok)
	}
	if _, ok := tl.Last("nothing"); ok {
		t.Errorf("Last of absent type reported ok")
	}
	if got := ids(tl.Upto(at(3))); !cmp.Equal(got, []string{"o1", "o2"}) {
		t.Errorf("Upto(3) = %v", got)
	}
}

func TestToFloat(t *testing.T) {
	tests := []struct {
		in   any
		want float64
		ok   bool
	}{
		{1, 1, true}, {int64(-2), -2, true}, {uint8(3), 3, true}, {2.5, 2.5, true},
		{float32(0.5), 0.5, true}, {json.Number("4"), 4, true}, {"5.5", 5.5, true},
		{"x", 0, false}, {nil, 0, false}, {true, 0, false}, {[]any{1}, 0, false},
		{"NaN", 0, false}, {"Inf", 0, false},
	}
	for _, tc := range tests {
		got, ok := ToFloat(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ToFloat(%#v) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBool(t *testing.T) {
	e := Event{Props: map[string]any{PropPromo: "true"}}
	if b, ok := e.Bool(PropPromo); !b || !ok {
		t.Errorf("Bool(promo) = %v %v", b, ok)
	}
}

func TestLocation(t *testing.T) {
	if l, ok := (Profile{TimeZone: "Europe/Paris"}).Location(); !ok || l.String() != "Europe/Paris" {
		t.Errorf("Paris: %v %v", l, ok)
	}
	if l, ok := (Profile{TimeZone: "Mars/Olympus"}).Location(); ok || l != time.UTC {
		t.Errorf("unknown zone: %v %v, want UTC false", l, ok)
	}
	if l, ok := (Profile{TimeZone: "Local"}).Location(); ok || l != time.UTC {
		t.Errorf("Local: %v %v, want UTC false: the machine's zone must not leak in", l, ok)
	}
	if l, ok := (Profile{}).Location(); !ok || l != time.UTC {
		t.Errorf("empty zone: %v %v", l, ok)
	}
}

// A mistyped zone is looked up in the zone database once, not at every
// evaluation: the second lookup must not cost a search.
func BenchmarkLocationUnknown(b *testing.B) {
	p := Profile{TimeZone: "Europe/Pariss"}
	for b.Loop() {
		if _, ok := p.Location(); ok {
			b.Fatal("a mistyped zone was accepted")
		}
	}
}

func BenchmarkLocationKnown(b *testing.B) {
	p := Profile{TimeZone: "Europe/Paris"}
	for b.Loop() {
		if _, ok := p.Location(); !ok {
			b.Fatal("Europe/Paris refused")
		}
	}
}
