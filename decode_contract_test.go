package parcours_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/abtest"
	"github.com/parcours-dev/parcours/clv"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/scenariotest"
	"github.com/parcours-dev/parcours/segment"
	"github.com/parcours-dev/parcours/trigger"
)

// TestDecodeErrorContract: every parser of parcours decodes with the one
// strict decoder and honours one contract, checked with errors.As: each
// problem of the document is a *parcours.DecodeError with its field path,
// line and column (all of them, not only the first), every error wraps
// parcours.ErrInvalid, and the value returned with an error is zero.
func TestDecodeErrorContract(t *testing.T) {
	type where struct {
		Path         string
		Line, Column int
	}
	// Each document has an unknown field on line 2 and a value of the
	// wrong type on line 3.
	tests := []struct {
		parser string
		parse  func([]byte) (zero bool, err error)
		doc    string
		want   []where
	}{
		{"scenario.Parse", func(b []byte) (bool, error) {
			s, err := scenario.Parse(b)
			return cmp.Equal(s, scenario.Scenario{}), err
		}, "{\"id\": \"x\",\n \"stepz\": [],\n \"version\": \"2\"}", []where{{"stepz", 2, 2}, {"version", 3, 13}}},
		{"scenario.ParseAll", func(b []byte) (bool, error) {
			ss, err := scenario.ParseAll(b)
			return ss == nil, err
		}, "[{\"id\": \"ok\"}, {\"id\": \"x\",\n \"stepz\": [],\n \"version\": \"2\"}]", []where{{"[1].stepz", 2, 2}, {"[1].version", 3, 13}}},
		{"scenario.ParsePolicy", func(b []byte) (bool, error) {
			p, err := scenario.ParsePolicy(b)
			return cmp.Equal(p, scenario.Policy{}), err
		}, "{\"caps\": [{\"max\": 3, \"window\": \"7d\",\n \"channel\": \"email\"}],\n \"quiet_hours\": {}}", []where{{"caps[0].channel", 2, 2}, {"quiet_hours", 3, 17}}},
		{"trigger.Parse", func(b []byte) (bool, error) {
			s, err := trigger.Parse(b)
			return cmp.Equal(s, trigger.Spec{}), err
		}, "{\"inactivity\": {\"after\": \"90d\",\n \"dayz\": 1,\n \"types\": \"order\"}}", []where{{"inactivity.dayz", 2, 2}, {"inactivity.types", 3, 11}}},
		{"segment.ParseConfig", func(b []byte) (bool, error) {
			c, err := segment.ParseConfig(b)
			return cmp.Equal(c, segment.Config{}), err
		}, "{\"window\": \"90d\",\n \"windoww\": 1,\n \"property\": 3}", []where{{"windoww", 2, 2}, {"property", 3, 14}}},
		{"segment.ParseThresholds", func(b []byte) (bool, error) {
			th, err := segment.ParseThresholds(b)
			return cmp.Equal(th, segment.RFMThresholds{}), err
		}, "{\"customers\": 10,\n \"recencyy\": [],\n \"monetary\": \"high\"}", []where{{"recencyy", 2, 2}, {"monetary", 3, 14}}},
		{"clv.ParseModel", func(b []byte) (bool, error) {
			m, err := clv.ParseModel(b)
			return cmp.Equal(m, clv.Model{}), err
		}, "{\"kind\": \"bgnbd\",\n \"param\": [1, 2, 3, 4],\n \"margin\": \"0.3\"}", []where{{"param", 2, 2}, {"margin", 3, 12}}},
		{"abtest.ParseExperiment", func(b []byte) (bool, error) {
			e, err := abtest.ParseExperiment(b)
			return cmp.Equal(e, abtest.Experiment{}), err
		}, "{\"key\": \"k\", \"variants\": [\"a\", \"b\"],\n \"weight\": [1],\n \"coverage\": \"all\"}", []where{{"weight", 2, 2}, {"coverage", 3, 14}}},
		{"scenariotest.ParseFixture", func(b []byte) (bool, error) {
			fx, err := scenariotest.ParseFixture(b)
			return fx == nil, err
		}, "{\"now\": \"2026-01-01T00:00:00Z\",\n \"nw\": 1,\n \"scenarios\": \"a.json\"}", []where{{"nw", 2, 2}, {"scenarios", 3, 15}}},
	}
	for _, tc := range tests {
		t.Run(tc.parser, func(t *testing.T) {
			zero, err := tc.parse([]byte(tc.doc))
			var de *parcours.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v: errors.As finds no *parcours.DecodeError", err)
			}
			if !errors.Is(err, parcours.ErrInvalid) {
				t.Errorf("error %v does not wrap parcours.ErrInvalid", err)
			}
			if !zero {
				t.Errorf("a value was returned with the error")
			}
			var got []where
			for _, de := range parcours.ErrorsOf[*parcours.DecodeError](err) {
				got = append(got, where{de.Path, de.Line, de.Column})
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("problems (-want +got):\n%s\nerror: %v", d, err)
			}
		})
	}
}

func ExampleDecodeError() {
	_, err := scenario.Parse([]byte(`{"id": "welcome",
  "trigger": {"onn": ["signup"]},
  "steps": [{"id": "mail", "send": {"channels": "email"}}]}`))
	var de *parcours.DecodeError
	if errors.As(err, &de) {
		fmt.Printf("%s line %d column %d: %v\n", de.Path, de.Line, de.Column, de.Err)
	}
	fmt.Println(errors.Is(err, parcours.ErrInvalid))
	// Output:
	// trigger.onn line 2 column 15: unknown field "onn"
	// true
}

func ExampleErrorsOf() {
	_, err := scenario.Parse([]byte(`{"id": "welcome",
  "trigger": {"onn": ["signup"]},
  "steps": [{"id": "mail", "send": {"channels": "email"}}]}`))
	// Every problem of the document, with the file the host read it from.
	for _, de := range parcours.ErrorsOf[*parcours.DecodeError](err) {
		de.File = "welcome.json"
		fmt.Println(de)
	}
	// Output:
	// welcome.json:2:15: trigger.onn: unknown field "onn"
	// welcome.json:3:49: steps[0].send.channels: want an array, got a string
}
