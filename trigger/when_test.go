package trigger

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

// lapsedFor is "no order for d (elapsed) since the last one".
func lapsedFor(d time.Duration) func(parcours.Timeline, time.Time) (bool, error) {
	return func(tl parcours.Timeline, at time.Time) (bool, error) {
		last, ok := tl.Last(parcours.Order)
		return ok && at.Sub(last.Time) >= d, nil
	}
}

// activeWithin is segment membership "ordered within d before at".
func activeWithin(d time.Duration) Member {
	return func(tl parcours.Timeline, at time.Time) (bool, error) {
		last, ok := tl.Last(parcours.Order)
		return ok && at.Sub(last.Time) < d, nil
	}
}

func TestWhen(t *testing.T) {
	const day = 24 * time.Hour
	paris := mustZone(t, "Europe/Paris")
	order := func(id, at string) parcours.Event { return ev(t, id, parcours.Order, at, nil) }
	tests := []struct {
		name      string
		pred      func(parcours.Timeline, time.Time) (bool, error)
		opts      WhenOptions
		evs       []parcours.Event
		now       string
		want      []fired
		wantEvent []string // Event.ID of each firing
		wantNext  string
	}{
		{
			name:      "no order for 30 days, twice",
			pred:      lapsedFor(30 * day),
			evs:       []parcours.Event{order("o1", "2026-01-01T10:00:00Z"), order("o2", "2026-03-01T10:00:00Z")},
			now:       "2026-05-01T00:00:00Z",
			want:      []fired{{"2026-01-31T10:00:00Z", "when:2026-01-31T10:00:00Z"}, {"2026-03-31T10:00:00Z", "when:2026-03-31T10:00:00Z"}},
			wantEvent: []string{"", ""},
		},
		{
			name:     "before the change: Next finds it on the grid",
			pred:     lapsedFor(30 * day),
			evs:      []parcours.Event{order("o1", "2026-01-01T10:00:00Z")},
			now:      "2026-01-10T00:00:00Z",
			want:     []fired{},
			wantNext: "2026-01-31T10:00:00Z",
		},
		{
			name:     "a change between grid points is seen at the next one",
			pred:     lapsedFor(90 * time.Second),
			evs:      []parcours.Event{order("o1", "2026-01-01T10:00:00Z")},
			now:      "2026-01-01T10:05:00Z",
			want:     []fired{{"2026-01-01T10:02:00Z", "when:2026-01-01T10:02:00Z"}},
			wantNext: "",
		},
		{
			name: "resolution of one second",
			pred: lapsedFor(90 * time.Second),
			opts: WhenOptions{Resolution: time.Second},
			evs:  []parcours.Event{order("o1", "2026-01-01T10:00:00Z")},
			now:  "2026-01-01T10:05:00Z",
			want: []fired{{"2026-01-01T10:01:30Z", "when:2026-01-01T10:01:30Z"}},
		},
		{
			name: "true at the first event fires there, with the event",
			pred: func(tl parcours.Timeline, _ time.Time) (bool, error) {
				return tl.Count(parcours.Signup, time.Time{}, tl.Events[len(tl.Events)-1].Time) > 0, nil
			},
			evs:       []parcours.Event{ev(t, "s1", parcours.Signup, "2026-01-01T10:00:00Z", nil), order("o1", "2026-01-02T10:00:00Z")},
			now:       "2026-02-01T00:00:00Z",
			want:      []fired{{"2026-01-01T10:00:00Z", "when:2026-01-01T10:00:00Z"}},
			wantEvent: []string{"s1"},
		},
		{
			name: "becoming true at an event carries that event",
			pred: func(tl parcours.Timeline, _ time.Time) (bool, error) {
				return tl.Count(parcours.Order, time.Time{}, farFuture) >= 2, nil
			},
			evs: []parcours.Event{
				order("o1", "2026-01-01T10:00:00Z"), order("o2", "2026-01-05T10:00:00Z"), order("o3", "2026-01-09T10:00:00Z"),
			},
			now:       "2026-02-01T00:00:00Z",
			want:      []fired{{"2026-01-05T10:00:00Z", "when:2026-01-05T10:00:00Z"}},
			wantEvent: []string{"o2"},
		},
		{
			name: "local calendar day in Paris across the spring change: 23 hours",
			pred: func(tl parcours.Timeline, at time.Time) (bool, error) {
				last, ok := tl.Last(parcours.Order)
				return ok && !at.Before(addDuration(last.Time, 24*time.Hour, paris)), nil
			},
			evs:  []parcours.Event{order("o1", "2026-03-28T10:00:00+01:00")},
			now:  "2026-04-01T00:00:00Z",
			want: []fired{{"2026-03-29T08:00:00Z", "when:2026-03-29T08:00:00Z"}},
		},
		{
			name:     "never true within the horizon: check again at its grid point",
			pred:     func(parcours.Timeline, time.Time) (bool, error) { return false, nil },
			evs:      []parcours.Event{order("o1", "2026-01-01T10:00:00Z")},
			now:      "2026-01-10T00:00:30Z",
			want:     []fired{},
			wantNext: "2027-01-11T00:01:00Z",
		},
		{
			name: "no events: no start, no firing",
			pred: func(parcours.Timeline, time.Time) (bool, error) { return true, nil },
			now:  "2026-01-10T00:00:00Z",
			want: []fired{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trg := When(tt.pred, tt.opts)
			tl := timeline("Europe/Paris", tt.evs...)
			now := ts(t, tt.now)
			fs, next, ok := firings(t, trg, tl, now)
			if diff := cmp.Diff(tt.want, summary(fs)); diff != "" {
				t.Errorf("firings (-want +got):\n%s", diff)
			}
			if tt.wantEvent != nil {
				var ids []string
				for _, f := range fs {
					ids = append(ids, f.Event.ID)
				}
				if diff := cmp.Diff(tt.wantEvent, ids); diff != "" {
					t.Errorf("events (-want +got):\n%s", diff)
				}
			}
			checkNext(t, next, ok, tt.wantNext)
			for _, later := range []time.Duration{time.Minute, 7 * time.Hour, 40 * day, 400 * day} {
				checkStable(t, trg, tl, now, now.Add(later))
			}
			nextIsFirst(t, trg, tl, now, now.Add(400*day))
		})
	}
}

