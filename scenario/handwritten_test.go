package scenario

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/abtest"
)

// The hand-written evaluator: the 20 scenarios and the policy of
// testdata/bench written directly in Go, as a retailer's cron job would
// be, with one index of the timeline built per evaluation. It is the
// baseline of the speed benchmark, and TestHandWrittenAgrees checks that
// it returns exactly what the Engine returns (Due, Deferred, Skipped,
// every field), so the comparison cannot drift.
//
// It uses only the public model (parcours.Timeline.Canonical, the local
// time rules, Event accessors), RunID and actionKey: the keys and reasons
// are part of the answer.

type hand struct {
	scns []hscn
	ml   map[string]time.Duration // scenario -> max lateness
}

// hscn is one scenario, hand-coded.
type hscn struct {
	id        string
	prio      int
	trans     bool
	ml        time.Duration
	once      bool
	oncePer   time.Duration
	exitOrder bool
	firings   func(h *handEval, out []hf) []hf
	target    func(h *handEval, f *hf) bool
	steps     []hstep
	life      time.Duration // after its firing, a run can matter no more
}

type hstep struct {
	id       string
	wait     time.Duration
	opened   string // branch on opened(step): true ends the run
	channels []parcours.Channel
	template string
	vars     bool // invoice's amount
}

// hf is one firing; its reason is built only when an action needs it.
type hf struct {
	at   time.Time
	key  string
	i    int // the event, -1 for none
	pos  int
	kind byte
	n    int
	x    float64
	y    float64
	d    time.Duration
	s    string
}

const (
	hkEvent byte = iota
	hkDelay
	hkBirthday
	hkFirstOrder
	hkInactivity
	hkRepurchase
	hkDepletion
	hkThreshold
)

const hday = 24 * time.Hour

func send(id, template string, chs ...parcours.Channel) hstep {
	return hstep{id: id, channels: chs, template: template}
}

