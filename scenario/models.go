package scenario

import (
	"errors"
	"fmt"
	"time"

	"github.com/expr-lang/expr/ast"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/segment"
	"github.com/parcours-dev/parcours/trigger"
)

// FactsSource is what facts() asks for: a customer's segment facts as of
// now. segment.Config satisfies it (its Facts method is segment.Compute);
// a host may wrap it to cache or precompute facts. EventTypes lists the
// event types Facts reads, for [Engine.Reads].
type FactsSource interface {
	Facts(tl parcours.Timeline, now time.Time) (segment.Facts, error)
	EventTypes() []string
}

// Predictor is what clv() asks for: a customer's lifetime-value
// prediction as of now over horizon. clv.Model satisfies it. scenario
// depends on this interface, not on package clv, so a host that does not
// use CLV does not link clv and its numerics (gonum) into its binary.
type Predictor interface {
	Predict(tl parcours.Timeline, now time.Time, horizon time.Duration) (parcours.Prediction, error)
}

// WithSegments sets what answers `facts()` in expressions, usually a
// segment.Config: lifecycle window, RFM thresholds (the population
// snapshot a host computes daily), loyalty rules, appetence property.
// Without it, facts() uses segment's zero Config. A source with a
// Validate() error method (segment.Config has one) is validated here.
func WithSegments(src FactsSource) Option { return segmentsOption{src} }

type segmentsOption struct{ src FactsSource }

func (o segmentsOption) apply(e *Engine) error {
	if o.src == nil {
		return errors.New("scenario: WithSegments: nil source")
	}
	if v, ok := o.src.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("scenario: WithSegments: %w", err)
		}
	}
	e.segments = o.src
	return nil
}

// WithSegment registers a segment membership test by name, for segment
// triggers loaded from JSON ({"segment": {"name": "vip"}}), which cannot
// carry a Go function. A scenario's trigger.SegmentSpec names it; a
// registered name takes precedence over the lifecycle stages and RFM
// segments package segment names.
func WithSegment(name string, member trigger.Member) Option { return segmentOption{name, member} }

type segmentOption struct {
	name   string
	member trigger.Member
}

func (o segmentOption) apply(*Engine) error {
	if o.name == "" || o.member == nil {
		return errors.New("scenario: WithSegment: needs a name and a membership function")
	}
	return nil
}

// WithCLV sets the lifetime-value model behind `clv()` in expressions,
// usually a fitted clv.Model, predicting over horizon (for
// clv().expected_purchases and clv().value). A scenario that calls clv()
// fails to compile without it. A Predictor with a Validate() error method
// (clv.Model has one) is validated here.
func WithCLV(p Predictor, horizon time.Duration) Option { return clvOption{p, horizon} }

type clvOption struct {
	p       Predictor
	horizon time.Duration
}

func (o clvOption) apply(e *Engine) error {
	if o.p == nil {
		return errors.New("scenario: WithCLV: nil model")
	}
	if v, ok := o.p.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("scenario: WithCLV: %w", err)
		}
	}
	if o.horizon <= 0 {
		return errors.New("scenario: WithCLV: horizon must be positive")
	}
	e.clv = o.p
	e.clvHorizon = o.horizon
	return nil
}

// trackable is a FactsSource that can follow a timeline forward, as
// segment.Config can (segment.Tracker): facts() asked at every event of a
// history, by a segment trigger, then costs the events added each time
// instead of the whole history.
type trackable interface {
	Tracker() *segment.Tracker
}

// facts computes segment facts as of the scope's instant, once per
// instant: a scenario that never calls facts() never pays for them.
func (s *scope) facts() (segment.Facts, error) {
	if s.factsOK && s.factsN == len(s.events) && s.factsAt.Equal(s.now) {
		return s.factsV, nil
	}
	tl := s.tl
	tl.Events = s.events
	src := s.eng.facts()
	compute := src.Facts
	if ts, ok := src.(trackable); ok {
		// One Tracker per evaluation: the timeline is fixed for its
		// length, so the prefixes a When trigger's scan asks about grow
		// and each costs only the events added.
		if s.tracker == nil {
			s.tracker = ts.Tracker()
		}
		compute = s.tracker.Facts
	}
	f, err := compute(tl, s.now)
	if err != nil {
		return segment.Facts{}, err
	}
	s.factsV, s.factsN, s.factsAt, s.factsOK = f, len(s.events), s.now, true
	return f, nil
}

// prediction is facts() for the CLV model. A customer without orders gets
// the zero Prediction (p_alive 0, value 0) without asking the model: it
// says nothing of people who never bought, and an expression should not
// fail on them.
func (s *scope) prediction() (parcours.Prediction, error) {
	if s.eng.clv == nil {
		return parcours.Prediction{}, errors.New("clv(): no model (scenario.WithCLV)")
	}
	if s.predOK && s.predN == len(s.events) && s.predAt.Equal(s.now) {
		return s.predV, nil
	}
	var p parcours.Prediction
	if hasOrder(s.events) {
		tl := s.tl
		tl.Events = s.events
		var err error
		if p, err = s.eng.clv.Predict(tl, s.now, s.eng.clvHorizon); err != nil {
			return parcours.Prediction{}, err
		}
	}
	s.predV, s.predN, s.predAt, s.predOK = p, len(s.events), s.now, true
	return p, nil
}

func hasOrder(evs []parcours.Event) bool {
	for i := range evs {
		if evs[i].Type == parcours.Order {
			return true
		}
	}
	return false
}

// calls reports whether the expression calls the Env function named name.
func calls(p *program, name string) bool {
	if p == nil {
		return false
	}
	return ast.Find(p.Node(), func(n ast.Node) bool {
		id, ok := n.(*ast.IdentifierNode)
		return ok && id.Value == name
	}) != nil
}

// programs lists every compiled expression of the scenario.
func (cs *compiled) programs() []*program {
	ps := []*program{cs.targeting, cs.trigIf, cs.when}
	ps = append(ps, cs.exits...)
	for _, st := range cs.steps {
		ps = append(ps, st.until, st.cond)
		for _, v := range st.vars {
			ps = append(ps, v.prog)
		}
	}
	return ps
}
