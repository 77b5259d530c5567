package scenario

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
)

// applyPolicy moves the due actions that a rule holds back to Deferred or
// Skipped, in the order documented on Policy. Actions of do steps pass
// untouched unless their step asks for the policy.
func (ev *evaluation) applyPolicy(p *compiledPolicy) {
	if len(ev.free) == 0 {
		ev.applyRules(p)
		return
	}
	var free, held []Action
	for _, a := range ev.res.Due {
		if ev.free[a.Key] {
			free = append(free, a)
		} else {
			held = append(held, a)
		}
	}
	ev.res.Due = held
	ev.applyRules(p)
	ev.res.Due = append(ev.res.Due, free...)
}

func (ev *evaluation) applyRules(p *compiledPolicy) {
	if p == nil || len(ev.res.Due) == 0 {
		return
	}
	due := ev.res.Due
	slices.SortFunc(due, func(a, b Action) int {
		return cmp.Or(cmp.Compare(b.Priority, a.Priority), a.DueAt.Compare(b.DueAt),
			cmp.Compare(a.Scenario, b.Scenario), cmp.Compare(a.Run, b.Run), cmp.Compare(a.Step, b.Step))
	})
	skip := func(a Action, code SkipCode, detail string) {
		ev.res.Skipped = append(ev.res.Skipped, Skipped{Action: a, Code: code, Detail: detail})
	}
	deferTo := func(a Action, code SkipCode, until time.Time, detail string) {
		// A deferral past the scenario's max lateness would only turn
		// into a late skip at the next evaluation: say so now.
		lim := ev.limits[a.Scenario]
		if ml := lim.maxLateness; ml > 0 && until.Sub(a.DueAt) > ml {
			skip(a, code, fmt.Sprintf("%s; waiting until %s would exceed max lateness %s",
				detail, until.UTC().Format(time.RFC3339), parcours.Duration(ml)))
			return
		}
		// Likewise past the horizon: the run would be let go before.
		if h := lim.horizon; h > 0 && until.Sub(a.DueAt) > h {
			skip(a, code, fmt.Sprintf("%s; waiting until %s would exceed the horizon %s",
				detail, until.UTC().Format(time.RFC3339), parcours.Duration(h)))
			return
		}
		until = until.UTC()
		ev.res.Deferred = append(ev.res.Deferred, Deferred{Action: a, Code: code, Until: until, Detail: detail})
		ev.later(until)
	}

	inControl := p.inControlGroup(ev.tl.Profile.ID)
	disengaged, since := ev.disengaged(p.Suppression)
	// Evaluate has already reported a bad zone and put the customer in
	// UTC, so the zone is always known here.
	loc, _ := ev.tl.Profile.Location()

	keep := due[:0:0]
	for _, a := range due {
		if a.Transactional {
			keep = append(keep, a)
			continue
		}
		if inControl {
			skip(a, SkipControlGroup, fmt.Sprintf("customer in the global control group (%g%%, salt %q)", p.ControlGroup.Share*100, p.ControlGroup.Salt))
			continue
		}
		if disengaged {
			skip(a, SkipSuppressed, fmt.Sprintf("no open, click or order since %s (suppression after %s)", since.UTC().Format(time.RFC3339), p.Suppression.After))
			continue
		}
		var until time.Time
		for _, q := range p.quiet {
			if len(q.channels) > 0 && !slices.Contains(q.channels, a.Channel) {
				continue
			}
			if end, in := q.until(ev.now, loc); in && end.After(until) {
				until = end
			}
		}
		if !until.IsZero() {
			deferTo(a, SkipQuietHours, until, fmt.Sprintf("quiet hours on %s in %s", a.Channel, loc))
			continue
		}
		keep = append(keep, a)
	}

	if pr := p.Priority; pr != nil {
		gap := pr.Gap.Std()
		var block time.Time // marketing may go again from block on
		var winner string
		if last, ok := ev.lastMarketingSent(); ok && ev.now.Sub(last) < gap {
			block = last.Add(gap)
			winner = "a message sent at " + last.UTC().Format(time.RFC3339)
		}
		kept := keep[:0:0]
		for _, a := range keep {
			if !a.Transactional && pr.Drop {
				if at, ok := ev.marketingSentAfter(a.DueAt.Add(-gap)); ok {
					ev.dropped(a, SkipPriority, latest(at, a.DueAt), fmt.Sprintf(
						"one marketing message per %s: a message sent at %s went first; dropped", pr.Gap, at.UTC().Format(time.RFC3339)))
					continue
				}
			}
			switch {
			case a.Transactional:
			case !block.IsZero():
				detail := fmt.Sprintf("one marketing message per %s: %s goes first", pr.Gap, winner)
				if pr.Drop {
					skip(a, SkipPriority, detail)
				} else {
					deferTo(a, SkipPriority, block, detail)
				}
				continue
			default:
				block = ev.now.Add(gap)
				winner = fmt.Sprintf("%s (priority %d)", a.Scenario, a.Priority)
			}
			kept = append(kept, a)
		}
		keep = kept
	}

	if len(p.Caps) > 0 {
		kept := keep[:0:0]
	next:
		for _, a := range keep {
			for _, c := range p.Caps {
				if !c.Drop || a.Transactional || !capCounts(c, a.Channel, false) {
					continue
				}
				if at, ok := ev.capReached(c, a.DueAt); ok {
					ev.dropped(a, SkipCap, at, fmt.Sprintf("cap of %d %s in %s reached at %s; dropped",
						c.Max, capChannels(c), c.Window, at.UTC().Format(time.RFC3339)))
					continue next
				}
			}
			var until time.Time
			var detail string
			drop := false
			for _, c := range p.Caps {
				if !capCounts(c, a.Channel, a.Transactional) || a.Transactional {
					continue
				}
				times := ev.capWindow(c, kept)
				if len(times) < c.Max {
					continue
				}
				free := times[len(times)-c.Max].Add(c.Window.Std())
				if free.After(until) {
					until, drop = free, c.Drop
					detail = fmt.Sprintf("cap of %d %s in %s reached", c.Max, capChannels(c), c.Window)
				}
			}
			if until.IsZero() {
				kept = append(kept, a)
				continue
			}
			if drop {
				skip(a, SkipCap, detail)
			} else {
				deferTo(a, SkipCap, until, detail)
			}
		}
		keep = kept
	}
	ev.res.Due = keep
}

