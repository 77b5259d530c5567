package scenario_test

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

// jsonLogger writes records without their time, so output is stable.
func jsonLogger(w *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
}

func TestLogValue(t *testing.T) {
	due := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	a := scenario.Action{CustomerID: "c1", Scenario: "welcome", Version: 2, Run: "r1", Step: "mail",
		Channel: parcours.Email, Template: "welcome-1", Vars: map[string]any{"first_name": "Léa"},
		Key: "k1", DueAt: due, Transactional: true}
	res := scenario.Result{
		Due:      []scenario.Action{a},
		Deferred: []scenario.Deferred{{Action: a, Code: scenario.SkipQuietHours, Until: due.Add(time.Hour), Detail: "quiet"}},
		Skipped:  []scenario.Skipped{{Action: a, Code: scenario.SkipControlGroup, Detail: "control group"}},
		Errors:   []error{errors.New("boom")},
		Next:     due.Add(time.Hour),
	}
	act := `{"customer":"c1","scenario":"welcome","version":2,"run":"r1","step":"mail","channel":"email","template":"welcome-1","key":"k1","due_at":"2026-03-02T09:00:00Z","transactional":true}`
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"action", a, act},
		{"skipped", res.Skipped[0], `{"code":"control_group","detail":"control group","action":` + act + `}`},
		{"deferred", res.Deferred[0], `{"code":"quiet_hours","until":"2026-03-02T10:00:00Z","detail":"quiet","action":` + act + `}`},
		{"result", res, `{"due":1,"deferred":1,"skipped":1,"errors":["boom"],"next":"2026-03-02T10:00:00Z"}`},
		{"empty result", scenario.Result{}, `{"due":0,"deferred":0,"skipped":0}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			jsonLogger(&b).Info("m", "v", tc.v)
			want := `{"level":"INFO","msg":"m","v":` + tc.want + "}\n"
			if d := cmp.Diff(want, b.String()); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			if strings.Contains(b.String(), "Léa") {
				t.Errorf("Vars were logged: %s", b.String())
			}
		})
	}
}

func ExampleResult_LogValue() {
	due := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	res := scenario.Result{
		Due:  []scenario.Action{{CustomerID: "c1", Scenario: "welcome", Version: 1, Run: "r1", Step: "mail", Channel: parcours.Email, Template: "welcome-1", Key: "k1", DueAt: due}},
		Next: due.Add(72 * time.Hour),
	}
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{} // stable output for the example
		}
		return a
	}}))
	logger.Info("evaluated", "result", res)
	for _, a := range res.Due {
		logger.Info("send", "action", a)
	}
	// Output:
	// level=INFO msg=evaluated result.due=1 result.deferred=0 result.skipped=0 result.next=2026-03-05T09:00:00.000Z
	// level=INFO msg=send action.customer=c1 action.scenario=welcome action.version=1 action.run=r1 action.step=mail action.channel=email action.template=welcome-1 action.key=k1 action.due_at=2026-03-02T09:00:00.000Z
}
