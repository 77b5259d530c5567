package segment

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/expr-lang/expr"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parcours-dev/parcours"
)

// randomTimeline builds a messy timeline: orders with items, promos and
// channels, message events, visits, redemptions, some duplicates and
// some events after now.
func randomTimeline(r *rand.Rand, now time.Time) parcours.Timeline {
	types := []string{parcours.Order, parcours.Order, parcours.Order, parcours.MessageSent, parcours.MessageOpened,
		parcours.MessageClicked, parcours.StoreVisit, parcours.Signup, DefaultRedeemEvent, DefaultBonusEvent}
	cats := []string{"dogs", "cats", "rodents"}
	n := r.IntN(25)
	var evs []parcours.Event
	for i := range n {
		e := parcours.Event{
			ID:      fmt.Sprintf("e%d", i),
			Type:    types[r.IntN(len(types))],
			Time:    now.Add(-time.Duration(r.IntN(900*24)-5*24) * time.Hour),
			Channel: []string{"web", "store", "app", "", "email"}[r.IntN(5)],
			Props:   map[string]any{},
		}
		switch e.Type {
		case parcours.Order:
			e.Props[parcours.PropAmount] = float64(r.IntN(20000)) / 100
			e.Props[parcours.PropPromo] = r.IntN(3) == 0
			var items []any
			for range r.IntN(4) {
				items = append(items, map[string]any{"category": cats[r.IntN(3)], "price": float64(r.IntN(100)), "quantity": 1 + r.IntN(3)})
			}
			e.Props[parcours.PropItems] = items
		case DefaultRedeemEvent, DefaultBonusEvent:
			e.Props["points"] = r.IntN(100)
		}
		evs = append(evs, e)
		if r.IntN(8) == 0 { // the host recorded it twice
			evs = append(evs, e)
		}
	}
	return parcours.Timeline{Profile: parcours.Profile{ID: "r"}, Events: evs}
}

var propertyCfg = Config{
	Thresholds: &RFMThresholds{Recency: [4]float64{10, 30, 90, 180}, Frequency: [4]float64{1, 2, 4, 8}, Monetary: [4]float64{50, 100, 300, 800}},
	Loyalty:    &LoyaltyRules{PointsPerUnit: 1, PointsPerVisit: 5, CashbackRate: 0.02, Tiers: []Tier{{"silver", 100}, {"gold", 500}}},
}

// TestShuffleChangesNothing: facts depend on the events, not their order.
func TestShuffleChangesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		tl := randomTimeline(r, june1)
		want, err := Compute(tl, june1, propertyCfg)
		if err != nil {
			t.Fatal(err)
		}
		shuffled := tl
		shuffled.Events = append([]parcours.Event(nil), tl.Events...)
		r.Shuffle(len(shuffled.Events), func(a, b int) { shuffled.Events[a], shuffled.Events[b] = shuffled.Events[b], shuffled.Events[a] })
		got, err := Compute(shuffled, june1, propertyCfg)
		if err != nil {
			t.Fatal(err)
		}
		// Sums may be added in another order only when events share an
		// instant, hence the tiny tolerance.
		if d := cmp.Diff(want, got, cmpopts.EquateApprox(1e-12, 0)); d != "" {
			t.Fatalf("case %d: shuffling changed the facts (-want +got):\n%s", i, d)
		}
	}
}

// TestOldOrderNeverMakesAProspect: adding an order before now never gives
// the prospect stage, never lowers frequency or spend.
func TestOldOrderNeverMakesAProspect(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 300 {
		tl := randomTimeline(r, june1)
		before, err := Compute(tl, june1, propertyCfg)
		if err != nil {
			t.Fatal(err)
		}
		old := parcours.Event{ID: "old", Type: parcours.Order, Time: june1.Add(-time.Duration(r.IntN(3000*24)) * time.Hour),
			Props: map[string]any{parcours.PropAmount: float64(r.IntN(100))}}
		tl.Events = append(tl.Events, old)
		after, err := Compute(tl, june1, propertyCfg)
		if err != nil {
			t.Fatal(err)
		}
		if after.Stage == StageProspect || after.Frequency != before.Frequency+1 || after.Monetary < before.Monetary {
			t.Fatalf("case %d: stage %s -> %s, frequency %d -> %d, monetary %v -> %v",
				i, before.Stage, after.Stage, before.Frequency, after.Frequency, before.Monetary, after.Monetary)
		}
	}
}

