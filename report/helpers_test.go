package report

import (
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
)

// t0 is the origin of the hand-written fixtures; times are given in
// hours after it.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func at(h float64) time.Time { return t0.Add(time.Duration(h * float64(time.Hour))) }

const day = 24.0 // hours

// msg builds a message event of the given type about the message
// (scenario, step) with key.
func msg(typ, id, key, sc, step, ch string, h float64) parcours.Event {
	props := map[string]any{}
	if key != "" {
		props[parcours.PropKey] = key
	}
	if sc != "" {
		props[parcours.PropScenario] = sc
		props[parcours.PropStep] = step
		props[parcours.PropRun] = sc + "-run"
	}
	return parcours.Event{ID: id, Type: typ, Time: at(h), Channel: ch, Props: props}
}

func sent(id, key, sc, step, ch string, h float64) parcours.Event {
	return msg(parcours.MessageSent, id, key, sc, step, ch, h)
}

func opened(id, key, ch string, h float64) parcours.Event {
	return msg(parcours.MessageOpened, id, key, "", "", ch, h)
}

func clicked(id, key, ch string, h float64) parcours.Event {
	return msg(parcours.MessageClicked, id, key, "", "", ch, h)
}

func unsub(id, key, ch string, h float64) parcours.Event {
	return msg(parcours.Unsubscribed, id, key, "", "", ch, h)
}

func purchase(id string, amount float64, h float64) parcours.Event {
	return parcours.Event{ID: id, Type: parcours.Order, Time: at(h), Channel: "web",
		Props: map[string]any{parcours.PropAmount: amount}}
}

func tx(e parcours.Event) parcours.Event {
	e.Props[parcours.PropTransactional] = true
	return e
}

func variant(e parcours.Event, v string) parcours.Event {
	e.Props[parcours.PropVariant] = v
	return e
}

func customer(id string, evs ...parcours.Event) parcours.Timeline {
	return parcours.Timeline{Profile: parcours.Profile{ID: id}, Events: evs}
}

func seq(tls ...parcours.Timeline) iter.Seq[parcours.Timeline] { return slices.Values(tls) }

// lcg is a small deterministic generator for property tests and
// benchmarks (no global state, same stream on every machine).
type lcg uint64

func (r *lcg) next() uint64 {
	*r = *r*6364136223846793005 + 1442695040888963407
	x := uint64(*r)
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return x
}

func (r *lcg) intn(n int) int         { return int(r.next() % uint64(n)) }
func (r *lcg) float() float64         { return float64(r.next()>>11) / (1 << 53) }
func (r *lcg) pick(s []string) string { return s[r.intn(len(s))] }

// randomCustomer builds a messy timeline: messages on several channels
// and scenarios, opens and clicks (some of messages never sent), repeated
// sends, unsubscribes with and without a key, orders with amounts or item
// lines, in shuffled order.
func randomCustomer(r *lcg, id string) parcours.Timeline {
	scs := []string{"welcome", "cart", "lapsed", ""}
	chs := []string{"email", "sms", "push", "postal"}
	var evs []parcours.Event
	n := r.intn(12)
	for i := range n {
		key := fmt.Sprintf("%s-k%d", id, i)
		sc, ch := r.pick(scs), r.pick(chs)
		h := r.float() * 60 * day
		s := sent(fmt.Sprintf("s%d", i), key, sc, fmt.Sprintf("step%d", r.intn(2)), ch, h)
		if r.intn(3) == 0 {
			s = variant(s, r.pick([]string{"a", "b"}))
		}
		if r.intn(8) == 0 {
			s = tx(s)
		}
		evs = append(evs, s)
		if r.intn(10) == 0 { // the same message recorded twice
			d := s
			d.ID += "-again"
			evs = append(evs, d)
		}
		for j := range r.intn(3) {
			evs = append(evs, opened(fmt.Sprintf("o%d-%d", i, j), key, ch, h+r.float()*3*day))
		}
		if r.intn(3) == 0 {
			evs = append(evs, clicked(fmt.Sprintf("c%d", i), key, ch, h+r.float()*2*day))
		}
		if r.intn(6) == 0 {
			evs = append(evs, unsub(fmt.Sprintf("u%d", i), "", r.pick([]string{ch, ""}), h+r.float()*2*day))
		}
	}
	if r.intn(4) == 0 { // a click about a message never sent
		evs = append(evs, clicked("stray", id+"-nope", "email", r.float()*60*day))
	}
	for i := range r.intn(6) {
		o := purchase(fmt.Sprintf("ord%d", i), float64(r.intn(20000))/100, r.float()*60*day)
		if r.intn(4) == 0 {
			delete(o.Props, parcours.PropAmount)
			o.Props[parcours.PropItems] = []any{
				map[string]any{"price": 12.5, "quantity": 2.0},
				map[string]any{"price": float64(r.intn(1000)) / 10},
			}
		}
		evs = append(evs, o)
	}
	for i := len(evs) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		evs[i], evs[j] = evs[j], evs[i]
	}
	return customer(id, evs...)
}

func population(seed uint64, n int) []parcours.Timeline {
	r := lcg(seed)
	out := make([]parcours.Timeline, n)
	for i := range out {
		out[i] = randomCustomer(&r, fmt.Sprintf("c%04d", i))
	}
	return out
}