func newHand() *hand {
	email, sms, push := parcours.Email, parcours.SMS, parcours.Push
	orderIf := func(typ string, keep func(e *parcours.Event) bool) func(h *handEval, out []hf) []hf {
		return func(h *handEval, out []hf) []hf { return h.onEvents(out, typ, keep) }
	}
	h := &hand{scns: []hscn{
		{id: "welcome", ml: 2 * hday, once: true, exitOrder: true, firings: orderIf(parcours.Signup, nil),
			steps: []hstep{send("mail1", "welcome-1", email, sms), {id: "wait1", wait: 2 * hday}, send("mail2", "welcome-2", email, sms)}},
		{id: "app-welcome", ml: 2 * hday, once: true,
			firings: orderIf(parcours.AccountCreated, func(e *parcours.Event) bool { return e.Channel == "app" }),
			steps:   []hstep{send("hello", "app-welcome", push, email)}},
		{id: "cart-1", prio: 10, ml: hday, exitOrder: true,
			firings: orderIf(parcours.CartAbandoned, func(e *parcours.Event) bool { f, ok := e.Props[parcours.PropAmount].(float64); return ok && f > 0 }),
			steps:   []hstep{{id: "wait", wait: 2 * time.Hour}, send("remind", "cart-reminder", email, push)}},
		{id: "cart-2", prio: 8, ml: 2 * hday, oncePer: 7 * hday, exitOrder: true, firings: orderIf(parcours.CartAbandoned, nil),
			steps: []hstep{{id: "wait", wait: hday}, send("last-call", "cart-last-call", email)}},
		{id: "invoice", trans: true, ml: hday, firings: orderIf(parcours.Order, nil),
			steps: []hstep{{id: "invoice", channels: []parcours.Channel{email}, template: "invoice", vars: true}}},
		{id: "survey", ml: 2 * hday, firings: func(h *handEval, out []hf) []hf { return h.delay(out, 3*hday, nil) },
			steps: []hstep{send("ask", "survey", email), {id: "wait", wait: 4 * hday}, {id: "check", opened: "ask"}, send("remind", "survey-reminder", email)}},
		{id: "birthday", prio: 4, ml: hday, firings: (*handEval).birthday, steps: []hstep{send("gift", "birthday", email, sms)}},
		{id: "order-anniversary", ml: 2 * hday, firings: (*handEval).orderAnniversary, steps: []hstep{send("thanks", "order-anniversary", email)}},
		{id: "lapse-90", prio: 2, ml: 7 * hday, firings: func(h *handEval, out []hf) []hf { return h.inactivity(out, 90*hday) },
			steps: []hstep{send("miss-you", "lapse-90", email)}},
		{id: "lapse-120", prio: 2, ml: 7 * hday, firings: func(h *handEval, out []hf) []hf { return h.inactivity(out, 120*hday) },
			steps: []hstep{send("last-try", "lapse-120", email, sms)}},
		{id: "repurchase", ml: 3 * hday, firings: (*handEval).repurchase, steps: []hstep{send("nudge", "repurchase", email)}},
		{id: "kibble", prio: 6, ml: 2 * hday, firings: (*handEval).kibble, steps: []hstep{send("restock", "kibble-restock", email)}},
		{id: "silver", ml: 3 * hday, firings: func(h *handEval, out []hf) []hf { return h.threshold(out, 500) },
			steps: []hstep{send("silver", "tier-silver", email)}},
		{id: "gold", prio: 3, ml: 3 * hday, firings: func(h *handEval, out []hf) []hf { return h.threshold(out, 2000) },
			steps: []hstep{send("gold", "tier-gold", email)}},
		{id: "vip", ml: 3 * hday, oncePer: 365 * hday, firings: orderIf(parcours.Order, nil),
			target: func(h *handEval, f *hf) bool { return h.spentWithin(f.pos, f.at, 365) >= 1500 },
			steps:  []hstep{send("vip", "vip", email)}},
		{id: "review", ml: 2 * hday, firings: func(h *handEval, out []hf) []hf {
			return h.delay(out, 10*hday, func(e *parcours.Event) bool { return e.Channel == "web" })
		}, steps: []hstep{send("review", "review", email)}},
		{id: "browse", ml: hday, oncePer: 7 * hday, exitOrder: true,
			firings: orderIf("page_view", func(e *parcours.Event) bool {
				c, _ := e.Props[parcours.PropCategory].(string)
				return c == "kibble" || c == "food"
			}),
			steps: []hstep{{id: "wait", wait: hday}, send("browse", "browse", email)}},
		{id: "store-thanks", prio: 5, ml: hday, firings: orderIf(parcours.StoreVisit, nil), steps: []hstep{send("thanks", "store-thanks", sms, email)}},
		{id: "first-order", ml: 2 * hday, firings: orderIf(parcours.Order, nil),
			target: func(h *handEval, f *hf) bool { return h.ordersUpTo(f.pos) == 1 },
			steps:  []hstep{send("thanks", "first-order", email)}},
		{id: "second-order", ml: 2 * hday, firings: orderIf(parcours.Order, nil),
			target: func(h *handEval, f *hf) bool { return h.ordersUpTo(f.pos) == 2 },
			steps:  []hstep{{id: "wait", wait: hday}, send("card", "second-order", email)}},
	}}
	h.ml = map[string]time.Duration{}
	for i := range h.scns {
		s := &h.scns[i]
		h.ml[s.id] = s.ml
		// A run whose sends were recorded when due is over, reports
		// included, once its waits, each send's max lateness and the 30
		// days of let-go reports have passed.
		s.life = ReportLetGo
		for _, st := range s.steps {
			if st.wait >= hday {
				s.life += 48 * time.Hour // daylight-saving hours in waits of days
				break
			}
		}
		for _, st := range s.steps {
			if st.channels != nil {
				s.life += s.ml
			}
			s.life += st.wait
		}
	}
	return h
}

// handEval is one evaluation: the canonical events and their index.
type handEval struct {
	tl        parcours.Timeline
	evs       []parcours.Event
	now       time.Time
	loc       *time.Location
	orders    []int            // positions of orders
	sent      map[string][]int // run -> its message_sent positions
	opens     map[string][]int // run -> its message_opened positions
	lastOrder time.Time        // latest order
	orderAny  time.Time        // latest order without a cart ID
	orderCart map[string]time.Time
	res       Result
	ml        map[string]time.Duration
	reach     map[[2]string]string // channel, transactional -> "" or why not
	buf       []hf
}

