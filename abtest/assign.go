package abtest

// holdoutSalt is appended to the experiment seed for the holdout hash, so
// that the holdout is independent of the variant bucket.
const holdoutSalt = "/holdout"

// Assignment is the outcome of [Experiment.Assign] for one customer.
//
// Three outcomes are possible:
//
//   - enrolled in a variant: InExperiment, !HeldOut, Index >= 0 and Variant
//     the variant's name;
//   - held out: InExperiment and HeldOut, Index -1 and Variant "": the
//     customer gets no treatment at all and is counted in the holdout arm;
//   - not enrolled (outside the namespace range or the coverage):
//     !InExperiment, Index 0 and Variant the control's name, as GrowthBook
//     returns variation 0 with inExperiment false. Such a customer gets
//     the default experience and must not be counted in the analysis.
type Assignment struct {
	// Variant is the assigned variant's name ("" when held out).
	Variant string `json:"variant"`
	// Index is the variant's index in Experiment.Variants, -1 when held out.
	Index int `json:"index"`
	// InExperiment reports that the customer is enrolled (in a variant or
	// in the holdout) and belongs in the analysis.
	InExperiment bool `json:"in_experiment"`
	// HeldOut reports that the customer is in the holdout.
	HeldOut bool `json:"held_out"`
	// Bucket is the customer's GrowthBook bucket in [0, 1) (the hash that
	// picks the variant), 0 when the customer is outside the namespace.
	Bucket float64 `json:"bucket"`
}

// Assign buckets one customer deterministically and statelessly: the same
// experiment and customer ID always give the same Assignment, on any
// machine. It validates the experiment first and returns its error, and
// returns [ErrEmptyCustomerID] for an empty ID.
//
// The steps, in order (all hashes are GrowthBook hashes of the customer ID
// with the experiment's hash version, seed = Seed or Key):
//
//  1. Namespace: a customer outside [Namespace.Range] (see [InNamespace])
//     is not enrolled.
//  2. Holdout: a customer whose holdout bucket Hash(seed+"/holdout", id)
//     is below Holdout is held out.
//  3. Variant: the bucket Hash(seed, id) picks the variant whose range in
//     [Experiment.Ranges] contains it; a bucket in no range (when coverage
//     is below one) is not enrolled.
//
// Step 3 is exactly GrowthBook's run() for the same key, seed, weights,
// coverage, namespace and hash version, so non-held-out customers agree
// with every GrowthBook SDK that hashes UTF-8.
//
// The holdout is decided before and independently of coverage and
// weights: a held-out customer stays held out whatever the weights or the
// coverage become, and only a change of Holdout, Key/Seed, HashVersion or
// Namespace can release them. Raising Holdout only adds customers to it.
// Holdout is a share of the namespace's customers, not of the covered ones:
// with Holdout h and Coverage c, a share h is held out and (1-h)*c is
// enrolled in variants.
//
// Weight changes move as few customers as the bucket ranges allow: a
// customer's bucket never changes, so a customer changes variant only when
// their bucket leaves their variant's range. With coverage 1 (weights
// summing to 1) the ranges tile [0, 1) at the cumulative weights C_i = w_0 + ... + w_{i-1}; moving
// from weights w to w' moves exactly the customers whose bucket lies
// between C_i and C'_i for some boundary i, a share sum_i |C'_i - C_i| of
// the enrolled customers. Shifting weight between two adjacent variants
// moves only one boundary, so only the |delta| customers that must change
// (all between those two variants) move; every other variant keeps all its
// customers. Shifting weight between distant variants also moves the
// boundaries in between. With coverage c < 1 the ranges are
// [C_i, C_i + c*w_i): a customer moves (or leaves or joins the
// experiment) iff their bucket's range membership changes. Held-out
// customers never move with weights or coverage.
func (e Experiment) Assign(customerID string) (Assignment, error) {
	if err := e.Validate(); err != nil {
		return Assignment{}, err
	}
	if customerID == "" {
		return Assignment{}, ErrEmptyCustomerID
	}
	notIn := Assignment{Variant: e.Variants[0]}
	if e.Namespace != nil && !InNamespace(customerID, *e.Namespace) {
		return notIn, nil
	}
	seed, version := e.seed(), e.hashVersion()
	n, _ := hashSalted(seed, "", customerID, version)
	notIn.Bucket = n
	if e.Holdout > 0 {
		if h, _ := hashSalted(seed, holdoutSalt, customerID, version); h < e.Holdout {
			return Assignment{Index: -1, InExperiment: true, HeldOut: true, Bucket: n}, nil
		}
	}
	i := e.chooseVariant(n)
	if i < 0 {
		return notIn, nil
	}
	return Assignment{Variant: e.Variants[i], Index: i, InExperiment: true, Bucket: n}, nil
}

// chooseVariant is ChooseVariation over Ranges without allocating.
func (e Experiment) chooseVariant(n float64) int {
	cov := clampCoverage(e.coverage())
	k := len(e.Variants)
	equal := 1 / float64(k)
	cum := 0.0
	for i := 0; i < k; i++ {
		w := equal
		if len(e.Weights) > 0 {
			w = e.Weights[i]
		}
		start := cum
		cum += w
		if InRange(n, [2]float64{start, start + cov*w}) {
			return i
		}
	}
	return -1
}
