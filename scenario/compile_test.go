package scenario

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parcours-dev/parcours"
)

func valid() Scenario {
	return Scenario{
		ID: "s", Version: 2,
		Trigger: Trigger{On: []string{parcours.Signup}},
		Steps: []Step{
			{ID: "a", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "t"}},
			{ID: "w", Wait: &Wait{For: parcours.Duration(3600e9)}},
			{ID: "b", Send: &Send{Channels: []parcours.Channel{parcours.Email}, Template: "t2"}},
		},
	}
}

// errInfo is what a marketer needs from a load error.
type errInfo struct {
	Scenario     string
	Field        string
	Line, Column int
	Contains     string
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Scenario)
		want   errInfo
	}{
		{"syntax error", func(s *Scenario) { s.Targeting = `profile.attributes.x == ` },
			errInfo{"s", "targeting", 1, 24, "unexpected token EOF"}},
		{"unknown variable", func(s *Scenario) { s.Trigger.If = `evnt.type == "x"` },
			errInfo{"s", "trigger.if", 1, 1, "unknown name evnt"}},
		{"unknown field of event", func(s *Scenario) { s.Exit = []string{`true`, `event.amount > 3`} },
			errInfo{"s", "exit[1]", 1, 7, "amount"}},
		{"non-bool predicate", func(s *Scenario) { s.Targeting = `profile.id` },
			errInfo{"s", "targeting", 0, 0, "expected bool"}},
		{"non-bool branch", func(s *Scenario) {
			s.Steps[1] = Step{ID: "w", Branch: &Branch{If: `countEvents("order", 30)`, Then: "b"}}
		}, errInfo{"s", "steps[1].branch.if", 0, 0, "expected bool"}},
		{"var on second line", func(s *Scenario) {
			s.Steps[0].Send.Vars = map[string]string{"x": "1 +\n  nope"}
		}, errInfo{"s", "steps[0].send.vars.x", 2, 3, "unknown name nope"}},
		{"disabled builtin now", func(s *Scenario) { s.Targeting = `now() > event.time` },
			errInfo{"s", "targeting", 1, 1, "now"}},
		{"disabled builtin repeat", func(s *Scenario) {
			s.Steps[0].Send.Vars = map[string]string{"x": `repeat("a", 1000000000)`}
		}, errInfo{"s", "steps[0].send.vars.x", 1, 1, "repeat"}},
		{"template expression of the wrong type", func(s *Scenario) {
			s.Steps[0].Send.Template, s.Steps[0].Send.TemplateExpr = "", `countEvents("order", 0)`
		}, errInfo{"s", "steps[0].send.template_expr", 0, 0, "not a template ID"}},
		{"template and template expression", func(s *Scenario) { s.Steps[0].Send.TemplateExpr = `"x"` },
			errInfo{"s", "steps[0].send.template_expr", 0, 0, "not both"}},
		{"template expression that does not compile", func(s *Scenario) {
			s.Steps[0].Send.Template, s.Steps[0].Send.TemplateExpr = "", `"w-" + nope`
		}, errInfo{"s", "steps[0].send.template_expr", 1, 8, "unknown name nope"}},
		{"do step without kind", func(s *Scenario) { s.Steps[0] = Step{ID: "a", Do: &Do{Params: map[string]string{"points": "500"}}} },
			errInfo{"s", "steps[0].do.kind", 0, 0, "missing"}},
		{"do step param that does not compile", func(s *Scenario) {
			s.Steps[0] = Step{ID: "a", Do: &Do{Kind: "tag", Params: map[string]string{"tag": "vip +"}}}
		}, errInfo{"s", "steps[0].do.params.tag", 1, 5, "unexpected"}},
		{"lastOf needs a list", func(s *Scenario) { s.Targeting = `lastOf("order").type == "order"` },
			errInfo{"s", "targeting", 1, 8, "lastOf"}},
		{"unknown step", func(s *Scenario) { s.Steps[0].Next = "zz" },
			errInfo{"s", "steps[0].next", 0, 0, `unknown step "zz"`}},
		{"unknown branch target", func(s *Scenario) {
			s.Steps[1] = Step{ID: "w", Branch: &Branch{If: "true", Then: "a", Else: "nowhere"}}
		}, errInfo{"s", "steps[1].branch.else", 0, 0, `unknown step "nowhere"`}},
		{"loop without wait", func(s *Scenario) {
			s.Steps[1] = Step{ID: "w", Branch: &Branch{If: "true", Then: "a"}}
		}, errInfo{"s", "steps[0]", 0, 0, "loop with no wait: a -> w -> a"}},
		{"duplicate step", func(s *Scenario) { s.Steps[2].ID = "a" },
			errInfo{"s", "steps[2].id", 0, 0, "duplicate"}},
		{"no trigger", func(s *Scenario) { s.Trigger = Trigger{} },
			errInfo{"s", "trigger", 0, 0, "missing"}},
		{"two step kinds", func(s *Scenario) { s.Steps[0].Exit = true },
			errInfo{"s", "steps[0]", 0, 0, "exactly one"}},
		{"until without timeout", func(s *Scenario) { s.Steps[1].Wait = &Wait{Until: "true"} },
			errInfo{"s", "steps[1].wait.timeout", 0, 0, "required"}},
		{"no channel", func(s *Scenario) { s.Steps[0].Send.Channels = nil },
			errInfo{"s", "steps[0].send.channels", 0, 0, "at least one"}},
		{"bad reentry", func(s *Scenario) { s.Reentry = Reentry{Mode: "twice"} },
			errInfo{"s", "reentry.mode", 0, 0, "unknown mode"}},
		{"once_per without period", func(s *Scenario) { s.Reentry = Reentry{Mode: OncePer} },
			errInfo{"s", "reentry.period", 0, 0, "positive"}},
		{"too many nodes", func(s *Scenario) { s.Targeting = strings.Repeat("1 + ", 600) + "1 > 0" },
			errInfo{"s", "targeting", 1, 1003, "exceeds maximum allowed nodes"}},
		{"no steps", func(s *Scenario) { s.Steps = nil },
			errInfo{"s", "steps", 0, 0, "at least one step"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := valid()
			tc.modify(&s)
			_, err := Compile([]Scenario{s})
			if err == nil {
				t.Fatal("Compile succeeded, want an error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a *Error", err)
			}
			got := errInfo{e.Scenario, e.Field, e.Line, e.Column, tc.want.Contains}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("error %q (-want +got):\n%s", err, diff)
			}
			if !strings.Contains(err.Error(), tc.want.Contains) {
				t.Errorf("error %q does not mention %q", err, tc.want.Contains)
			}
			if !strings.Contains(err.Error(), `scenario "s" v2`) {
				t.Errorf("error %q does not name the scenario", err)
			}
		})
	}
}

