package scenario

import (
	"strings"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

func TestSegmentTriggerFromJSON(t *testing.T) {
	sc, err := Parse([]byte(`{"id": "vip", "trigger": {"segment": {"name": "vip"}},
		"steps": [{"id": "hi", "send": {"channels": ["email"], "template": "vip"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compile([]Scenario{sc}); err == nil || !strings.Contains(err.Error(), `trigger.segment.name: unknown segment "vip"`) {
		t.Errorf("unregistered name: error %v", err)
	}
	vip := func(tl parcours.Timeline, at time.Time) (bool, error) {
		return tl.Count(parcours.Order, time.Time{}, at) >= 3, nil
	}
	eng, err := Compile([]Scenario{sc}, WithSegment("vip", vip))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	tl := parcours.Timeline{Profile: parcours.Profile{ID: "c", Consent: map[parcours.Channel]bool{parcours.Email: true}}}
	for i := range 3 {
		tl.Events = append(tl.Events, parcours.Event{ID: string(rune('a' + i)), Type: parcours.Order, Time: t0.Add(time.Duration(i) * 24 * time.Hour)})
	}
	res := eng.Evaluate(tl, t0.Add(50*time.Hour))
	if len(res.Due) != 1 || !res.Due[0].DueAt.Equal(t0.Add(48*time.Hour)) {
		t.Errorf("due %+v, want the vip welcome at the third order", res.Due)
	}
	if _, err := Compile([]Scenario{sc}, WithSegment("", vip)); err == nil {
		t.Error("WithSegment without a name accepted")
	}
}
