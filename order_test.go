package parcours

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestValue(t *testing.T) {
	line := func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name  string
		props map[string]any
		want  float64
		prop  string // the PropError's Prop; "" for no error
	}{
		{"no props", nil, 0, ""},
		{"amount", map[string]any{PropAmount: 42.5}, 42.5, ""},
		{"numeric string amount", map[string]any{PropAmount: "12.50"}, 12.5, ""},
		{"json.Number amount", map[string]any{PropAmount: json.Number("7")}, 7, ""},
		{"nil amount is absent", map[string]any{PropAmount: nil}, 0, ""},
		{"items and no amount: the lines", map[string]any{PropItems: []any{line("price", 10.0, "quantity", 3), line("price", "5.5")}}, 35.5, ""},
		{"amount wins over the lines", map[string]any{PropAmount: 30, PropItems: []any{line("price", 10.0, "quantity", 4)}}, 30, ""},
		{"line without a price adds 0", map[string]any{PropItems: []map[string]any{{"sku": "a"}, {"price": 2}}}, 2, ""},
		{"zero quantity", map[string]any{PropItems: []any{line("price", 10.0, "quantity", 0)}}, 0, ""},
		{"negative amount", map[string]any{PropAmount: -5}, 0, "amount"},
		{"text amount", map[string]any{PropAmount: "ten"}, 0, "amount"},
		{"NaN amount", map[string]any{PropAmount: math.NaN()}, 0, "amount"},
		{"bad line even with an amount", map[string]any{PropAmount: 30, PropItems: []any{line("price", 1), "junk"}}, 0, "items[1]"},
		{"nil line", map[string]any{PropItems: []map[string]any{nil}}, 0, "items[0]"},
		{"items not a list", map[string]any{PropItems: "a,b"}, 0, "items"},
		{"negative price", map[string]any{PropItems: []any{line("price", -1)}}, 0, "items[0].price"},
		{"bad quantity", map[string]any{PropItems: []any{line("price", 1, "quantity", true)}}, 0, "items[0].quantity"},
		{"overflowing line", map[string]any{PropItems: []any{line("price", 1e300, "quantity", 1e300)}}, 0, "items[0]"},
		{"overflowing total", map[string]any{PropItems: []any{line("price", math.MaxFloat64), line("price", math.MaxFloat64)}}, 0, "items"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := Event{ID: "o1", Type: Order, Props: tc.props}
			got, err := e.Value()
			var pe *PropError
			switch {
			case tc.prop == "" && err != nil:
				t.Fatalf("Value() error %v", err)
			case tc.prop != "" && !errors.As(err, &pe):
				t.Fatalf("Value() = %v, %v; want a *PropError", got, err)
			case tc.prop != "" && (pe.Prop != tc.prop || pe.EventID != "o1" || pe.Type != Order || !errors.Is(err, ErrInvalid)):
				t.Fatalf("Value() error %#v, want Prop %q of order o1 wrapping ErrInvalid", pe, tc.prop)
			}
			if got != tc.want {
				t.Errorf("Value() = %v, want %v", got, tc.want)
			}
			// Items applies the same rule: it fails exactly when a line does.
			items, err := e.Items()
			lineErr := strings.HasPrefix(tc.prop, PropItems) && tc.name != "overflowing total"
			if (err != nil) != lineErr {
				t.Errorf("Items() error %v, want error %v", err, lineErr)
			}
			if err != nil && items != nil {
				t.Errorf("Items() returned %v with its error", items)
			}
		})
	}
}

func TestItems(t *testing.T) {
	e := Event{Props: map[string]any{PropItems: []any{
		map[string]any{"sku": "k1", PropPrice: 4.0},
		map[string]any{"sku": "k2", PropQuantity: "3", PropPrice: 1.5},
	}}}
	got, err := e.Items()
	if err != nil {
		t.Fatal(err)
	}
	want := []Item{
		{Props: map[string]any{"sku": "k1", PropPrice: 4.0}, Quantity: 1, Price: 4, Priced: true},
		{Props: map[string]any{"sku": "k2", PropQuantity: "3", PropPrice: 1.5}, Quantity: 3, Price: 1.5, Priced: true},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Items (-want +got):\n%s", d)
	}
	if got, err := (Event{}).Items(); got != nil || err != nil {
		t.Errorf("Items of an empty event = %v, %v; want nil, nil", got, err)
	}
}

func TestDaysJSON(t *testing.T) {
	type row struct {
		D Days `json:"d"`
	}
	for _, tc := range []struct {
		in   float64
		json string
	}{{12.5, `{"d":12.5}`}, {0, `{"d":0}`}, {math.Inf(1), `{"d":null}`}} {
		b, err := json.Marshal(row{Days(tc.in)})
		if err != nil || string(b) != tc.json {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tc.in, b, err, tc.json)
		}
		var back row
		if err := json.Unmarshal(b, &back); err != nil || float64(back.D) != tc.in {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v", b, back.D, err, tc.in)
		}
	}
	if _, err := json.Marshal(row{Days(math.NaN())}); err == nil {
		t.Errorf("NaN days encoded without error")
	}
	if !Never(DaysSince(time.Time{}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))) {
		t.Errorf("DaysSince(zero) is not never")
	}
}
