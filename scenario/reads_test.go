package scenario

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/segment"
)

// readsScenarios exercise every kind of read: each trigger kind, each
// helper, guarded and unguarded exits and waits, reentry modes.
const readsScenarios = `[
{"id": "cart", "version": 1, "trigger": {"on": ["cart_abandoned"], "if": "(event.props.amount ?? 0) > 0"},
 "exit": ["event.type == \"order\""], "max_lateness": "1d",
 "steps": [{"id": "wait", "wait": {"for": "2h"}},
  {"id": "remind", "send": {"channels": ["email", "sms"], "template": "cart", "vars": {"amount": "trigger.props.amount"}}}]},
{"id": "welcome", "version": 1, "trigger": {"on": ["signup"]}, "reentry": {"mode": "once"},
 "targeting": "!hasEvent(\"order\")",
 "steps": [{"id": "hello", "send": {"channels": ["email"], "template": "hello"}},
  {"id": "w", "wait": {"for": "3d"}},
  {"id": "b", "branch": {"if": "opened(\"hello\")", "then": "thanks", "else": "nudge"}},
  {"id": "thanks", "send": {"channels": ["email"], "template": "thanks"}, "next": "end"},
  {"id": "nudge", "send": {"channels": ["sms", "email"], "template": "nudge"}},
  {"id": "end", "exit": true}]},
{"id": "lapsed", "version": 1, "max_lateness": "3d", "trigger": {"inactivity": {"after": "60d"}},
 "targeting": "countEvents(\"order\", 365) >= 2",
 "steps": [{"id": "miss", "send": {"channels": ["email"], "template": "miss", "vars": {"spent": "sumEvents(\"order\", \"amount\", 90)"}}}]},
{"id": "review", "version": 1, "horizon": "2d", "trigger": {"delay": {"types": ["order"], "after": "7d", "where": "(event.props.amount ?? 0) > 20"}},
 "exit": ["event.type in [\"message_bounced\", \"unsubscribed\"] && true"],
 "steps": [{"id": "ask", "send": {"channels": ["email"], "template": "review"}},
  {"id": "w", "wait": {"until": "event.type == \"order\" && event.props.amount > 50", "timeout": "10d", "on_timeout": "end"}},
  {"id": "thanks", "send": {"channels": ["email"], "template": "big-thanks"}},
  {"id": "end", "exit": true}]},
{"id": "birthday", "version": 1, "trigger": {"anniversary": {"attribute": "birthday"}},
 "steps": [{"id": "hb", "send": {"channels": ["email"], "template": "hb"}}]},
{"id": "first-order", "version": 1, "trigger": {"anniversary": {"first_event": "order"}},
 "steps": [{"id": "fo", "send": {"channels": ["email"], "template": "fo", "vars": {"last": "lastEvent(\"order\").props.amount", "d": "daysSince(\"page_view\")"}}}]},
{"id": "kibble", "version": 1, "trigger": {"depletion": {"item": {"category": "kibble"}, "after": "14d"}},
 "steps": [{"id": "restock", "send": {"channels": ["sms", "email"], "template": "restock"}}]},
{"id": "vip", "version": 1, "trigger": {"threshold": {"property": "amount", "value": 300}},
 "steps": [{"id": "vip", "send": {"channels": ["email"], "template": "vip"}}]},
{"id": "rhythm", "version": 1, "reentry": {"mode": "once_per", "period": "30d"}, "trigger": {"repurchase": {"min_orders": 2}},
 "steps": [{"id": "due", "send": {"channels": ["email"], "template": "rhythm"}}]},
{"id": "when", "version": 1, "trigger": {"when": "daysSince(\"order\") > 45 && daysSince(\"page_view\") < 3"},
 "steps": [{"id": "back", "send": {"channels": ["email"], "template": "back"}}]},
{"id": "big-spender-exit", "version": 1, "trigger": {"on": ["page_view"]}, "horizon": "5d",
 "exit": ["(event.props.amount ?? 0) > 100"],
 "steps": [{"id": "w", "wait": {"for": "1d"}}, {"id": "browse", "send": {"channels": ["email"], "template": "browse"}}]},
{"id": "stage", "version": 1, "trigger": {"on": ["order"]}, "targeting": "facts().stage == \"active\"",
 "steps": [{"id": "s", "send": {"channels": ["email"], "template": "stage"}}]},
{"id": "browse", "version": 1, "max_lateness": "12h", "trigger": {"on": ["page_view"]}, "targeting": "daysSince(\"order\") < 60 || hasEvent(\"cart_abandoned\")",
 "steps": [{"id": "b", "send": {"channels": ["email"], "template": "browse", "vars": {"last": "lastEvent(\"order\").props.amount"}}}]},
{"id": "strict-if", "version": 1, "max_lateness": "1d", "horizon": "5d", "trigger": {"on": ["order", "page_view"], "if": "event.props.amount > 30"},
 "steps": [{"id": "s", "send": {"channels": ["email"], "template": "strict"}}]},
{"id": "events", "version": 1, "trigger": {"on": ["signup"]},
 "steps": [{"id": "e", "send": {"channels": ["email"], "template": "events", "vars": {"n": "len(events)"}}}]}
]`

