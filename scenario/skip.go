package scenario

// SkipCode says why an action was skipped or deferred (Skipped.Code,
// Deferred.Code). Every code is declared here.
//
// Two different things keep a customer from a message on purpose, and
// their names say which: the global control group of Policy.ControlGroup
// ("control_group", no marketing at all, to measure the whole programme)
// and the holdout of one scenario's experiment (Scenario.Experiment:
// "experiment_holdout", and the run's variant is HoldoutVariant).
type SkipCode string

// Reasons the scenario itself gives.
const (
	SkipLate        SkipCode = "late"        // due longer ago than MaxLateness
	SkipUnreachable SkipCode = "unreachable" // no channel with consent and reachable
	// SkipExpired: the step was pending (due, not recorded done) for
	// longer than the scenario's Horizon, so its run is let go.
	SkipExpired SkipCode = "expired"
	// SkipExperimentHoldout: the customer is in the holdout of the
	// scenario's experiment (Scenario.Experiment); the run's variant is
	// HoldoutVariant.
	SkipExperimentHoldout SkipCode = "experiment_holdout"
)

// Reasons a policy (WithPolicy) holds an action back.
const (
	// SkipControlGroup: the customer is in the global control group
	// (Policy.ControlGroup), held out of all marketing.
	SkipControlGroup SkipCode = "control_group"
	SkipSuppressed   SkipCode = "suppressed"  // disengaged customer
	SkipQuietHours   SkipCode = "quiet_hours" // deferred to the end of quiet hours
	SkipPriority     SkipCode = "priority"    // another scenario went first
	SkipCap          SkipCode = "cap"         // frequency cap reached
)

// SkipHoldout is the global control group's code under its old name.
//
// Deprecated: use SkipControlGroup. Its value changed from "holdout" to
// "control_group", so that it is not mistaken for an experiment's
// holdout (SkipExperimentHoldout).
const SkipHoldout = SkipControlGroup
