// Command shop runs the River host on a generated pet shop: it stores the
// shop's scenarios, plays its customers' events through a number of days
// on a simulated clock (days in seconds), and prints every message as it
// goes out, as JSON lines, then where the time went.
//
//	go run ./cmd/shop                                  # SQLite, shop.sqlite
//	go run ./cmd/shop -db postgres://user:pw@localhost/shop
//	go run ./cmd/shop -serve :8080                     # then take events over HTTP, in real time
//
// With -serve, once the simulation is over the host keeps running on the
// real clock and takes events at POST /events and profiles at PUT
// /customers/{id} (see riverhost.Host.Handler).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	riverhost "github.com/parcours-dev/parcours/examples/river"
	"github.com/parcours-dev/parcours/scenario"
)

func main() {
	db := flag.String("db", "shop.sqlite", "SQLite file, or a postgres:// URL")
	customers := flag.Int("customers", 200, "customers in the generated shop")
	days := flag.Int("days", 30, "days to simulate")
	seed := flag.Uint64("seed", 1, "seed of the generated shop")
	webhook := flag.String("webhook", "", "POST messages to this URL instead of printing them")
	quiet := flag.Bool("quiet", false, "do not print messages")
	serve := flag.String("serve", "", "after the simulation, serve the HTTP API on this address, in real time")
	flag.Parse()
	log.SetFlags(0)
	if err := run(*db, *customers, *days, *seed, *webhook, *quiet, *serve); err != nil {
		log.Fatal("shop: ", err)
	}
}

func run(dsn string, customers, days int, seed uint64, webhook string, quiet bool, serve string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var out io.Writer = os.Stdout
	if quiet {
		out = io.Discard
	}
	sender := riverhost.Stdout(out)
	if webhook != "" {
		sender = riverhost.Webhook(webhook, nil)
	}
	clock := &riverhost.ManualClock{}
	from := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -days)
	to := from.AddDate(0, 0, days)
	h, err := riverhost.Open(ctx, riverhost.Config{DSN: dsn, Sender: sender, Clock: clock,
		Options: []scenario.Option{scenario.WithPolicy(riverhost.ShopPolicy())}, PollInterval: 5 * time.Millisecond})
	if err != nil {
		return err
	}
	if err := h.PutScenarios(ctx, riverhost.ShopScenarios()); err != nil {
		return err
	}
	if err := h.Start(ctx); err != nil {
		return err
	}
	defer h.Stop(context.Background())
	shop := riverhost.Shop(seed, customers, from, days)
	start := time.Now()
	if err := riverhost.Simulate(ctx, h, clock, shop, from, to); err != nil {
		return err
	}
	st := h.Stats()
	el := time.Since(start)
	fmt.Fprintf(os.Stderr, "%d customers, %d days simulated in %s: %d wake-ups (%.0f/s), %d evaluations, %d messages sent\n",
		customers, days, el.Round(time.Millisecond), st.Wakeups, float64(st.Wakeups)/el.Seconds(), st.Evaluations, st.Sent)
	fmt.Fprintf(os.Stderr, "worker time: load %s, evaluate %s, send %s, write %s (total %s); %d events read\n",
		st.Load.Round(time.Millisecond), st.Evaluate.Round(time.Millisecond), st.Send.Round(time.Millisecond),
		st.Write.Round(time.Millisecond), st.Total.Round(time.Millisecond), st.EventsRead)
	if serve == "" {
		return nil
	}
	// Real time from here on: a fresh host on the same database.
	if err := h.Stop(context.Background()); err != nil {
		return err
	}
	live, err := riverhost.Open(ctx, riverhost.Config{DSN: dsn, Sender: sender,
		Options: []scenario.Option{scenario.WithPolicy(riverhost.ShopPolicy())}})
	if err != nil {
		return err
	}
	if err := live.Start(ctx); err != nil {
		return err
	}
	defer live.Stop(context.Background())
	srv := &http.Server{Addr: serve, Handler: live.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	fmt.Fprintf(os.Stderr, "serving on %s: POST /events, PUT /customers/{id}\n", serve)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
