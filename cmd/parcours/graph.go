package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/scenariotest"
)

func runGraph(args []string, _ io.Reader, out, errw io.Writer) int {
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	fs.SetOutput(errw)
	fs.Usage = func() {
		fmt.Fprint(errw, `usage: parcours graph scenarios.json [scenario-id ...]

Prints a Mermaid flowchart of the scenarios of the file (all, or those
named): the trigger and who may enter, each step (send, wait, branch,
exit), the paths between them, and the conditions that end a run. Paste it
in a pull request inside a mermaid code block.
`)
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() < 1 {
		fs.Usage()
		return exitUsage
	}
	scs, err := scenariotest.ReadScenarios(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(errw, "parcours graph:", err)
		return exitUsage
	}
	if ids := fs.Args()[1:]; len(ids) > 0 {
		var keep []scenario.Scenario
		for _, id := range ids {
			i := slices.IndexFunc(scs, func(s scenario.Scenario) bool { return s.ID == id })
			if i < 0 {
				fmt.Fprintf(errw, "parcours graph: no scenario %q in %s\n", id, fs.Arg(0))
				return exitUsage
			}
			keep = append(keep, scs[i])
		}
		scs = keep
	}
	fmt.Fprint(out, mermaid(scs))
	return exitOK
}

// mermaid draws scs as one flowchart, a subgraph per scenario when there
// are several.
func mermaid(scs []scenario.Scenario) string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	for i, s := range scs {
		pad := "  "
		if len(scs) > 1 {
			if i > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "  subgraph %s[%s]\n", node(s.ID, "scenario"), label(title(s)))
			pad = "    "
		} else {
			fmt.Fprintf(&b, "  %%%% %s\n", strings.ReplaceAll(title(s), "\n", " "))
		}
		drawScenario(&b, pad, s)
		if len(scs) > 1 {
			b.WriteString("  end\n")
		}
	}
	return b.String()
}

func title(s scenario.Scenario) string {
	t := fmt.Sprintf("%s v%d", s.ID, s.Version)
	if s.Name != "" {
		t += ": " + s.Name
	}
	return t
}

