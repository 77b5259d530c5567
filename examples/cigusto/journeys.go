package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/report"
	"github.com/parcours-dev/parcours/scenario"
)

// The journey report: what the four scenarios brought over half a year,
// and whether the lapsed-customer mail brings back customers who would
// not have come back anyway.
//
// A real host reads this from its own timelines. The example has none, so
// it simulates a base of customers: their own purchases (regular buyers,
// and buyers who stop at some point and trigger the 90-day win-back),
// the engine's sends over the half year (Engine.Replay, with the cap
// policy), and how customers react. The reactions are made up but not
// arbitrary: a held-out lapsed customer comes back on their own 8% of
// the time within 30 days; a mailed one also does, and the mail brings
// back a further 5% (reminder) or 7% (promo) within days of opening it.
// The report then has to find these figures back.

const (
	simCustomers = 1000
	winback      = "lapsed90"
)

var (
	simFrom = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	simTo   = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	day     = 24 * time.Hour
)

// rng is a small deterministic generator, so the report prints the same
// figures on every machine.
type rng uint64

func (r *rng) next() uint64 {
	*r = *r*6364136223846793005 + 1442695040888963407
	x := uint64(*r)
	x ^= x >> 31
	x *= 0x9e3779b97f4a7c15
	return x ^ x>>29
}

func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

func (r *rng) chance(p float64) bool { return r.float() < p }

func (r *rng) within(from time.Time, d time.Duration) time.Time {
	return from.Add(time.Duration(r.float() * float64(d)).Truncate(time.Minute))
}

func basket(r *rng) float64 { return float64(int(2000+r.float()*6000)) / 100 }

// history makes a customer's own purchases from mid-2025: a regular buyer
// every 3 to 7 weeks, who may stop for good somewhere between October and
// March.
func history(r *rng, id string) parcours.Timeline {
	p := parcours.Profile{ID: id, TimeZone: "Europe/Paris",
		Consent:    map[parcours.Channel]bool{parcours.Email: r.chance(0.9), parcours.SMS: r.chance(0.3)},
		Attributes: map[string]any{"birthday": fmt.Sprintf("19%02d-%02d-%02d", 60+r.next()%45, 1+r.next()%12, 1+r.next()%28)}}
	stop := simTo
	if r.chance(0.55) {
		stop = r.within(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), 150*day)
	}
	var evs []parcours.Event
	gap := time.Duration(21+r.next()%29) * day
	for t := r.within(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), gap); t.Before(stop); t = t.Add(gap/2 + time.Duration(r.float()*float64(gap))) {
		evs = append(evs, purchase(r, fmt.Sprint(id, "-o", len(evs)), t))
	}
	return parcours.Timeline{Profile: p, Events: evs}
}

func purchase(r *rng, id string, t time.Time) parcours.Event {
	ch, props := "web", map[string]any{parcours.PropAmount: basket(r)}
	if r.chance(0.6) {
		ch, props["store"] = "store", "Rennes Gare"
	}
	return parcours.Event{ID: id, Type: parcours.Order, Time: t, Channel: ch, Props: props}
}

// react adds what the customer did with the messages of a replay:
// opens and clicks, the orders the messages brought, and, for lapsed
// customers, coming back on their own.
func react(r *rng, tl parcours.Timeline, rep scenario.Replay) parcours.Timeline {
	evs := slices.Clone(tl.Events)
	add := func(e parcours.Event) {
		if !e.Time.After(simTo) {
			evs = append(evs, e)
		}
	}
	engage := func(typ string, s scenario.Sent, at time.Time) {
		add(parcours.Event{ID: fmt.Sprint(s.Key, "-", typ), Type: typ, Time: at, Channel: s.Channel,
			Props: map[string]any{parcours.PropKey: s.Key, parcours.PropScenario: s.Scenario, parcours.PropRun: s.Run, parcours.PropStep: s.Step}})
	}
	for _, s := range rep.Sent {
		if !r.chance(map[string]float64{"invoice": 0.6, "survey": 0.35, "birthday": 0.5, winback: 0.45}[s.Scenario]) {
			continue
		}
		open := r.within(s.At, 2*day)
		engage(parcours.MessageOpened, s, open)
		if r.chance(0.3) {
			engage(parcours.MessageClicked, s, open.Add(time.Minute))
		}
		// Among openers, who buys because of the message: the
		// win-back's variants as described above (5% and 7% of all
		// mailed customers), a birthday wish or a survey now and then.
		p := map[string]float64{"survey": 0.2, "birthday": 0.3, "reminder": 0.05 / 0.45, "promo": 0.07 / 0.45}
		key := s.Scenario
		if s.Scenario == winback {
			key = s.Variant
		}
		if r.chance(p[key]) {
			add(purchase(r, s.Key+"-bought", r.within(open, 3*day)))
		}
	}
	// Lapsed customers come back on their own, mailed or not.
	if arm, since, ok := report.Enrolment(rep, winback); ok && arm != "" && r.chance(0.08) {
		add(purchase(r, tl.Profile.ID+"-back", r.within(since, 30*day)))
	}
	tl.Events = evs
	return tl
}

