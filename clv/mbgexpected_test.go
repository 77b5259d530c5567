package clv

import (
	"encoding/json"
	"os"
	"testing"
)

// TestMBGNBDExpected checks MBGNBDModel.Expected against mpmath values
// of the published formula (testdata/mbgnbd_expected.py).
func TestMBGNBDExpected(t *testing.T) {
	data, err := os.ReadFile("testdata/mbgnbd_expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			Params   []float64 `json:"params"`
			T        float64   `json:"t"`
			Expected float64   `json:"expected"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	for _, c := range ref.Cases {
		m := MBGNBDModel{c.Params[0], c.Params[1], c.Params[2], c.Params[3]}
		got, err := m.Expected(c.T)
		if err != nil {
			t.Errorf("%v t=%v: %v", c.Params, c.T, err)
			continue
		}
		if e := relErr(got, c.Expected); e > 1e-9 {
			t.Errorf("%v t=%v: %.15g, want %.15g (rel %.2g)", c.Params, c.T, got, c.Expected, e)
		}
	}
	if v, err := (MBGNBDModel{1, 1, 1, 1}).Expected(0); err != nil || v != 0 {
		t.Errorf("Expected(0) = %v, %v", v, err)
	}
	if _, err := (MBGNBDModel{1, 1, 1, 1}).Expected(-1); err == nil {
		t.Error("Expected(-1): no error")
	}
}
