package riverhost

import (
	_ "embed"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

//go:embed shop.json
var shopScenarios []byte

// ShopScenarios are the demo shop's scenarios: a welcome with a
// first-order offer, an abandoned-cart reminder, a review request a week
// after each order, a 30-day win-back and the (transactional) invoice.
func ShopScenarios() []scenario.Scenario {
	scs, err := scenario.ParseAll(shopScenarios)
	if err != nil {
		panic(err) // shop.json is part of the package
	}
	return scs
}

// ShopPolicy is the demo shop's policy: two marketing emails a week at
// most, none at night.
func ShopPolicy() scenario.Policy {
	return scenario.Policy{
		Caps:       []scenario.Cap{{Channels: []parcours.Channel{parcours.Email}, Max: 2, Window: parcours.Duration(7 * 24 * time.Hour)}},
		QuietHours: []scenario.QuietHours{{From: "21:00", To: "08:00"}},
	}
}

// ShopCustomer is one customer of a generated shop.
type ShopCustomer struct {
	Profile parcours.Profile
	Events  []parcours.Event // sorted by time
}

// Shop generates a pet shop's customers from a seed: profiles (Paris
// time, consent to email for most, to SMS for some) and their events from
// 30 days before from to days after it: signups, orders, abandoned
// carts and many page views, on whole hours of the shop's opening.
func Shop(seed uint64, customers int, from time.Time, days int) []ShopCustomer {
	rng := rand.New(rand.NewPCG(seed, 17))
	out := make([]ShopCustomer, customers)
	start := from.Add(-30 * 24 * time.Hour)
	span := days + 30
	for i := range out {
		id := fmt.Sprintf("c%05d", i)
		c := ShopCustomer{Profile: parcours.Profile{ID: id, TimeZone: "Europe/Paris",
			Consent: map[parcours.Channel]bool{parcours.Email: rng.IntN(10) > 0, parcours.SMS: rng.IntN(3) == 0}}}
		n := 0
		at := func(day int) time.Time {
			return start.Add(time.Duration(day)*24*time.Hour + time.Duration(8+rng.IntN(13))*time.Hour)
		}
		add := func(typ string, t time.Time, props map[string]any) {
			n++
			c.Events = append(c.Events, parcours.Event{ID: fmt.Sprintf("%s-%d", id, n), Type: typ, Time: t, Props: props})
		}
		joined := rng.IntN(span)
		add(parcours.Signup, at(joined), nil)
		for range rng.IntN(4) {
			add(parcours.Order, at(joined+rng.IntN(span-joined)), map[string]any{parcours.PropAmount: float64(10 + rng.IntN(150))})
		}
		for range rng.IntN(3) {
			add(parcours.CartAbandoned, at(joined+rng.IntN(span-joined)), map[string]any{parcours.PropAmount: float64(rng.IntN(120))})
		}
		for range rng.IntN(25) {
			add("page_view", at(rng.IntN(span)), map[string]any{"page": fmt.Sprint("/p/", rng.IntN(50))})
		}
		slices.SortStableFunc(c.Events, func(a, b parcours.Event) int { return a.Time.Compare(b.Time) })
		out[i] = c
	}
	return out
}
