package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/scenariotest"
)

func runReplay(args []string, in io.Reader, out, errw io.Writer) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(errw)
	var s setup
	s.flags(fs, "")
	var from, to instant
	fs.Var(&from, "from", "start of the period (RFC 3339 or a date); required")
	fs.Var(&to, "to", "end of the period, included; required")
	format := fs.String("format", "text", "output: text, csv or json")
	workers := fs.Int("j", runtime.GOMAXPROCS(0), "customers replayed at once")
	verbose := fs.Bool("v", false, "print the throughput on standard error")
	fs.Usage = func() {
		fmt.Fprint(errw, `usage: parcours replay -s scenarios.json [-policy file] [-segments file] -from T -to T [-format text|csv|json] population.jsonl

Replays every customer of the population (JSON lines, one timeline per
line; "-" reads standard input) from -from to -to with an ideal scheduler
(scenario.Engine.Replay: it evaluates at the start, at each event and at
each Result.Next, and records every due action as sent at once). It
reports, per scenario, step and day (UTC), the messages sent, the actions
a policy deferred (each action once, on the day first deferred, by rule),
and the actions skipped (each once, on the day first skipped, by reason);
cap hits are the deferrals and skips by a frequency cap. Evaluation errors
are counted per scenario. The output is the same whatever -j.
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 || from.t.IsZero() || to.t.IsZero() || to.t.Before(from.t) || *workers < 1 {
		fs.Usage()
		return exitUsage
	}
	if *format != "text" && *format != "csv" && *format != "json" {
		fmt.Fprintf(errw, "parcours replay: unknown -format %q\n", *format)
		return exitUsage
	}
	eng, err := s.engine()
	if err != nil {
		fmt.Fprintln(errw, "parcours replay:", err)
		return exitUsage
	}
	pop, err := openPopulation(fs.Arg(0), in)
	if err != nil {
		fmt.Fprintln(errw, "parcours replay:", err)
		return exitUsage
	}
	start := time.Now()
	rep, err := replayAll(eng, pop, from.t, to.t, *workers, startProgress(errw, "replay", pop.total))
	if err != nil {
		fmt.Fprintf(errw, "parcours replay: %s: %v\n", fs.Arg(0), err)
		return exitUsage
	}
	if *verbose {
		throughput(errw, rep.Customers, from.t, to.t, time.Since(start), *workers)
	}
	switch *format {
	case "csv":
		err = rep.csv(out)
	case "json":
		err = rep.json(out)
	default:
		rep.text(out)
	}
	if err != nil {
		fmt.Fprintln(errw, "parcours replay:", err)
		return exitUsage
	}
	return exitOK
}

func throughput(w io.Writer, customers int, from, to time.Time, took time.Duration, workers int) {
	days := to.Sub(from).Hours() / 24
	fmt.Fprintf(w, "%d customers x %.0f days in %.2fs with %d workers: %.0f customer-days/s\n",
		customers, days, took.Seconds(), workers, float64(customers)*days/took.Seconds())
}

// cell is one scenario, step and day.
type cell struct {
	Day      string `json:"day"`
	Scenario string `json:"scenario"`
	Step     string `json:"step"`
}

// counts is what happened in a cell.
type counts struct {
	Sent     int            `json:"sent"`
	CapHits  int            `json:"cap_hits"`
	Deferred map[string]int `json:"deferred,omitempty"` // by policy rule
	Skipped  map[string]int `json:"skipped,omitempty"`  // by reason
}

// customerReplay is what the replay of one customer contributes.
type customerReplay struct {
	cells map[cell]*counts
}

type report struct {
	Customers int            `json:"customers"`
	From      time.Time      `json:"from"`
	To        time.Time      `json:"to"`
	Rows      []row          `json:"rows"`
	Errors    map[string]int `json:"errors,omitempty"`
	Samples   []string       `json:"error_samples,omitempty"`
}

type row struct {
	cell
	counts
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// replayOne replays one customer, counting deferrals and skips once per
// action and reason, on the day first seen.
func replayOne(eng *scenario.Engine, tl parcours.Timeline, from, to time.Time) (customerReplay, []error, error) {
	cr := customerReplay{cells: map[cell]*counts{}}
	get := func(c cell) *counts {
		if cr.cells[c] == nil {
			cr.cells[c] = &counts{}
		}
		return cr.cells[c]
	}
	seen := map[string]bool{}
	once := func(key, code string) bool {
		k := key + "\x00" + code
		if seen[k] {
			return false
		}
		seen[k] = true
		return true
	}
	observe := func(now time.Time, res scenario.Result) {
		for _, d := range res.Deferred {
			if once(d.Action.Key, "d"+string(d.Code)) {
				c := get(cell{day(now), d.Action.Scenario, d.Action.Step})
				if c.Deferred == nil {
					c.Deferred = map[string]int{}
				}
				c.Deferred[string(d.Code)]++
				if d.Code == scenario.SkipCap {
					c.CapHits++
				}
			}
		}
		for _, s := range res.Skipped {
			if once(s.Action.Key, "s"+string(s.Code)) {
				c := get(cell{day(now), s.Action.Scenario, s.Action.Step})
				if c.Skipped == nil {
					c.Skipped = map[string]int{}
				}
				c.Skipped[string(s.Code)]++
				if s.Code == scenario.SkipCap {
					c.CapHits++
				}
			}
		}
	}
	r, err := scenariotest.Simulate(eng, tl, from, to, 0, observe)
	if err != nil {
		return cr, nil, err
	}
	for _, s := range r.Sent {
		get(cell{day(s.At), s.Scenario, s.Step}).Sent++
	}
	return cr, r.Errors, nil
}

// tally is what a worker accumulated.
type tally struct {
	cells   map[cell]*counts
	errors  map[string]int
	samples []sample
}

// sample is an evaluation error and the customer's index, so that the
// samples shown are the first in population order whatever the workers.
type sample struct {
	index int
	text  string
}

func (t *tally) add(c cell, n *counts) {
	s := t.cells[c]
	if s == nil {
		s = &counts{}
		t.cells[c] = s
	}
	s.Sent += n.Sent
	s.CapHits += n.CapHits
	s.Deferred = addCounts(s.Deferred, n.Deferred)
	s.Skipped = addCounts(s.Skipped, n.Skipped)
}

const maxSamples = 5

func replayAll(eng *scenario.Engine, pop *population, from, to time.Time, workers int, p *progress) (*report, error) {
	tallies := make([]tally, workers)
	for i := range tallies {
		tallies[i] = tally{cells: map[cell]*counts{}, errors: map[string]int{}}
	}
	n, err := pop.each(workers, p, func(w, i int, tl parcours.Timeline) error {
		cr, evalErrs, err := replayOne(eng, tl, from, to)
		if err != nil {
			return fmt.Errorf("customer %q: %w", tl.Profile.ID, err)
		}
		t := &tallies[w]
		for c, n := range cr.cells {
			t.add(c, n)
		}
		for _, e := range evalErrs {
			name := "?"
			var se *scenario.Error
			if errors.As(e, &se) {
				name = se.Scenario
			}
			t.errors[name]++
			if len(t.samples) < maxSamples { // each worker sees increasing indexes
				t.samples = append(t.samples, sample{i, fmt.Sprintf("%s: %v", tl.Profile.ID, e)})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rep := &report{Customers: n, From: from, To: to}
	total := tally{cells: map[cell]*counts{}}
	var samples []sample
	for _, t := range tallies {
		for c, n := range t.cells {
			total.add(c, n)
		}
		rep.Errors = addCounts(rep.Errors, t.errors)
		samples = append(samples, t.samples...)
	}
	slices.SortFunc(samples, func(a, b sample) int { return a.index - b.index })
	for _, s := range samples[:min(len(samples), maxSamples)] {
		rep.Samples = append(rep.Samples, s.text)
	}
	for c, n := range total.cells {
		rep.Rows = append(rep.Rows, row{c, *n})
	}
	slices.SortFunc(rep.Rows, func(a, b row) int {
		return strings.Compare(a.Day+"\x00"+a.Scenario+"\x00"+a.Step, b.Day+"\x00"+b.Scenario+"\x00"+b.Step)
	})
	return rep, nil
}

func addCounts(dst, src map[string]int) map[string]int {
	for k, v := range src {
		if dst == nil {
			dst = map[string]int{}
		}
		dst[k] += v
	}
	return dst
}

// codes lists the deferral and skip codes of the report, sorted.
func (r *report) codes() (deferred, skipped []string) {
	d, s := map[string]bool{}, map[string]bool{}
	for _, row := range r.Rows {
		for k := range row.Deferred {
			d[k] = true
		}
		for k := range row.Skipped {
			s[k] = true
		}
	}
	return sortedKeys(d), sortedKeys(s)
}

func (r *report) csv(w io.Writer) error {
	deferred, skipped := r.codes()
	cw := csv.NewWriter(w)
	head := []string{"day", "scenario", "step", "sent", "cap_hits"}
	for _, c := range deferred {
		head = append(head, "deferred_"+c)
	}
	for _, c := range skipped {
		head = append(head, "skipped_"+c)
	}
	cw.Write(head)
	for _, row := range r.Rows {
		rec := []string{row.Day, row.Scenario, row.Step, strconv.Itoa(row.Sent), strconv.Itoa(row.CapHits)}
		for _, c := range deferred {
			rec = append(rec, strconv.Itoa(row.Deferred[c]))
		}
		for _, c := range skipped {
			rec = append(rec, strconv.Itoa(row.Skipped[c]))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

func (r *report) json(w io.Writer) error {
	if r.Rows == nil {
		r.Rows = []row{}
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// text prints the totals per scenario and step over the period, then the
// sends per day.
func (r *report) text(w io.Writer) {
	days := int(r.To.Sub(r.From).Hours()/24 + 0.5)
	fmt.Fprintf(w, "replay of %d customers from %s to %s (%d days)\n\n", r.Customers, r.From.Format(time.RFC3339), r.To.Format(time.RFC3339), days)
	type key struct{ scenario, step string }
	totals := map[key]*counts{}
	var keys []key
	for _, row := range r.Rows {
		k := key{row.Scenario, row.Step}
		t := totals[k]
		if t == nil {
			t = &counts{}
			totals[k] = t
			keys = append(keys, k)
		}
		t.Sent += row.Sent
		t.CapHits += row.CapHits
		t.Deferred = addCounts(t.Deferred, row.Deferred)
		t.Skipped = addCounts(t.Skipped, row.Skipped)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return strings.Compare(a.scenario+"\x00"+a.step, b.scenario+"\x00"+b.step)
	})
	fmt.Fprintf(w, "%-16s %-12s %8s %8s  %s\n", "scenario", "step", "sent", "cap hits", "deferred / skipped")
	var sum int
	for _, k := range keys {
		t := totals[k]
		sum += t.Sent
		fmt.Fprintf(w, "%-16s %-12s %8d %8d  %s\n", k.scenario, k.step, t.Sent, t.CapHits, reasons(t))
	}
	fmt.Fprintf(w, "%-16s %-12s %8d\n", "total", "", sum)
	for _, name := range sortedKeys(r.Errors) {
		fmt.Fprintf(w, "\nevaluation errors in %s: %d\n", name, r.Errors[name])
	}
	for _, s := range r.Samples {
		fmt.Fprintf(w, "  %s\n", s)
	}

	fmt.Fprintf(w, "\nsent per day\n")
	perDay := map[string]int{}
	for _, row := range r.Rows {
		perDay[row.Day] += row.Sent
	}
	for _, d := range sortedKeys(perDay) {
		if perDay[d] > 0 {
			fmt.Fprintf(w, "  %s %6d\n", d, perDay[d])
		}
	}
}

func reasons(c *counts) string {
	var parts []string
	for _, k := range sortedKeys(c.Deferred) {
		parts = append(parts, fmt.Sprintf("deferred %s %d", k, c.Deferred[k]))
	}
	for _, k := range sortedKeys(c.Skipped) {
		parts = append(parts, fmt.Sprintf("skipped %s %d", k, c.Skipped[k]))
	}
	return strings.Join(parts, ", ")
}