func (h *hand) evaluate(tl parcours.Timeline, now time.Time) Result {
	c, _ := tl.Canonical(now)
	loc, _ := c.Profile.Location()
	e := &handEval{tl: c, evs: c.Events, now: now, loc: loc, ml: h.ml}
	e.index()
	for i := range h.scns {
		e.scenario(&h.scns[i])
	}
	e.policy()
	byAction := func(a, b *Action) int {
		return cmp.Or(a.DueAt.Compare(b.DueAt), cmp.Compare(a.Scenario, b.Scenario), cmp.Compare(a.Run, b.Run), cmp.Compare(a.Step, b.Step))
	}
	slices.SortFunc(e.res.Due, func(a, b Action) int { return byAction(&a, &b) })
	slices.SortFunc(e.res.Skipped, func(a, b Skipped) int { return byAction(&a.Action, &b.Action) })
	slices.SortFunc(e.res.Deferred, func(a, b Deferred) int { return byAction(&a.Action, &b.Action) })
	if e.res.Due == nil {
		e.res.Due = []Action{}
	}
	return e.res
}

func (h *handEval) index() {
	h.sent, h.opens = map[string][]int{}, map[string][]int{}
	for i := range h.evs {
		e := &h.evs[i]
		switch e.Type {
		case parcours.Order:
			h.orders = append(h.orders, i)
			h.lastOrder = e.Time
			if c, _ := e.Props[parcours.PropCart].(string); c == "" {
				h.orderAny = e.Time
			} else {
				if h.orderCart == nil {
					h.orderCart = map[string]time.Time{}
				}
				h.orderCart[c] = e.Time
			}
		case parcours.MessageSent:
			if r, ok := e.Props[parcours.PropRun].(string); ok {
				h.sent[r] = append(h.sent[r], i)
			}
		case parcours.MessageOpened:
			if r, ok := e.Props[parcours.PropRun].(string); ok {
				h.opens[r] = append(h.opens[r], i)
			}
		}
	}
}

// upto returns the number of events at or before at.
func (h *handEval) upto(at time.Time) int {
	i, _ := slices.BinarySearchFunc(h.evs, at, func(e parcours.Event, at time.Time) int {
		if e.Time.After(at) {
			return 1
		}
		return -1
	})
	return i
}

func (h *handEval) cancelled(e *parcours.Event) bool {
	if e.Type != parcours.CartAbandoned {
		return false
	}
	c, _ := e.Props[parcours.PropCart].(string)
	if !h.orderAny.IsZero() && !h.orderAny.Before(e.Time) {
		return true
	}
	if c == "" {
		return !h.lastOrder.IsZero() && !h.lastOrder.Before(e.Time)
	}
	t, ok := h.orderCart[c]
	return ok && !t.Before(e.Time)
}

func (h *handEval) onEvents(out []hf, typ string, keep func(e *parcours.Event) bool) []hf {
	for i := range h.evs {
		e := &h.evs[i]
		if e.Type != typ || h.cancelled(e) || keep != nil && !keep(e) {
			continue
		}
		out = append(out, hf{at: e.Time, key: e.ID, i: i, kind: hkEvent})
	}
	return out
}

func (h *handEval) delay(out []hf, after time.Duration, where func(e *parcours.Event) bool) []hf {
	for _, i := range h.orders {
		e := &h.evs[i]
		if where != nil && !where(e) {
			continue
		}
		if at := parcours.AddCalendar(e.Time, after, h.loc); !at.After(h.now) {
			out = append(out, hf{at: at, key: e.ID, i: i, kind: hkDelay, d: after})
		}
	}
	slices.SortFunc(out, func(a, b hf) int { return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.key, b.key)) })
	return out
}

func (h *handEval) anniversaries(out []hf, y0 int, m time.Month, d int, i int, kind byte, date string) []hf {
	if len(h.evs) == 0 {
		return out
	}
	start := h.evs[0].Time
	for y := max(y0+1, start.In(h.loc).Year()-2); ; y++ {
		dd := d
		if m == time.February && d == 29 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
			dd = 28
		}
		at := parcours.LocalTime(y, m, dd, 10, 0, 0, 0, h.loc)
		if at.After(h.now) {
			return out
		}
		if !at.Before(start) {
			out = append(out, hf{at: at, key: "anniversary:" + strconv.Itoa(y), i: i, kind: kind, n: y - y0, s: date})
		}
	}
}

func (h *handEval) birthday(out []hf) []hf {
	s, _ := h.tl.Profile.Attributes["birthday"].(string)
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || len(h.evs) == 0 {
		return out
	}
	y, m, dd := d.Date()
	return h.anniversaries(out, y, m, dd, -1, hkBirthday, d.Format(time.DateOnly))
}

