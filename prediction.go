package parcours

// Prediction is what a customer-lifetime-value model says about one
// customer at a given time, for a horizon. Package clv computes it
// (clv.Model.Predict; clv.Prediction is this type); scenario expressions
// read it as clv().p_alive, clv().value... It lives here, in the shared
// model, so that scenario depends on no model implementation.
type Prediction struct {
	// PAlive is the probability that the customer is still active.
	PAlive float64 `json:"p_alive" expr:"p_alive"`
	// ExpectedPurchases is the expected number of purchase days in the
	// horizon.
	ExpectedPurchases float64 `json:"expected_purchases" expr:"expected_purchases"`
	// ExpectedOrderValue is the expected value of a future order.
	ExpectedOrderValue float64 `json:"expected_order_value" expr:"expected_order_value"`
	// Value is the predicted customer value over the horizon: margin ×
	// expected order value × discounted expected purchases.
	Value float64 `json:"value" expr:"value"`
	// HistoricValue is margin × the value of every order so far: the
	// customer's historic CLV, usable when there is too little history
	// for the model to say much.
	HistoricValue float64 `json:"historic_value" expr:"historic_value"`
	// Frequency, Recency and Age are the summary the prediction used:
	// repeat purchase days, time of the last one and time since the
	// first purchase, in the model's unit. Recency is the literature's
	// t_x, measured from the first purchase: it is not the days since
	// the last order (that is DaysSince, +Inf when never).
	Frequency int     `json:"frequency" expr:"frequency"`
	Recency   float64 `json:"recency" expr:"recency"`
	Age       float64 `json:"age" expr:"age"`
}
