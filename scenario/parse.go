package scenario

import (
	"fmt"

	"github.com/parcours-dev/parcours/internal/jsonx"
)

// Parse decodes one scenario from JSON, strictly: unknown fields, values
// of the wrong type, bad syntax and trailing data are errors, every one
// of them reported as a *parcours.DecodeError (field path, line, column;
// several are joined, list them with parcours.ErrorsOf). The Scenario is
// zero with any error. Parse checks the form only; Compile checks the
// meaning.
func Parse(data []byte) (Scenario, error) {
	var s Scenario
	if err := decodeStrict(data, &s); err != nil {
		return Scenario{}, err
	}
	return s, nil
}

// ParseAll decodes a JSON array of scenarios, strictly, as Parse does.
// With any error it returns nil, never the scenarios decoded so far;
// paths name the scenario by index ("[2].steps[0].send").
func ParseAll(data []byte) ([]Scenario, error) {
	var ss []Scenario
	if err := decodeStrict(data, &ss); err != nil {
		return nil, err
	}
	return ss, nil
}

// decodeStrict is the package's one call of the shared strict decoder.
func decodeStrict(data []byte, v any) error {
	if err := jsonx.Decode(data, v); err != nil {
		return fmt.Errorf("scenario: %w", err)
	}
	return nil
}
