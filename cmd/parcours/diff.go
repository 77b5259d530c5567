package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

// Kinds of change of a due action between two versions.
const (
	changeAdded   = "added"   // only the new version sends it
	changeRemoved = "removed" // only the old version sends it
	changeMoved   = "moved"   // both send it, at different instants
	changeContent = "content" // both send it at the same instant, with other content
)

var changeKinds = []string{changeAdded, changeRemoved, changeMoved, changeContent}

func runDiff(args []string, in io.Reader, out, errw io.Writer) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(errw)
	var old, new setup
	old.flags(fs, "old-")
	new.flags(fs, "new-")
	var from, to instant
	fs.Var(&from, "from", "start of the period (RFC 3339 or a date); required")
	fs.Var(&to, "to", "end of the period, included; required")
	examples := fs.Int("examples", 3, "examples shown per kind of change, scenario and step")
	format := fs.String("format", "text", "output: text or json")
	workers := fs.Int("j", runtime.GOMAXPROCS(0), "customers replayed at once")
	verbose := fs.Bool("v", false, "print the throughput on standard error")
	fs.Usage = func() {
		fmt.Fprint(errw, `usage: parcours diff -old-s a.json -new-s b.json [-old-policy f -new-policy f ...] -from T -to T population.jsonl

Replays the population (JSON lines of timelines) over the period with
both versions of the scenario set (each with its own -old-/-new- policy
and segments, if any) and reports which customers' sent actions change:
added (only the new version sends it), removed (only the old one),
moved (both, at different instants) or content (same instant, other
channel, template, variables or variant). The actions of a customer are
matched by scenario and step, in the order they are sent: the first
"remember" of the old version with the first of the new. Counts by kind,
scenario and step, then examples (the first customers in population
order). The output is the same whatever -j.
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 || from.t.IsZero() || to.t.IsZero() || to.t.Before(from.t) || *workers < 1 || (*format != "text" && *format != "json") {
		fs.Usage()
		return exitUsage
	}
	engOld, err := old.engine()
	if err != nil {
		fmt.Fprintln(errw, "parcours diff: old:", err)
		return exitUsage
	}
	engNew, err := new.engine()
	if err != nil {
		fmt.Fprintln(errw, "parcours diff: new:", err)
		return exitUsage
	}
	pop, err := openPopulation(fs.Arg(0), in)
	if err != nil {
		fmt.Fprintln(errw, "parcours diff:", err)
		return exitUsage
	}
	start := time.Now()
	d, err := diffAll(engOld, engNew, pop, from.t, to.t, *workers, *examples, startProgress(errw, "diff", pop.total))
	if err != nil {
		fmt.Fprintf(errw, "parcours diff: %s: %v\n", fs.Arg(0), err)
		return exitUsage
	}
	if *verbose {
		throughput(errw, 2*d.Customers, from.t, to.t, time.Since(start), *workers)
	}
	if *format == "json" {
		b, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			fmt.Fprintln(errw, "parcours diff:", err)
			return exitUsage
		}
		out.Write(append(b, '\n'))
		return exitOK
	}
	d.text(out)
	return exitOK
}

// change is one action that differs between the versions.
type change struct {
	Customer string         `json:"customer"`
	Kind     string         `json:"kind"`
	Scenario string         `json:"scenario"`
	Step     string         `json:"step"`
	Old      *scenario.Sent `json:"old,omitempty"`
	New      *scenario.Sent `json:"new,omitempty"`
	Fields   []string       `json:"fields,omitempty"` // content fields that differ
}

type countKey struct {
	Kind     string `json:"kind"`
	Scenario string `json:"scenario"`
	Step     string `json:"step"`
}

type diffCount struct {
	countKey
	Count    int      `json:"count"`
	Examples []change `json:"examples,omitempty"`
}

type diffReport struct {
	Customers int         `json:"customers"`
	Changed   int         `json:"changed_customers"`
	From      time.Time   `json:"from"`
	To        time.Time   `json:"to"`
	OldSent   int         `json:"old_sent"`
	NewSent   int         `json:"new_sent"`
	Counts    []diffCount `json:"counts"`
}

// compare matches the sends of one customer and lists the changes.
func compare(customer string, a, b []scenario.Sent) []change {
	type key struct{ scenario, step string }
	group := func(ss []scenario.Sent) (map[key][]scenario.Sent, []key) {
		m := map[key][]scenario.Sent{}
		var order []key
		for _, s := range ss {
			k := key{s.Scenario, s.Step}
			if _, ok := m[k]; !ok {
				order = append(order, k)
			}
			m[k] = append(m[k], s)
		}
		return m, order
	}
	ga, oa := group(a)
	gb, ob := group(b)
	keys := append(oa, ob...)
	slices.SortFunc(keys, func(x, y key) int { return strings.Compare(x.scenario+"\x00"+x.step, y.scenario+"\x00"+y.step) })
	keys = slices.Compact(keys)
	var out []change
	for _, k := range keys {
		xs, ys := ga[k], gb[k]
		for i := range max(len(xs), len(ys)) {
			c := change{Customer: customer, Scenario: k.scenario, Step: k.step}
			switch {
			case i >= len(ys):
				c.Kind, c.Old = changeRemoved, &xs[i]
			case i >= len(xs):
				c.Kind, c.New = changeAdded, &ys[i]
			default:
				c.Old, c.New = &xs[i], &ys[i]
				c.Fields = contentDiff(xs[i].Action, ys[i].Action)
				switch {
				case !xs[i].At.Equal(ys[i].At):
					c.Kind = changeMoved
				case len(c.Fields) > 0:
					c.Kind = changeContent
				default:
					continue
				}
			}
			out = append(out, c)
		}
	}
	return out
}

// contentDiff names the fields of what is sent that differ.
func contentDiff(a, b scenario.Action) []string {
	var f []string
	if a.Channel != b.Channel {
		f = append(f, "channel")
	}
	if a.Template != b.Template {
		f = append(f, "template")
	}
	if !reflect.DeepEqual(jsonValue(a.Vars), jsonValue(b.Vars)) {
		f = append(f, "vars")
	}
	if a.Variant != b.Variant {
		f = append(f, "variant")
	}
	return f
}

// jsonValue is v as JSON decodes it, so that 2 and 2.0 compare equal.
func jsonValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	json.Unmarshal(b, &out)
	return out
}

// diffTally is what a worker accumulated: counts by kind, scenario and
// step, and the first examples of each (a worker sees increasing
// indexes, so its first are the population's first among its customers).
type diffTally struct {
	counts   map[countKey]int
	examples map[countKey][]indexed
	old, new int
	changed  int
}

type indexed struct {
	index int
	change
}

func diffAll(a, b *scenario.Engine, pop *population, from, to time.Time, workers, examples int, p *progress) (*diffReport, error) {
	tallies := make([]diffTally, workers)
	for i := range tallies {
		tallies[i] = diffTally{counts: map[countKey]int{}, examples: map[countKey][]indexed{}}
	}
	n, err := pop.each(workers, p, func(w, i int, tl parcours.Timeline) error {
		ra, err := a.Replay(tl, from, to)
		if err != nil {
			return fmt.Errorf("customer %q: old: %w", tl.Profile.ID, err)
		}
		rb, err := b.Replay(tl, from, to)
		if err != nil {
			return fmt.Errorf("customer %q: new: %w", tl.Profile.ID, err)
		}
		t := &tallies[w]
		t.old += len(ra.Sent)
		t.new += len(rb.Sent)
		cs := compare(tl.Profile.ID, ra.Sent, rb.Sent)
		if len(cs) > 0 {
			t.changed++
		}
		for _, c := range cs {
			k := countKey{c.Kind, c.Scenario, c.Step}
			t.counts[k]++
			if len(t.examples[k]) < examples {
				t.examples[k] = append(t.examples[k], indexed{i, c})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d := &diffReport{Customers: n, From: from, To: to, Counts: []diffCount{}}
	counts := map[countKey]int{}
	exs := map[countKey][]indexed{}
	for _, t := range tallies {
		d.OldSent += t.old
		d.NewSent += t.new
		d.Changed += t.changed
		for k, c := range t.counts {
			counts[k] += c
			exs[k] = append(exs[k], t.examples[k]...)
		}
	}
	for k, c := range counts {
		e := exs[k]
		slices.SortStableFunc(e, func(x, y indexed) int { return x.index - y.index })
		dc := diffCount{countKey: k, Count: c}
		for _, x := range e[:min(len(e), examples)] {
			dc.Examples = append(dc.Examples, x.change)
		}
		d.Counts = append(d.Counts, dc)
	}
	slices.SortFunc(d.Counts, func(x, y diffCount) int {
		kx, ky := slices.Index(changeKinds, x.Kind), slices.Index(changeKinds, y.Kind)
		if kx != ky {
			return kx - ky
		}
		return strings.Compare(x.Scenario+"\x00"+x.Step, y.Scenario+"\x00"+y.Step)
	})
	return d, nil
}

func (d *diffReport) text(w io.Writer) {
	fmt.Fprintf(w, "diff over %d customers from %s to %s\n", d.Customers, d.From.Format(time.RFC3339), d.To.Format(time.RFC3339))
	fmt.Fprintf(w, "sent: %d old, %d new; %d customer(s) change\n", d.OldSent, d.NewSent, d.Changed)
	if len(d.Counts) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%-8s %-16s %-12s %8s\n", "change", "scenario", "step", "actions")
	for _, c := range d.Counts {
		fmt.Fprintf(w, "%-8s %-16s %-12s %8d\n", c.Kind, c.Scenario, c.Step, c.Count)
	}
	fmt.Fprintln(w, "\nexamples")
	ts := func(s *scenario.Sent) string { return s.At.UTC().Format(time.RFC3339) }
	for _, c := range d.Counts {
		for _, e := range c.Examples {
			fmt.Fprintf(w, "  %-8s %-10s %s/%s ", e.Kind, e.Customer, e.Scenario, e.Step)
			switch e.Kind {
			case changeAdded:
				fmt.Fprintf(w, "at %s (%s via %s)\n", ts(e.New), e.New.Template, e.New.Channel)
			case changeRemoved:
				fmt.Fprintf(w, "at %s (%s via %s)\n", ts(e.Old), e.Old.Template, e.Old.Channel)
			case changeMoved:
				fmt.Fprintf(w, "%s -> %s (%s)", ts(e.Old), ts(e.New), parcours.Duration(e.New.At.Sub(e.Old.At)))
				if len(e.Fields) > 0 {
					fmt.Fprintf(w, ", %s changed", strings.Join(e.Fields, ", "))
				}
				fmt.Fprintln(w)
			default:
				fmt.Fprintf(w, "at %s: %s changed\n", ts(e.New), strings.Join(e.Fields, ", "))
			}
		}
	}
}
