package scenariotest_test

import (
	"os"
	"testing"

	"github.com/parcours-dev/parcours/scenariotest"
)

// FuzzParseFixture: whatever the bytes, ParseFixture returns a fixture
// with at least one instant and one customer, or an error; it never
// panics.
func FuzzParseFixture(f *testing.F) {
	for _, name := range []string{"testdata/cart.json", "testdata/capped.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"anchor": "2026-03-02T10:00:00Z", "now": "@anchor-1.5d", "scenarios": ["x"], "customers": [{}]}`))
	f.Add([]byte(`"@anchor+99999999999999999999d"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fx, err := scenariotest.ParseFixture(data)
		if err != nil {
			return
		}
		if len(fx.At) == 0 || len(fx.Customers) == 0 || len(fx.Scenarios) == 0 {
			t.Errorf("accepted a fixture without instant, customer or scenario: %s", data)
		}
	})
}
