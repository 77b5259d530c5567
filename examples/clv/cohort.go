package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/parcours-dev/parcours"
)

// cohort generates n customers whose first order falls in the first twelve
// weeks of 2025, buying as the BG/NBD story says: each buys at her own
// Poisson rate (two in five are occasional buyers) while active and may drop out after every repeat purchase.
// Basket values scatter around each customer's own mean. Each receives the
// monthly newsletter of the last year and opens it with her own propensity
// (a third never open anything), so some are disengaged. A fixed seed gives
// the same cohort on every machine.
func cohort(n int, now time.Time, seed uint64) []parcours.Timeline {
	r := rand.New(rand.NewPCG(seed, seed+1))
	day := 24 * time.Hour
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	tls := make([]parcours.Timeline, 0, n)
	for i := range n {
		id := fmt.Sprintf("c%04d", i)
		tl := parcours.Timeline{Profile: parcours.Profile{
			ID: id, TimeZone: "Europe/Paris", Consent: map[parcours.Channel]bool{parcours.Email: true},
		}}
		add := func(typ string, at time.Time, channel string, props map[string]any) {
			tl.Events = append(tl.Events, parcours.Event{
				ID: fmt.Sprintf("%s-%d", id, len(tl.Events)), Type: typ, Time: at, Channel: channel, Props: props,
			})
		}
		rate := math.Exp(r.NormFloat64()*0.8) / 120 // orders per day, 3 a year typically
		if r.Float64() < 0.4 {
			rate /= 8 // an occasional buyer
		}
		drop := 0.05 + 0.4*r.Float64() // chance to leave after each repeat purchase
		basket := 35 * math.Exp(r.NormFloat64()*0.4)
		order := func(at time.Time) {
			v := math.Round(basket*math.Exp(r.NormFloat64()*0.25)*100) / 100
			add(parcours.Order, at, "web", map[string]any{parcours.PropAmount: v})
		}

		at := start.Add(time.Duration(r.IntN(12*7*24*60)) * time.Minute)
		order(at)
		for {
			at = at.Add(time.Duration(r.ExpFloat64() / rate * float64(day)))
			if at.After(now) {
				break
			}
			order(at)
			if r.Float64() < drop {
				break
			}
		}

		opens := r.Float64() * 0.6
		if r.IntN(3) == 0 {
			opens = 0
		}
		for t := now.AddDate(-1, 0, 0); t.Before(now); t = t.AddDate(0, 1, 0) {
			add(parcours.MessageSent, t, parcours.Email, map[string]any{parcours.PropScenario: "newsletter"})
			if r.Float64() < opens {
				add(parcours.MessageOpened, t.Add(5*time.Hour), parcours.Email, map[string]any{parcours.PropScenario: "newsletter"})
			}
		}
		tls = append(tls, tl)
	}
	return tls
}
