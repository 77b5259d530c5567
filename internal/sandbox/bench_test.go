package sandbox

import (
	"fmt"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// BenchmarkMatchesProfilePattern is issue 13's figure: a condition run
// once per event on 20,000 events, matching the event against a pattern
// read from the profile. "expr" is the expression as expr runs it alone,
// compiling the pattern at each run; "sandbox" is parcours', with the
// per-evaluation pattern cache (and the budget).
func BenchmarkMatchesProfilePattern(b *testing.B) {
	const src = `s matches attrs.pat`
	types := []string{"order", "page_view", "cart_abandoned", "signup", "message_opened"}
	pattern := `^(order|cart_[a-z]+|message_(opened|clicked))$`
	events := make([]string, 20_000)
	for i := range events {
		events[i] = fmt.Sprint(types[i%len(types)])
	}
	b.Run("expr", func(b *testing.B) {
		p, err := expr.Compile(src, expr.Env(&env{}), expr.AsBool())
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			var v vm.VM
			e := &env{Attrs: map[string]any{"pat": pattern}}
			for _, typ := range events {
				e.S = typ
				if _, err := v.Run(p, e); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("sandbox", func(b *testing.B) {
		p, err := Compile(src, &env{}, true)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			var v vm.VM
			var m Meter
			e := &env{Attrs: map[string]any{"pat": pattern}}
			Attach(&e.hook, &m)
			for _, typ := range events {
				e.S = typ
				if _, err := m.Run(&v, p, e); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
