package scenario_test

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

// This file runs the crash-safe host loop the package documents, over a
// simulated population, with crashes injected between a send and its
// record: the cap is never breached, nothing is delivered twice and
// nothing is lost. The same simulation with the naive loop (send, then
// record; after a crash, record only when the action is offered again)
// breaches the cap, which shows the test can fail.

// simCap is the contact-pressure rule the simulation checks.
var simCap = scenario.Cap{Channels: []parcours.Channel{parcours.Email}, Max: 2, Window: parcours.DaysOf(7)}

func simEngine(t *testing.T) *scenario.Engine {
	t.Helper()
	email := []parcours.Channel{parcours.Email}
	send := func(id string) scenario.Step {
		return scenario.Step{ID: id, Send: &scenario.Send{Channels: email, Template: id}}
	}
	wait := func(id string, d time.Duration) scenario.Step {
		return scenario.Step{ID: id, Wait: &scenario.Wait{For: parcours.Duration(d)}}
	}
	day := 24 * time.Hour
	eng, err := scenario.Compile([]scenario.Scenario{
		{ID: "welcome", Priority: 1, Trigger: scenario.Trigger{On: []string{parcours.Signup}},
			Steps: []scenario.Step{send("w1"), wait("w1+", day), send("w2"), wait("w2+", 2*day), send("w3")}},
		{ID: "cart", Priority: 5, Trigger: scenario.Trigger{On: []string{parcours.CartAbandoned}},
			Exit: []string{`event.type == "order"`}, Steps: []scenario.Step{wait("c", time.Hour), send("reminder")}},
		{ID: "crosssell", Priority: 3, Trigger: scenario.Trigger{On: []string{parcours.Order}},
			Steps: []scenario.Step{wait("x", 3*day), send("crosssell")}},
		{ID: "invoice", Transactional: true, Trigger: scenario.Trigger{On: []string{parcours.Order}},
			Steps: []scenario.Step{send("invoice")}},
	}, scenario.WithPolicy(scenario.Policy{Caps: []scenario.Cap{simCap}}))
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

// simPopulation returns n customers with a signup in the first ten days,
// then carts and orders over the 60 days from start.
func simPopulation(n int, start time.Time) map[string]*parcours.Timeline {
	rng := rand.New(rand.NewPCG(13, 2026))
	out := map[string]*parcours.Timeline{}
	for c := range n {
		id := fmt.Sprintf("c%04d", c)
		tl := &parcours.Timeline{Profile: parcours.Profile{ID: id, Consent: map[parcours.Channel]bool{parcours.Email: true}}}
		at := start.Add(time.Duration(rng.IntN(10*24*60)) * time.Minute)
		tl.Events = append(tl.Events, parcours.Event{ID: id + "-s", Type: parcours.Signup, Time: at})
		for k := 0; ; k++ {
			at = at.Add(time.Duration(rng.ExpFloat64() * float64(7*24*time.Hour)))
			if at.After(start.Add(60 * 24 * time.Hour)) {
				break
			}
			typ := parcours.CartAbandoned
			props := map[string]any{parcours.PropCart: fmt.Sprint(id, k)}
			if rng.IntN(3) == 0 {
				typ, props = parcours.Order, map[string]any{parcours.PropAmount: 40.0}
			}
			tl.Events = append(tl.Events, parcours.Event{ID: fmt.Sprint(id, "-", k), Type: typ, Time: at, Props: props})
		}
		out[id] = tl
	}
	return out
}

// provider is the messaging provider: it delivers a message once per
// idempotency key, as providers that take one do.
type provider struct {
	delivered map[string]delivery // key -> the delivery
}

type delivery struct {
	customer      string
	at            time.Time
	transactional bool
}

func (p *provider) send(customer string, a scenario.Action, at time.Time) {
	if _, dup := p.delivered[a.Key]; dup {
		return
	}
	p.delivered[a.Key] = delivery{customer, at, a.Transactional}
}

// outboxEntry is an action about to be sent, written durably before the
// send.
type outboxEntry struct {
	customer string
	action   scenario.Action
	at       time.Time
}

// host is the retailer's backend. Its store (timelines, outbox) is
// durable; a crash loses only the send in flight.
type host struct {
	eng       *scenario.Engine
	timelines map[string]*parcours.Timeline
	outbox    map[string]outboxEntry // by action key
	provider  *provider
	crash     func() bool
	safe      bool // the crash-safe loop, or the naive one
}

// restart reconciles the outbox: each entry may or may not have gone
// out. Sending it again under the same key is a no-op if it did, and the
// send if it did not; then it is recorded and the entry removed.
func (h *host) restart() {
	if !h.safe {
		return // the naive host keeps no outbox
	}
	keys := make([]string, 0, len(h.outbox))
	for k := range h.outbox {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		e := h.outbox[k]
		h.provider.send(e.customer, e.action, e.at)
		h.record(e.customer, e.action, e.at)
		delete(h.outbox, k)
	}
}

func (h *host) record(customer string, a scenario.Action, at time.Time) {
	tl := h.timelines[customer]
	tl.Events = append(tl.Events, a.SentEvent("", at))
}

// process evaluates one customer at now and carries out what is due,
// again after each round of recorded sends (they move runs on and fill
// caps), until nothing is due. It returns the next wake-up, and false if
// the process crashed.
func (h *host) process(customer string, now time.Time) (time.Time, bool) {
	for {
		res := h.eng.Evaluate(*h.timelines[customer], now)
		if len(res.Due) == 0 {
			return res.Next, true
		}
		for _, a := range res.Due {
			if h.safe {
				h.outbox[a.Key] = outboxEntry{customer, a, now} // durable, before the send
			}
			h.provider.send(customer, a, now) // idempotent on a.Key
			if h.crash() {
				return time.Time{}, false // between the send and its record
			}
			h.record(customer, a, now)
			delete(h.outbox, a.Key)
		}
	}
}

// wake is a scheduled evaluation; wakes is a min-heap of them.
type wake struct {
	at       time.Time
	customer string
}

type wakes []wake

func (w wakes) Len() int { return len(w) }
func (w wakes) Less(i, j int) bool {
	return w[i].at.Before(w[j].at) || w[i].at.Equal(w[j].at) && w[i].customer < w[j].customer
}
func (w wakes) Swap(i, j int) { w[i], w[j] = w[j], w[i] }
func (w *wakes) Push(x any)   { *w = append(*w, x.(wake)) }
func (w *wakes) Pop() any {
	old := *w
	x := old[len(old)-1]
	*w = old[:len(old)-1]
	return x
}

type simResult struct {
	crashes, breaches, lost, unrecorded, doubleRecorded int
	delivered                                           int
}

// simulate runs the host over 60 days: each customer is evaluated when
// one of its events arrives and at each Result.Next; a crashed job is
// retried after a back-off.
func simulate(t *testing.T, n int, safe bool) simResult {
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	end := start.Add(60 * 24 * time.Hour)
	rng := rand.New(rand.NewPCG(1, 13))
	var res simResult
	h := &host{eng: simEngine(t), timelines: simPopulation(n, start), outbox: map[string]outboxEntry{},
		provider: &provider{delivered: map[string]delivery{}}, safe: safe,
		crash: func() bool {
			if rng.IntN(20) == 0 { // one send in twenty
				res.crashes++
				return true
			}
			return false
		}}
	var q wakes
	for id, tl := range h.timelines {
		for _, e := range tl.Events {
			heap.Push(&q, wake{e.Time, id})
		}
	}
	done := map[wake]bool{}
	for q.Len() > 0 {
		w := heap.Pop(&q).(wake)
		if w.at.After(end) {
			break
		}
		if done[w] {
			continue
		}
		next, ok := h.process(w.customer, w.at)
		if !ok {
			// The process restarts at once; the crashed job is retried
			// after a back-off, as job queues do.
			h.restart()
			heap.Push(&q, wake{w.at.Add(time.Duration(1+rng.IntN(12)) * time.Hour), w.customer})
			done[w] = true
			continue
		}
		done[w] = true
		if !next.IsZero() {
			heap.Push(&q, wake{next, w.customer})
		}
	}
	// A last sweep at the end, as the host's next run would.
	h.restart()
	for id := range h.timelines {
		for {
			if _, ok := h.process(id, end); ok {
				break
			}
			h.restart()
		}
	}

	// What the customers got, against what the timelines hold.
	recorded := map[string]int{}
	for _, tl := range h.timelines {
		for _, e := range tl.Events {
			if e.Type == parcours.MessageSent {
				k, _ := e.String(parcours.PropKey)
				recorded[k]++
			}
		}
	}
	byCustomer := map[string][]time.Time{}
	for k, d := range h.provider.delivered {
		res.delivered++
		switch recorded[k] {
		case 0:
			res.unrecorded++
		case 1:
		default:
			res.doubleRecorded++
		}
		if !d.transactional {
			byCustomer[d.customer] = append(byCustomer[d.customer], d.at)
		}
	}
	for k := range recorded {
		if _, ok := h.provider.delivered[k]; !ok {
			res.lost++ // recorded sent, never delivered
		}
	}
	for _, ts := range byCustomer {
		slices.SortFunc(ts, time.Time.Compare)
		for i := range ts {
			// Deliveries in (ts[i]-Window, ts[i]].
			n := 0
			for j := i; j >= 0 && ts[i].Sub(ts[j]) < simCap.Window.Std(); j-- {
				n++
			}
			if n > simCap.Max {
				res.breaches++
				break
			}
		}
	}
	if len(h.outbox) > 0 {
		t.Errorf("%d outbox entries left", len(h.outbox))
	}
	return res
}

// TestCrashSafeHostLoop runs the loop of the package documentation over
// 2,000 customers and 60 days, a crash after one send in twenty.
func TestCrashSafeHostLoop(t *testing.T) {
	n := 2000
	if testing.Short() || scenario.RaceOn {
		n = 400 // the naive loop still breaches the cap over 400
	}
	safe := simulate(t, n, true)
	t.Logf("crash-safe loop: %+v", safe)
	if safe.crashes == 0 || safe.delivered == 0 {
		t.Fatalf("the simulation exercised nothing: %+v", safe)
	}
	if safe.breaches > 0 || safe.unrecorded > 0 || safe.lost > 0 || safe.doubleRecorded > 0 {
		t.Errorf("crash-safe loop: %d customers over the cap, %d deliveries unrecorded, %d recorded but never delivered, %d recorded twice",
			safe.breaches, safe.unrecorded, safe.lost, safe.doubleRecorded)
	}
	naive := simulate(t, n, false)
	t.Logf("naive loop: %+v", naive)
	if naive.breaches == 0 {
		t.Errorf("the naive loop never breached the cap: the simulation is too gentle to tell the loops apart")
	}
}
