package scenario

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// FuzzParse feeds arbitrary bytes to Parse and Compile: either may refuse,
// neither may panic, and what Compile accepts must evaluate without panic.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob("testdata/scenarios/*.json")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"id":"x","trigger":{"when":"true"},"steps":[{"id":"a","wait":{"for":"1m"}},{"id":"b","branch":{"if":"true","then":"a"}}]}`))
	f.Add([]byte(`{"id":"x","trigger":{"on":["order"]},"steps":[{"id":"a","send":{"channels":["sms"],"template":"t","vars":{"v":"1..100000000"}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			return
		}
		eng, err := Compile([]Scenario{s})
		if err != nil {
			return
		}
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		tl := parcours.Timeline{
			Profile: parcours.Profile{ID: "c", Consent: map[parcours.Channel]bool{"email": true, "sms": true}},
			Events: []parcours.Event{
				{ID: "1", Type: "order", Time: t0, Props: map[string]any{"amount": 3.0}},
				{ID: "2", Type: "signup", Time: t0.Add(time.Hour)},
				{ID: "3", Type: "cart_abandoned", Time: t0.Add(48 * time.Hour)},
			},
		}
		eng.Evaluate(tl, t0.Add(200*24*time.Hour))
	})
}

// FuzzEvaluate runs the fixture scenarios on fuzzed timelines, decoded
// from JSON so that every kind of property value turns up: Evaluate must
// never panic and must give the same answer twice.
func FuzzEvaluate(f *testing.F) {
	var ss []Scenario
	paths, _ := filepath.Glob("testdata/scenarios/*.json")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		more, err := parseOneOrMany(b)
		if err != nil {
			f.Fatal(err)
		}
		ss = append(ss, more...)
	}
	eng, err := Compile(ss)
	if err != nil {
		f.Fatal(err)
	}
	cases, _ := filepath.Glob("testdata/cases/*.json")
	for _, p := range cases {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		var fx struct {
			Timeline json.RawMessage `json:"timeline"`
		}
		if json.Unmarshal(b, &fx) == nil {
			f.Add([]byte(fx.Timeline), int64(0))
		}
	}
	f.Add([]byte(`{"profile":{"attributes":{"species":[1,2]}},"events":[{"id":"a","type":"signup","time":"2026-01-01T00:00:00Z","props":{"amount":{"x":1},"items":"no"}}]}`), int64(3600e9))
	f.Fuzz(func(t *testing.T, data []byte, offset int64) {
		var tl parcours.Timeline
		if json.Unmarshal(data, &tl) != nil {
			return
		}
		now := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC).Add(time.Duration(offset))
		a := eng.Evaluate(tl, now)
		b := eng.Evaluate(tl, now)
		if len(a.Due) != len(b.Due) || len(a.Skipped) != len(b.Skipped) || !a.Next.Equal(b.Next) {
			t.Fatalf("two evaluations differ: %+v vs %+v", a, b)
		}
		// The Engine reuses the memory of earlier evaluations (of other
		// inputs too): the same answer as one that never does, to the byte.
		fresh := *eng
		fresh.evals = nil
		ja, _ := json.Marshal(a)
		jf, _ := json.Marshal(fresh.Evaluate(tl, now))
		if !bytes.Equal(ja, jf) {
			t.Fatalf("pooled and fresh evaluations differ:\n%s\n%s", ja, jf)
		}
		for _, d := range a.Due {
			if d.Key == "" || d.Run == "" || d.Channel == "" {
				t.Fatalf("incomplete action %+v", d)
			}
		}
		if !a.Next.IsZero() && !a.Next.After(now) {
			t.Fatalf("Next %v not after now %v", a.Next, now)
		}
		r, err := eng.Replay(tl, now.Add(-7*24*time.Hour), now)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(r.Sent); i++ {
			if r.Sent[i].At.Before(r.Sent[i-1].At) {
				t.Fatalf("replay sent out of order: %v", r.Sent)
			}
		}
	})
}

// FuzzParsePolicy feeds arbitrary bytes to ParsePolicy and WithPolicy; an
// accepted policy must evaluate every fixture without panic, and never
// return more email than its email caps allow at one instant.
func FuzzParsePolicy(f *testing.F) {
	f.Add([]byte(`{"caps":[{"channels":["email"],"max":1,"window":"7d"}],"priority":{"gap":"1d"}}`))
	f.Add([]byte(`{"quiet_hours":[{"from":"21:00","to":"09:00"}],"suppression":{"after":"1d"},"control_group":{"share":0.5,"salt":"s"}}`))
	f.Add([]byte(`{"caps":[{"max":2,"window":"1h","drop":true,"count_transactional":true}]}`))
	ss := append(mustScenarios(f, "testdata/scenarios/welcome.json"), mustScenarios(f, "testdata/scenarios/cart.json")...)
	ss = append(ss, mustScenarios(f, "testdata/scenarios/invoice.json")...)
	t0 := time.Date(2026, 3, 28, 21, 30, 0, 0, time.UTC)
	tl := parcours.Timeline{
		Profile: parcours.Profile{ID: "c", TimeZone: "Europe/Paris", Consent: map[parcours.Channel]bool{"email": true, "sms": true}},
		Events: []parcours.Event{
			{ID: "s1", Type: "signup", Time: t0.Add(-time.Hour)},
			{ID: "k1", Type: "cart_abandoned", Time: t0.Add(-3 * time.Hour), Props: map[string]any{"amount": 9.0}},
			{ID: "o1", Type: "order", Time: t0.Add(-10 * time.Hour), Props: map[string]any{"amount": 9.0}},
		},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy(data)
		if err != nil {
			return
		}
		eng, err := Compile(ss, WithPolicy(p))
		if err != nil {
			return
		}
		res := eng.Evaluate(tl, t0)
		email := 0
		for _, a := range res.Due {
			if a.Channel == parcours.Email && !a.Transactional {
				email++
			}
		}
		for _, c := range p.Caps {
			if capCounts(c, parcours.Email, false) && email > c.Max {
				t.Fatalf("%d marketing emails due with cap %+v", email, c)
			}
		}
	})
}