var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// When agrees with the inactivity trigger on its own ground.
func TestWhenMatchesInactivity(t *testing.T) {
	tl := timeline("UTC",
		ev(t, "o1", parcours.Order, "2026-01-01T10:00:00Z", nil),
		ev(t, "o2", parcours.Order, "2026-01-20T10:00:00Z", nil),
		ev(t, "v1", parcours.StoreVisit, "2026-02-25T10:00:00Z", nil),
		ev(t, "o3", parcours.Order, "2026-03-01T10:00:00Z", nil),
	)
	now := ts(t, "2026-06-01T00:00:00Z")
	inact := compile(t, Spec{Inactivity: &InactivitySpec{After: days(30)}})
	want, _, _ := firings(t, inact, tl, now)
	got, _, _ := firings(t, When(lapsedFor(30*24*time.Hour), WhenOptions{}), tl, now)
	if len(got) != len(want) || len(got) != 2 {
		t.Fatalf("When %v, inactivity %v", summary(got), summary(want))
	}
	for i := range got {
		if !got[i].At.Equal(want[i].At) {
			t.Errorf("firing %d: When at %s, inactivity at %s", i, got[i].At, want[i].At)
		}
	}
}

func TestWhenErrors(t *testing.T) {
	tl := timeline("", ev(t, "o1", parcours.Order, "2026-01-01T10:00:00Z", nil))
	now := ts(t, "2026-01-02T00:00:00Z")
	boom := errors.New("boom")
	trg := When(func(parcours.Timeline, time.Time) (bool, error) { return false, boom }, WhenOptions{})
	var ee *EvalError
	if _, err := trg.Firings(tl, now); !errors.Is(err, boom) || !errors.As(err, &ee) {
		t.Errorf("Firings err = %v", err)
	}
	if _, _, err := trg.Next(tl, now); !errors.Is(err, boom) {
		t.Errorf("Next err = %v", err)
	}
	if _, err := When(nil, WhenOptions{}).Firings(tl, now); !errors.Is(err, ErrNoMember) {
		t.Errorf("nil pred: err = %v", err)
	}
}
