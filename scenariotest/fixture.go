package scenariotest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/internal/jsonx"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/segment"
)

// Fixture is one test case: the files an engine is compiled from, the
// customers and the instants at which to evaluate them. See the package
// documentation for the JSON form.
type Fixture struct {
	// About says what the case shows, for people.
	About string `json:"about,omitempty"`

	// Scenarios are the files holding the scenarios (one object or an
	// array each), relative to Dir.
	Scenarios []string `json:"scenarios"`

	// Policy is the contact-pressure policy file, relative to Dir; empty
	// for none.
	Policy string `json:"policy,omitempty"`

	// Segments is the segment configuration file, relative to Dir;
	// empty for the default configuration.
	Segments string `json:"segments,omitempty"`

	// Anchor is the instant "@anchor" macros are relative to.
	Anchor time.Time `json:"anchor,omitzero"`

	// Now is a single instant to evaluate at; At lists several. A
	// fixture sets exactly one of them; after ParseFixture, At holds
	// every instant and Now is zero.
	Now time.Time   `json:"now,omitzero"`
	At  []time.Time `json:"at,omitempty"`

	// Timeline is a single customer; Customers lists several. A fixture
	// sets exactly one of them; after ParseFixture, Customers holds
	// every customer and Timeline is zero.
	Timeline  *parcours.Timeline  `json:"timeline,omitempty"`
	Customers []parcours.Timeline `json:"customers,omitempty"`

	// Dir is the directory file names are relative to: the fixture's
	// own for ReadFixture. It is not part of the JSON form.
	Dir string `json:"-"`
}

// runRef is a fixture's "@run(scenario,firing-key)"; neither part holds
// a parenthesis or a quote, so a reference never runs past its string.
var runRef = regexp.MustCompile(`@run\(([^,()"]+),([^()"]+)\)`)

// anchorRef is a whole JSON string "@anchor", "@anchor+90d", "@anchor-2h".
var anchorRef = regexp.MustCompile(`"@anchor(?:([+-])([0-9][0-9a-z.]*))?"`)

// ExpandRunRefs replaces every "@run(scenario,firing-key)" in data by
// scenario.RunID(scenario, firing-key). Both parts are taken as written,
// spaces included; an incomplete reference is left as it is.
func ExpandRunRefs(data []byte) []byte {
	return runRef.ReplaceAllFunc(data, func(m []byte) []byte {
		sub := runRef.FindSubmatch(m)
		return []byte(scenario.RunID(string(sub[1]), string(sub[2])))
	})
}

// ExpandAnchor replaces every JSON string "@anchor", "@anchor+D" or
// "@anchor-D" in data, D a parcours.Duration such as "90d" or "2h30m", by
// the instant anchor+D (RFC 3339, UTC). It fails on a malformed duration.
func ExpandAnchor(data []byte, anchor time.Time) ([]byte, error) {
	var err error
	out := anchorRef.ReplaceAllFunc(data, func(m []byte) []byte {
		sub := anchorRef.FindSubmatch(m)
		t := anchor
		if len(sub[1]) > 0 {
			d, perr := parcours.ParseDuration(string(sub[2]))
			if perr != nil && err == nil {
				err = fmt.Errorf("%s: %w", m, perr)
			}
			if string(sub[1]) == "-" {
				d = -d
			}
			t = t.Add(d.Std())
		}
		return []byte(`"` + t.UTC().Format(time.RFC3339Nano) + `"`)
	})
	return out, err
}

// ReadFixture reads the fixture at path (see ParseFixture); its file names
// are relative to the fixture's directory.
func ReadFixture(path string) (*Fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fx, err := ParseFixture(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	fx.Dir = filepath.Dir(path)
	return fx, nil
}

// ParseFixture decodes a fixture after expanding its "@anchor" and
// "@run(...)" macros, strictly: unknown fields, trailing data, no instant,
// no customer, or both forms of either are errors. On return At holds
// every instant and Customers every customer. Dir is left empty (the
// working directory).
func ParseFixture(data []byte) (*Fixture, error) {
	if anchorRef.Match(data) {
		var head struct {
			Anchor time.Time `json:"anchor"`
		}
		if err := json.Unmarshal(data, &head); err != nil {
			return nil, fmt.Errorf("fixture: %w", err)
		}
		if head.Anchor.IsZero() {
			return nil, errors.New(`fixture: "@anchor" used but no "anchor"`)
		}
		var err error
		if data, err = ExpandAnchor(data, head.Anchor); err != nil {
			return nil, fmt.Errorf("fixture: %w", err)
		}
	}
	var fx Fixture
	if err := decodeStrict(ExpandRunRefs(data), &fx); err != nil {
		return nil, fmt.Errorf("fixture: %w", err)
	}
	switch {
	case fx.Now.IsZero() == (len(fx.At) == 0):
		return nil, errors.New(`fixture: set exactly one of "now" and "at"`)
	case (fx.Timeline == nil) == (len(fx.Customers) == 0):
		return nil, errors.New(`fixture: set exactly one of "timeline" and "customers"`)
	case len(fx.Scenarios) == 0:
		return nil, errors.New(`fixture: no "scenarios"`)
	}
	if !fx.Now.IsZero() {
		fx.At, fx.Now = []time.Time{fx.Now}, time.Time{}
	}
	if fx.Timeline != nil {
		fx.Customers, fx.Timeline = []parcours.Timeline{*fx.Timeline}, nil
	}
	return &fx, nil
}

// decodeStrict decodes one JSON value into v with parcours' one strict
// decoder: every problem is a *parcours.DecodeError.
func decodeStrict(data []byte, v any) error { return jsonx.Decode(data, v) }

// Engine compiles the fixture's scenarios with its policy and segment
// configuration, then opts. Scenarios that call clv() need the model in
// opts (scenario.WithCLV(model, horizon)): scenariotest does not import
// package clv, so a program using it (the examples) links no CLV
// numerics.
func (fx *Fixture) Engine(opts ...scenario.Option) (*scenario.Engine, error) {
	var scs []scenario.Scenario
	for _, name := range fx.Scenarios {
		more, err := ReadScenarios(filepath.Join(fx.Dir, name))
		if err != nil {
			return nil, err
		}
		scs = append(scs, more...)
	}
	var all []scenario.Option
	if fx.Policy != "" {
		data, err := os.ReadFile(filepath.Join(fx.Dir, fx.Policy))
		if err != nil {
			return nil, err
		}
		p, err := scenario.ParsePolicy(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fx.Policy, err)
		}
		all = append(all, scenario.WithPolicy(p))
	}
	if fx.Segments != "" {
		data, err := os.ReadFile(filepath.Join(fx.Dir, fx.Segments))
		if err != nil {
			return nil, err
		}
		cfg, err := segment.ParseConfig(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fx.Segments, err)
		}
		all = append(all, scenario.WithSegments(cfg))
	}
	return scenario.Compile(scs, append(all, opts...)...)
}

// ReadScenarios reads a scenario file: one JSON object or an array.
func ReadScenarios(path string) ([]scenario.Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var scs []scenario.Scenario
	if s := bytes.TrimSpace(data); len(s) > 0 && s[0] == '[' {
		scs, err = scenario.ParseAll(data)
	} else {
		var sc scenario.Scenario
		sc, err = scenario.Parse(data)
		scs = []scenario.Scenario{sc}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return scs, nil
}

// GoldenPath returns the golden file of the fixture at path: NAME.json
// gives NAME.golden.json.
func GoldenPath(path string) string {
	return strings.TrimSuffix(path, ".json") + ".golden.json"
}