// A dropped action must stay dropped at every later evaluation, and the
// evaluator keeps no state: the drop is derived from the timeline alone.
// An action is dropped when, at some instant between its DueAt and now,
// the rule held it back: for Priority, a marketing message was recorded
// sent less than Gap before that instant; for a Cap, the cap's window
// ending at that instant was full. Both only grow with the timeline, so
// once dropped, always dropped; the recorded message_sent events that
// caused it stay in the timeline.

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// dropped reports a dropped action while the drop (at instant at) is no
// older than ReportLetGo.
func (ev *evaluation) dropped(a Action, code SkipCode, at time.Time, detail string) {
	if ev.now.Sub(at) > ReportLetGo {
		return
	}
	ev.res.Skipped = append(ev.res.Skipped, Skipped{Action: a, Code: code, Detail: detail})
}

// marketingSentAfter returns the first marketing message recorded sent
// after from.
func (ev *evaluation) marketingSentAfter(from time.Time) (time.Time, bool) {
	for _, e := range ev.tl.Events {
		if e.Type != parcours.MessageSent || !e.Time.After(from) {
			continue
		}
		if tr, _ := e.Bool(parcours.PropTransactional); !tr {
			return e.Time, true
		}
	}
	return time.Time{}, false
}

// capReached returns the first instant in [from, now] at which the
// messages recorded sent fill cap c's window, if any.
func (ev *evaluation) capReached(c Cap, from time.Time) (time.Time, bool) {
	w := c.Window.Std()
	var times []time.Time // counted messages in (from-w, now], oldest first
	for _, e := range ev.tl.Events {
		if e.Type != parcours.MessageSent || !e.Time.After(from.Add(-w)) {
			continue
		}
		tr, _ := e.Bool(parcours.PropTransactional)
		if capCounts(c, parcours.Channel(e.Channel), tr) {
			times = append(times, e.Time)
		}
	}
	// The count in (s-w, s] only changes when s meets a message, so the
	// instants to check are from itself and the messages after it.
	n := 0
	for n < len(times) && !times[n].After(from) {
		n++
	}
	if n >= c.Max {
		return from, true
	}
	for i := n; i < len(times); i++ {
		if j := i - c.Max + 1; j >= 0 && times[j].After(times[i].Add(-w)) {
			return times[i], true
		}
	}
	return time.Time{}, false
}

func capCounts(c Cap, ch parcours.Channel, transactional bool) bool {
	if transactional && !c.CountTransactional {
		return false
	}
	return len(c.Channels) == 0 || slices.Contains(c.Channels, ch)
}

func capChannels(c Cap) string {
	if len(c.Channels) == 0 {
		return "messages"
	}
	return fmt.Sprint(c.Channels)
}

// capWindow lists, oldest first, the instants of the messages cap c counts
// in (now-Window, now]: those recorded sent, then those accepted now.
func (ev *evaluation) capWindow(c Cap, accepted []Action) []time.Time {
	from := ev.now.Add(-c.Window.Std())
	var times []time.Time
	for _, e := range ev.tl.Events {
		if e.Type != parcours.MessageSent || !e.Time.After(from) {
			continue
		}
		tr, _ := e.Bool(parcours.PropTransactional)
		if capCounts(c, parcours.Channel(e.Channel), tr) {
			times = append(times, e.Time)
		}
	}
	for _, a := range accepted {
		if capCounts(c, a.Channel, a.Transactional) {
			times = append(times, ev.now)
		}
	}
	return times
}

func (ev *evaluation) lastMarketingSent() (time.Time, bool) {
	for i := len(ev.tl.Events) - 1; i >= 0; i-- {
		e := &ev.tl.Events[i]
		if e.Type != parcours.MessageSent {
			continue
		}
		if tr, _ := e.Bool(parcours.PropTransactional); !tr {
			return e.Time, true
		}
	}
	return time.Time{}, false
}

// disengaged reports whether the customer showed no engagement for longer
// than s.After, and since when.
func (ev *evaluation) disengaged(s *Suppression) (bool, time.Time) {
	if s == nil || len(ev.tl.Events) == 0 {
		return false, time.Time{}
	}
	since := ev.tl.Events[0].Time
	for i := len(ev.tl.Events) - 1; i >= 0; i-- {
		switch e := &ev.tl.Events[i]; e.Type {
		case parcours.MessageOpened, parcours.MessageClicked, parcours.Order:
			if e.Time.After(since) {
				since = e.Time
			}
			i = 0 // the latest one is enough
		}
	}
	return ev.now.Sub(since) > s.After.Std(), since
}
