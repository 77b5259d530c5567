package abtest

import "github.com/parcours-dev/parcours/internal/jsonx"

// Experiment is the serialisable assignment configuration of one A/B test.
// Its zero value is invalid (it has no key and no variants); see
// [Experiment.Validate] for the rules.
type Experiment struct {
	// Key identifies the experiment; with the customer ID it is the hash
	// input (as the seed, unless Seed is set).
	Key string `json:"key"`
	// Variants names the arms; index 0 is the control. At least one is
	// required: a single variant with a Holdout measures a scenario against
	// doing nothing. Names must be non-empty and distinct.
	Variants []string `json:"variants"`
	// Weights are the variants' traffic shares, one per variant, each >= 0,
	// summing to 1 within 0.01 (GrowthBook's tolerance; as in GrowthBook,
	// buckets beyond a sum below 1 enrol nobody). Empty means equal
	// weights.
	Weights []float64 `json:"weights,omitempty"`
	// Coverage is the share of non-held-out customers enrolled in a
	// variant, in [0, 1]; nil means 1.
	Coverage *float64 `json:"coverage,omitempty"`
	// Holdout is the share, in [0, 1), of the namespace's customers that
	// receive no treatment at all and are reported as held out. It is
	// decided by its own hash, before coverage and weights.
	Holdout float64 `json:"holdout,omitempty"`
	// Namespace, when set, restricts the experiment to a range of a
	// namespace shared with mutually exclusive experiments.
	Namespace *Namespace `json:"namespace,omitempty"`
	// HashVersion is the GrowthBook hash version, 1 or 2; 0 means 2.
	// (GrowthBook SDKs default to 1 when the field is absent: set 1
	// explicitly to reproduce such an experiment.)
	HashVersion int `json:"hash_version,omitempty"`
	// Seed is the hash seed; empty means Key, as in GrowthBook.
	Seed string `json:"seed,omitempty"`
}

// ParseExperiment decodes one Experiment from strict JSON and validates
// it. Unknown fields, values of the wrong type, bad syntax and trailing
// data are each a *parcours.DecodeError (field path, line, column; all of
// them, joined) inside a [*ConfigError]; every error wraps
// [ErrInvalidExperiment] and parcours.ErrInvalid, and the Experiment is
// zero with any error.
func ParseExperiment(data []byte) (Experiment, error) {
	var e Experiment
	if err := jsonx.Decode(data, &e); err != nil {
		return Experiment{}, &ConfigError{Reason: "malformed JSON", Err: err}
	}
	if err := e.Validate(); err != nil {
		return Experiment{}, err
	}
	return e, nil
}

// Validate checks the configuration and returns a [*ConfigError] wrapping
// [ErrInvalidExperiment] for the first problem found. Unlike GrowthBook,
// which silently repairs bad weights or coverage, Validate rejects them.
func (e Experiment) Validate() error {
	bad := func(field, reason string) error { return &ConfigError{Field: field, Reason: reason} }
	if e.Key == "" {
		return bad("key", "must not be empty")
	}
	if len(e.Variants) == 0 {
		return bad("variants", "at least one variant is required")
	}
	for i, v := range e.Variants {
		if v == "" {
			return bad("variants", "variant names must not be empty")
		}
		for _, w := range e.Variants[:i] {
			if w == v {
				return bad("variants", "duplicate variant name "+v)
			}
		}
	}
	if len(e.Weights) > 0 {
		if len(e.Weights) != len(e.Variants) {
			return bad("weights", "need one weight per variant")
		}
		sum := 0.0
		for _, w := range e.Weights {
			if !isFinite(w) || w < 0 {
				return bad("weights", "weights must be finite and >= 0")
			}
			sum += w
		}
		if sum < 0.99 || sum > 1.01 {
			return bad("weights", "weights must sum to 1 (within [0.99, 1.01])")
		}
	}
	if e.Coverage != nil && !(*e.Coverage >= 0 && *e.Coverage <= 1) {
		return bad("coverage", "must be in [0, 1]")
	}
	if !(e.Holdout >= 0 && e.Holdout < 1) {
		return bad("holdout", "must be in [0, 1)")
	}
	if ns := e.Namespace; ns != nil {
		if ns.ID == "" {
			return bad("namespace", "id must not be empty")
		}
		if !(ns.Range[0] >= 0 && ns.Range[0] <= ns.Range[1] && ns.Range[1] <= 1) {
			return bad("namespace", "range must satisfy 0 <= start <= end <= 1")
		}
	}
	if e.HashVersion < 0 || e.HashVersion > 2 {
		return bad("hash_version", "must be 1 or 2 (0 means 2)")
	}
	return nil
}

// seed returns the hash seed (Seed, else Key).
func (e Experiment) seed() string {
	if e.Seed != "" {
		return e.Seed
	}
	return e.Key
}

// hashVersion returns the effective hash version.
func (e Experiment) hashVersion() int {
	if e.HashVersion == 0 {
		return 2
	}
	return e.HashVersion
}

// coverage returns the effective coverage.
func (e Experiment) coverage() float64 {
	if e.Coverage == nil {
		return 1
	}
	return *e.Coverage
}

// Ranges returns the variants' bucket ranges as [BucketRanges] computes them
// from Weights (or equal weights) and Coverage. A customer whose bucket
// (see [Assignment]) falls in range i gets variant i.
func (e Experiment) Ranges() [][2]float64 {
	w := e.Weights
	if len(w) == 0 {
		w = EqualWeights(len(e.Variants))
	}
	return BucketRanges(len(e.Variants), e.coverage(), w)
}

// ExpectedShares returns the expected share of each arm among enrolled
// customers (Assignment.InExperiment): one entry per variant,
// (1-Holdout)*Coverage*w_i, followed by the holdout's share Holdout, all
// normalised to sum to 1. Pass it with the observed counts per arm (in the
// same order, holdout last) to [SRM]. The namespace does not appear: it
// removes customers independently of the arm.
//
// An experiment that fails [Experiment.Validate] has no expected shares:
// the result is then nil (which [SRM] refuses), never NaN.
func (e Experiment) ExpectedShares() []float64 {
	if e.Validate() != nil {
		return nil
	}
	w := e.Weights
	if len(w) == 0 {
		w = EqualWeights(len(e.Variants))
	}
	cov := clampCoverage(e.coverage())
	shares := make([]float64, len(w)+1)
	total := e.Holdout
	for i, x := range w {
		shares[i] = (1 - e.Holdout) * cov * x
		total += shares[i]
	}
	shares[len(w)] = e.Holdout
	if total > 0 {
		for i := range shares {
			shares[i] /= total
		}
	}
	return shares
}
