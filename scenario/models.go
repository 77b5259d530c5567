package scenario

import (
	"errors"
	"fmt"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/parcours-dev/parcours/clv"
	"github.com/parcours-dev/parcours/segment"
)

// WithSegments sets the segment configuration behind `facts()` in
// expressions: lifecycle window, RFM thresholds (the population snapshot
// a host computes daily), loyalty rules, appetence property. Without it,
// facts() uses segment's zero Config.
func WithSegments(cfg segment.Config) Option { return segmentsOption{cfg} }

type segmentsOption struct{ cfg segment.Config }

func (o segmentsOption) apply(e *Engine) error {
	e.segments = o.cfg
	return nil
}

// WithCLV sets the fitted lifetime-value model behind `clv()` in
// expressions, predicting over horizon (for clv().expected_purchases and
// clv().value). A scenario that calls clv() fails to compile without it.
func WithCLV(m clv.Model, horizon time.Duration) Option { return clvOption{m, horizon} }

type clvOption struct {
	m       clv.Model
	horizon time.Duration
}

func (o clvOption) apply(e *Engine) error {
	if err := o.m.Validate(); err != nil {
		return fmt.Errorf("scenario: WithCLV: %w", err)
	}
	if o.horizon <= 0 {
		return errors.New("scenario: WithCLV: horizon must be positive")
	}
	e.clv = &o.m
	e.clvHorizon = o.horizon
	return nil
}

// facts computes segment facts as of the scope's instant, once per
// instant: a scenario that never calls facts() never pays for them.
func (s *scope) facts() (segment.Facts, error) {
	if s.factsOK && s.factsN == len(s.events) && s.factsAt.Equal(s.now) {
		return s.factsV, nil
	}
	tl := s.tl
	tl.Events = s.events
	f, err := segment.Compute(tl, s.now, s.eng.segments)
	if err != nil {
		return segment.Facts{}, err
	}
	s.factsV, s.factsN, s.factsAt, s.factsOK = f, len(s.events), s.now, true
	return f, nil
}

// prediction is facts() for the CLV model. A customer without orders gets
// the zero Prediction (p_alive 0, value 0): the model says nothing of
// people who never bought, and an expression should not fail on them.
func (s *scope) prediction() (clv.Prediction, error) {
	if s.eng.clv == nil {
		return clv.Prediction{}, errors.New("clv(): no model (scenario.WithCLV)")
	}
	if s.predOK && s.predN == len(s.events) && s.predAt.Equal(s.now) {
		return s.predV, nil
	}
	tl := s.tl
	tl.Events = s.events
	p, err := s.eng.clv.Predict(tl, s.now, s.eng.clvHorizon)
	if errors.Is(err, clv.ErrNoOrders) {
		p, err = clv.Prediction{}, nil
	}
	if err != nil {
		return clv.Prediction{}, err
	}
	s.predV, s.predN, s.predAt, s.predOK = p, len(s.events), s.now, true
	return p, nil
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
