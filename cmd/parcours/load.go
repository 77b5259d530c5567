package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/clv"
	"github.com/parcours-dev/parcours/internal/jsonx"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/scenariotest"
	"github.com/parcours-dev/parcours/segment"
)

// files lists repeatable flag values.
type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(s string) error { *f = append(*f, s); return nil }

// setup is what an engine is compiled from: the -s, -policy and -segments
// flags of eval, replay and graph.
type setup struct {
	scenarios files
	policy    string
	segments  string
	clv       string
	horizon   duration
}

// duration is a parcours.Duration flag ("365d", "2w").
type duration parcours.Duration

func (d *duration) String() string { return parcours.Duration(*d).String() }

func (d *duration) Set(s string) error {
	v, err := parcours.ParseDuration(s)
	*d = duration(v)
	return err
}

func (s *setup) flags(fs *flag.FlagSet, prefix string) {
	fs.Var(&s.scenarios, prefix+"s", "scenario `file` (one scenario or an array); repeatable")
	fs.StringVar(&s.policy, prefix+"policy", "", "policy `file`")
	fs.StringVar(&s.segments, prefix+"segments", "", "segment configuration `file`")
	fs.StringVar(&s.clv, prefix+"clv", "", "fitted CLV model `file` (clv.ParseModel), for scenarios calling clv()")
	s.horizon = duration(365 * 24 * time.Hour)
	fs.Var(&s.horizon, prefix+"clv-horizon", "horizon of the CLV predictions")
}

func (s *setup) load() ([]scenario.Scenario, []scenario.Option, error) {
	if len(s.scenarios) == 0 {
		return nil, nil, errors.New("no scenario file (-s)")
	}
	var scs []scenario.Scenario
	for _, name := range s.scenarios {
		more, err := scenariotest.ReadScenarios(name)
		if err != nil {
			return nil, nil, err
		}
		scs = append(scs, more...)
	}
	var opts []scenario.Option
	if s.policy != "" {
		p, err := readPolicy(s.policy)
		if err != nil {
			return nil, nil, err
		}
		opts = append(opts, scenario.WithPolicy(p))
	}
	if s.segments != "" {
		data, err := os.ReadFile(s.segments)
		if err != nil {
			return nil, nil, err
		}
		cfg, err := segment.ParseConfig(data)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s.segments, err)
		}
		opts = append(opts, scenario.WithSegments(cfg))
	}
	if s.clv != "" {
		data, err := os.ReadFile(s.clv)
		if err != nil {
			return nil, nil, err
		}
		m, err := clv.ParseModel(data)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s.clv, err)
		}
		opts = append(opts, scenario.WithCLV(m, time.Duration(s.horizon)))
	}
	return scs, opts, nil
}

func (s *setup) engine() (*scenario.Engine, error) {
	scs, opts, err := s.load()
	if err != nil {
		return nil, err
	}
	return scenario.Compile(scs, opts...)
}

func readPolicy(name string) (scenario.Policy, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return scenario.Policy{}, err
	}
	p, err := scenario.ParsePolicy(data)
	if err != nil {
		return scenario.Policy{}, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// instant is a time flag: RFC 3339, or a date (midnight UTC).
type instant struct{ t time.Time }

func (i *instant) String() string {
	if i.t.IsZero() {
		return ""
	}
	return i.t.Format(time.RFC3339)
}

func (i *instant) Set(s string) error {
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			i.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("%q is neither RFC 3339 (2026-03-02T09:00:00Z) nor a date (2026-03-02)", s)
}

// openArg opens the named file, or in for "-".
func openArg(name string, in io.Reader) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(in), nil
	}
	return os.Open(name)
}

// decodeStrict is parcours' one strict decoder: unknown fields and
// trailing data are errors, each a *parcours.DecodeError with its path,
// line and column.
func decodeStrict(data []byte, v any) error { return jsonx.Decode(data, v) }