func (h *handEval) orderAnniversary(out []hf) []hf {
	if len(h.orders) == 0 {
		return out
	}
	i := h.orders[0]
	d := h.evs[i].Time.In(h.loc)
	y, m, dd := d.Date()
	return h.anniversaries(out, y, m, dd, i, hkFirstOrder, d.Format(time.DateOnly))
}

// lapses fires after each order not followed by another one before its
// lapse instant.
func (h *handEval) lapses(out []hf, kind byte, lapse func(k int) (time.Time, bool), fill func(f *hf, k int)) []hf {
	for k, i := range h.orders {
		at, ok := lapse(k)
		if !ok || at.After(h.now) {
			continue
		}
		if k+1 < len(h.orders) && !h.evs[h.orders[k+1]].Time.After(at) {
			continue
		}
		f := hf{at: at, key: kindPrefix[kind] + h.evs[i].ID, i: i, kind: kind}
		fill(&f, k)
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b hf) int { return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.key, b.key)) })
	return out
}

var kindPrefix = map[byte]string{hkInactivity: "inactivity:", hkRepurchase: "repurchase:", hkDepletion: "depletion:", hkThreshold: "threshold:"}

func (h *handEval) inactivity(out []hf, after time.Duration) []hf {
	return h.lapses(out, hkInactivity, func(k int) (time.Time, bool) {
		return parcours.AddCalendar(h.evs[h.orders[k]].Time, after, h.loc), true
	}, func(f *hf, k int) { f.d = after })
}

func (h *handEval) repurchase(out []hf) []hf {
	type plan struct {
		at    time.Time
		usual time.Duration
		ok    bool
	}
	plans := make([]plan, len(h.orders))
	var starts []time.Time
	var gaps []time.Duration // sorted
	lastDay := int64(math.MinInt64)
	for k, i := range h.orders {
		e := &h.evs[i]
		if d := parcours.DayNumber(e.Time, h.loc); d != lastDay {
			if len(starts) > 0 {
				g := e.Time.Sub(starts[len(starts)-1])
				j, _ := slices.BinarySearch(gaps, g)
				gaps = slices.Insert(gaps, j, g)
			}
			starts = append(starts, e.Time)
			lastDay = d
		}
		if len(starts) < 3 {
			continue
		}
		n := len(gaps)
		usual := gaps[n/2]
		if n%2 == 0 {
			usual = gaps[n/2-1] + (gaps[n/2]-gaps[n/2-1])/2
		}
		f := math.Round(float64(usual) * 1.2 / float64(time.Second))
		plans[k] = plan{at: e.Time.Add(time.Duration(f) * time.Second), usual: usual, ok: true}
	}
	return h.lapses(out, hkRepurchase, func(k int) (time.Time, bool) { return plans[k].at, plans[k].ok },
		func(f *hf, k int) { f.d = plans[k].usual })
}

func (h *handEval) kibble(out []hf) []hf {
	type pend struct {
		i   int
		at  time.Time
		why string
	}
	var prev *pend
	emit := func(p *pend) {
		if !p.at.After(h.now) {
			out = append(out, hf{at: p.at, key: "depletion:" + h.evs[p.i].ID, i: p.i, kind: hkDepletion, s: p.why})
		}
	}
	for _, i := range h.orders {
		e := &h.evs[i]
		var best time.Duration
		why, found := "", false
		e.EachItem(func(it parcours.Item) {
			if c, _ := it.Props[parcours.PropCategory].(string); c != "kibble" {
				return
			}
			d, w := 14*hday, ""
			if s, _ := it.Props["size"].(string); s == "XL" {
				d, w = 21*hday, " size=XL"
			}
			if !found || d > best {
				best, why, found = d, w, true
			}
		})
		if !found {
			continue
		}
		if prev != nil && e.Time.After(prev.at) {
			emit(prev)
		}
		prev = &pend{i, parcours.AddCalendar(e.Time, best, h.loc), why}
	}
	if prev != nil {
		emit(prev)
	}
	slices.SortFunc(out, func(a, b hf) int { return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.key, b.key)) })
	return out
}

func (h *handEval) threshold(out []hf, value float64) []hf {
	total := 0.0
	for _, i := range h.orders {
		e := &h.evs[i]
		f, ok := e.Float(parcours.PropAmount)
		if !ok {
			continue
		}
		total += f
		if reached := math.Floor(total / value); reached >= 1 {
			return append(out, hf{at: e.Time, key: "threshold:" + e.ID, i: i, kind: hkThreshold, x: total, y: reached * value})
		}
	}
	return out
}

