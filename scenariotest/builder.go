package scenariotest

import (
	"fmt"
	"maps"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

// Day is 24 hours, the day of parcours.Duration, for offsets such as
// -90*Day.
const Day = 24 * time.Hour

// Builder builds one customer's timeline in a test, with event times
// given as offsets from an anchor instant. Its methods return the
// Builder, so that a timeline reads as one expression:
//
//	tl := scenariotest.NewTimeline("lea", anchor).Zone("Europe/Paris").Consent("email").
//		Order(-120*scenariotest.Day, 80).
//		Event(-2*time.Hour, "cart_abandoned", map[string]any{"cart": "C1"}).
//		Timeline()
//
// Events get the IDs "e1", "e2"... in the order they are added, unless
// added with Add and an ID of their own. A Builder is not safe for
// concurrent use.
type Builder struct {
	anchor time.Time
	tl     parcours.Timeline
}

// NewTimeline starts the timeline of customer id; offsets are relative
// to anchor.
func NewTimeline(id string, anchor time.Time) *Builder {
	return &Builder{anchor: anchor, tl: parcours.Timeline{Profile: parcours.Profile{ID: id}}}
}

// Zone sets the customer's IANA time zone.
func (b *Builder) Zone(name string) *Builder {
	b.tl.Profile.TimeZone = name
	return b
}

// Consent records the customer's opt-in on each channel.
func (b *Builder) Consent(channels ...parcours.Channel) *Builder {
	if b.tl.Profile.Consent == nil {
		b.tl.Profile.Consent = map[parcours.Channel]bool{}
	}
	for _, c := range channels {
		b.tl.Profile.Consent[c] = true
	}
	return b
}

// Attr sets a profile attribute.
func (b *Builder) Attr(key string, value any) *Builder {
	if b.tl.Profile.Attributes == nil {
		b.tl.Profile.Attributes = map[string]any{}
	}
	b.tl.Profile.Attributes[key] = value
	return b
}

// Add appends e as it is, giving it the next ID if it has none.
func (b *Builder) Add(e parcours.Event) *Builder {
	if e.ID == "" {
		e.ID = fmt.Sprint("e", len(b.tl.Events)+1)
	}
	b.tl.Events = append(b.tl.Events, e)
	return b
}

// Event appends an event of type typ at anchor+offset with props (may be
// nil).
func (b *Builder) Event(offset time.Duration, typ string, props map[string]any) *Builder {
	return b.Add(parcours.Event{Type: typ, Time: b.anchor.Add(offset), Props: props})
}

// Order appends an order of the given amount at anchor+offset.
func (b *Builder) Order(offset time.Duration, amount float64) *Builder {
	return b.Event(offset, parcours.Order, map[string]any{parcours.PropAmount: amount})
}

// Sent records that the host sent a at anchor+offset (a.SentEvent).
func (b *Builder) Sent(offset time.Duration, a scenario.Action) *Builder {
	e := a.SentEvent("", b.anchor.Add(offset))
	e.ID = "" // the builder numbers its events
	return b.Add(e)
}

// Opened records that the customer opened the message of a at
// anchor+offset.
func (b *Builder) Opened(offset time.Duration, a scenario.Action) *Builder {
	return b.message(offset, parcours.MessageOpened, a)
}

// Clicked records that the customer clicked in the message of a at
// anchor+offset.
func (b *Builder) Clicked(offset time.Duration, a scenario.Action) *Builder {
	return b.message(offset, parcours.MessageClicked, a)
}

func (b *Builder) message(offset time.Duration, typ string, a scenario.Action) *Builder {
	e := a.SentEvent("", b.anchor.Add(offset))
	e.ID, e.Type = "", typ // the builder numbers its events
	delete(e.Props, parcours.PropTransactional)
	return b.Add(e)
}

// Timeline returns the timeline built so far. Later calls on b do not
// change it.
func (b *Builder) Timeline() parcours.Timeline {
	tl := b.tl
	tl.Profile.Consent = maps.Clone(tl.Profile.Consent)
	tl.Profile.Attributes = maps.Clone(tl.Profile.Attributes)
	tl.Events = append([]parcours.Event(nil), b.tl.Events...)
	return tl
}
