package trigger

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
)

// DepletionSpec fires when a product bought in an order should be running
// out: After (or the delay Delays gives for the item's By property) after
// each order holding an item whose properties match Item. Kibble: item
// {"category": "kibble"}, after "14d", by "size", delays {"XL": "21d"}.
//
// Rules:
//
//   - Items are the order's parcours.PropItems lines, read by the items
//     rule of parcours.Event.EachItem: an order with a line that is not an
//     object (or a bad price or quantity) is an *EvalError wrapping the
//     *parcours.PropError, never a line that silently matches nothing.
//     An item matches when each Item key holds the given value; numbers
//     and bools compare by their JSON text ("2", "2.5", "true").
//   - An order with several matching items fires once, after the longest
//     of their delays: the stock lasts as long as the biggest pack.
//   - A later order with a matching item placed at or before the firing
//     instant supersedes the earlier one (the customer restocked; the new
//     order starts its own clock), so the earlier one does not fire.
//   - Whole days of a delay are calendar days in the profile's zone (see
//     the package doc).
//
// The firing's Event is the order, its Key "depletion:<order ID>".
type DepletionSpec struct {
	Types  []string                     `json:"types,omitempty"`  // event types that are orders; default ["order"]
	Item   map[string]string            `json:"item"`             // item properties to match, at least one
	After  parcours.Duration            `json:"after"`            // default delay, > 0
	By     string                       `json:"by,omitempty"`     // item property choosing a delay in Delays
	Delays map[string]parcours.Duration `json:"delays,omitempty"` // delay per value of By, each > 0
}

type depletionTrigger struct {
	types  typeSet
	item   [][2]string // sorted key/value pairs
	after  time.Duration
	by     string
	delays map[string]time.Duration
}

func (s *DepletionSpec) compile() (Trigger, error) {
	ts, err := checkTypes("depletion.types", s.Types, parcours.Order)
	if err != nil {
		return nil, err
	}
	if len(s.Item) == 0 {
		return nil, fieldErr("depletion.item", "at least one item property to match is required")
	}
	t := depletionTrigger{types: ts, after: s.After.Std(), by: s.By, delays: map[string]time.Duration{}}
	for k, v := range s.Item {
		if k == "" {
			return nil, fieldErr("depletion.item", "empty property name")
		}
		t.item = append(t.item, [2]string{k, v})
	}
	slices.SortFunc(t.item, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	if s.After <= 0 {
		return nil, fieldErr("depletion.after", "must be > 0, got %s", s.After)
	}
	if (s.By == "") != (len(s.Delays) == 0) {
		return nil, fieldErr("depletion.by", "by and delays go together")
	}
	// Sorted, so that the first bad entry reported is always the same.
	for _, v := range slices.Sorted(maps.Keys(s.Delays)) {
		d := s.Delays[v]
		if d <= 0 {
			return nil, fieldErr("depletion.delays."+v, "must be > 0, got %s", d)
		}
		t.delays[v] = d.Std()
	}
	return t, nil
}

// propText is the text an item property compares by.
func propText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	}
	if f, ok := parcours.ToFloat(v); ok {
		return strconv.FormatFloat(f, 'f', -1, 64), true
	}
	return "", false
}

// delay returns the delay for order e and whether it holds a matching
// item; the longest delay wins. Lines follow parcours' items rule: a bad
// line is an error, not a line that silently matches nothing.
func (t depletionTrigger) delay(e parcours.Event) (time.Duration, string, bool, error) {
	var best time.Duration
	var why string
	found := false
	err := e.EachItem(func(item parcours.Item) {
		it := item.Props
		if !t.matches(it) {
			return
		}
		d, w := t.after, ""
		if t.by != "" {
			if v, ok := propText(it[t.by]); ok {
				if x, ok := t.delays[v]; ok {
					d, w = x, " "+t.by+"="+v
				}
			}
		}
		if !found || d > best {
			best, why, found = d, w, true
		}
	})
	if err != nil {
		return 0, "", false, &EvalError{Trigger: "depletion", Event: e.ID, Err: err}
	}
	return best, why, found, nil
}

func (t depletionTrigger) matches(it map[string]any) bool {
	for _, kv := range t.item {
		if v, ok := propText(it[kv[0]]); !ok || v != kv[1] {
			return false
		}
	}
	return true
}

// each calls f for every order that will fire, with its instant.
func (t depletionTrigger) each(tl parcours.Timeline, ix Index, f func(i int, at time.Time, why string)) error {
	loc, err := location(tl.Profile)
	if err != nil {
		return err
	}
	type pend struct {
		i   int
		at  time.Time
		why string
	}
	var prev pend
	has := false
	err = t.types.each(tl, ix, func(i int) error {
		e := tl.Events[i]
		d, why, ok, err := t.delay(e)
		if err != nil || !ok {
			return err
		}
		if has && e.Time.After(prev.at) {
			f(prev.i, prev.at, prev.why)
		}
		prev, has = pend{i, addDuration(e.Time, d, loc), why}, true
		return nil
	})
	if err != nil {
		return err
	}
	if has {
		f(prev.i, prev.at, prev.why)
	}
	return nil
}

func (t depletionTrigger) Firings(tl parcours.Timeline, now time.Time) ([]Firing, error) {
	fs, _, _, err := t.scanFrom(tl, now, ScanOptions{})
	return fs, err
}

func (t depletionTrigger) scanFrom(tl parcours.Timeline, now time.Time, o ScanOptions) ([]Firing, time.Time, bool, error) {
	from, dst := o.From, o.Buf
	out := dst[:0]
	var next earliest
	err := t.each(tl, o.Index, func(i int, at time.Time, why string) {
		if !next.fires(at, now, from) {
			return
		}
		e, ref := tl.Events[i], eventRef(tl.Events, i)
		out = append(out, Firing{At: at, Key: "depletion:" + ref, Event: e,
			Reason: e.Type + " " + ref + " holds " + t.itemText() + why})
	})
	if err != nil {
		return nil, time.Time{}, false, err
	}
	sortFirings(out)
	return out, next.at, next.ok, nil
}

func (t depletionTrigger) itemText() string {
	var b strings.Builder
	for i, kv := range t.item {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(kv[0] + "=" + kv[1])
	}
	return b.String()
}

// Next returns the instant of the pending firing, if still ahead.
func (t depletionTrigger) Next(tl parcours.Timeline, now time.Time) (time.Time, bool, error) {
	_, next, ok, err := t.scanFrom(tl, now, ScanOptions{})
	return next, ok, err
}
