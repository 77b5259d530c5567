package trigger

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

func FuzzParse(f *testing.F) {
	for _, s := range validSpecs {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"segment": {"name": "x"}}`))
	f.Add([]byte(`{"anniversary": {"attribute": "b", "offset": "-1d12h"}}`))
	f.Add([]byte(`{"depletion": {"item": {"a": "1"}, "after": "1s", "by": "b", "delays": {"": "1w"}}}`))
	f.Add([]byte(`{"threshold": {"value": 1e308, "rate": 1e308}}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrSpec) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if _, err := s.Compile(); err != nil && !errors.Is(err, ErrSpec) {
			t.Fatalf("untyped compile error %v", err)
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := Parse(b)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", b, err)
		}
		if b2, _ := json.Marshal(s2); !bytes.Equal(b, b2) {
			t.Fatalf("round trip %s != %s", b, b2)
		}
	})
}

var fuzzZones = []string{"Europe/Paris", "Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC", "", "America/New_York", "Australia/Lord_Howe", "Mars/Olympus"}

var fuzzTypes = []string{parcours.Order, parcours.Order, parcours.CartAbandoned, parcours.Signup, parcours.StoreVisit, parcours.MessageSent}

// fuzzTimeline builds a timeline from bytes: the first byte picks the
// zone, then every 4 bytes make an event (type, minutes since the
// previous one, ID, properties). IDs come from a small alphabet so that
// duplicates and empty IDs occur; times start before the Paris spring
// change and cross several daylight saving changes.
func fuzzTimeline(data []byte) (parcours.Timeline, time.Time) {
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "f"}}
	if len(data) > 0 {
		tl.Profile.TimeZone = fuzzZones[int(data[0])%len(fuzzZones)]
		data = data[1:]
	}
	at := time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC)
	for len(data) >= 4 && len(tl.Events) < 60 {
		b := data[:4]
		data = data[4:]
		at = at.Add(time.Duration(int(b[1])*int(b[1])) * 7 * time.Minute)
		e := parcours.Event{Type: fuzzTypes[int(b[0])%len(fuzzTypes)], Time: at}
		if b[2]%8 != 0 {
			e.ID = fmt.Sprint("e", b[2]%40)
		}
		e.Props = map[string]any{
			parcours.PropAmount: float64(int(b[3]) - 40),
			parcours.PropItems: []any{map[string]any{
				parcours.PropCategory: []string{"kibble", "toys"}[b[3]%2],
				"size":                []string{"M", "XL", "S"}[b[3]%3],
			}},
		}
		if b[3]%5 != 0 {
			e.Props[parcours.PropCart] = fmt.Sprint("k", b[3]%3)
		}
		tl.Events = append(tl.Events, e)
	}
	// now falls somewhere around the last event, or a year later.
	now := at.Add(time.Duration(len(data)) * 37 * time.Hour)
	return tl, now
}

