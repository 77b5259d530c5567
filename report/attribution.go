package report

import (
	"cmp"
	"fmt"
	"iter"
	"math"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
)

// Model says how an order's credit is shared among the messages that
// touched the customer before it.
type Model string

// The attribution models. Whatever the model, an order is credited at
// most once in total: a whole conversion and its whole value go to one
// message, or are split in equal parts that add up to exactly one.
const (
	// LastTouch credits the message with the latest qualifying touch
	// before the order. It is the default and what Klaviyo and Braze
	// report.
	LastTouch Model = "last_touch"
	// FirstTouch credits the message with the earliest qualifying touch
	// still inside its window at the order.
	FirstTouch Model = "first_touch"
	// Linear splits the order equally among every message with a
	// qualifying touch.
	Linear Model = "linear"
)

// Window says, for one channel, how long after each kind of touch an
// order is credited to the message: the order must come after the touch
// and at most this long after it, the half-open (touch, touch+window] of
// parcours.Timeline.Count. A zero duration means that kind of touch does
// not credit at all on this channel (an email delivered but never opened
// proves nothing; an SMS is read on arrival).
type Window struct {
	// Channel is the messaging channel; "" is the fallback for every
	// channel not listed.
	Channel parcours.Channel  `json:"channel"`
	Sent    parcours.Duration `json:"sent,omitempty"`
	Opened  parcours.Duration `json:"opened,omitempty"`
	Clicked parcours.Duration `json:"clicked,omitempty"`
}

// DefaultWindows returns the windows used when Config.Windows is nil:
//
//	email    5 days after an open or a click
//	sms      1 day after the send or a click
//	push     1 day after an open or a click (push and webpush)
//	postal   14 days after the send
//	others   5 days after a click
func DefaultWindows() []Window {
	const day = parcours.Duration(24 * time.Hour)
	return []Window{
		{Channel: "", Clicked: 5 * day},
		{Channel: parcours.Email, Opened: 5 * day, Clicked: 5 * day},
		{Channel: parcours.Postal, Sent: 14 * day},
		{Channel: parcours.Push, Opened: day, Clicked: day},
		{Channel: parcours.SMS, Sent: day, Clicked: day},
		{Channel: parcours.WebPush, Opened: day, Clicked: day},
	}
}

// Config configures Attribute. Its zero value is last touch with the
// default windows.
type Config struct {
	// Model is the attribution model; "" means LastTouch.
	Model Model `json:"model,omitempty"`
	// Windows are the attribution windows, at most one per channel;
	// nil means DefaultWindows. A channel with no entry and no "" entry
	// never gets credit.
	Windows []Window `json:"windows,omitempty"`
	// Transactional lets transactional messages (PropTransactional) take
	// credit. By default they do not: an invoice follows the order it
	// is about and would otherwise take the credit of the next one.
	Transactional bool `json:"transactional,omitempty"`
	// Unsubscribe is how long after a marketing message an unsubscribe
	// that names no message is counted against the latest message on its
	// channel; 0 means one day.
	Unsubscribe parcours.Duration `json:"unsubscribe,omitempty"`
}

// settings is a validated Config.
type settings struct {
	model       Model
	windows     []Window
	byChannel   map[string]Window
	fallback    Window
	maxWindow   time.Duration
	unsubscribe time.Duration
	credTx      bool
}

