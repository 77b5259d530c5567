package report

import (
	"cmp"
	"iter"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

// Arm names Enrolment gives besides experiment variants.
const (
	// ArmTreated is the arm of customers of a scenario without
	// experiment who were not held out.
	ArmTreated = "treated"
	// ArmControl is the arm of customers in the global control group
	// (scenario.Policy.ControlGroup).
	ArmControl = "control"
)

// Enrolment reads from what Engine.Replay did for one customer whether
// the customer entered the scenario id, in which arm and when, for
// Incremental. The customer's first action of the scenario (the earliest
// DueAt among sent, deferred and skipped ones) decides:
//
//   - skipped because of the global control group: ArmControl;
//   - otherwise its Variant: the experiment variant, or
//     scenario.HoldoutVariant ("holdout") for the experiment's holdout;
//   - ArmTreated when the scenario has no experiment.
//
// An action skipped for any other reason (no consent, too late, capped)
// keeps its arm: assignment, not delivery, puts a customer in an arm.
// since is the action's DueAt, the same instant for every arm, whatever
// a policy did to the send.
func Enrolment(r scenario.Replay, id string) (arm string, since time.Time, ok bool) {
	consider := func(a scenario.Action, code scenario.SkipCode) {
		if a.Scenario != id || (ok && !a.DueAt.Before(since)) {
			return
		}
		ok, since = true, a.DueAt
		switch {
		case code == scenario.SkipControlGroup:
			arm = ArmControl
		case a.Variant != "":
			arm = a.Variant
		default:
			arm = ArmTreated
		}
	}
	for _, s := range r.Sent {
		consider(s.Action, "")
	}
	for _, d := range r.Deferred {
		consider(d.Action, d.Code)
	}
	for _, s := range r.Skipped {
		consider(s.Action, s.Code)
	}
	return arm, since, ok
}

// ReplayOf reads from a real timeline what the engine's replay would say
// of it: each message_sent and action_done event carrying a scenario is a
// Sent action (its scenario, run, step, key, channel, variant and kind),
// due and sent at the event's time, once per key; the timeline is kept
// whole. A timeline does not
// record what was deferred or skipped, so a funnel built from ReplayOf
// counts runs, sends and conversions only; one built from Engine.Replay
// also counts the holds and skips per reason.
func ReplayOf(tl parcours.Timeline) scenario.Replay {
	r := scenario.Replay{Timeline: tl}
	seen := map[string]bool{} // keys: a message recorded twice was sent once
	for _, e := range tl.Events {
		if e.Type != parcours.MessageSent && e.Type != parcours.ActionDone {
			continue
		}
		p := readProps(&e, true)
		if p.scenario == "" || (p.key != "" && seen[p.key]) {
			continue
		}
		seen[p.key] = true
		kind, _ := e.String(parcours.PropKind)
		r.Sent = append(r.Sent, scenario.Sent{At: e.Time, Action: scenario.Action{
			CustomerID: tl.Profile.ID, DueAt: e.Time, Scenario: p.scenario, Run: p.run, Step: p.step, Key: p.key,
			Channel: e.Channel, Variant: p.variant, Transactional: p.transactional, Kind: kind,
		}})
	}
	slices.SortStableFunc(r.Sent, func(a, b scenario.Sent) int { return a.At.Compare(b.At) })
	return r
}

// Funnel is what became of the runs of each scenario, from replays.
type Funnel struct {
	From      time.Time        `json:"from,omitzero"`
	To        time.Time        `json:"to"`
	Scenarios []ScenarioFunnel `json:"scenarios"` // sorted by scenario ID
}

// ScenarioFunnel is one scenario's runs. A run counts once per customer
// (run IDs repeat across customers).
type ScenarioFunnel struct {
	Scenario string `json:"scenario"`
	// Runs are the runs that reached a send step: sent, deferred or
	// skipped at least once.
	Runs int `json:"runs"`
	// Sent are the runs that sent at least one message.
	Sent int `json:"sent"`
	// Converted are the runs with an order in the period credited to one
	// of their messages under the Config given to JourneyFunnel.
	Converted int          `json:"converted"`
	Steps     []StepFunnel `json:"steps"` // sorted by step ID
}

// StepFunnel is one send step of a scenario.
type StepFunnel struct {
	Step string `json:"step"`
	Runs int    `json:"runs"` // runs that reached the step
	Sent int    `json:"sent"` // messages sent
	// Deferred and Skipped count the runs held back at the step at
	// least once, per reason (scenario.SkipCode), sorted by reason.
	// A run deferred then sent counts in both Deferred and Sent.
	Deferred []Reason `json:"deferred,omitempty"`
	Skipped  []Reason `json:"skipped,omitempty"`
}

// Reason is a count of runs for one skip or deferral reason.
type Reason struct {
	Code string `json:"code"`
	Runs int    `json:"runs"`
}

type runKey struct{ scenario, run string }

type stepKey struct{ scenario, step string }

type stepAcc struct {
	runs, sent        int
	deferred, skipped map[string]int
}

// JourneyFunnel reads the replays of a population (Engine.Replay over
// (from, to]) once, and counts per scenario and step the runs that
// reached it, were sent, deferred or skipped by each reason, and, under
// cfg's attribution rules applied to each replay's Timeline, converted.
// Only actions due in (from, to] count: a replay that starts on a base
// with history also reports, as late, what was due before it.
//
// A replay does not show the customers a scenario's targeting turned
// away, nor runs that left on an exit event: the engine reports neither.
func JourneyFunnel(replays iter.Seq[scenario.Replay], from, to time.Time, cfg Config) (Funnel, error) {
	s, err := cfg.settings()
	if err != nil {
		return Funnel{}, err
	}
	if err := checkPeriod(from, to); err != nil {
		return Funnel{}, err
	}
	a := newAttributor(s, from, to)
	a.runs = true
	type sacc struct{ runs, sent, converted int }
	scen := map[string]*sacc{}
	steps := map[stepKey]*stepAcc{}
	for r := range replays {
		runs := map[runKey]bool{}   // reached a send step
		sent := map[runKey]bool{}   // sent something
		visits := map[string]bool{} // scenario, run, step, what
		step := func(act scenario.Action, what string) {
			sk := stepKey{act.Scenario, act.Step}
			st := steps[sk]
			if st == nil {
				st = &stepAcc{deferred: map[string]int{}, skipped: map[string]int{}}
				steps[sk] = st
			}
			rk := runKey{act.Scenario, act.Run}
			if !runs[rk] {
				runs[rk] = true
				sc := scen[act.Scenario]
				if sc == nil {
					sc = &sacc{}
					scen[act.Scenario] = sc
				}
				sc.runs++
			}
			v := act.Scenario + "\x00" + act.Run + "\x00" + act.Step
			if !visits[v] {
				visits[v] = true
				st.runs++
			}
			if what == "" {
				return
			}
			if v += "\x00" + what; !visits[v] {
				visits[v] = true
				switch what[0] {
				case 'd':
					st.deferred[what[1:]]++
				case 's':
					st.skipped[what[1:]]++
				}
			}
		}
		for _, x := range r.Sent {
			if !a.inPeriod(x.DueAt) {
				continue
			}
			step(x.Action, "")
			steps[stepKey{x.Scenario, x.Step}].sent++
			if rk := (runKey{x.Scenario, x.Run}); !sent[rk] {
				sent[rk] = true
				scen[x.Scenario].sent++
			}
		}
		for _, d := range r.Deferred {
			if a.inPeriod(d.Action.DueAt) {
				step(d.Action, "d"+string(d.Code))
			}
		}
		for _, x := range r.Skipped {
			if a.inPeriod(x.Action.DueAt) {
				step(x.Action, "s"+string(x.Code))
			}
		}
		tl, _ := canonical(r.Timeline, to)
		if err := a.customer(&tl); err != nil {
			return Funnel{}, err
		}
		conv := map[runKey]bool{}
		for i := range a.msgs {
			m := &a.msgs[i]
			sc := a.groups[m.group].key.scenario
			if rk := (runKey{sc, m.run}); m.credited && runs[rk] && !conv[rk] {
				conv[rk] = true
				scen[sc].converted++
			}
		}
	}
	f := Funnel{From: from, To: to}
	for _, id := range sortedKeys(scen) {
		sc := scen[id]
		sf := ScenarioFunnel{Scenario: id, Runs: sc.runs, Sent: sc.sent, Converted: sc.converted}
		for _, k := range sortedStepKeys(steps, id) {
			st := steps[k]
			sf.Steps = append(sf.Steps, StepFunnel{Step: k.step, Runs: st.runs, Sent: st.sent,
				Deferred: reasons(st.deferred), Skipped: reasons(st.skipped)})
		}
		f.Scenarios = append(f.Scenarios, sf)
	}
	return f, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sortedStepKeys(m map[stepKey]*stepAcc, scenario string) []stepKey {
	var out []stepKey
	for k := range m {
		if k.scenario == scenario {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b stepKey) int { return cmp.Compare(a.step, b.step) })
	return out
}

func reasons(m map[string]int) []Reason {
	var out []Reason
	for _, k := range sortedKeys(m) {
		out = append(out, Reason{Code: k, Runs: m[k]})
	}
	return out
}