// fuzzTrigger checks the promises of trg on fuzzed timelines: no panic,
// typed errors only, firings sorted with unique keys and not after now,
// Next after now, firings stable when now moves on, and no firing between
// now and Next.
func fuzzTrigger(f *testing.F, trg Trigger, attrs func(b byte) map[string]any) {
	f.Add([]byte{0, 0, 10, 1, 50, 0, 100, 2, 60, 2, 200, 3, 3, 1, 250, 4, 7})
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
	f.Add([]byte{2, 4, 60, 0, 0, 2, 60, 0, 45, 4, 60, 9, 99, 1, 0, 0, 0, 3})
	f.Add([]byte{7, 0, 1, 1, 1})
	f.Add([]byte{3})
	f.Fuzz(func(t *testing.T, data []byte) {
		tl, now := fuzzTimeline(data)
		if attrs != nil && len(data) > 1 {
			tl.Profile.Attributes = attrs(data[1])
		}
		tl = tl.At(now)
		fs, err := trg.Firings(tl, now)
		next, ok, nerr := trg.Next(tl, now)
		if err != nil || nerr != nil {
			var ze *ZoneError
			var ae *AttrError
			var ee *EvalError
			for _, e := range []error{err, nerr} {
				if e != nil && !errors.As(e, &ze) && !errors.As(e, &ae) && !errors.As(e, &ee) {
					t.Fatalf("untyped error %v", e)
				}
			}
			if (err == nil) != (nerr == nil) {
				t.Fatalf("Firings error %v but Next error %v", err, nerr)
			}
			return
		}
		if msg := invariants(fs, now, next, ok); msg != "" {
			t.Fatal(msg)
		}
		later := now.Add(time.Duration(len(data)%9+1) * 23 * 24 * time.Hour)
		all, err := trg.Firings(tl, later)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(all, func(f Firing) bool { return f.At.After(now) })
		if i < 0 {
			i = len(all)
		}
		if !slices.EqualFunc(fs, all[:i], func(a, b Firing) bool { return a.At.Equal(b.At) && a.Key == b.Key }) {
			t.Fatalf("firings changed when now moved on:\n%v\n%v", summary(fs), summary(all[:i]))
		}
		if i < len(all) && (!ok || all[i].At.Before(next)) {
			t.Fatalf("firing %s at %s before Next %s (ok %v)", all[i].Key, all[i].At, next, ok)
		}
	})
}

func mustCompile(f *testing.F, js string) Trigger {
	s, err := Parse([]byte(js))
	if err != nil {
		f.Fatal(err)
	}
	trg, err := s.Compile()
	if err != nil {
		f.Fatal(err)
	}
	return trg
}

func FuzzEvent(f *testing.F) {
	fuzzTrigger(f, mustCompile(f, `{"event": {"types": ["cart_abandoned", "signup"]}}`), nil)
}

func FuzzDelay(f *testing.F) {
	fuzzTrigger(f, mustCompile(f, `{"delay": {"types": ["order", "cart_abandoned"], "after": "1d2h", "where": "event.props.amount > 0"}}`), nil)
}

func FuzzAnniversary(f *testing.F) {
	dates := []any{"2024-02-29", "2025-03-29", "2025-10-25", nil, "", "garbage", time.Date(2025, 3, 30, 1, 30, 0, 0, time.UTC), "1700-01-01", 12.0}
	fuzzTrigger(f, mustCompile(f, `{"anniversary": {"attribute": "birthday", "at": "02:30", "offset": "-1d"}}`), func(b byte) map[string]any {
		return map[string]any{"birthday": dates[int(b)%len(dates)]}
	})
}

func FuzzAnniversaryFirstEvent(f *testing.F) {
	fuzzTrigger(f, mustCompile(f, `{"anniversary": {"first_event": "store_visit", "at": "23:59:59"}}`), nil)
}

func FuzzInactivity(f *testing.F) {
	fuzzTrigger(f, mustCompile(f, `{"inactivity": {"types": ["order", "store_visit"], "after": "2d"}}`), nil)
}

func FuzzRepurchase(f *testing.F) {
	fuzzTrigger(f, mustCompile(f, `{"repurchase": {"min_orders": 2, "factor": 1.3}}`), nil)
}

func FuzzDepletion(f *testing.F) {
	fuzzTrigger(f, mustCompile(f, `{"depletion": {"item": {"category": "kibble"}, "after": "1d", "by": "size", "delays": {"XL": "3d"}}}`), nil)
}

func FuzzThreshold(f *testing.F) {
	fuzzTrigger(f, mustCompile(f, `{"threshold": {"property": "amount", "value": 150, "every": true}}`), nil)
}

func FuzzWhen(f *testing.F) {
	fuzzTrigger(f, When(lapsedFor(50*time.Hour), WhenOptions{Resolution: 7 * time.Minute, Horizon: 10 * 24 * time.Hour}), nil)
}

func FuzzSegment(f *testing.F) {
	fuzzTrigger(f, Exit(activeWithin(30*time.Hour)), nil)
}