// TestPopulationAgreesWithCompute: the fast population scan classifies
// and scores every customer as Compute does.
func TestPopulationAgreesWithCompute(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var tls []parcours.Timeline
	for range 200 {
		tls = append(tls, randomTimeline(r, june1))
	}
	sum, err := Summarize(func(yield func(parcours.Timeline) bool) {
		for _, tl := range tls {
			if !yield(tl) {
				return
			}
		}
	}, june1, Config{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Thresholds: &sum.Thresholds}
	stages, segs := map[string]int{}, map[string]int{}
	for _, tl := range tls {
		f, err := Compute(tl, june1, cfg)
		if err != nil {
			t.Fatal(err)
		}
		stages[f.Stage]++
		segs[f.RFM.Segment]++
	}
	for _, c := range sum.All.Stages {
		if stages[c.Name] != c.Customers {
			t.Errorf("stage %s: Summarize %d, Compute %d", c.Name, c.Customers, stages[c.Name])
		}
	}
	for _, c := range sum.All.Segments {
		if segs[c.Name] != c.Customers {
			t.Errorf("segment %s: Summarize %d, Compute %d", c.Name, c.Customers, segs[c.Name])
		}
	}
	// Migration rows are the stages at From, columns the stages at To.
	from := june1.AddDate(0, -5, 0)
	m, err := Migrate(slices.Values(tls), from, june1, Config{})
	if err != nil {
		t.Fatal(err)
	}
	then, err := Summarize(slices.Values(tls), from, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		row, col := 0, 0
		for j := range 4 {
			row += m.Matrix[i][j]
			col += m.Matrix[j][i]
		}
		if row != then.All.Stages[i].Customers || col != sum.All.Stages[i].Customers {
			t.Errorf("stage %s: migration row %d col %d, Summarize at from %d at to %d",
				Stages()[i], row, col, then.All.Stages[i].Customers, sum.All.Stages[i].Customers)
		}
	}
}

// TestExprTags compiles an expression on every leaf of Facts, the way the
// scenario package exposes them, and checks the marketers' examples.
func TestExprTags(t *testing.T) {
	var tl parcours.Timeline
	readJSON(t, "alice.json", &tl)
	f, err := Compute(tl, june1, loadConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]any{"facts": f}
	var paths []string
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for i := range typ.NumField() {
			fl := typ.Field(i)
			tag := fl.Tag.Get("expr")
			if tag == "" {
				t.Errorf("%s.%s has no expr tag", prefix, fl.Name)
				continue
			}
			if fl.Type.Kind() == reflect.Struct && fl.Type != reflect.TypeFor[time.Time]() {
				walk(prefix+"."+tag, fl.Type)
				continue
			}
			paths = append(paths, prefix+"."+tag)
		}
	}
	walk("facts", reflect.TypeFor[Facts]())
	for _, p := range paths {
		if _, err := expr.Compile(p+" != nil", expr.Env(env)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	for _, src := range []string{
		`facts.stage == "loyal"`, `facts.rfm.segment == "need_attention"`, `facts.favourite == "dogs"`,
		`facts.promo_share > 0.3`, `facts.loyalty.tier == "silver"`, `facts.appetence.spend.dogs >= 0.5`,
		`facts.stage in ["loyal", "new"]`, `facts.engagement.days_since_open < 30`, `!facts.rhythm.break`,
		`facts.channel_mix == "both"`, `facts.first_purchase.channel == "web"`,
	} {
		p, err := expr.Compile(src, expr.Env(env), expr.AsBool())
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		out, err := expr.Run(p, env)
		if err != nil || out != true {
			t.Errorf("%s = %v, %v; want true", src, out, err)
		}
	}
	if !strings.Contains(strings.Join(paths, " "), "facts.rfm.segment") {
		t.Errorf("walk missed nested fields: %v", paths)
	}
}

// FuzzCompute: any timeline built from the fuzzer's bytes gives facts
// without NaN or infinities, in range, or a typed error.
func FuzzCompute(f *testing.F) {
	f.Add(uint64(1), uint64(2), []byte("amount"))
	f.Add(uint64(7), uint64(0), []byte{})
	f.Add(uint64(99), uint64(5), []byte("-1"))
	f.Fuzz(func(t *testing.T, a, b uint64, raw []byte) {
		r := rand.New(rand.NewPCG(a, b))
		tl := randomTimeline(r, june1)
		if len(tl.Events) > 0 && len(raw) > 0 { // an arbitrary property value
			tl.Events[0].Props[parcours.PropAmount] = string(raw)
		}
		got, err := Compute(tl, june1, propertyCfg)
		// A Tracker fed the growing prefixes ends where Compute is.
		canon, _ := tl.Canonical(june1)
		tr := propertyCfg.Tracker()
		for i := range canon.Events {
			tr.Facts(parcours.Timeline{Profile: canon.Profile, Events: canon.Events[:i+1]}, canon.Events[i].Time)
		}
		tracked, terr := tr.Facts(canon, june1)
		if fmt.Sprint(terr) != fmt.Sprint(err) {
			t.Fatalf("Tracker error %v, Compute's %v", terr, err)
		}
		if diff := cmp.Diff(got, tracked, cmpopts.EquateEmpty(), cmpopts.EquateNaNs()); diff != "" {
			t.Fatalf("Tracker differs from Compute (-Compute +Tracker):\n%s", diff)
		}
		if err != nil {
			if !errors.Is(err, ErrEvent) {
				t.Fatalf("error %v is not an *EventError", err)
			}
			return
		}
		check := func(name string, v float64) {
			if v != v || v > 1e300 || v < -1e300 {
				t.Fatalf("%s = %v", name, v)
			}
		}
		if got.Frequency == 0 != math.IsInf(got.Recency, 1) {
			t.Fatalf("recency %v with %d orders: +Inf (never) exactly when there is none", got.Recency, got.Frequency)
		}
		if got.Frequency == 0 {
			got.Recency = 0 // never: checked above
		}
		for name, v := range map[string]float64{"recency": got.Recency, "monetary": got.Monetary, "basket": got.AverageBasket,
			"promo": got.PromoShare, "promo spend": got.PromoSpendShare, "cadence": got.Rhythm.Cadence, "ratio": got.Rhythm.Ratio,
			"points": got.Loyalty.Points, "cashback": got.Loyalty.Cashback} {
			check(name, v)
		}
		if got.PromoShare < 0 || got.PromoShare > 1 || got.PromoSpendShare < 0 || got.PromoSpendShare > 1+1e-12 {
			t.Fatalf("shares out of range: %v %v", got.PromoShare, got.PromoSpendShare)
		}
		if (got.Stage == StageProspect) != (got.Frequency == 0) {
			t.Fatalf("stage %s with %d orders", got.Stage, got.Frequency)
		}
	})
}

// TestCanonicalFastPath: the copy-free path gives exactly tl.At(now), and
// recognises At's own output as canonical.
func TestCanonicalFastPath(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 500 {
		tl := randomTimeline(r, june1)
		if r.IntN(2) == 0 { // many small timelines already in canonical order
			tl = tl.At(june1)
		}
		want := tl.At(june1)
		if d := cmp.Diff(want.Events, canonical(tl, june1).Events, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("case %d (-At +canonical):\n%s", i, d)
		}
		if !isCanonical(want.Events, june1) {
			t.Fatalf("case %d: At's output not recognised as canonical", i)
		}
	}
	// Same ID at different instants, far apart in the slice.
	dup := []parcours.Event{{ID: "x", Time: date("2026-01-01T00:00:00Z")}, {ID: "y", Time: date("2026-02-01T00:00:00Z")}, {ID: "x", Time: date("2026-03-01T00:00:00Z")}}
	if isCanonical(dup, june1) {
		t.Error("a repeated ID passed as canonical")
	}
}
