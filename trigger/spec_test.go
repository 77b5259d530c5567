package trigger

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// jsonStrict decodes like Parse does, for helper types.
func jsonStrict(s string, v any) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, in, field string }{
		{"empty object", `{}`, ""},
		{"two kinds", `{"event": {"types": ["order"]}, "delay": {"types": ["order"], "after": "3d"}}`, ""},
		{"unknown field", `{"inactivity": {"after": "90d", "days": 90}}`, ""},
		{"unknown kind", `{"birthday": {}}`, ""},
		{"trailing data", `{"inactivity": {"after": "90d"}} {}`, ""},
		{"bad duration", `{"inactivity": {"after": "90 days"}}`, ""},
		{"not json", `inactivity`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field || !errors.Is(err, ErrSpec) {
				t.Fatalf("err = %v, want FieldError on %q", err, tt.field)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct{ in, field string }{
		{`{"event": {}}`, "event.types"},
		{`{"event": {"types": [""]}}`, "event.types[0]"},
		{`{"event": {"types": ["order"], "where": "event.props.amount >"}}`, "event.where"},
		{`{"event": {"types": ["order"], "where": "event.type"}}`, "event.where"},
		{`{"delay": {"types": ["order"]}}`, "delay.after"},
		{`{"delay": {"types": ["order"], "after": "-3d"}}`, "delay.after"},
		{`{"anniversary": {}}`, "anniversary.attribute"},
		{`{"anniversary": {"attribute": "birthday", "first_event": "order"}}`, "anniversary.attribute"},
		{`{"anniversary": {"attribute": "birthday", "at": "25:00"}}`, "anniversary.at"},
		{`{"anniversary": {"attribute": "birthday", "at": "9h"}}`, "anniversary.at"},
		{`{"anniversary": {"attribute": "birthday", "offset": "-400d"}}`, "anniversary.offset"},
		{`{"inactivity": {}}`, "inactivity.after"},
		{`{"inactivity": {"after": "0"}}`, "inactivity.after"},
		{`{"inactivity": {"types": [""], "after": "90d"}}`, "inactivity.types[0]"},
		{`{"repurchase": {"stat": "mode"}}`, "repurchase.stat"},
		{`{"repurchase": {"min_orders": 1}}`, "repurchase.min_orders"},
		{`{"repurchase": {"factor": -1}}`, "repurchase.factor"},
		{`{"repurchase": {"factor": 1000}}`, "repurchase.factor"},
		{`{"depletion": {"after": "14d"}}`, "depletion.item"},
		{`{"depletion": {"item": {"category": "kibble"}}}`, "depletion.after"},
		{`{"depletion": {"item": {"category": "kibble"}, "after": "14d", "by": "size"}}`, "depletion.by"},
		{`{"depletion": {"item": {"category": "kibble"}, "after": "14d", "by": "size", "delays": {"XL": "0"}}}`, "depletion.delays.XL"},
		{`{"depletion": {"item": {"": "kibble"}, "after": "14d"}}`, "depletion.item"},
		{`{"threshold": {}}`, "threshold.value"},
		{`{"threshold": {"value": -5}}`, "threshold.value"},
		{`{"threshold": {"value": 5, "rate": -1}}`, "threshold.rate"},
		{`{"segment": {}}`, "segment.name"},
		{`{"segment": {"name": "inactive", "on": "leave"}}`, "segment.on"},
		{`{"segment": {"name": "inactive"}}`, "segment.member"},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			s, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			_, err = s.Compile()
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field || !errors.Is(err, ErrSpec) {
				t.Fatalf("err = %v, want FieldError on %q", err, tt.field)
			}
		})
	}
}

func TestSegmentMemberError(t *testing.T) {
	s, err := Parse([]byte(`{"segment": {"name": "inactive", "on": "exit"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Compile(); !errors.Is(err, ErrNoMember) {
		t.Fatalf("err = %v, want ErrNoMember", err)
	}
	s.Segment.Member = func(parcours.Timeline, time.Time) (bool, error) { return true, nil }
	if _, err := s.Compile(); err != nil {
		t.Fatalf("with Member set: %v", err)
	}
}

func TestSpecIsZero(t *testing.T) {
	if !(Spec{}).IsZero() {
		t.Error("zero Spec not IsZero")
	}
	if (Spec{Threshold: &ThresholdSpec{Value: 1}}).IsZero() {
		t.Error("set Spec IsZero")
	}
	if _, err := (Spec{}).Compile(); !errors.Is(err, ErrSpec) {
		t.Errorf("zero Spec compiled: %v", err)
	}
}

// Every example spec in the docs parses, compiles and re-encodes to JSON
// that parses to the same value.
func TestSpecRoundTrip(t *testing.T) {
	for i, in := range validSpecs {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			s, err := Parse([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Compile(); err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			s2, err := Parse(b)
			if err != nil {
				t.Fatalf("re-parse %s: %v", b, err)
			}
			b2, _ := json.Marshal(s2)
			if !bytes.Equal(b, b2) {
				t.Errorf("round trip: %s != %s", b, b2)
			}
		})
	}
}

var validSpecs = []string{
	`{"event": {"types": ["signup", "account_created"]}}`,
	`{"event": {"types": ["cart_abandoned"]}}`,
	`{"event": {"types": ["order"], "where": "event.channel == \"store\" && event.props.amount >= 50"}}`,
	`{"delay": {"types": ["order"], "after": "3d"}}`,
	`{"anniversary": {"attribute": "birthday", "at": "09:00", "offset": "-7d"}}`,
	`{"anniversary": {"first_event": "order", "at": "10:30:00"}}`,
	`{"inactivity": {"after": "90d"}}`,
	`{"inactivity": {"types": ["order", "store_visit"], "after": "6w"}}`,
	`{"repurchase": {"stat": "mean", "min_orders": 4, "factor": 1.5}}`,
	`{"depletion": {"item": {"category": "kibble"}, "after": "14d", "by": "size", "delays": {"XL": "21d"}}}`,
	`{"threshold": {"property": "amount", "rate": 1, "value": 500}}`,
	`{"threshold": {"types": ["store_visit"], "value": 10, "every": true}}`,
}