func (c Config) settings() (settings, error) {
	s := settings{model: c.Model, windows: c.Windows, credTx: c.Transactional, unsubscribe: c.Unsubscribe.Std()}
	switch s.model {
	case "":
		s.model = LastTouch
	case LastTouch, FirstTouch, Linear:
	default:
		return settings{}, &ConfigError{Field: "model", Value: string(c.Model), Reason: "want last_touch, first_touch or linear"}
	}
	if s.windows == nil {
		s.windows = DefaultWindows()
	}
	s.windows = slices.Clone(s.windows)
	slices.SortStableFunc(s.windows, func(a, b Window) int { return cmp.Compare(a.Channel, b.Channel) })
	s.byChannel = make(map[string]Window, len(s.windows))
	for i, w := range s.windows {
		if i > 0 && s.windows[i-1].Channel == w.Channel {
			return settings{}, &ConfigError{Field: "windows", Value: w.Channel, Reason: "channel listed twice"}
		}
		for _, d := range []struct {
			name string
			d    parcours.Duration
		}{{"sent", w.Sent}, {"opened", w.Opened}, {"clicked", w.Clicked}} {
			if d.d < 0 {
				return settings{}, &ConfigError{Field: fmt.Sprintf("windows[%s].%s", w.Channel, d.name), Value: d.d.String(), Reason: "negative window"}
			}
			s.maxWindow = max(s.maxWindow, d.d.Std())
		}
		if w.Channel == "" {
			s.fallback = w
		} else {
			s.byChannel[w.Channel] = w
		}
	}
	switch {
	case s.unsubscribe < 0:
		return settings{}, &ConfigError{Field: "unsubscribe", Value: c.Unsubscribe.String(), Reason: "negative window"}
	case s.unsubscribe == 0:
		s.unsubscribe = 24 * time.Hour
	}
	return s, nil
}

func (s *settings) window(ch string) Window {
	if w, ok := s.byChannel[ch]; ok {
		return w
	}
	return s.fallback
}

// Attribution is what the messages of a population brought in a period.
type Attribution struct {
	From    time.Time `json:"from,omitzero"` // start of the period, excluded (zero: the beginning)
	To      time.Time `json:"to"`            // end of the period, included
	Model   Model     `json:"model"`
	Windows []Window  `json:"windows"` // the windows used, sorted by channel

	Customers int     `json:"customers"` // timelines read
	Orders    int     `json:"orders"`    // orders in the period
	Revenue   float64 `json:"revenue"`   // their total value

	// AttributedOrders and AttributedRevenue are what was credited to any
	// message (fractions of orders under Linear).
	AttributedOrders  float64 `json:"attributed_orders"`
	AttributedRevenue float64 `json:"attributed_revenue"`
	// ScenarioRevenue is the part credited to messages of a scenario
	// (with PropScenario), and Share is ScenarioRevenue / Revenue: the
	// share of all revenue the journeys brought (0 without revenue).
	ScenarioRevenue float64 `json:"scenario_revenue"`
	Share           float64 `json:"share"`

	// Unsubscribes counts every unsubscribed event in the period, whether
	// or not it could be tied to a message.
	Unsubscribes int `json:"unsubscribes"`
	// Unmatched counts opens, clicks and unsubscribes in the period that
	// name a message no earlier message_sent matches: they are counted
	// nowhere else and credit nothing.
	Unmatched int `json:"unmatched"`
	// Conflicts counts the IDs shared by events of different content
	// (parcours.ConflictError): every copy was kept and read, but the
	// host's data needs a look.
	Conflicts int `json:"conflicts,omitempty"`

	// Scenarios sums Groups per scenario (Step, Variant and Channel
	// empty; Recipients counts each customer once per scenario).
	Scenarios []Group `json:"scenarios"`
	// Groups are per scenario, step, variant and channel, sorted by those
	// fields in that order. Messages without a scenario (a host's own
	// newsletters) are grouped under Scenario "": they compete for credit
	// like any other message.
	Groups []Group `json:"groups"`
}

// Group is the report of one scenario, step, variant and channel.
type Group struct {
	Scenario string `json:"scenario"`
	Step     string `json:"step,omitempty"`
	Variant  string `json:"variant,omitempty"`
	Channel  string `json:"channel,omitempty"`

	Recipients int `json:"recipients"` // customers sent a message in the period
	Sends      int `json:"sends"`      // messages sent in the period
	// Opens, Clicks and Unsubscribes count messages opened, clicked or
	// unsubscribed from in the period, each message once however many
	// events the host recorded.
	Opens        int `json:"opens"`
	Clicks       int `json:"clicks"`
	Unsubscribes int `json:"unsubscribes"`

	Conversions float64 `json:"conversions"` // orders credited (fractions under Linear)
	Revenue     float64 `json:"revenue"`     // value credited
	// RevenuePerRecipient is Revenue / Recipients (0 without recipients).
	RevenuePerRecipient float64 `json:"revenue_per_recipient"`
}

