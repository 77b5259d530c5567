package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/parcours-dev/parcours"
)

// categories are what the generated shop sells.
var categories = []string{"home", "kitchen", "textile", "garden"}

// population generates n customers who joined over the two years before
// now: about a quarter never order (prospects), the others buy at their own
// pace until they drift away, receive a weekly newsletter and open some of
// it; a few left a cart in the last day. The seed fixes everything, so the
// example prints the same figures on every machine.
func population(n int, now time.Time, seed uint64) []parcours.Timeline {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	start := now.AddDate(-2, 0, 0)
	day := 24 * time.Hour
	tls := make([]parcours.Timeline, 0, n)
	for i := range n {
		id := fmt.Sprintf("c%03d", i)
		tl := parcours.Timeline{Profile: parcours.Profile{
			ID: id, TimeZone: "Europe/Paris", Consent: map[parcours.Channel]bool{parcours.Email: true},
		}}
		ev := func(typ string, at time.Time, channel string, props map[string]any) {
			if at.After(now) {
				return
			}
			tl.Events = append(tl.Events, parcours.Event{
				ID: fmt.Sprintf("%s-%d", id, len(tl.Events)), Type: typ, Time: at, Channel: channel, Props: props,
			})
		}
		// Joining minute-aligned instants keep the output readable.
		join := start.Add(time.Duration(r.IntN(730*24*60)) * time.Minute)
		ev(parcours.Signup, join, "web", nil)

		if r.Float64() >= 0.25 { // a buyer
			gap := float64(20 + r.IntN(150))                          // usual days between orders
			life := join.Add(time.Duration(r.ExpFloat64()*300) * day) // drifts away after
			at := join.Add(time.Duration(r.IntN(30*24)) * time.Hour)
			for !at.After(life) && !at.After(now) {
				amount := math.Round((20+r.Float64()*130)*100) / 100
				channel := "web"
				if r.IntN(3) == 0 {
					channel = "store"
				}
				ev(parcours.Order, at, channel, map[string]any{
					parcours.PropAmount: amount,
					parcours.PropPromo:  r.Float64() < 0.3,
					parcours.PropItems: []any{map[string]any{
						parcours.PropCategory: categories[r.IntN(len(categories))], "price": amount,
					}},
				})
				at = at.Add(time.Duration(gap*(0.5+r.Float64())*24) * time.Hour)
			}
		}
		// The weekly newsletter of the last year, opened now and then.
		for t := now.AddDate(-1, 0, 0); t.Before(now); t = t.Add(7 * day) {
			if t.Before(join) {
				continue
			}
			ev(parcours.MessageSent, t, parcours.Email, map[string]any{parcours.PropScenario: "newsletter"})
			if r.Float64() < 0.25 {
				ev(parcours.MessageOpened, t.Add(3*time.Hour), parcours.Email, map[string]any{parcours.PropScenario: "newsletter"})
			}
		}
		if r.Float64() < 0.08 {
			ev(parcours.CartAbandoned, now.Add(-time.Duration(2+r.IntN(20))*time.Hour), "web",
				map[string]any{parcours.PropCart: id + "-cart", parcours.PropAmount: 49.9})
		}
		tls = append(tls, tl)
	}
	return tls
}
