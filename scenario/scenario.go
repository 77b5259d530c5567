package scenario

import (
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/abtest"
	"github.com/parcours-dev/parcours/trigger"
)

// Scenario is one automated journey, as data. Build it as a Go literal or
// load it from JSON with [Parse]; compile it with [Compile].
//
// Every string field documented as an expression is written in expr
// (https://expr-lang.org) against [Env].
type Scenario struct {
	// ID identifies the scenario; runs, keys and message events refer to it.
	ID string `json:"id"`

	// Version is the scenario's revision. It travels with each action
	// for the host's records; changing it does not restart runs.
	Version int `json:"version"`

	// Name is for people.
	Name string `json:"name,omitempty"`

	// Priority orders scenarios that compete for the same customer:
	// higher wins (see Policy).
	Priority int `json:"priority,omitempty"`

	// Transactional marks messages that are not marketing (invoice,
	// order confirmation): they need no marketing consent and policies
	// neither block nor count them unless told to.
	Transactional bool `json:"transactional,omitempty"`

	// Targeting decides who may enter: a bool expression evaluated when
	// the trigger fires, on the timeline as it stood then. Empty means
	// everyone.
	Targeting string `json:"targeting,omitempty"`

	// Trigger says what starts a run.
	Trigger Trigger `json:"trigger"`

	// Steps run in order from the first, unless a step names another.
	Steps []Step `json:"steps"`

	// Exit lists bool expressions evaluated on every event after a run
	// started (the event is `event`): the first that holds ends the run.
	Exit []string `json:"exit,omitempty"`

	// Reentry says whether a customer may run the scenario again.
	Reentry Reentry `json:"reentry,omitzero"`

	// MaxLateness is how late a send may still go out. A send whose due
	// time is older than now minus MaxLateness is reported skipped
	// (SkipLate) instead of due. Zero means no limit.
	MaxLateness parcours.Duration `json:"max_lateness,omitempty"`

	// Experiment, when set, A/B tests the scenario: each customer is
	// assigned a variant (package abtest, GrowthBook-compatible). A send
	// step's Variants replace its content for a variant; branches can test
	// run.variant to take different steps. Held-out customers get no
	// message: their actions are reported skipped (SkipExperimentHoldout) with the
	// variant "holdout", so the host can count them.
	Experiment *abtest.Experiment `json:"experiment,omitempty"`

	// Horizon is how long a step may stay pending (due, held back by a
	// policy or an unreachable channel, and never recorded done) before
	// its run is let go, reported in Result.Skipped as SkipExpired. Zero
	// means no limit. A run itself has no age limit: it goes on for as
	// long as its steps say, a 14-day loop for months. Set Horizon (or
	// MaxLateness) when adopting parcours on a base with history, so the
	// sends old firings would have made are not due now.
	Horizon parcours.Duration `json:"horizon,omitempty"`
}

// ReportLetGo is how long a run that was let go (a step skipped late,
// expired past the Horizon, or dropped by a policy) keeps being reported
// in Result.Skipped after the instant it was let go, so a host that
// evaluates each customer at least that often sees every run let go;
// after that it is no longer reported, so a long history does not repeat
// ancient runs at every evaluation. Such a step was reported skipped or
// due before (a run is only let go from a step already reported).
const ReportLetGo = 30 * 24 * time.Hour

// Trigger says what starts a run. Set exactly one of On, When, and one
// of the catalogue triggers of package trigger (embedded: in JSON its
// fields sit beside the others, as in {"inactivity": {...}, "if": "..."}).
type Trigger struct {
	// On lists event types; each such event starts a run at its time.
	On []string `json:"on,omitempty"`

	// If is a bool expression on the triggering event (`event`) that
	// must hold for it to start a run. Optional, with On or a catalogue
	// trigger (where `event` is the firing's event, zero for a
	// time-based firing).
	If string `json:"if,omitempty"`

	// When is a bool expression checked on the timeline at successive
	// instants, such as `daysSince("order") > 90`: a run starts at the
	// first instant it holds, and the trigger re-arms once it stops
	// holding. It is trigger.When over the expression: see there how the
	// instant is found.
	When string `json:"when,omitempty"`

	// Spec is a catalogue trigger: event (with cart matching), delay,
	// anniversary, inactivity, repurchase, depletion, threshold.
	trigger.Spec
}

