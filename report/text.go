package report

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Plain-text tables, for examples and logs. Amounts print with two
// decimals, shares as percentages; the layout is stable so that golden
// files can pin it.

// table lays out rows under a header: the first column left-aligned,
// the others right-aligned, two spaces apart.
func table(header []string, rows [][]string) string {
	all := append([][]string{header}, rows...)
	width := make([]int, len(header))
	for _, r := range all {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range all {
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			switch {
			case i == 0:
				b.WriteString(c + pad)
			default:
				b.WriteString("  " + pad + c)
			}
		}
		trimmed := strings.TrimRight(b.String(), " ")
		b.Reset()
		b.WriteString(trimmed)
		b.WriteByte('\n')
	}
	return b.String()
}

func period(from, to time.Time) string {
	if from.IsZero() {
		return "up to " + to.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("(%s, %s]", from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
}

func or(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}

// Text renders the attribution as a table: one line per scenario, then
// its groups.
func (a Attribution) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s attribution %s: %d customers, %d orders, revenue %.2f\n",
		a.Model, period(a.From, a.To), a.Customers, a.Orders, a.Revenue)
	fmt.Fprintf(&b, "scenarios brought %.2f (%.1f%% of revenue); all messages %.2f over %.1f orders\n",
		a.ScenarioRevenue, 100*a.Share, a.AttributedRevenue, a.AttributedOrders)
	var rows [][]string
	row := func(g Group, label string) {
		rows = append(rows, []string{label, or(g.Variant, "-"), or(g.Channel, "-"),
			fmt.Sprint(g.Recipients), fmt.Sprint(g.Sends), fmt.Sprint(g.Opens), fmt.Sprint(g.Clicks),
			fmt.Sprint(g.Unsubscribes), fmt.Sprintf("%.1f", g.Conversions), fmt.Sprintf("%.2f", g.Revenue),
			fmt.Sprintf("%.2f", g.RevenuePerRecipient)})
	}
	for _, s := range a.Scenarios {
		row(s, or(s.Scenario, "(no scenario)"))
		for _, g := range a.Groups {
			if g.Scenario == s.Scenario {
				row(g, "  "+or(g.Step, "-"))
			}
		}
	}
	b.WriteString(table([]string{"scenario/step", "variant", "channel", "recipients", "sends", "opens", "clicks", "unsubs", "conversions", "revenue", "per recipient"}, rows))
	if a.Unmatched > 0 {
		fmt.Fprintf(&b, "%d opens, clicks or unsubscribes named no earlier send and were ignored\n", a.Unmatched)
	}
	return b.String()
}

// Text renders the arms and, for each arm and the pooled arms, the
// difference with the control and its confidence interval.
func (l Lift) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "lift against %q over %s after entry, %.0f%% intervals\n", l.Control, l.Horizon, 100*(1-l.Alpha))
	var rows [][]string
	for _, a := range l.Arms {
		rows = append(rows, []string{a.Name, fmt.Sprint(a.Customers), fmt.Sprint(a.Converted),
			fmt.Sprintf("%.1f%%", 100*a.ConversionRate), fmt.Sprintf("%.2f", a.Revenue), fmt.Sprintf("%.2f", a.RevenuePerCustomer)})
	}
	b.WriteString(table([]string{"arm", "customers", "converted", "rate", "revenue", "per customer"}, rows))
	effects := l.Effects
	if l.Pooled != nil {
		effects = append(effects[:len(effects):len(effects)], *l.Pooled)
	}
	for _, e := range effects {
		fmt.Fprintf(&b, "%s vs %s:\n", e.Arm, l.Control)
		if w := e.Revenue; w != nil {
			fmt.Fprintf(&b, "  revenue per customer %+.2f [%+.2f, %+.2f] (p=%.3f), incremental revenue %+.2f [%+.2f, %+.2f]\n",
				w.Diff, w.CILow, w.CIHigh, w.PValue, e.Incremental, e.IncrementalLow, e.IncrementalHigh)
		}
		if p := e.Profit; p != nil {
			fmt.Fprintf(&b, "  profit per customer %+.2f [%+.2f, %+.2f] (p=%.3f)\n", p.Welch.Diff, p.Welch.CILow, p.Welch.CIHigh, p.Welch.PValue)
		}
		if z := e.Conversion; z != nil {
			fmt.Fprintf(&b, "  conversion %+.1f points [%+.1f, %+.1f] (p=%.3f)\n", 100*z.Diff, 100*z.CILow, 100*z.CIHigh, z.PValue)
		}
		if e.Undefined != "" {
			fmt.Fprintf(&b, "  undefined: %s\n", e.Undefined)
		}
	}
	return b.String()
}

// Text renders the funnel: one line per scenario, then its steps.
func (f Funnel) Text() string {
	var rows [][]string
	reasons := func(rs []Reason) string {
		var parts []string
		for _, r := range rs {
			parts = append(parts, fmt.Sprintf("%s=%d", r.Code, r.Runs))
		}
		return or(strings.Join(parts, " "), "-")
	}
	for _, s := range f.Scenarios {
		rows = append(rows, []string{s.Scenario, fmt.Sprint(s.Runs), fmt.Sprint(s.Sent), "", "", fmt.Sprint(s.Converted)})
		for _, st := range s.Steps {
			rows = append(rows, []string{"  " + st.Step, fmt.Sprint(st.Runs), fmt.Sprint(st.Sent), reasons(st.Deferred), reasons(st.Skipped), ""})
		}
	}
	return "journey funnel " + period(f.From, f.To) + "\n" +
		table([]string{"scenario/step", "runs", "sent", "deferred", "skipped", "converted"}, rows)
}