// journeys simulates the half year and prints the report.
func journeys(w io.Writer, eng *scenario.Engine) error {
	var replays []scenario.Replay
	for i := range simCustomers {
		r := rng(i + 1)
		tl := history(&r, fmt.Sprintf("c%04d", i))
		rep, err := eng.Replay(tl, simFrom, simTo)
		if err != nil {
			return err
		}
		// The reactions are added to the replayed timeline; they do not
		// feed back into the engine (no invoice or survey for the orders
		// the messages brought), which keeps the example fast and
		// changes nothing to the win-back, a single mail.
		rep.Timeline = react(&r, rep.Timeline, rep)
		replays = append(replays, rep)
	}
	timelines := func(yield func(parcours.Timeline) bool) {
		for _, r := range replays {
			if !yield(r.Timeline) {
				return
			}
		}
	}
	att, err := report.Attribute(timelines, simFrom, simTo, report.Config{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nJourney report, %d simulated customers, first half of 2026 (last touch: email 5 days after an open or click)\n", simCustomers)
	fmt.Fprint(w, indent(att.Text()))
	fmt.Fprintf(w, "  => triggered scenarios brought %.1f%% of revenue (%.2f of %.2f EUR)\n", 100*att.Share, att.ScenarioRevenue, att.Revenue)

	fun, err := report.JourneyFunnel(slices.Values(replays), simFrom, simTo, report.Config{})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nWhat became of the runs (runs that reached each step; held back or skipped, per reason)")
	fmt.Fprint(w, indent(fun.Text()))

	var subjects []report.Subject
	for _, r := range replays {
		// Customers who entered the win-back during the half year: a
		// replay on a base with history also reports runs due before it.
		if arm, since, ok := report.Enrolment(r, winback); ok && since.After(simFrom) {
			s := report.Subject{Timeline: r.Timeline, Arm: arm, Since: since}
			if arm == "promo" {
				s.Cost = promoCost(r.Timeline, since)
			}
			subjects = append(subjects, s)
		}
	}
	lift, err := report.Incremental(slices.Values(subjects), report.LiftConfig{
		Control: scenario.HoldoutVariant, Horizon: parcours.Duration(30 * day)})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nWould they have come back anyway? %s customers 30 days after the win-back was due\n", winback)
	fmt.Fprint(w, indent(lift.Text()))
	if e := lift.Pooled; e != nil && e.Revenue != nil {
		fmt.Fprintf(w, "  => the win-back brings %+.2f EUR per lapsed customer over the holdout, 95%% CI [%+.2f, %+.2f]\n",
			e.Revenue.Diff, e.Revenue.CILow, e.Revenue.CIHigh)
		if e.Revenue.CILow > 0 {
			fmt.Fprintln(w, "     more than they would have spent anyway, beyond reasonable doubt")
		} else {
			fmt.Fprintf(w, "     not proven at 95%%: %d held-out customers are too few to rule out that they would have come back anyway\n",
				lift.Arms[slices.IndexFunc(lift.Arms, func(a report.Arm) bool { return a.Name == lift.Control })].Customers)
		}
	}
	return nil
}

// promoCost is the discount a promo customer was given: 10% of their
// first order within 30 days of the mail.
func promoCost(tl parcours.Timeline, since time.Time) float64 {
	c, _ := tl.Canonical(since.Add(30 * day))
	for _, e := range c.Events {
		if e.Type == parcours.Order && e.Time.After(since) {
			v, _ := e.Value()
			return 0.10 * v
		}
	}
	return 0
}

func indent(s string) string {
	var out []byte
	for _, line := range bytesLines(s) {
		out = append(out, "  "...)
		out = append(out, line...)
	}
	return string(out)
}

func bytesLines(s string) []string {
	var lines []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '\n' {
			i++
		}
		if i < len(s) {
			i++
		}
		lines = append(lines, s[:i])
		s = s[i:]
	}
	return lines
}
