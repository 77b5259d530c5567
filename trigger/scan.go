package trigger

import (
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
		for j := range evs {
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
