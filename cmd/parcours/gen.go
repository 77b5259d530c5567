package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/parcours-dev/parcours"
)

func runGen(args []string, _ io.Reader, out, errw io.Writer) int {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(errw)
	n := fs.Int("n", 1000, "number of customers")
	var at instant
	fs.Var(&at, "at", "the anchor instant: histories end there (RFC 3339 or a date); required")
	fs.Usage = func() {
		fmt.Fprint(errw, `usage: parcours gen -n 10000 -at 2026-01-01 > population.jsonl

Writes a synthetic population, one timeline per line, to try replay and
diff. It is a fixed rule, not random, so that answers are known: customer
i (ID "c" and i on six digits, zone Europe/Paris, species cat or dog)
  - has email consent unless i % 10 == 9;
  - if i % 4 == 1, signs up at anchor + (i % 90) days + 8h and never orders;
  - otherwise last ordered at anchor - (i % 90) days (amount 20 + i % 50),
    and also 30 days before that if i % 3 == 0;
  - if i % 5 == 2, abandons a cart at anchor + (i % 90) days + 14h
    (amount 30 + i % 50), and orders it an hour later if i % 15 == 2.
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 0 || at.t.IsZero() || *n < 0 {
		fs.Usage()
		return exitUsage
	}
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	for i := range *n {
		if err := enc.Encode(synthetic(i, at.t)); err != nil {
			fmt.Fprintln(errw, "parcours gen:", err)
			return exitUsage
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(errw, "parcours gen:", err)
		return exitUsage
	}
	return exitOK
}

// synthetic is customer i of gen's rule.
func synthetic(i int, anchor time.Time) parcours.Timeline {
	const day = 24 * time.Hour
	species := "cat"
	if i%2 == 1 {
		species = "dog"
	}
	tl := parcours.Timeline{Profile: parcours.Profile{
		ID:         fmt.Sprintf("c%06d", i),
		TimeZone:   "Europe/Paris",
		Consent:    map[parcours.Channel]bool{parcours.Email: i%10 != 9},
		Attributes: map[string]any{"species": species},
	}}
	add := func(id, typ string, t time.Time, props map[string]any) {
		tl.Events = append(tl.Events, parcours.Event{ID: id, Type: typ, Time: t, Channel: "web", Props: props})
	}
	k := time.Duration(i%90) * day
	if i%4 == 1 {
		add("s1", parcours.Signup, anchor.Add(k+8*time.Hour), nil)
	} else {
		last := anchor.Add(-k)
		if i%3 == 0 {
			add("o0", parcours.Order, last.Add(-30*day), map[string]any{"amount": float64(20 + i%50)})
		}
		add("o1", parcours.Order, last, map[string]any{"amount": float64(20 + i%50)})
	}
	if i%5 == 2 {
		at := anchor.Add(k + 14*time.Hour)
		amount := float64(30 + i%50)
		add("k1", parcours.CartAbandoned, at, map[string]any{"cart": "C1", "amount": amount})
		if i%15 == 2 {
			add("o2", parcours.Order, at.Add(time.Hour), map[string]any{"cart": "C1", "amount": amount})
		}
	}
	return tl
}
