package segment

import (
	"time"

	"github.com/parcours-dev/parcours"
)

// Engagement is when the customer last reacted, for suppression rules
// ("no open, click or order for 180 days"). Message events count on every
// messaging channel. A "days since" of +Inf (null in JSON) and a zero time mean never.
type Engagement struct {
	LastOpen          time.Time `json:"last_open" expr:"last_open"`
	LastClick         time.Time `json:"last_click" expr:"last_click"`
	LastOrder         time.Time `json:"last_order" expr:"last_order"`
	DaysSinceOpen     float64   `json:"days_since_open" expr:"days_since_open"`
	DaysSinceClick    float64   `json:"days_since_click" expr:"days_since_click"`
	DaysSinceOrder    float64   `json:"days_since_order" expr:"days_since_order"`
	DaysSinceActivity float64   `json:"days_since_activity" expr:"days_since_activity"` // since the latest open, click or order
	Sent              int       `json:"sent" expr:"sent"`                               // messages sent, ever
	Opens             int       `json:"opens" expr:"opens"`                             // open events, ever
	Clicks            int       `json:"clicks" expr:"clicks"`                           // click events, ever
	SentSinceActivity int       `json:"sent_since_activity" expr:"sent_since_activity"` // messages sent after the latest open, click or order (all of them if none)
}

// since returns the days from t to now, or +Inf (never) for a zero t.
func since(t, now time.Time) float64 { return parcours.DaysSince(t, now) }
