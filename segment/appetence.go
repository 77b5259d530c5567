package segment

import "sort"

// Appetence is how a customer's purchases spread over the values of one
// order-line property (Config.Property): categories, species,
// departments. Shares are over the lines that carry the property; lines
// without it are left out. A line's spend is price x quantity (quantity 1
// when absent; no price, no spend). Both maps are empty, never nil, when
// there is nothing to measure.
type Appetence struct {
	Property string             `json:"property" expr:"property"` // the property measured
	Spend    map[string]float64 `json:"spend" expr:"spend"`       // value -> share of line spend (0..1)
	Items    map[string]float64 `json:"items" expr:"items"`       // value -> share of quantity (0..1)
}

// tally accumulates spend and quantity per property value.
type tally struct {
	spend, items map[string]float64
	spendTotal   float64
	itemsTotal   float64
}

func newTally() tally {
	return tally{spend: map[string]float64{}, items: map[string]float64{}}
}

func (t *tally) add(l line) {
	if l.value == "" {
		return
	}
	t.spend[l.value] += l.spend
	t.items[l.value] += l.quantity
	t.spendTotal += l.spend
	t.itemsTotal += l.quantity
}

// shares turns the tally into an Appetence.
func (t *tally) shares(property string) Appetence {
	a := Appetence{Property: property, Spend: map[string]float64{}, Items: map[string]float64{}}
	for k, v := range t.spend {
		a.Spend[k], a.Items[k] = 0, 0
		if t.spendTotal > 0 {
			a.Spend[k] = v / t.spendTotal
		}
		if t.itemsTotal > 0 {
			a.Items[k] = t.items[k] / t.itemsTotal
		}
	}
	return a
}

// favourite picks the value with the largest spend, then the largest
// quantity, then the first in alphabetical order; "" when empty.
func (t *tally) favourite() string {
	keys := make([]string, 0, len(t.spend))
	for k := range t.spend {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	best := ""
	for _, k := range keys {
		if best == "" || t.spend[k] > t.spend[best] || t.spend[k] == t.spend[best] && t.items[k] > t.items[best] {
			best = k
		}
	}
	return best
}
