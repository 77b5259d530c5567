package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// Parse decodes one scenario from JSON, strictly: unknown fields, trailing
// data and values of the wrong type are errors (*ParseError). Parse checks
// the form only; Compile checks the meaning.
func Parse(data []byte) (Scenario, error) {
	var s Scenario
	err := decodeStrict(data, &s)
	return s, err
}

// ParseAll decodes a JSON array of scenarios, strictly.
func ParseAll(data []byte) ([]Scenario, error) {
	var ss []Scenario
	err := decodeStrict(data, &ss)
	return ss, err
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var off int64
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		default:
			off = dec.InputOffset()
		}
		return &ParseError{Offset: off, Err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &ParseError{Offset: dec.InputOffset(), Err: errors.New("trailing data after the JSON value")}
	}
	return nil
}
