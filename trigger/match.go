package trigger

import (
	"fmt"
	"sync"

	"github.com/expr-lang/expr/vm"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/internal/sandbox"
)

// whereEnv is what a "where" expression sees: the event being examined
// and the customer's profile, e.g. `event.channel == "store"` or
// `event.props.amount >= 50 && profile.attributes.species == "cat"`.
type whereEnv struct {
	hook
	Event   parcours.Event   `expr:"event"`
	Profile parcours.Profile `expr:"profile"`
}

// hook carries the run's budget (internal/sandbox) and shows nothing.
type hook = sandbox.Hook

// matcher filters events by type, expr condition and Go predicate.
type matcher struct {
	types typeSet
	where *sandbox.Program
	runs  *whereRuns     // with where
	fast  *sandbox.Match // where, when it can be answered without the VM
	match func(parcours.Profile, parcours.Event) (bool, error)
	kind  string // trigger kind, for errors
}

func newMatcher(kind string, types []string, def, where string, match func(parcours.Profile, parcours.Event) (bool, error)) (matcher, error) {
	ts, err := checkTypes(kind+".types", types, def)
	if err != nil {
		return matcher{}, err
	}
	m := matcher{types: ts, match: match, kind: kind}
	if where != "" {
		m.runs = new(whereRuns)
		p, err := sandbox.Compile(where, &whereEnv{}, true)
		if err != nil {
			return matcher{}, &FieldError{Field: kind + ".where", Msg: "bad expression", Err: err}
		}
		m.where = p
		if sm, ok := p.Match(); ok && sm.OnEvent() {
			m.fast = &sm
		}
	}
	return m, nil
}

// ok reports whether e passes the matcher.
func (m matcher) ok(p parcours.Profile, e parcours.Event) (bool, error) {
	if !m.types.has(e.Type) {
		return false, nil
	}
	if m.fast != nil {
		if !m.fast.HoldsFor(&e) {
			return false, nil
		}
	} else if m.where != nil {
		out, err := m.runs.run(m.where, p, e)
		if err != nil {
			return false, &EvalError{Trigger: m.kind, Event: e.ID, Err: err}
		}
		b, isBool := out.(bool)
		if !isBool {
			return false, &EvalError{Trigger: m.kind, Event: e.ID, Err: fmt.Errorf("where returned %T, want bool", out)}
		}
		if !b {
			return false, nil
		}
	}
	if m.match != nil {
		b, err := m.match(p, e)
		if err != nil {
			return false, &EvalError{Trigger: m.kind, Event: e.ID, Err: err}
		}
		return b, nil
	}
	return true, nil
}

// cartCancelled reports whether the cart_abandoned event evs[i] was
// followed by an order that closes it: an order at or after the cart's
// time with the same parcours.PropCart when both carry one, or any such
// order when either lacks a cart ID. Triggers ask it through carts, which
// answers without scanning every order for every cart.
func cartCancelled(evs []parcours.Event, i int) bool {
	var c carts
	return c.cancelled(evs, i)
}

// whereRuns keeps the VMs and environments a where expression runs with:
// it runs once per event of the type, and each run making its own was
// most of what a scan allocated. A sync.Pool, because a compiled trigger
// is shared by the goroutines evaluating customers.
type whereRuns struct{ pool sync.Pool }

type whereRun struct {
	env   whereEnv
	meter sandbox.Meter
	vm    vm.VM
}

// run runs where for event e of the customer of profile p, with a fresh
// budget as each run always had.
func (w *whereRuns) run(where *sandbox.Program, p parcours.Profile, e parcours.Event) (any, error) {
	r, _ := w.pool.Get().(*whereRun)
	if r == nil {
		r = new(whereRun)
	}
	r.env = whereEnv{Event: e, Profile: p}
	r.meter = sandbox.Meter{}
	sandbox.Attach(&r.env.hook, &r.meter)
	out, err := r.meter.Run(&r.vm, where, &r.env)
	// Nothing of the customer stays behind in the pool.
	r.env, r.meter = whereEnv{}, sandbox.Meter{}
	w.pool.Put(r)
	return out, err
}