var readsPolicy = Policy{
	Caps:        []Cap{{Channels: []parcours.Channel{parcours.Email}, Max: 2, Window: parcours.Duration(7 * 24 * time.Hour)}},
	Priority:    &Priority{Gap: parcours.Duration(20 * time.Hour)},
	Suppression: &Suppression{After: parcours.Duration(120 * 24 * time.Hour)},
	QuietHours:  []QuietHours{{From: "21:00", To: "08:00"}},
}

// readsEngines are one engine per scenario, so each scenario's reads are
// checked on their own, and one with every scenario and a policy.
func readsEngines(t *testing.T) map[string]*Engine {
	scs, err := ParseAll([]byte(readsScenarios))
	if err != nil {
		t.Fatal(err)
	}
	seg := WithSegments(segment.Config{Loyalty: &segment.LoyaltyRules{PointsPerUnit: 1, Tiers: []segment.Tier{{Name: "gold", Points: 200}}}})
	engines := map[string]*Engine{}
	for _, s := range scs {
		engines[s.ID] = mustCompile(t, []Scenario{s}, seg)
	}
	engines["all+policy"] = mustCompile(t, scs, seg, WithPolicy(readsPolicy))
	engines["no-events+policy"] = mustCompile(t, slices.DeleteFunc(slices.Clone(scs), func(s Scenario) bool {
		return s.ID == "events" || s.ID == "when"
	}), seg, WithPolicy(readsPolicy))
	return engines
}