// ordersUpTo counts the orders among the first pos events.
func (h *handEval) ordersUpTo(pos int) int {
	n, _ := slices.BinarySearch(h.orders, pos)
	return n
}

// spentWithin adds up the orders of the days days before at among the
// first pos events, latest first.
func (h *handEval) spentWithin(pos int, at time.Time, days int) float64 {
	from := parcours.AddCalendar(at, -time.Duration(days)*hday, h.loc)
	sum := 0.0
	for k := h.ordersUpTo(pos) - 1; k >= 0 && h.evs[h.orders[k]].Time.After(from); k-- {
		v, _ := h.evs[h.orders[k]].Value()
		sum += v
	}
	return sum
}

func (h *handEval) reason(f *hf) string {
	var r string
	switch f.kind {
	case hkEvent:
		r = h.evs[f.i].Type + " " + f.key
	case hkDelay:
		r = parcours.Duration(f.d).String() + " after order " + f.key
	case hkBirthday:
		r = fmt.Sprintf("anniversary %d of birthday %s", f.n, f.s)
	case hkFirstOrder:
		r = fmt.Sprintf("anniversary %d of first order %s", f.n, f.s)
	case hkInactivity:
		r = "no order for " + parcours.Duration(f.d).String() + " since " + h.evs[f.i].Time.In(h.loc).Format(time.DateOnly)
	case hkRepurchase:
		r = fmt.Sprintf("no order since %s, usual interval %s x 1.2", h.evs[f.i].Time.In(h.loc).Format(time.DateOnly), parcours.Duration(f.d.Round(time.Hour)))
	case hkDepletion:
		r = "order " + h.evs[f.i].ID + " holds category=kibble" + f.s
	case hkThreshold:
		r = "running total " + strconv.FormatFloat(f.x, 'f', -1, 64) + " reached " + strconv.FormatFloat(f.y, 'f', -1, 64)
	}
	return r + " (fired " + f.at.UTC().Format(time.RFC3339) + ")"
}

func (h *handEval) scenario(s *hscn) {
	fs := s.firings(h, h.buf[:0])
	var last time.Time
	entered := 0
	for k := range fs {
		f := &fs[k]
		if !s.once && s.oncePer == 0 && f.at.Before(h.now.Add(-s.life)) {
			continue // over for sure, and counts for no reentry rule
		}
		f.pos = h.upto(f.at)
		if s.once && entered > 0 {
			break
		}
		if s.oncePer > 0 && entered > 0 && f.at.Before(parcours.AddCalendar(last, s.oncePer, h.loc)) {
			continue
		}
		if s.target != nil && !s.target(h, f) {
			continue
		}
		entered++
		last = f.at
		h.walk(s, f)
	}
	h.buf = fs[:0]
}

func (h *handEval) walk(s *hscn, f *hf) {
	run := RunID(s.id, f.key)
	var why []string
	t := f.at
	for k := range s.steps {
		st := &s.steps[k]
		switch {
		case st.wait > 0:
			t = parcours.AddCalendar(t, st.wait, h.loc).UTC() // days on the calendar
			if t.After(h.now) {
				return
			}
			why = append(why, "wait "+st.id+": "+parcours.Duration(st.wait).String()+" elapsed")
		case st.opened != "":
			ok := h.opened(run, st.opened, t)
			why = append(why, "branch "+st.id+": "+strconv.FormatBool(ok))
			if ok {
				return
			}
		default:
			key := actionKey(run, st.id, 1)
			if at, ok := h.sentAt(run, st.id, key); ok {
				if at.After(t) {
					t = at
				}
				why = append(why, "sent "+st.id)
				continue
			}
			if s.exitOrder && len(h.orders) > 0 && h.orders[len(h.orders)-1] >= f.pos {
				return
			}
			h.due(s, f, run, key, st, t, why)
			return
		}
	}
}

func (h *handEval) sentAt(run, step, key string) (time.Time, bool) {
	for _, i := range h.sent[run] {
		e := &h.evs[i]
		if k, _ := e.Props[parcours.PropKey].(string); k == key {
			return e.Time, true
		}
		if s, _ := e.Props[parcours.PropStep].(string); s == step {
			return e.Time, true
		}
	}
	return time.Time{}, false
}