type groupKey struct{ scenario, step, variant, channel string }

// gacc accumulates one Group.
type gacc struct {
	key                                   groupKey
	parent                                int32 // index of the scenario's gacc in run.scen
	last                                  int   // ordinal of the last customer counted as a recipient
	recipients, sends, opens, clicks, uns int
	conv, rev                             exact
}

// message is one message_sent of the customer being read.
type message struct {
	group                  int32
	sentAt                 int64 // see attributor.rel
	channel                string
	win                    Window
	credit                 bool // may take credit
	transactional          bool
	opened, clicked, unsub bool
	credited               bool   // took some credit
	run                    string // PropRun
}

type touch struct {
	msg    int32
	at     int64 // see attributor.rel
	within int64
}

type order struct {
	at    int64
	value float64
}

// attributor is one Attribute run; its per-customer slices and map are
// reused from one customer to the next.
type attributor struct {
	s        settings
	from, to time.Time
	fromRel  int64 // rel(from); math.MinInt64 without from
	toSec    int64 // to.Unix()
	toNsec   int64 // to.Nanosecond()
	res      Attribution

	groups []gacc
	scen   []gacc
	sindex map[string]int32
	cust   int

	revenue, attrOrders, attrRevenue, scenRevenue exact

	msgs    []message
	sendOf  []int32 // per event: its message, -1 for a repeated send
	byKey   map[string]int32
	touches []touch
	orders  []order
	credit  []int32
	runs    bool      // keep PropRun (for the funnel)
	members [][]int32 // per scenario: its groups
	cache   [64]cached
	lastCh  string // the channel of the last window looked up...
	lastWin Window // ...and its window
	haveWin bool
}

// window is settings.window with a one-entry cache: channels are few and
// messages come in runs on one channel.
func (a *attributor) window(ch string) Window {
	if !a.haveWin || ch != a.lastCh {
		a.lastCh, a.lastWin, a.haveWin = ch, a.s.window(ch), true
	}
	return a.lastWin
}

