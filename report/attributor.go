package report

import (
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
)

// Attributor is Attribute one customer at a time, for hosts that read
// their base in shards (one Attributor per goroutine or per database
// partition, merged at the end). Results do not depend on how customers
// were split or in which order they were added.
//
// An Attributor is not safe for concurrent use; use one per goroutine.
type Attributor struct {
	a   *attributor
	err error // the first error of Add: the run is void
}

// NewAttributor returns an Attributor for the period (from, to] under
// cfg, or the error Attribute would return for them.
func NewAttributor(from, to time.Time, cfg Config) (*Attributor, error) {
	s, err := cfg.settings()
	if err != nil {
		return nil, err
	}
	if err := checkPeriod(from, to); err != nil {
		return nil, err
	}
	return &Attributor{a: newAttributor(s, from, to)}, nil
}

// Add reads one customer's timeline. After an error (an order whose value
// cannot be read) the Attributor is void: Add and Result return that
// error again.
func (x *Attributor) Add(tl parcours.Timeline) error {
	if x.err != nil {
		return x.err
	}
	c, n := canonical(tl, x.a.to)
	x.a.res.Conflicts += n
	if err := x.a.customer(&c); err != nil {
		x.err = err
	}
	return x.err
}

// Merge adds what y read to x. Both must have been made with the same
// period and Config, and must have read different customers: a customer
// read by both would count twice as a recipient.
func (x *Attributor) Merge(y *Attributor) error {
	if x.err != nil {
		return x.err
	}
	if y.err != nil {
		x.err = y.err
		return x.err
	}
	a, b := x.a, y.a
	if !a.from.Equal(b.from) || !a.to.Equal(b.to) || a.s.model != b.s.model || a.s.credTx != b.s.credTx ||
		a.s.unsubscribe != b.s.unsubscribe || !slices.Equal(a.s.windows, b.s.windows) {
		return &ConfigError{Field: "merge", Reason: "attributors of different periods or configurations"}
	}
	a.res.Customers += b.res.Customers
	a.res.Orders += b.res.Orders
	a.res.Unsubscribes += b.res.Unsubscribes
	a.res.Unmatched += b.res.Unmatched
	a.res.Conflicts += b.res.Conflicts
	a.revenue.merge(b.revenue)
	a.attrOrders.merge(b.attrOrders)
	a.attrRevenue.merge(b.attrRevenue)
	a.scenRevenue.merge(b.scenRevenue)
	for i := range b.groups {
		bg := &b.groups[i]
		g := &a.groups[a.group(bg.key)]
		g.recipients += bg.recipients
		g.sends += bg.sends
		g.opens += bg.opens
		g.clicks += bg.clicks
		g.uns += bg.uns
		g.conv.merge(bg.conv)
		g.rev.merge(bg.rev)
	}
	// Every scenario of b has a group, now merged, so a knows it.
	for i := range b.scen {
		a.scen[a.sindex[b.scen[i].key.scenario]].recipients += b.scen[i].recipients
	}
	return nil
}

// Result returns the attribution of what was added so far. It may be
// called again after more Adds.
func (x *Attributor) Result() (Attribution, error) {
	if x.err != nil {
		return Attribution{}, x.err
	}
	return x.a.result()
}