func drawScenario(b *strings.Builder, pad string, s scenario.Scenario) {
	id := func(step string) string { return node(s.ID, "step_"+step) }
	start, done := node(s.ID, "trigger"), node(s.ID, "done")

	lines := []string{"trigger: " + describeTrigger(s.Trigger)}
	if s.Targeting != "" {
		lines = append(lines, "who: "+s.Targeting)
	}
	switch s.Reentry.Mode {
	case scenario.Once:
		lines = append(lines, "once per customer")
	case scenario.OncePer:
		lines = append(lines, "at most once per "+s.Reentry.Period.String())
	}
	fmt.Fprintf(b, "%s%s([%s])\n", pad, start, label(strings.Join(lines, "\n")))

	usedDone := false
	follow := func(i int) string { // the step after Steps[i]
		if i+1 < len(s.Steps) {
			return id(s.Steps[i+1].ID)
		}
		usedDone = true
		return done
	}
	to := func(i int, name string) string {
		if name == "" {
			return follow(i)
		}
		return id(name)
	}
	if len(s.Steps) > 0 {
		fmt.Fprintf(b, "%s%s --> %s\n", pad, start, id(s.Steps[0].ID))
	}
	for i, st := range s.Steps {
		n := id(st.ID)
		switch {
		case st.Send != nil:
			lines := []string{"send " + st.Send.Template, "via " + strings.Join(st.Send.Channels, ", ")}
			for _, v := range sortedKeys(st.Send.Variants) {
				if alt := st.Send.Variants[v]; alt != nil {
					lines = append(lines, fmt.Sprintf("variant %s: %s", v, alt.Template))
				}
			}
			fmt.Fprintf(b, "%s%s[/%s/]\n", pad, n, label(strings.Join(lines, "\n")))
			fmt.Fprintf(b, "%s%s --> %s\n", pad, n, to(i, st.Next))
		case st.Wait != nil && st.Wait.Until != "":
			fmt.Fprintf(b, "%s%s{%s}\n", pad, n, label("wait until "+st.Wait.Until))
			fmt.Fprintf(b, "%s%s -->|%s| %s\n", pad, n, label("yes"), to(i, st.Next))
			timeout := st.Wait.OnTimeout
			if timeout == "" {
				timeout = st.Next
			}
			fmt.Fprintf(b, "%s%s -->|%s| %s\n", pad, n, label("after "+st.Wait.Timeout.String()), to(i, timeout))
		case st.Wait != nil:
			what := compactJSON(*st.Wait) // a kind of wait added later shows as its fields
			if what == "for: "+st.Wait.For.String() {
				what = st.Wait.For.String()
			}
			fmt.Fprintf(b, "%s%s(%s)\n", pad, n, label("wait "+what))
			fmt.Fprintf(b, "%s%s --> %s\n", pad, n, to(i, st.Next))
		case st.Branch != nil:
			fmt.Fprintf(b, "%s%s{%s}\n", pad, n, label("if "+st.Branch.If))
			fmt.Fprintf(b, "%s%s -->|%s| %s\n", pad, n, label("yes"), to(i, st.Branch.Then))
			fmt.Fprintf(b, "%s%s -->|%s| %s\n", pad, n, label("no"), to(i, st.Branch.Else))
		case st.Exit:
			fmt.Fprintf(b, "%s%s(((%s)))\n", pad, n, label("exit"))
		default: // a kind of step this command does not know: shown as its JSON
			fmt.Fprintf(b, "%s%s[%s]\n", pad, n, label(describeStep(st)))
			fmt.Fprintf(b, "%s%s --> %s\n", pad, n, to(i, st.Next))
		}
	}
	if usedDone || len(s.Steps) == 0 {
		if len(s.Steps) == 0 {
			fmt.Fprintf(b, "%s%s --> %s\n", pad, start, done)
		}
		fmt.Fprintf(b, "%s%s(((%s)))\n", pad, done, label("done"))
	}
	if len(s.Exit) > 0 {
		fmt.Fprintf(b, "%s%s>%s]\n", pad, node(s.ID, "exits"), label("ends the run on any event where\n"+strings.Join(s.Exit, "\nor ")))
	}
}

// describeTrigger lists the trigger's JSON fields, so that every kind of
// trigger, including those added later, is shown.
func describeTrigger(t scenario.Trigger) string {
	if len(t.On) > 0 && t.When == "" {
		s := "on " + strings.Join(t.On, ", ")
		if t.If != "" {
			s += " if " + t.If
		}
		rest := compactJSON(t, "on", "if")
		if rest != "" {
			s += " " + rest
		}
		return s
	}
	return compactJSON(t)
}

func describeStep(st scenario.Step) string {
	return compactJSON(st, "id", "next")
}

// compactJSON writes v's JSON fields except drop as "key: value" pairs.
func compactJSON(v any, drop ...string) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return string(b)
	}
	var parts []string
	for _, k := range sortedKeys(m) {
		if slices.Contains(drop, k) {
			continue
		}
		var x any
		json.Unmarshal(m[k], &x)
		val := plain(x)
		parts = append(parts, k+": "+val)
	}
	return strings.Join(parts, ", ")
}

// plain writes a JSON value for people: strings unquoted, objects as
// {key: value, ...} with keys sorted.
func plain(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = plain(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		var parts []string
		for _, k := range sortedKeys(v) {
			parts = append(parts, k+": "+plain(v[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// node makes a Mermaid node ID from a scenario and a part: letters,
// digits and underscores only, and distinct for distinct inputs ("_"
// doubles, other characters are "_hex_", "_I_" separates the two).
func node(scenarioID, part string) string {
	enc := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
				b.WriteRune(r)
			case r == '_':
				b.WriteString("__")
			default:
				fmt.Fprintf(&b, "_%x_", r)
			}
		}
		return b.String()
	}
	return enc(scenarioID) + "_I_" + enc(part)
}

// label quotes text for a Mermaid label: entity codes for the characters
// Mermaid reads, <br/> for line breaks.
func label(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", "<br/>", "|", "#124;", "`", "#96;")
	return `"` + r.Replace(s) + `"`
}