// search is sort.Search over the touches' instants.
func search(ts []touch, n int, f func(int64) bool) int {
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if !f(ts[m].at) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// Attribute reads a population once and credits each order of the period
// (from, to] to the messages that preceded it, under cfg's model and
// windows; see the package documentation for every rule. A zero from
// means from the beginning.
//
// Each timeline is read as tl.Canonical(to); the sequence may reuse one Timeline
// value between yields, since nothing is kept from a customer but counts.
// An order whose value cannot be read stops the run with an error naming
// the customer and the event, as does a bad cfg (*ConfigError).
func Attribute(customers iter.Seq[parcours.Timeline], from, to time.Time, cfg Config) (Attribution, error) {
	x, err := NewAttributor(from, to, cfg)
	if err != nil {
		return Attribution{}, err
	}
	for tl := range customers {
		if err := x.Add(tl); err != nil {
			return Attribution{}, err
		}
	}
	return x.Result()
}

// checkPeriod checks a period (from, to].
func checkPeriod(from, to time.Time) error {
	if to.IsZero() || (!from.IsZero() && !from.Before(to)) {
		return &ConfigError{Field: "period", Value: fmt.Sprintf("(%s, %s]", from.Format(time.RFC3339), to.Format(time.RFC3339)),
			Reason: "want from before a non-zero to"}
	}
	return nil
}

// inPeriod reports whether t is in (from, to].
func (a *attributor) inPeriod(t time.Time) bool {
	return (a.from.IsZero() || t.After(a.from)) && !t.After(a.to)
}

// minRel bounds instants before the end of the period: ~146 years
// before it, so that the difference of two of them never overflows.
const minRel = -1 << 62

// rel returns t as nanoseconds relative to the end of the period, the
// form the per-event arithmetic uses: integers compare and subtract
// faster than time.Time. Every event read is at or before the end
// (canonical view at to); older than ~146 years is clamped.
func (a *attributor) rel(t time.Time) int64 {
	ds := t.Unix() - a.toSec
	if ds < minRel/1_000_000_000 {
		return minRel
	}
	return min(ds, 1<<32)*1e9 + int64(t.Nanosecond()) - a.toNsec
}

func newAttributor(s settings, from, to time.Time) *attributor {
	a := &attributor{s: s, from: from, to: to, fromRel: math.MinInt64, toSec: to.Unix(), toNsec: int64(to.Nanosecond()),
		sindex: map[string]int32{}, byKey: map[string]int32{}}
	if !from.IsZero() {
		a.fromRel = a.rel(from)
	}
	return a
}

// group returns the index of the group of a message, creating it.
func (a *attributor) group(k groupKey) int32 {
	// Most messages belong to a group seen just before: a small cache
	// indexed by a cheap hash (lengths and end bytes, no full hash of
	// four strings) answers them; equal strings from one map compare by
	// pointer.
	c := &a.cache[k.cheapHash()&(len(a.cache)-1)]
	if c.ok && c.key == k {
		return c.g
	}
	g := a.lookupGroup(k)
	*c = cached{key: k, g: g, ok: true}
	return g
}

func (a *attributor) lookupGroup(k groupKey) int32 {
	p, ok := a.sindex[k.scenario]
	if !ok {
		p = int32(len(a.scen))
		a.sindex[k.scenario] = p
		a.scen = append(a.scen, gacc{key: groupKey{scenario: k.scenario}, parent: -1, last: -1})
		a.members = append(a.members, nil)
	}
	for _, g := range a.members[p] {
		if gk := &a.groups[g].key; gk.step == k.step && gk.variant == k.variant && gk.channel == k.channel {
			return g
		}
	}
	g := int32(len(a.groups))
	a.members[p] = append(a.members[p], g)
	a.groups = append(a.groups, gacc{key: k, parent: p, last: -1})
	return g
}

type cached struct {
	key groupKey
	g   int32
	ok  bool
}

func (k *groupKey) cheapHash() int {
	h := 0
	for _, s := range [4]string{k.scenario, k.step, k.variant, k.channel} {
		h = h*31 + len(s)
		if len(s) > 0 {
			h = h*31 + int(s[0])*7 + int(s[len(s)-1])
		}
	}
	return h & 0x7fffffff
}

// msgProps are the message properties of an event.
type msgProps struct {
	key, scenario, run, step, variant string
	transactional                     bool
}

// readProps reads the message properties of e. Values of the wrong type
// read as absent.
func readProps(e *parcours.Event, run bool) msgProps {
	var p msgProps
	p.key, _ = e.String(parcours.PropKey)
	p.scenario, _ = e.String(parcours.PropScenario)
	p.step, _ = e.String(parcours.PropStep)
	p.variant, _ = e.String(parcours.PropVariant)
	if _, ok := e.Props[parcours.PropTransactional]; ok {
		p.transactional, _ = e.Bool(parcours.PropTransactional)
	}
	if run || p.key == "" { // for the funnel, and to name a message without key
		p.run, _ = e.String(parcours.PropRun)
	}
	return p
}

// messageKey identifies the message an event is about: its idempotency
// key, else its scenario, run and step; "" when it names none.
func (p *msgProps) messageKey() string {
	if p.key != "" {
		return p.key
	}
	if p.scenario == "" && p.run == "" && p.step == "" {
		return ""
	}
	return "\x00" + p.scenario + "\x00" + p.run + "\x00" + p.step
}

func messageKey(e *parcours.Event) string {
	if k, ok := e.String(parcours.PropKey); ok && k != "" {
		return k
	}
	p := readProps(e, true)
	return p.messageKey()
}

func (a *attributor) customer(tl *parcours.Timeline) error {
	a.cust++
	a.res.Customers++
	evs := tl.Events
	a.msgs, a.touches, a.orders = a.msgs[:0], a.touches[:0], a.orders[:0]
	clear(a.byKey)
	if cap(a.sendOf) < len(evs) {
		a.sendOf = make([]int32, len(evs))
	}
	sendOf := a.sendOf[:len(evs)]

	// Sends first, so that an open recorded at the instant of its send
	// but sorted before it (by ID) still finds it.
	for i := range evs {
		e := &evs[i]
		if e.Type != parcours.MessageSent {
			continue
		}
		p := readProps(e, a.runs)
		key := p.messageKey()
		if key != "" {
			if _, dup := a.byKey[key]; dup {
				sendOf[i] = -1 // the same message recorded twice
				continue
			}
		}
		tx := p.transactional
		m := message{run: p.run,
			group: a.group(groupKey{p.scenario, p.step, p.variant, e.Channel}), sentAt: a.rel(e.Time), channel: e.Channel,
			win: a.window(e.Channel), transactional: tx, credit: !tx || a.s.credTx,
		}
		sendOf[i] = int32(len(a.msgs))
		if key != "" {
			a.byKey[key] = int32(len(a.msgs))
		}
		a.msgs = append(a.msgs, m)
	}

	for i := range evs {
		e := &evs[i]
		switch e.Type {
		case parcours.MessageSent, parcours.MessageOpened, parcours.MessageClicked, parcours.Unsubscribed, parcours.Order:
		default:
			continue
		}
		t := a.rel(e.Time)
		in := t > a.fromRel
		switch e.Type {
		case parcours.MessageSent:
			mi := sendOf[i]
			if mi < 0 {
				continue
			}
			m := &a.msgs[mi]
			if in {
				g := &a.groups[m.group]
				g.sends++
				if g.last != a.cust {
					g.last = a.cust
					g.recipients++
				}
				if p := &a.scen[g.parent]; p.last != a.cust {
					p.last = a.cust
					p.recipients++
				}
			}
			if m.credit && m.win.Sent > 0 {
				a.touches = append(a.touches, touch{msg: mi, at: t, within: int64(m.win.Sent)})
			}
		case parcours.MessageOpened, parcours.MessageClicked:
			mi, ok := a.match(e, t)
			if !ok {
				if in {
					a.res.Unmatched++
				}
				continue
			}
			m := &a.msgs[mi]
			g := &a.groups[m.group]
			within := m.win.Opened
			if e.Type == parcours.MessageOpened {
				if in && !m.opened {
					m.opened = true
					g.opens++
				}
			} else {
				within = m.win.Clicked
				if in && !m.clicked {
					m.clicked = true
					g.clicks++
				}
			}
			if m.credit && within > 0 {
				a.touches = append(a.touches, touch{msg: mi, at: t, within: int64(within)})
			}
		case parcours.Unsubscribed:
			if in {
				a.res.Unsubscribes++
			}
			mi, ok := a.unsubscribed(e, t)
			if !ok {
				if in && messageKey(e) != "" {
					a.res.Unmatched++
				}
				continue
			}
			if m := &a.msgs[mi]; in && !m.unsub {
				m.unsub = true
				a.groups[m.group].uns++
			}
		case parcours.Order:
			if !in {
				continue
			}
			v, err := e.Value()
			if err != nil {
				return &EventError{Customer: tl.Profile.ID, EventID: e.ID, Err: err}
			}
			a.res.Orders++
			a.revenue.add(v)
			a.orders = append(a.orders, order{at: t, value: v})
		}
	}
	for _, o := range a.orders {
		a.attribute(o)
	}
	return nil
}

// match finds the message an open, click or unsubscribe names: one sent
// at or before it.
func (a *attributor) match(e *parcours.Event, t int64) (int32, bool) {
	key := messageKey(e)
	if key == "" {
		return 0, false
	}
	mi, ok := a.byKey[key]
	if !ok || a.msgs[mi].sentAt > t {
		return 0, false
	}
	return mi, true
}

// unsubscribed finds the message an unsubscribe is counted against: the
// one it names, else the latest marketing message on its channel (any
// channel when it has none) sent within the unsubscribe window before it.
func (a *attributor) unsubscribed(e *parcours.Event, t int64) (int32, bool) {
	if messageKey(e) != "" {
		return a.match(e, t)
	}
	for i := len(a.msgs) - 1; i >= 0; i-- {
		m := &a.msgs[i]
		if m.sentAt > t || m.transactional || (e.Channel != "" && m.channel != e.Channel) {
			continue
		}
		if t-m.sentAt > int64(a.s.unsubscribe) {
			break // messages are in time order: the rest are older
		}
		return int32(i), true
	}
	return 0, false
}

// attribute credits one order to the touches strictly before it.
func (a *attributor) attribute(o order) {
	ts := a.touches
	// The touches are in time order: those strictly before the order
	// and at most the longest window before it are ts[lo:hi].
	hi := search(ts, len(ts), func(t int64) bool { return t >= o.at })
	lo := search(ts, hi, func(t int64) bool { return o.at-t <= int64(a.s.maxWindow) })
	ok := func(t *touch) bool { return o.at-t.at <= t.within }
	credit := a.credit[:0]
	switch a.s.model {
	case LastTouch:
		for i := hi - 1; i >= lo; i-- {
			if ok(&ts[i]) {
				credit = append(credit, ts[i].msg)
				break
			}
		}
	case FirstTouch:
		for i := lo; i < hi; i++ {
			if ok(&ts[i]) {
				credit = append(credit, ts[i].msg)
				break
			}
		}
	case Linear:
		for i := lo; i < hi; i++ {
			if ok(&ts[i]) && !slices.Contains(credit, ts[i].msg) {
				credit = append(credit, ts[i].msg)
			}
		}
	}
	a.credit = credit
	if len(credit) == 0 {
		return
	}
	vh, vl, _ := fixed(o.value) // a value read from an order is finite and below 2^60 or it was an error
	one, oneLo, _ := fixed(1)
	vPart, vLast := split(vh, vl, len(credit))
	cPart, cLast := split(one, oneLo, len(credit))
	for i, mi := range credit {
		v, c := vPart, cPart
		if i == len(credit)-1 {
			v, c = vLast, cLast
		}
		a.msgs[mi].credited = true
		g := &a.groups[a.msgs[mi].group]
		g.rev.add128(int64(v[0]), v[1])
		g.conv.add128(int64(c[0]), c[1])
		a.attrRevenue.add128(int64(v[0]), v[1])
		a.attrOrders.add128(int64(c[0]), c[1])
		if g.key.scenario != "" {
			a.scenRevenue.add128(int64(v[0]), v[1])
		}
	}
}

func (a *attributor) result() (Attribution, error) {
	r := a.res
	r.Windows = slices.Clone(a.s.windows)
	r.From, r.To, r.Model = a.from, a.to, a.s.model
	for _, s := range []*exact{&a.revenue, &a.attrOrders, &a.attrRevenue, &a.scenRevenue} {
		if s.overflow {
			return Attribution{}, fmt.Errorf("%w: revenue overflows", ErrInput)
		}
	}
	r.Revenue, r.AttributedOrders, r.AttributedRevenue, r.ScenarioRevenue =
		a.revenue.float(), a.attrOrders.float(), a.attrRevenue.float(), a.scenRevenue.float()
	r.Share = ratio(r.ScenarioRevenue, r.Revenue)
	scen := slices.Clone(a.scen) // Result may be called again
	for i := range a.groups {
		g := &a.groups[i]
		p := &scen[g.parent]
		p.sends += g.sends
		p.opens += g.opens
		p.clicks += g.clicks
		p.uns += g.uns
		p.conv.merge(g.conv)
		p.rev.merge(g.rev)
	}
	r.Groups = groupsOf(a.groups)
	r.Scenarios = groupsOf(scen)
	return r, nil
}

func groupsOf(accs []gacc) []Group {
	out := make([]Group, 0, len(accs))
	for i := range accs {
		g := &accs[i]
		rev := g.rev.float()
		out = append(out, Group{
			Scenario: g.key.scenario, Step: g.key.step, Variant: g.key.variant, Channel: g.key.channel,
			Recipients: g.recipients, Sends: g.sends, Opens: g.opens, Clicks: g.clicks, Unsubscribes: g.uns,
			Conversions: g.conv.float(), Revenue: rev, RevenuePerRecipient: ratio(rev, float64(g.recipients)),
		})
	}
	slices.SortFunc(out, func(a, b Group) int {
		return cmp.Or(cmp.Compare(a.Scenario, b.Scenario), cmp.Compare(a.Step, b.Step),
			cmp.Compare(a.Variant, b.Variant), cmp.Compare(a.Channel, b.Channel))
	})
	return out
}

// ratio is a/b, or 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