func (h *handEval) opened(run, step string, t time.Time) bool {
	for _, i := range h.opens[run] {
		if e := &h.evs[i]; !e.Time.After(t) && e.Props[parcours.PropStep] == step {
			return true
		}
	}
	return false
}

func (h *handEval) due(s *hscn, f *hf, run, key string, st *hstep, t time.Time, why []string) {
	a := Action{CustomerID: h.tl.Profile.ID, Scenario: s.id, Version: 1, Run: run, Step: st.id, Template: st.template, Key: key, DueAt: t.UTC(),
		Priority: s.prio, Transactional: s.trans, Reasons: append([]string{"trigger: " + h.reason(f)}, why...)}
	if age := h.now.Sub(t); age > s.ml {
		if age-s.ml <= ReportLetGo {
			h.res.Skipped = append(h.res.Skipped, Skipped{Action: a, Code: SkipLate,
				Detail: "due " + parcours.Duration(age.Truncate(time.Minute)).String() + " ago, max lateness " + parcours.Duration(s.ml).String()})
		}
		return
	}
	var whyNot []string
	for _, ch := range st.channels {
		if w := h.reachable(ch, s.trans); w == "" {
			a.Channel = ch
			break
		} else {
			whyNot = append(whyNot, ch+": "+w)
		}
	}
	if a.Channel == "" {
		h.res.Skipped = append(h.res.Skipped, Skipped{Action: a, Code: SkipUnreachable, Detail: strings.Join(whyNot, "; ")})
		return
	}
	if st.vars {
		amount := any(0)
		if v := h.evs[f.i].Props[parcours.PropAmount]; v != nil {
			amount = v
		}
		a.Vars = map[string]any{"amount": amount}
	}
	h.res.Due = append(h.res.Due, a)
}

// reachable returns "" when ch can carry the message, else why not.
func (h *handEval) reachable(ch parcours.Channel, trans bool) string {
	k := [2]string{ch, strconv.FormatBool(trans)}
	if w, ok := h.reach[k]; ok {
		return w
	}
	var unsub, bounce time.Time
	for i := range h.evs {
		e := &h.evs[i]
		switch e.Type {
		case parcours.Unsubscribed:
			if e.Channel == "" || e.Channel == ch {
				unsub = e.Time
			}
		case parcours.Signup:
			if ch == parcours.Email {
				unsub = time.Time{}
			}
		case parcours.MessageBounced:
			if e.Channel == ch {
				if hard, _ := e.Bool(parcours.PropHard); hard {
					bounce = e.Time
				}
			}
		case parcours.MessageOpened, parcours.MessageClicked:
			if e.Channel == ch {
				bounce = time.Time{}
			}
		}
	}
	w := ""
	switch {
	case !bounce.IsZero():
		w = "hard bounce at " + bounce.UTC().Format(time.RFC3339)
	case trans:
	case !h.tl.Profile.Consent[ch]:
		w = "no consent"
	case !unsub.IsZero():
		w = "unsubscribed at " + unsub.UTC().Format(time.RFC3339)
	}
	if h.reach == nil {
		h.reach = map[[2]string]string{}
	}
	h.reach[k] = w
	return w
}

