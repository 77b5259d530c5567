package report

import (
	"fmt"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// FuzzAttribute builds a timeline from arbitrary bytes (events of every
// type the report reads, with keys, channels, props and amounts that may
// be wrong) and checks that Attribute never panics, and that whatever it
// returns keeps its promises: credit never exceeds what there is to
// credit, and the groups add up.
func FuzzAttribute(f *testing.F) {
	f.Add([]byte("\x00\x01\x02\x03\x04\x05\x06\x07\x10\x11\x12\x13\x14\x15\x16\x17"), uint8(0))
	f.Add([]byte("send-open-click-order-unsub-0123456789"), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, model uint8) {
		types := []string{parcours.MessageSent, parcours.MessageOpened, parcours.MessageClicked,
			parcours.Order, parcours.Unsubscribed, "other"}
		chans := []string{"email", "sms", "", "push"}
		var evs []parcours.Event
		for i := 0; i+4 <= len(data) && len(evs) < 200; i += 4 {
			b := data[i : i+4]
			e := parcours.Event{ID: fmt.Sprint("e", b[0]%16), Type: types[int(b[0])%len(types)],
				Time:    at(float64(int(b[1])-64) * 6),
				Channel: chans[int(b[2])%len(chans)], Props: map[string]any{}}
			switch b[3] % 5 {
			case 0:
				e.Props[parcours.PropKey] = fmt.Sprint("k", b[2]%4)
				e.Props[parcours.PropScenario] = fmt.Sprint("s", b[3]%3)
			case 1:
				e.Props[parcours.PropScenario] = fmt.Sprint("s", b[3]%3)
				e.Props[parcours.PropStep] = "x"
				e.Props[parcours.PropTransactional] = b[2]%2 == 0
			case 2:
				e.Props[parcours.PropKey] = 42 // wrong type: reads as absent
			}
			if e.Type == parcours.Order {
				switch b[3] % 3 {
				case 0:
					e.Props[parcours.PropAmount] = float64(b[2]) * 1.5
				case 1:
					e.Props[parcours.PropItems] = []any{map[string]any{"price": float64(b[1]), "quantity": float64(b[2] % 4)}}
				case 2:
					e.Props[parcours.PropAmount] = string(b[1:3]) // usually not a number
				}
			}
			evs = append(evs, e)
		}
		cfg := Config{Model: []Model{LastTouch, FirstTouch, Linear}[int(model)%3]}
		att, err := Attribute(seq(customer("f", evs...)), time.Time{}, at(1000), cfg)
		if err != nil {
			return
		}
		const eps = 1e-9
		if att.AttributedRevenue > att.Revenue+eps || att.AttributedOrders > float64(att.Orders)+eps ||
			att.ScenarioRevenue > att.AttributedRevenue+eps || att.Share < 0 || att.Share > 1+eps {
			t.Fatalf("credit beyond the total: %+v", att)
		}
		var rev, conv float64
		for _, g := range att.Groups {
			rev += g.Revenue
			conv += g.Conversions
			if g.Opens > g.Sends+att.Customers*200 || g.Recipients > 1 {
				t.Fatalf("one customer, group %+v", g)
			}
		}
		if d := rev - att.AttributedRevenue; d > eps || d < -eps {
			t.Fatalf("groups add up to %v, total %v", rev, att.AttributedRevenue)
		}
		if d := conv - att.AttributedOrders; d > eps || d < -eps {
			t.Fatalf("groups convert %v, total %v", conv, att.AttributedOrders)
		}
	})
}
