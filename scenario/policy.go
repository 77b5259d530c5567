package scenario

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/abtest"
)

// Policy holds the rules that make every scenario of an Engine speak to a
// customer as one polite voice. It is data: a Go literal or strict JSON
// (ParsePolicy). The zero Policy applies no rule. Pass it to Compile with
// WithPolicy.
//
// Policies apply to marketing actions; Transactional ones pass every rule
// (and are counted by caps only when a cap says so). The rules are applied
// in this order, each to the actions the previous ones let through:
//
//  1. ControlGroup: a customer in the global control group gets no
//     marketing; the actions are reported skipped (SkipControlGroup).
//  2. Suppression: a disengaged customer gets no marketing (SkipSuppressed).
//  3. QuietHours: an action due in a quiet period of the customer's local
//     time is deferred to the period's end (SkipQuietHours).
//  4. Priority: at most one marketing message per Priority.Gap; the
//     highest-priority action goes, the others are deferred (or dropped).
//  5. Caps: each cap counts the messages sent in its rolling window plus
//     those being returned now; an action that would exceed it is
//     deferred to when the oldest counted message leaves the window (or
//     dropped).
//
// Within a rule, actions are taken by Scenario.Priority (higher first),
// then due time, scenario ID, run and step, so the outcome is
// deterministic. Every action a policy holds back is reported in
// Result.Deferred (with Until, also folded into Result.Next) or
// Result.Skipped, with the rule and the reason. A deferral that would
// carry an action past its scenario's MaxLateness (or Horizon) is
// reported skipped at once, under the rule that caused it: the marketer
// said the message is stale by then. A drop is final and derived from the
// timeline alone (the recorded message_sent events that caused it), so it
// holds at every later evaluation; it is reported for ReportLetGo.
type Policy struct {
	Caps         []Cap         `json:"caps,omitempty"`
	Priority     *Priority     `json:"priority,omitempty"`
	QuietHours   []QuietHours  `json:"quiet_hours,omitempty"`
	Suppression  *Suppression  `json:"suppression,omitempty"`
	ControlGroup *ControlGroup `json:"control_group,omitempty"`
}

// Cap is a frequency cap: at most Max messages in any rolling Window,
// counting message_sent events in the timeline within (now-Window, now]
// and the actions returned due now.
type Cap struct {
	// Channels the cap counts, together; empty means every channel.
	// "never more than 3 emails in 7 days" is {Channels: [email], Max: 3,
	// Window: 7d}.
	Channels []parcours.Channel `json:"channels,omitempty"`
	Max      int                `json:"max"`
	Window   parcours.Duration  `json:"window"`

	// CountTransactional counts transactional messages towards Max. They
	// are still never blocked.
	CountTransactional bool `json:"count_transactional,omitempty"`

	// Drop reports a capped action as skipped instead of deferring it,
	// for good: an action that met the cap full at any instant since it
	// became due stays dropped at every later evaluation, even once the
	// window has room again.
	Drop bool `json:"drop,omitempty"`
}

// Priority unifies scenarios that compete for a customer (a store visit
// and a newsletter signup on the same day both starting a welcome): at
// most one marketing message goes out per Gap, across channels and
// scenarios, the highest Scenario.Priority first.
type Priority struct {
	Gap parcours.Duration `json:"gap"`

	// Drop reports the losers as skipped, for good: an action due while
	// a marketing message was recorded sent less than Gap before stays
	// dropped at every later evaluation. By default the losers are
	// deferred until Gap after the winner, when they compete again.
	Drop bool `json:"drop,omitempty"`
}

// QuietHours is a daily period, in the customer's time zone, when
// marketing is not sent on the given channels (all when empty). From and
// To are "HH:MM" local wall-clock times; From > To spans midnight
// ("21:00" to "09:00"). An action due inside the period is deferred to the
// period's end, computed in local time, so it is right across DST changes.
type QuietHours struct {
	Channels []parcours.Channel `json:"channels,omitempty"`
	From     string             `json:"from"`
	To       string             `json:"to"`
}

// Suppression stops marketing to a disengaged customer: one with no
// message_opened, message_clicked or order event for After. A customer
// whose timeline is younger than After (counting from its first event) is
// not disengaged yet.
type Suppression struct {
	After parcours.Duration `json:"after"`
}