func TestCompileValid(t *testing.T) {
	if _, err := Compile([]Scenario{valid()}); err != nil {
		t.Fatal(err)
	}
	// A loop is fine when it waits.
	s := valid()
	s.Steps = append(s.Steps, Step{ID: "again", Branch: &Branch{If: `!hasEvent("order")`, Then: "w"}})
	if _, err := Compile([]Scenario{s}); err != nil {
		t.Fatal(err)
	}
}

func TestCompileReportsEveryProblem(t *testing.T) {
	s := valid()
	s.Targeting = "1"
	s.Steps[0].Send.Template = ""
	other := valid()
	other.ID = "s" // duplicate
	_, err := Compile([]Scenario{s, other})
	var fields []string
	for _, se := range Errors(err) {
		fields = append(fields, se.Field)
	}
	want := []string{"targeting", "steps[0].send.template", "id"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

func TestParseStrict(t *testing.T) {
	tests := []struct {
		name, in, contains string
	}{
		{"unknown field", `{"id":"x","stepz":[]}`, `unknown field "stepz"`},
		{"trailing data", `{"id":"x"} {}`, "data after the JSON value"},
		{"wrong type", `{"id":"x","version":"two"}`, "version"},
		{"bad duration", `{"id":"x","max_lateness":"3 days"}`, "invalid duration"},
		{"syntax", `{"id":`, "unexpected end of JSON input"},
		{"unknown nested field", `{"id":"x","steps":[{"id":"a","send":{"channel":["email"]}}]}`, `unknown field "channel"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.in))
			var pe *parcours.DecodeError
			if !errors.As(err, &pe) || !errors.Is(err, parcours.ErrInvalid) {
				t.Fatalf("Parse(%s) error = %v, want *parcours.DecodeError", tc.in, err)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("error %q does not contain %q", err, tc.contains)
			}
		})
	}
}
