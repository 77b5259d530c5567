package segment

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/parcours-dev/parcours/internal/jsonx"
)

// Defaults used when a Config field is left at its zero value.
const (
	DefaultWindow       = Duration(182 * 24 * time.Hour) // 26 weeks, "six months"
	DefaultKPIPeriod    = Duration(365 * 24 * time.Hour) // one year
	DefaultProperty     = "category"
	DefaultMinIntervals = 2
	DefaultBreakFactor  = 2.0
	DefaultMinGap       = Duration(24 * time.Hour)
)

// Config tunes how facts and statistics are computed. It is plain data:
// load it with [ParseConfig]. Its zero value works: a 182-day lifecycle
// window, appetence by item "category", no RFM thresholds (scores are 0),
// no loyalty programme.
type Config struct {
	// Window is the lifecycle window: an order counts as recent when it
	// happened in (now-Window, now]. Zero means DefaultWindow (182 days).
	Window Duration `json:"window,omitempty"`

	// Thresholds are the population's RFM quintile cuts, as computed by
	// [Thresholds] or [Summarize]. Nil leaves per-customer RFM scores at
	// 0 and the segment at [SegmentNone]; [Summarize] then computes them
	// from the population it reads.
	Thresholds *RFMThresholds `json:"thresholds,omitempty"`

	// Property is the order-line property appetence is measured on:
	// "category" (the default), "species", "department"...
	Property string `json:"property,omitempty"`

	// Rhythm tunes the purchase-rhythm facts.
	Rhythm RhythmRules `json:"rhythm"`

	// Loyalty describes the loyalty programme; nil means none and leaves
	// the loyalty facts at their zero values.
	Loyalty *LoyaltyRules `json:"loyalty,omitempty"`

	// KPIPeriod is the look-back of the population KPIs (orders,
	// revenue, emails in (now-KPIPeriod, now]). Zero means one year.
	KPIPeriod Duration `json:"kpi_period,omitempty"`

	// SplitBy names a profile attribute ("store", "loyalty_member") by
	// whose value [Summarize] also reports each group separately. Empty
	// means no split.
	SplitBy string `json:"split_by,omitempty"`
}

// RhythmRules tune the purchase-rhythm facts. The zero value uses the
// defaults.
type RhythmRules struct {
	// MinGap merges orders closer than this to the previous purchase
	// occasion into it (split baskets, a store and a web order the same
	// day). Zero means one day.
	MinGap Duration `json:"min_gap,omitempty"`

	// MinIntervals is how many intervals between occasions a customer
	// needs before a break in rhythm can be signalled. Zero means 2.
	MinIntervals int `json:"min_intervals,omitempty"`

	// BreakFactor: the rhythm is broken when the current gap exceeds
	// BreakFactor times the usual cadence. Zero means 2; it must
	// otherwise be at least 1.
	BreakFactor float64 `json:"break_factor,omitempty"`
}

// ParseConfig reads a Config from strict JSON: unknown fields, values of
// the wrong type, bad syntax and trailing data are each a
// *parcours.DecodeError (field path, line, column; all of them, joined),
// and invalid values a *[ConfigError]. Every error wraps [ErrConfig] and
// parcours.ErrInvalid; the Config is zero with any error.
func ParseConfig(data []byte) (Config, error) {
	var c Config
	if err := strictJSON(data, &c); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// strictJSON decodes one JSON value into v with the shared strict
// decoder: every problem is a *parcours.DecodeError (path, line, column),
// wrapped with ErrConfig.
func strictJSON(data []byte, v any) error {
	if err := jsonx.Decode(data, v); err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return nil
}

// Validate reports every unusable value in c, each a *[ConfigError]:
// the one error when there is one, else all of them joined
// (errors.Join), in the order of the fields.
func (c Config) Validate() error {
	var p problems
	if c.Window < 0 {
		p.add(&ConfigError{Field: "window", Value: c.Window.String(), Reason: "must not be negative"})
	}
	if c.KPIPeriod < 0 {
		p.add(&ConfigError{Field: "kpi_period", Value: c.KPIPeriod.String(), Reason: "must not be negative"})
	}
	r := c.Rhythm
	if r.MinGap < 0 {
		p.add(&ConfigError{Field: "rhythm.min_gap", Value: r.MinGap.String(), Reason: "must not be negative"})
	}
	if r.MinIntervals < 0 {
		p.add(&ConfigError{Field: "rhythm.min_intervals", Value: fmt.Sprint(r.MinIntervals), Reason: "must not be negative"})
	}
	if r.BreakFactor != 0 && !(r.BreakFactor >= 1 && !math.IsInf(r.BreakFactor, 0)) {
		p.add(&ConfigError{Field: "rhythm.break_factor", Value: fmt.Sprint(r.BreakFactor), Reason: "must be at least 1 and finite"})
	}
	if c.Thresholds != nil {
		p.add(c.Thresholds.Validate())
	}
	if c.Loyalty != nil {
		p.add(c.Loyalty.Validate())
	}
	return p.err()
}

// problems collects the problems a Validate finds.
type problems []error

// add records err, and each error it joins, unless it is nil.
func (p *problems) add(err error) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		*p = append(*p, j.Unwrap()...)
	} else if err != nil {
		*p = append(*p, err)
	}
}

// err is the one problem, all of them joined, or nil.
func (p problems) err() error {
	if len(p) == 1 {
		return p[0]
	}
	return errors.Join(p...)
}

// settings is a Config with the defaults filled in, resolved once per call.
type settings struct {
	window, period, minGap time.Duration
	property               string
	minIntervals           int
	breakFactor            float64
	thresholds             *RFMThresholds
	loyalty                *LoyaltyRules
	splitBy                string
}

func (c Config) settings() (settings, error) {
	if err := c.Validate(); err != nil {
		return settings{}, err
	}
	s := settings{
		window:       time.Duration(c.Window),
		period:       time.Duration(c.KPIPeriod),
		minGap:       time.Duration(c.Rhythm.MinGap),
		property:     c.Property,
		minIntervals: c.Rhythm.MinIntervals,
		breakFactor:  c.Rhythm.BreakFactor,
		thresholds:   c.Thresholds,
		loyalty:      c.Loyalty,
		splitBy:      c.SplitBy,
	}
	if s.window == 0 {
		s.window = time.Duration(DefaultWindow)
	}
	if s.period == 0 {
		s.period = time.Duration(DefaultKPIPeriod)
	}
	if s.minGap == 0 {
		s.minGap = time.Duration(DefaultMinGap)
	}
	if s.property == "" {
		s.property = DefaultProperty
	}
	if s.minIntervals == 0 {
		s.minIntervals = DefaultMinIntervals
	}
	if s.breakFactor == 0 {
		s.breakFactor = DefaultBreakFactor
	}
	return s, nil
}