// ControlGroup holds out a deterministic Share of customers from all
// marketing, so the incremental effect of the whole programme can be
// measured. Membership is abtest.InGroup(Salt, customer ID, Share): a
// GrowthBook-compatible hash, stable, and growing Share only adds
// customers.
type ControlGroup struct {
	Share float64 `json:"share"`
	Salt  string  `json:"salt"`
}

// ParsePolicy decodes a Policy from JSON, strictly, as Parse does
// (*parcours.DecodeError; the zero Policy with any error).
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	if err := decodeStrict(data, &p); err != nil {
		return Policy{}, err
	}
	return p, nil
}

// WithPolicy applies p to every evaluation of the Engine. Compile checks
// it and reports problems as *PolicyError.
func WithPolicy(p Policy) Option { return policyOption{p} }

type policyOption struct{ p Policy }

func (o policyOption) apply(e *Engine) error {
	cp, err := compilePolicy(o.p)
	if err != nil {
		return err
	}
	e.policy = cp
	return nil
}

// PolicyError is an invalid Policy field.
type PolicyError struct {
	Field string
	Err   error
}

// Error formats the problem as `policy: field: what`.
func (e *PolicyError) Error() string { return "policy: " + e.Field + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *PolicyError) Unwrap() error { return e.Err }

type quiet struct {
	channels []parcours.Channel
	from, to int // minutes after local midnight
}

type compiledPolicy struct {
	Policy
	quiet []quiet
}

func compilePolicy(p Policy) (*compiledPolicy, error) {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &PolicyError{Field: field, Err: fmt.Errorf(format, args...)})
	}
	cp := &compiledPolicy{Policy: p}
	for i, c := range p.Caps {
		if c.Max < 1 {
			bad(fmt.Sprintf("caps[%d].max", i), "must be at least 1")
		}
		if c.Window <= 0 {
			bad(fmt.Sprintf("caps[%d].window", i), "must be positive")
		}
	}
	if p.Priority != nil && p.Priority.Gap <= 0 {
		bad("priority.gap", "must be positive")
	}
	for i, q := range p.QuietHours {
		from, err1 := clock(q.From)
		to, err2 := clock(q.To)
		if err1 != nil {
			bad(fmt.Sprintf("quiet_hours[%d].from", i), "%v", err1)
		}
		if err2 != nil {
			bad(fmt.Sprintf("quiet_hours[%d].to", i), "%v", err2)
		}
		if err1 == nil && err2 == nil && from == to {
			bad(fmt.Sprintf("quiet_hours[%d]", i), "from and to are equal: an empty period")
		}
		cp.quiet = append(cp.quiet, quiet{channels: q.Channels, from: from, to: to})
	}
	if p.Suppression != nil && p.Suppression.After <= 0 {
		bad("suppression.after", "must be positive")
	}
	if g := p.ControlGroup; g != nil && (!(g.Share >= 0) || g.Share > 1) {
		bad("control_group.share", "must be within [0, 1]")
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return cp, nil
}

// inControlGroup reports whether the customer is in the global control
// group: the one rule the policy and controlGroup() share. A nil policy
// has no control group.
func (p *compiledPolicy) inControlGroup(customer string) bool {
	return p != nil && p.ControlGroup != nil && abtest.InGroup(p.ControlGroup.Salt, customer, p.ControlGroup.Share)
}

// clock parses "HH:MM" into minutes after midnight.
func clock(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || len(h) != 2 || len(m) != 2 || err1 != nil || err2 != nil || hh > 23 || mm > 59 || hh < 0 || mm < 0 {
		return 0, fmt.Errorf("want a local time as HH:MM, got %q", s)
	}
	return hh*60 + mm, nil
}

// until returns the end of the quiet period at now in loc, if now is
// inside one.
func (q quiet) until(now time.Time, loc *time.Location) (time.Time, bool) {
	l := now.In(loc)
	min := l.Hour()*60 + l.Minute()
	in := false
	if q.from < q.to {
		in = min >= q.from && min < q.to
	} else {
		in = min >= q.from || min < q.to
	}
	if !in {
		return time.Time{}, false
	}
	y, m, d := l.Date()
	if min >= q.to { // the period ends tomorrow
		d++
	}
	// The one local-time rule: an end skipped by a spring-forward change
	// moves on by the gap, one that occurs twice is the first.
	end := parcours.LocalTime(y, m, d, q.to/60, q.to%60, 0, 0, loc)
	if !end.After(now) { // a DST jump swallowed the end; go on an hour
		end = now.Add(time.Hour).Truncate(time.Minute)
	}
	return end, true
}
