package scenario

import (
	"fmt"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
)

// due reports the send step st of run r, due since t: as due, or as
// skipped when too late or when no channel can reach the customer.
func (ev *evaluation) due(cs *compiled, r *runState, st *cstep, t time.Time) {
	if v, ok := st.variants[r.variant]; ok {
		st = v
	}
	if t.After(ev.now) { // cannot happen from a wait, kept for safety
		ev.later(t)
		return
	}
	// Built only for a run with something to report: most runs walked
	// over a long history are let go silently.
	template := st.template
	action := func() Action {
		return Action{
			CustomerID: ev.tl.Profile.ID,
			Variant:    r.variant,
			Scenario:   cs.ID, Version: cs.Version, Run: r.id, Step: st.id,
			Template: template, Key: r.key(st.id), DueAt: t.UTC(),
			Priority: cs.Priority, Transactional: cs.Transactional,
			Reasons: r.reasons(),
		}
	}
	// A step pending longer than MaxLateness or the Horizon lets its run
	// go: nothing of it can be due any more. That is reported for
	// ReportLetGo after it happened, then the run is left alone, so a
	// long history does not report ancient runs forever.
	age, ml, h := ev.now.Sub(t), cs.MaxLateness.Std(), cs.Horizon.Std()
	switch {
	case ml > 0 && age > ml && (h == 0 || ml <= h):
		if age-ml <= ReportLetGo {
			ev.res.Skipped = append(ev.res.Skipped, Skipped{Action: action(), Code: SkipLate,
				Detail: fmt.Sprintf("due %s ago, max lateness %s", parcours.Duration(age.Truncate(time.Minute)), cs.MaxLateness)})
		}
		return
	case h > 0 && age > h:
		if age-h <= ReportLetGo {
			ev.res.Skipped = append(ev.res.Skipped, Skipped{Action: action(), Code: SkipExpired,
				Detail: fmt.Sprintf("pending since %s, longer than the horizon %s: the run is let go",
					t.UTC().Format(time.RFC3339), cs.Horizon)})
		}
		return
	}
	if st.templateExpr != nil {
		out, err := ev.run(st.templateExpr, ev.tl.Events, ev.now, r.firing.event, r)
		if s, ok := out.(string); err == nil && (!ok || s == "") {
			err = fmt.Errorf("gives %#v, not a template ID", out)
		} else if err == nil {
			template = s
		}
		if err != nil {
			ev.fail(cs, r.id, st.templateExpr.field, err)
			return
		}
	}
	if r.variant == HoldoutVariant {
		ev.res.Skipped = append(ev.res.Skipped, Skipped{Action: action(), Code: SkipExperimentHoldout,
			Detail: fmt.Sprintf("customer in the holdout of experiment %q", cs.Experiment.Key)})
		return
	}
	if st.kind == kindDo {
		a := action()
		a.Kind = st.do
		if a.Vars = ev.vars(cs, r, st); a.Vars == nil && len(st.vars) > 0 {
			return
		}
		if !st.doPolicy {
			if ev.free == nil {
				ev.free = map[string]bool{}
			}
			ev.free[a.Key] = true
		}
		ev.res.Due = append(ev.res.Due, a)
		return
	}
	ch, why := ev.channel(st.channels, cs.Transactional)
	if ch == "" {
		ev.res.Skipped = append(ev.res.Skipped, Skipped{Action: action(), Code: SkipUnreachable, Detail: why})
		return
	}
	a := action()
	a.Channel = ch
	if a.Vars = ev.vars(cs, r, st); a.Vars == nil && len(st.vars) > 0 {
		return
	}
	ev.res.Due = append(ev.res.Due, a)
}

// vars evaluates the step's vars (a send's) or params (a do step's); nil
// when there are none or one failed (reported).
func (ev *evaluation) vars(cs *compiled, r *runState, st *cstep) map[string]any {
	if len(st.vars) == 0 {
		return nil
	}
	out := make(map[string]any, len(st.vars))
	for _, v := range st.vars {
		x, err := ev.run(v.prog, ev.tl.Events, ev.now, r.firing.event, r)
		if err != nil {
			ev.fail(cs, r.id, v.prog.field, err)
			return nil
		}
		out[v.name] = x
	}
	return out
}

// channel picks the first channel the customer can be reached on, or says
// why none can.
func (ev *evaluation) channel(chs []parcours.Channel, transactional bool) (parcours.Channel, string) {
	var why []string
	for _, ch := range chs {
		r := ev.reachability(ch, transactional)
		if r.ok {
			return ch, ""
		}
		why = append(why, string(ch)+": "+r.why)
	}
	return "", strings.Join(why, "; ")
}

type reachKey struct {
	ch            parcours.Channel
	transactional bool
}

type reachability struct {
	ok  bool
	why string
}

// reachability applies the channel rules (see the package documentation):
// marketing needs the profile's consent and no standing unsubscribe; any
// message needs no standing hard bounce.
func (ev *evaluation) reachability(ch parcours.Channel, transactional bool) reachability {
	k := reachKey{ch, transactional}
	if r, ok := ev.reach[k]; ok {
		return r
	}
	r := reach(ev.tl, ch, transactional)
	if ev.reach == nil {
		ev.reach = map[reachKey]reachability{}
	}
	ev.reach[k] = r
	return r
}

func reach(tl parcours.Timeline, ch parcours.Channel, transactional bool) reachability {
	var unsub, bounce time.Time
	for _, e := range tl.Events {
		switch e.Type {
		case parcours.Unsubscribed:
			if e.Channel == "" || e.Channel == string(ch) {
				unsub = e.Time
			}
		case parcours.Signup:
			if ch == parcours.Email { // a newsletter signup is an email opt-in
				unsub = time.Time{}
			}
		case parcours.MessageBounced:
			if e.Channel == string(ch) {
				if hard, _ := e.Bool(parcours.PropHard); hard {
					bounce = e.Time
				}
			}
		case parcours.MessageOpened, parcours.MessageClicked:
			if e.Channel == string(ch) {
				bounce = time.Time{} // the address works again
			}
		}
	}
	switch {
	case !bounce.IsZero():
		return reachability{why: "hard bounce at " + bounce.UTC().Format(time.RFC3339)}
	case transactional:
		return reachability{ok: true}
	case !tl.Profile.Consent[ch]:
		return reachability{why: "no consent"}
	case !unsub.IsZero():
		return reachability{why: "unsubscribed at " + unsub.UTC().Format(time.RFC3339)}
	}
	return reachability{ok: true}
}
