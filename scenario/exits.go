package scenario

import (
	"errors"
	"fmt"
	"slices"
)

// exitMemo remembers, for a scenario whose exit conditions do not depend
// on the run (they name neither run, trigger, opened nor clicked), where
// they stop a run: the condition's value on an event is then the same for
// every run, so each event is evaluated once per evaluation instead of
// once per run that reaches it. A run that started at position pos has
// exited when some event from pos on stops it (holds, or fails: the error
// is the run's, as the scan would report it). jump[i]-1 is the first
// stopping position at or after i (len for none), once known; scans
// compress their path, so all runs together cost time linear in the
// history (issue 13: 5,000 page views with an exit took 3 s).
//
// Scenarios whose run-free exit conditions are the same (the common "exit
// on order") share one memo: Compile numbers the distinct sets
// (compiled.exitSet).
type exitMemo struct {
	ok   bool // built for this evaluation
	jump []int32
	errs map[int]*fieldErr
	path []int32
}

func (ev *evaluation) exitMemo(cs *compiled) *exitMemo {
	if len(ev.memos) < ev.eng.exitSets {
		ev.memos = append(ev.memos, make([]exitMemo, ev.eng.exitSets-len(ev.memos))...)
	}
	m := &ev.memos[cs.exitSet]
	if !m.ok {
		m.ok = true
		m.jump = slices.Grow(m.jump[:0], len(ev.tl.Events)+1)[:len(ev.tl.Events)+1]
		clear(m.jump)
		m.errs = nil
	}
	return m
}

func (m *exitMemo) exited(ev *evaluation, cs *compiled, r *runState) (bool, *fieldErr) {
	evs := ev.tl.Events
	n := len(evs)
	i := r.firing.pos
	m.path = m.path[:0]
	for i < n && m.jump[i] == 0 {
		e := evs[i]
		stop := false
		for _, x := range cs.exits {
			// No run: the conditions name none, and a run would need
			// its ID as a string.
			ok, err := ev.test(x, evs[:i+1], e.Time, e, nil)
			if errors.Is(err, ErrBudget) {
				// This scenario's budget, not a fact about the event: not
				// kept for the scenarios sharing the memo, which have
				// budgets of their own (the positions passed stay
				// unknown, to be tested again).
				return false, &fieldErr{x.field, fmt.Errorf("on event %q: %w", e.ID, err)}
			}
			if err != nil {
				if m.errs == nil {
					m.errs = map[int]*fieldErr{}
				}
				m.errs[i] = &fieldErr{x.field, fmt.Errorf("on event %q: %w", e.ID, err)}
				stop = true
				break
			}
			if ok {
				stop = true
				break
			}
		}
		if stop {
			m.jump[i] = int32(i) + 1
			break
		}
		m.path = append(m.path, int32(i))
		i++
	}
	at := n
	if i < n {
		at = int(m.jump[i]) - 1
	}
	for _, k := range m.path {
		m.jump[k] = int32(at) + 1
	}
	if at >= n {
		return false, nil
	}
	if err := m.errs[at]; err != nil {
		return false, err
	}
	return true, nil
}