func mustCompile(t *testing.T, scs []Scenario, opts ...Option) *Engine {
	t.Helper()
	e, err := Compile(scs, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// simulate builds a customer's timeline over a year: shop events at
// random, and a host that evaluates at each event and every day and
// records the sends (some opened or clicked, a few bounced).
func simulate(rng *rand.Rand, eng *Engine, id int) parcours.Timeline {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Profile: parcours.Profile{ID: fmt.Sprint("c", id), TimeZone: "Europe/Paris",
		Consent:    map[parcours.Channel]bool{parcours.Email: rng.IntN(10) > 0, parcours.SMS: rng.IntN(2) == 0},
		Attributes: map[string]any{"birthday": fmt.Sprintf("19%02d-%02d-%02d", 50+rng.IntN(50), 1+rng.IntN(12), 1+rng.IntN(28))}}}
	n := 0
	add := func(e parcours.Event) {
		n++
		e.ID = fmt.Sprintf("%s-%d", tl.Profile.ID, n)
		tl.Events = append(tl.Events, e)
	}
	var shop []parcours.Event
	for range rng.IntN(30) {
		at := start.Add(time.Duration(rng.Int64N(int64(360 * 24 * time.Hour)))).Truncate(time.Minute)
		e := parcours.Event{Time: at}
		switch rng.IntN(6) {
		case 0, 1:
			e.Type = parcours.Order
			e.Props = map[string]any{parcours.PropAmount: float64(5 + rng.IntN(120)),
				parcours.PropItems: []any{map[string]any{"category": []string{"kibble", "toys"}[rng.IntN(2)]}}}
		case 2:
			e.Type = parcours.CartAbandoned
			e.Props = map[string]any{parcours.PropAmount: float64(rng.IntN(80))}
		case 3, 4:
			e.Type = "page_view"
		default:
			e.Type = parcours.Signup
		}
		shop = append(shop, e)
	}
	if rng.IntN(8) == 0 {
		shop = append(shop, parcours.Event{Type: parcours.Unsubscribed, Time: start.Add(time.Duration(rng.IntN(300*24)) * time.Hour)})
	}
	slices.SortFunc(shop, func(a, b parcours.Event) int { return a.Time.Compare(b.Time) })
	for day := start; day.Before(start.Add(360 * 24 * time.Hour)); day = day.Add(24 * time.Hour) {
		instants := []time.Time{day.Add(10 * time.Hour)}
		for len(shop) > 0 && shop[0].Time.Before(day.Add(24*time.Hour)) {
			add(shop[0])
			instants = append(instants, shop[0].Time)
			shop = shop[1:]
		}
		for _, now := range instants {
			for _, a := range eng.Evaluate(tl, now).Due {
				if rng.IntN(8) == 0 {
					continue // the host failed to send: the step stays pending, then is let go
				}
				add(a.SentEvent("", now))
				switch r := rng.IntN(10); {
				case r < 4:
					add(parcours.Event{Type: parcours.MessageOpened, Time: now.Add(time.Hour), Channel: string(a.Channel),
						Props: map[string]any{parcours.PropRun: a.Run, parcours.PropStep: a.Step}})
				case r < 5:
					add(parcours.Event{Type: parcours.MessageClicked, Time: now.Add(2 * time.Hour), Channel: string(a.Channel),
						Props: map[string]any{parcours.PropRun: a.Run, parcours.PropStep: a.Step}})
				case r < 6:
					add(parcours.Event{Type: parcours.MessageBounced, Time: now.Add(time.Minute), Channel: string(a.Channel),
						Props: map[string]any{parcours.PropHard: rng.IntN(2) == 0}})
				}
			}
		}
	}
	return tl
}

// TestReadsSliceGivesSameResult checks the guarantee of Engine.Reads on a
// generated population: at random instants, evaluating the slice gives
// the Result of evaluating the whole timeline.
func TestReadsSliceGivesSameResult(t *testing.T) {
	engines := readsEngines(t)
	rng := rand.New(rand.NewPCG(17, 17))
	customers := 16
	if testing.Short() {
		customers = 15
	}
	kept, total := map[string]int{}, map[string]int{}
	for c := range customers {
		tl := simulate(rng, engines["all+policy"], c)
		for range 6 {
			now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int64N(int64(400 * 24 * time.Hour))))
			for name, eng := range engines {
				part := eng.Reads().Slice(tl, now)
				kept[name] += len(part.Events)
				total[name] += len(tl.At(now).Events)
				// Old firings of bounded runs change nothing but errors
				// about them, which the engine no longer looks for.
				all, want, got := unbounded(eng).Evaluate(tl, now), eng.Evaluate(tl, now), eng.Evaluate(part, now)
				if d := cmp.Diff(all, want, cmpopts.IgnoreFields(Result{}, "Errors"), cmpopts.EquateEmpty()); d != "" {
					t.Fatalf("%s: customer %s at %s: a run older than its life changed the Result (-all firings +bounded):\n%s",
						name, tl.Profile.ID, now.Format(time.RFC3339), d)
				}
				if d := cmp.Diff(want, got, cmpopts.IgnoreFields(Result{}, "Errors"), cmpopts.EquateEmpty()); d != "" {
					t.Fatalf("%s: customer %s at %s: slice of %d/%d events (-whole +slice):\n%s\nreads: %+v",
						name, tl.Profile.ID, now.Format(time.RFC3339), len(part.Events), len(tl.At(now).Events), d, eng.Reads())
				}
				// A host may load more than the slice (a coarser query):
				// the slice plus any events of the whole evaluates the same.
				more := part
				more.Events = slices.Clone(part.Events)
				for _, e := range tl.At(now).Events {
					if rng.IntN(3) == 0 {
						more.Events = append(more.Events, e)
					}
				}
				if d := cmp.Diff(want, eng.Evaluate(more, now), cmpopts.IgnoreFields(Result{}, "Errors"), cmpopts.EquateEmpty()); d != "" {
					t.Fatalf("%s: customer %s at %s: a superset of the slice evaluates differently (-whole +superset):\n%s",
						name, tl.Profile.ID, now.Format(time.RFC3339), d)
				}
				if d := cmp.Diff(fmt.Sprint(want.Errors), fmt.Sprint(got.Errors)); d != "" {
					t.Fatalf("%s: customer %s at %s: errors differ:\n%s", name, tl.Profile.ID, now.Format(time.RFC3339), d)
				}
			}
		}
	}
	// The slice must be a real saving where nothing reads everything.
	for _, name := range []string{"cart", "lapsed", "review", "big-spender-exit", "browse", "strict-if"} {
		if kept[name]*10 > total[name]*9 {
			t.Errorf("%s: slices keep %d of %d events: Reads is needlessly wide", name, kept[name], total[name])
		}
	}
	for _, name := range []string{"events", "when", "all+policy"} {
		if kept[name] != total[name] {
			t.Errorf("%s reads everything, yet its slices keep %d of %d events", name, kept[name], total[name])
		}
	}
}