// policy applies testdata/bench/policy.json, written out.
func (h *handEval) policy() {
	due := h.res.Due
	if len(due) == 0 {
		return
	}
	slices.SortFunc(due, func(a, b Action) int {
		return cmp.Or(cmp.Compare(b.Priority, a.Priority), a.DueAt.Compare(b.DueAt),
			cmp.Compare(a.Scenario, b.Scenario), cmp.Compare(a.Run, b.Run), cmp.Compare(a.Step, b.Step))
	})
	ml := h.ml
	skip := func(a Action, code SkipCode, detail string) {
		h.res.Skipped = append(h.res.Skipped, Skipped{Action: a, Code: code, Detail: detail})
	}
	deferTo := func(a Action, code SkipCode, until time.Time, detail string) {
		if m := ml[a.Scenario]; m > 0 && until.Sub(a.DueAt) > m {
			skip(a, code, detail+"; waiting until "+until.UTC().Format(time.RFC3339)+" would exceed max lateness "+parcours.Duration(m).String())
			return
		}
		h.res.Deferred = append(h.res.Deferred, Deferred{Action: a, Code: code, Until: until.UTC(), Detail: detail})
	}
	holdout := abtest.InGroup("bench", h.tl.Profile.ID, 0.05)
	since := time.Time{}
	if len(h.evs) > 0 {
		since = h.evs[0].Time
	}
	for i := len(h.evs) - 1; i >= 0; i-- {
		if t := h.evs[i].Type; t == parcours.MessageOpened || t == parcours.MessageClicked || t == parcours.Order {
			if h.evs[i].Time.After(since) {
				since = h.evs[i].Time
			}
			break
		}
	}
	disengaged := len(h.evs) > 0 && h.now.Sub(since) > 180*hday

	keep := due[:0:0]
	for _, a := range due {
		switch {
		case a.Transactional:
		case holdout:
			share := 0.05
			skip(a, SkipControlGroup, fmt.Sprintf("customer in the global control group (%g%%, salt %q)", share*100, "bench"))
			continue
		case disengaged:
			skip(a, SkipSuppressed, "no open, click or order since "+since.UTC().Format(time.RFC3339)+" (suppression after 180d)")
			continue
		case a.Channel == parcours.SMS:
			l := h.now.In(h.loc)
			if m := l.Hour()*60 + l.Minute(); m >= 21*60 || m < 9*60 {
				y, mo, d := l.Date()
				if m >= 9*60 {
					d++
				}
				end := parcours.LocalTime(y, mo, d, 9, 0, 0, 0, h.loc)
				if !end.After(h.now) {
					end = h.now.Add(time.Hour).Truncate(time.Minute)
				}
				deferTo(a, SkipQuietHours, end, "quiet hours on sms in "+h.loc.String())
				continue
			}
		}
		keep = append(keep, a)
	}

	// Priority: one marketing message per 12 hours.
	var block time.Time
	var winner string
	for i := len(h.evs) - 1; i >= 0; i-- {
		if e := &h.evs[i]; e.Type == parcours.MessageSent {
			if tr, _ := e.Bool(parcours.PropTransactional); !tr {
				if h.now.Sub(e.Time) < 12*time.Hour {
					block, winner = e.Time.Add(12*time.Hour), "a message sent at "+e.Time.UTC().Format(time.RFC3339)
				}
				break
			}
		}
	}
	kept := keep[:0:0]
	for _, a := range keep {
		switch {
		case a.Transactional:
		case !block.IsZero():
			deferTo(a, SkipPriority, block, "one marketing message per 12h: "+winner+" goes first")
			continue
		default:
			block = h.now.Add(12 * time.Hour)
			winner = fmt.Sprintf("%s (priority %d)", a.Scenario, a.Priority)
		}
		kept = append(kept, a)
	}
	keep = kept

	// Caps: 3 emails and 5 messages in 7 days.
	var emails, all []time.Time
	from := h.now.Add(-7 * hday)
	for i := range h.evs {
		e := &h.evs[i]
		if e.Type != parcours.MessageSent || !e.Time.After(from) {
			continue
		}
		if tr, _ := e.Bool(parcours.PropTransactional); tr {
			continue
		}
		all = append(all, e.Time)
		if e.Channel == parcours.Email {
			emails = append(emails, e.Time)
		}
	}
	kept = keep[:0:0]
	nEmail, nAll := 0, 0 // accepted now
	for _, a := range keep {
		if a.Transactional {
			kept = append(kept, a)
			continue
		}
		var until time.Time
		var detail string
		if a.Channel == parcours.Email && len(emails)+nEmail >= 3 {
			until, detail = capFree(emails, nEmail, 3, h.now), "cap of 3 [email] in 7d reached"
		}
		if len(all)+nAll >= 5 {
			if free := capFree(all, nAll, 5, h.now); free.After(until) {
				until, detail = free, "cap of 5 messages in 7d reached"
			}
		}
		if until.IsZero() {
			kept = append(kept, a)
			if a.Channel == parcours.Email {
				nEmail++
			}
			nAll++
			continue
		}
		deferTo(a, SkipCap, until, detail)
	}
	h.res.Due = kept
}

// capFree is when the oldest message counted by a full cap leaves its
// 7-day window: times then n messages accepted at now.
func capFree(times []time.Time, n, max int, now time.Time) time.Time {
	j := len(times) + n - max
	at := now
	if j < len(times) {
		at = times[j]
	}
	return at.Add(7 * hday)
}