// Step is one node of a scenario. Set exactly one of Send, Do, Wait,
// Branch and Exit.
type Step struct {
	// ID names the step; unique within the scenario.
	ID string `json:"id"`

	Send   *Send   `json:"send,omitempty"`   // send a message
	Do     *Do     `json:"do,omitempty"`     // ask the host to do something else
	Wait   *Wait   `json:"wait,omitempty"`   // hold the run
	Branch *Branch `json:"branch,omitempty"` // choose the next step

	// Exit ends the run.
	Exit bool `json:"exit,omitempty"`

	// Next names the step after a Send, a Do or a Wait. Empty means the
	// following step in Steps; after the last step the run is complete.
	Next string `json:"next,omitempty"`
}

// Send asks the host to send one message.
type Send struct {
	// Channels in fallback order: the first one the customer can be
	// reached on is used.
	Channels []parcours.Channel `json:"channels"`

	// Template is the host's template ID. Set it, or TemplateExpr.
	Template string `json:"template,omitempty"`

	// TemplateExpr chooses the template by data: an expression giving
	// the template ID, evaluated when the action is due like Vars, such
	// as `"welcome-" + (profile.attributes.species ?? "pet")`. It is
	// compiled at load; one that cannot give a string is refused there,
	// and one that gives an empty or non-string value at evaluation is
	// reported in Result.Errors for the run.
	TemplateExpr string `json:"template_expr,omitempty"`

	// Vars are personalization variables: name -> expression, evaluated
	// when the action is due.
	Vars map[string]string `json:"vars,omitempty"`

	// Variants replace this send for customers assigned the named
	// variant of the scenario's Experiment (a plain reminder instead of a
	// promo code, say). Variants not listed get this send as it is.
	Variants map[string]*Send `json:"variants,omitempty"`
}

// Do asks the host to carry out an action that is not a message: credit
// 500 loyalty points on the birthday, create a single-use promo code, tag
// the customer, call a webhook. It comes back in Result.Due as an Action
// with Kind set and its own Key; it is done when the host records it
// (Action.SentEvent gives an action_done event), like a send. It needs no
// channel or consent, and the Policy does not apply to it unless Policy
// is set. MaxLateness, Horizon, Exit and the experiment's holdout apply
// as to a send.
type Do struct {
	// Kind is the host's name for the action: "credit_points",
	// "promo_code", "tag", "webhook"...
	Kind string `json:"kind"`

	// Params are the action's parameters: name -> expression, evaluated
	// when the action is due, like Send.Vars ({"points": "500"}).
	Params map[string]string `json:"params,omitempty"`

	// Policy subjects the action to the Policy as a marketing message
	// without a channel: control group, suppression, quiet hours (those
	// for every channel), priority, and caps that count every channel.
	Policy bool `json:"policy,omitempty"`
}

// Wait holds the run. Set For, or Until with Timeout, or Local.
type Wait struct {
	// Local waits until the next local moment on the customer's clock:
	// {"weekday": "tuesday", "time": "10:00"} is the next Tuesday at
	// 10:00, {"time": "09:00"} the next 09:00 (the next morning when the
	// run arrives in the evening), always strictly after the run arrived,
	// and right across daylight-saving changes (trigger.Moment).
	Local *trigger.Moment `json:"local,omitempty"`

	// For is a fixed delay after the previous step was done.
	For parcours.Duration `json:"for,omitempty"`

	// Until is a bool expression evaluated on each event after the wait
	// started (`event`): the run goes on to Next at the first that holds.
	Until string `json:"until,omitempty"`

	// Timeout bounds an Until wait; required with Until.
	Timeout parcours.Duration `json:"timeout,omitempty"`

	// OnTimeout names the step taken when the timeout passes first.
	// Empty means the same step as Next.
	OnTimeout string `json:"on_timeout,omitempty"`
}

// Branch chooses the next step.
type Branch struct {
	// If is a bool expression evaluated when the run reaches the branch.
	If string `json:"if"`

	// Then is the step taken when If holds.
	Then string `json:"then"`

	// Else is the step taken otherwise; empty means the following step.
	Else string `json:"else,omitempty"`
}

// Reentry says whether a customer who already entered may enter again.
// The zero value is Every.
type Reentry struct {
	Mode ReentryMode `json:"mode,omitempty"`

	// Period is the minimum time between two runs' starts, with OncePer.
	Period parcours.Duration `json:"period,omitempty"`
}

// ReentryMode is one of Every, Once and OncePer.
type ReentryMode string

const (
	// Every trigger starts its own run, even while another is going.
	Every ReentryMode = ""
	// Once lets a customer enter the scenario once ever.
	Once ReentryMode = "once"
	// OncePer lets a customer enter at most once per Reentry.Period.
	OncePer ReentryMode = "once_per"
)
