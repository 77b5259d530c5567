package trigger

import (
	"errors"
	"time"

	"github.com/parcours-dev/parcours"
)

// ScanOptions tunes [Scan]. The zero value gives what Firings gives.
type ScanOptions struct {
	// From leaves out the firings before it; zero leaves out none.
	From time.Time

	// NoReasons lets Scan leave Firing.Reason empty where [Explain]
	// writes it from the firing alone (the event and delay triggers,
	// whose firings are the many): a caller that explains only the
	// firings it reports writes no text for the others.
	NoReasons bool

	// Buf, when not nil, is memory the built-in triggers append their
	// firings to (from Buf[:0]) instead of a new slice: a caller that
	// scans trigger after trigger, and is done with one's firings before
	// the next scan, reuses it. The firings returned may then share
	// Buf's array.
	Buf []Firing

	// Index, when not nil, lists the positions of each event type in
	// tl.Events: the event, delay, depletion, inactivity and repurchase
	// triggers (and cart matching) then read only the events of their
	// types instead of the whole timeline, which is what makes many
	// scenarios on long histories cheap. It must describe the tl given
	// to Scan; the answers are the same as without it.
	Index Index
}

// An Index lists where the events of a type are in a timeline: their
// positions in Events, ascending. A caller scanning many triggers over
// one timeline builds it once (package scenario does).
type Index interface {
	Positions(typ string) []int32
}

// errStop ends an each early, as no error.
var errStop = errors.New("stop")

// each calls f with the position of every event of tl whose type is in
// s, in timeline order, reading only those when ix is given (merging the
// types' positions, up to four types; more are read from the whole
// timeline). It stops at f's first error.
func (s typeSet) each(tl parcours.Timeline, ix Index, f func(i int) error) error {
	if ix == nil || len(s) > 4 {
		for i := range tl.Events {
			if s.has(tl.Events[i].Type) {
				if err := f(i); err != nil {
					return err
				}
			}
		}
		return nil
	}
	var lists [4][]int32
	for k, typ := range s {
		lists[k] = ix.Positions(typ)
	}
	for {
		best := -1
		for k := range s {
			if len(lists[k]) > 0 && (best < 0 || lists[k][0] < lists[best][0]) {
				best = k
			}
		}
		if best < 0 {
			return nil
		}
		i := int(lists[best][0])
		lists[best] = lists[best][1:]
		if err := f(i); err != nil {
			return err
		}
	}
}

// Scan returns what t.Firings and t.Next return for tl at now, as o says.
// The built-in triggers answer in one pass over the timeline, and do not
// build the firings before o.From: a caller whose runs are over after a
// while (a scenario with a bounded run life) needs only the recent ones,
// whatever the length of the history. Errors are those of Firings, then
// Next.
func Scan(t Trigger, tl parcours.Timeline, now time.Time, o ScanOptions) ([]Firing, time.Time, bool, error) {
	from := o.From
	if s, ok := t.(scanner); ok {
		return s.scanFrom(tl, now, o)
	}
	fs, err := t.Firings(tl, now)
	if err != nil {
		return nil, time.Time{}, false, err
	}
	next, ok, err := t.Next(tl, now)
	if err != nil {
		return nil, time.Time{}, false, err
	}
	if !from.IsZero() {
		i := 0
		for i < len(fs) && fs[i].At.Before(from) {
			i++
		}
		fs = fs[i:]
	}
	return fs, next, ok, nil
}

// scanner is implemented by the triggers that compute their firings and
// next firing in one pass; their Firings and Next are made of it.
type scanner interface {
	scanFrom(tl parcours.Timeline, now time.Time, o ScanOptions) ([]Firing, time.Time, bool, error)
}

// Explain returns f.Reason, or, for a firing of t that Scan left without
// one (ScanOptions.NoReasons), the reason Firings gives it.
func Explain(t Trigger, f Firing) string {
	if f.Reason != "" {
		return f.Reason
	}
	return string(AppendExplain(nil, t, f))
}

// AppendExplain appends what Explain returns to b, without making the
// string: a caller writing many reasons into one buffer.
func AppendExplain(b []byte, t Trigger, f Firing) []byte {
	if f.Reason != "" {
		return append(b, f.Reason...)
	}
	switch t := t.(type) {
	case eventTrigger:
		return t.appendReason(b, f)
	case delayTrigger:
		return t.appendReason(b, f)
	}
	return b
}

// earliest folds at into the next firing after now.
type earliest struct {
	at time.Time
	ok bool
}

// fires folds at into the next firing when it is after now, and reports
// whether a firing at at belongs to a scan from from up to now: the one
// rule every pending-instant trigger applies.
func (n *earliest) fires(at, now, from time.Time) bool {
	if at.After(now) {
		n.add(at, now)
		return false
	}
	return !at.Before(from)
}

func (n *earliest) add(at, now time.Time) {
	if at.After(now) && (!n.ok || at.Before(n.at)) {
		n.at, n.ok = at, true
	}
}

// carts answers cartCancelled for a whole timeline in constant time per
// cart, from the latest order overall, the latest order without a cart ID
// and the latest order of each cart ID (built on the first cart asked
// about): the rule of cartCancelled, without scanning every order for
// every cart.
type carts struct {
	ix              Index // when not nil, where the orders are
	built           bool
	last, anyCart   time.Time
	hasLast, hasAny bool
	byCart          map[string]time.Time
}

func (c *carts) cancelled(evs []parcours.Event, i int) bool {
	e := &evs[i]
	if e.Type != parcours.CartAbandoned {
		return false
	}
	if !c.built {
		c.built = true
		var orders []int32 // with an index: the orders only
		n := len(evs)
		if c.ix != nil {
			orders = c.ix.Positions(parcours.Order)
			n = len(orders)
		}
		for k := range n {
			j := k
			if c.ix != nil {
				j = int(orders[k])
			}
			o := &evs[j]
			if o.Type != parcours.Order {
				continue
			}
			c.last, c.hasLast = o.Time, true
			if oc, _ := o.String(parcours.PropCart); oc == "" {
				c.anyCart, c.hasAny = o.Time, true
			} else {
				if c.byCart == nil {
					c.byCart = map[string]time.Time{}
				}
				if t, ok := c.byCart[oc]; !ok || o.Time.After(t) {
					c.byCart[oc] = o.Time
				}
			}
		}
	}
	cart, _ := e.String(parcours.PropCart)
	switch {
	case c.hasAny && !c.anyCart.Before(e.Time):
		return true // an order without cart ID closes any cart
	case cart == "":
		return c.hasLast && !c.last.Before(e.Time)
	}
	t, ok := c.byCart[cart]
	return ok && !t.Before(e.Time)
}