func TestReadsOfOneScenario(t *testing.T) {
	engines := readsEngines(t)
	day := 24 * time.Hour
	h := 2*time.Hour + day + ReportLetGo // cart: its wait, its max lateness, then reported
	reach := Span{Back: Forever}
	want := Reads{Types: map[string]Span{
		parcours.CartAbandoned:  {Back: h},
		parcours.Order:          {Back: h}, // exit candidates, cart cancellation
		parcours.MessageSent:    {Back: h},
		parcours.Unsubscribed:   reach,
		parcours.Signup:         reach,
		parcours.MessageBounced: reach,
		parcours.MessageOpened:  reach,
		parcours.MessageClicked: reach,
	}}
	if d := cmp.Diff(want, engines["cart"].Reads()); d != "" {
		t.Errorf("cart reads (-want +got):\n%s", d)
	}
	lapsed := engines["lapsed"].Reads()
	h = 3*day + ReportLetGo
	if got, want := lapsed.Span(parcours.Order), (Span{Back: h + 365*day}); got != want {
		t.Errorf("lapsed reads orders %+v, want %+v (a 365-day count at firings up to the run's life old)", got, want)
	}
	if got := lapsed.Span("page_view"); !got.IsZero() {
		t.Errorf("lapsed reads page views: %+v", got)
	}
	if got := engines["first-order"].Reads(); !got.First || got.Span(parcours.Order) != (Span{Prior: true, First: true}) ||
		got.Span("page_view") != (Span{Prior: true}) {
		t.Errorf("first-order reads %+v", got)
	}
	if got := engines["events"].Reads().Other; got.Back != Forever {
		t.Errorf("len(events) reads %+v, want everything", got)
	}
}

// unbounded is e looking at every firing however old, as if no run had a
// bounded life: what the whole timeline gives without the shortcut that
// Reads relies on.
func unbounded(e *Engine) *Engine {
	u := *e
	u.scenarios = nil
	for _, cs := range e.scenarios {
		c := *cs
		c.life = Forever
		u.scenarios = append(u.scenarios, &c)
	}
	return &u
}
