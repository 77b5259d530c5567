package scenario

import (
	"fmt"
	"strconv"
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
	report := func(code SkipCode, detail func([]byte) []byte) Action {
		return ev.action(cs, r, st, t, template, code, detail)
	}
	// A step pending longer than MaxLateness or the Horizon lets its run
	// go: nothing of it can be due any more. That is reported for
	// ReportLetGo after it happened, then the run is left alone, so a
	// long history does not report ancient runs forever.
	age, ml, h := ev.now.Sub(t), cs.MaxLateness.Std(), cs.Horizon.Std()
	switch {
	case ml > 0 && age > ml && (h == 0 || ml <= h):
		if age-ml <= ReportLetGo {
			report(SkipLate, func(b []byte) []byte {
				b = append(b, "due "...)
				b, _ = parcours.Duration(age.Truncate(time.Minute)).AppendText(b)
				b = append(b, " ago, max lateness "...)
				b, _ = cs.MaxLateness.AppendText(b)
				return b
			})
		}
		return
	case h > 0 && age > h:
		if age-h <= ReportLetGo {
			report(SkipExpired, func(b []byte) []byte {
				b = append(b, "pending since "...)
				b = t.UTC().AppendFormat(b, time.RFC3339)
				b = append(b, ", longer than the horizon "...)
				b, _ = cs.Horizon.AppendText(b)
				return append(b, ": the run is let go"...)
			})
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
			ev.fail(cs, r.id(), st.templateExpr.field, err)
			return
		}
	}
	if r.variant == HoldoutVariant {
		report(SkipExperimentHoldout, func(b []byte) []byte {
			b = append(b, "customer in the holdout of experiment "...)
			return strconv.AppendQuote(b, cs.Experiment.Key)
		})
		return
	}
	if st.kind == kindDo {
		a := report("", nil) // first: the vars' run.id is then a slice of its text
		vars, ok := ev.vars(cs, r, st)
		if !ok {
			return
		}
		a.Kind, a.Vars = st.do, vars
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
		report(SkipUnreachable, func(b []byte) []byte { return append(b, why...) })
		return
	}
	a := report("", nil)
	vars, ok := ev.vars(cs, r, st)
	if !ok {
		return
	}
	a.Channel, a.Vars = ch, vars
	ev.res.Due = append(ev.res.Due, a)
}

// action builds the Action of run r at step st, due at t, and reports it
// as skipped for code with the detail written by detail (when code is
// not ""). Its strings (run ID, key, reasons, detail) are written into
// one allocation and sliced: a long history reports hundreds of late
// runs, and each string on its own was an allocation.
func (ev *evaluation) action(cs *compiled, r *runState, st *cstep, t time.Time, template string, code SkipCode, detail func([]byte) []byte) Action {
	b := append(ev.text[:0], r.idb[:]...)
	b = append(b, r.keyBytes(st.id)...)
	ends := ev.ends[:0]
	b, ends = r.appendReasons(b, ends)
	from := len(b)
	if detail != nil {
		b = detail(b)
	}
	text := string(b)
	ev.text, ev.ends = b[:0], ends[:0]
	if r.ids == "" {
		r.ids = text[:runIDLen] // the run's ID, for the expressions run after
	}
	reasons := ev.strings(len(ends))
	at := runIDLen + keyLen
	for i, end := range ends {
		reasons[i], at = text[at:end], end
	}
	a := Action{
		CustomerID: ev.tl.Profile.ID,
		Variant:    r.variant,
		Scenario:   cs.ID, Version: cs.Version, Run: text[:runIDLen], Step: st.id,
		Template: template, Key: text[runIDLen : runIDLen+keyLen], DueAt: t.UTC(),
		Priority: cs.Priority, Transactional: cs.Transactional,
		Reasons: reasons,
	}
	if code != "" {
		ev.res.Skipped = append(ev.res.Skipped, Skipped{Action: a, Code: code, Detail: text[from:]})
	}
	return a
}

// strings returns n strings carved from a shared block, capped so that an
// append by the caller copies instead of writing into the next one's.
func (ev *evaluation) strings(n int) []string {
	if cap(ev.strs)-len(ev.strs) < n {
		ev.strs = make([]string, 0, max(n, 32))
	}
	k := len(ev.strs)
	ev.strs = ev.strs[:k+n]
	return ev.strs[k : k+n : k+n]
}

// vars evaluates the step's vars (a send's) or params (a do step's): nil
// when there are none, not ok when one failed (reported).
func (ev *evaluation) vars(cs *compiled, r *runState, st *cstep) (map[string]any, bool) {
	if len(st.vars) == 0 {
		return nil, true
	}
	out := make(map[string]any, len(st.vars))
	for _, v := range st.vars {
		x, err := ev.run(v.prog, ev.tl.Events, ev.now, r.firing.event, r)
		if err != nil {
			ev.fail(cs, r.id(), v.prog.field, err)
			return nil, false
		}
		out[v.name] = x
	}
	return out, true
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
