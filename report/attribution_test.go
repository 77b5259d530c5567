package report

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

// credited is the part of a Group the fixtures check.
type credited struct {
	Scenario, Step string
	Conversions    float64
	Revenue        float64
}

func creditsOf(a Attribution) []credited {
	var out []credited
	for _, g := range a.Groups {
		if g.Conversions != 0 || g.Revenue != 0 {
			out = append(out, credited{g.Scenario, g.Step, g.Conversions, g.Revenue})
		}
	}
	return out
}

// Each case is checked by hand against the rules of the package doc,
// with the default windows: email 5 days after an open or a click, SMS 1
// day after the send or a click.
func TestAttributeHandChecked(t *testing.T) {
	to := at(30 * day)
	tests := []struct {
		name  string
		cfg   Config
		tl    parcours.Timeline
		want  []credited
		share float64
	}{{
		name: "email opened, order 2 days later: credited",
		tl: customer("a", sent("s1", "k1", "welcome", "mail", "email", 0), opened("o1", "k1", "email", 1),
			purchase("p1", 50, 2*day)),
		want: []credited{{"welcome", "mail", 1, 50}}, share: 1,
	}, {
		name: "email sent but never opened: a send alone does not credit on email",
		tl:   customer("a", sent("s1", "k1", "welcome", "mail", "email", 0), purchase("p1", 50, 1)),
	}, {
		name: "order exactly 5 days after the click: inside (half-open window)",
		tl: customer("a", sent("s1", "k1", "cart", "mail", "email", 0), clicked("c1", "k1", "email", 10),
			purchase("p1", 80, 10+5*day)),
		want: []credited{{"cart", "mail", 1, 80}}, share: 1,
	}, {
		name: "order 5 days and a minute after the last open: outside",
		tl: customer("a", sent("s1", "k1", "cart", "mail", "email", 0), opened("o1", "k1", "email", 10),
			purchase("p1", 80, 10+5*day+1.0/60)),
	}, {
		name: "a later open reopens the window",
		tl: customer("a", sent("s1", "k1", "cart", "mail", "email", 0), opened("o1", "k1", "email", 1),
			opened("o2", "k1", "email", 4*day), purchase("p1", 80, 8*day)),
		want: []credited{{"cart", "mail", 1, 80}}, share: 1,
	}, {
		name: "sms: 20 hours after the send inside, 25 hours outside",
		tl: customer("a", sent("s1", "k1", "flash", "sms", "sms", 0), purchase("p1", 30, 20),
			sent("s2", "k2", "flash", "sms2", "sms", 5*day), purchase("p2", 40, 5*day+25)),
		want: []credited{{"flash", "sms", 1, 30}}, share: 30.0 / 70,
	}, {
		name: "order at the very instant of the open: not after it",
		tl: customer("a", sent("s1", "k1", "w", "m", "email", 0), opened("o1", "k1", "email", 5),
			purchase("p0", 10, 5)),
	}, {
		name: "order after two messages, last touch: the later open wins",
		tl:   twoMessages(),
		want: []credited{{"lapsed", "second", 1, 90}}, share: 1,
	}, {
		name: "order after two messages, first touch: the earlier open wins",
		cfg:  Config{Model: FirstTouch},
		tl:   twoMessages(),
		want: []credited{{"lapsed", "first", 1, 90}}, share: 1,
	}, {
		name: "order after two messages, linear: half each",
		cfg:  Config{Model: Linear},
		tl:   twoMessages(),
		want: []credited{{"lapsed", "first", 0.5, 45}, {"lapsed", "second", 0.5, 45}}, share: 1,
	}, {
		name: "linear counts a message once however many touches it had",
		cfg:  Config{Model: Linear},
		tl: customer("a", sent("s1", "k1", "x", "a", "email", 0), opened("o1", "k1", "email", 1),
			clicked("c1", "k1", "email", 2), opened("o2", "k1", "email", 3),
			sent("s2", "k2", "y", "b", "sms", 4), purchase("p1", 99, 5)),
		want: []credited{{"x", "a", 0.5, 49.5}, {"y", "b", 0.5, 49.5}}, share: 1,
	}, {
		name: "per-channel windows: the sms is too old, the email open still counts",
		tl: customer("a", sent("s1", "k1", "mail", "m", "email", 0), opened("o1", "k1", "email", 1),
			sent("s2", "k2", "text", "t", "sms", 2*day), purchase("p1", 60, 3.5*day)),
		want: []credited{{"mail", "m", 1, 60}}, share: 1,
	}, {
		name: "custom windows: email credits 1 day after a send",
		cfg:  Config{Windows: []Window{{Channel: "email", Sent: parcours.Duration(24 * time.Hour)}}},
		tl:   customer("a", sent("s1", "k1", "w", "m", "email", 0), purchase("p1", 25, 23)),
		want: []credited{{"w", "m", 1, 25}}, share: 1,
	}, {
		name: "a click without a send is ignored",
		tl:   customer("a", clicked("c1", "ghost", "email", 0), purchase("p1", 20, 1)),
	}, {
		name: "a click before its send is ignored",
		tl: customer("a", clicked("c1", "k1", "email", 0), sent("s1", "k1", "w", "m", "email", 1),
			purchase("p1", 20, 2)),
	}, {
		name: "an invoice does not take the next order's credit",
		tl: customer("a", purchase("p1", 20, 0), tx(sent("s1", "k1", "invoice", "i", "email", 0)),
			opened("o1", "k1", "email", 1), purchase("p2", 35, 2*day)),
	}, {
		name: "unless transactional messages are allowed credit",
		cfg:  Config{Transactional: true},
		tl: customer("a", purchase("p1", 20, 0), tx(sent("s1", "k1", "invoice", "i", "email", 0)),
			opened("o1", "k1", "email", 1), purchase("p2", 35, 2*day)),
		want: []credited{{"invoice", "i", 1, 35}}, share: 35.0 / 55,
	}, {
		name: "two orders in one window are two conversions",
		tl: customer("a", sent("s1", "k1", "w", "m", "email", 0), opened("o1", "k1", "email", 1),
			purchase("p1", 10, 2), purchase("p2", 15, 3)),
		want: []credited{{"w", "m", 2, 25}}, share: 1,
	}, {
		name: "a message without a scenario competes but is not a journey's revenue",
		tl: customer("a", sent("s1", "k1", "w", "m", "email", 0), opened("o1", "k1", "email", 1),
			sent("s2", "news", "", "", "email", 2), opened("o2", "news", "email", 3), purchase("p1", 40, 4)),
		want: []credited{{"", "", 1, 40}},
	}, {
		name: "orders outside the period count nowhere",
		tl: customer("a", sent("s1", "k1", "w", "m", "email", 0), opened("o1", "k1", "email", 1),
			purchase("late", 500, 31*day)),
	}, {
		name: "the same message recorded twice is one message",
		cfg:  Config{Model: Linear},
		tl: customer("a", sent("s1", "k1", "w", "m", "email", 0), sent("s1b", "k1", "w", "m", "email", 0.5),
			opened("o1", "k1", "email", 1), purchase("p1", 40, 4)),
		want: []credited{{"w", "m", 1, 40}}, share: 1,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Attribute(seq(tt.tl), time.Time{}, to, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, creditsOf(got)); d != "" {
				t.Errorf("credits (-want +got):\n%s", d)
			}
			if got.Share != tt.share {
				t.Errorf("share = %v, want %v", got.Share, tt.share)
			}
		})
	}
}

// twoMessages: email "first" opened on day 0, email "second" opened on
// day 1, an order of 90 on day 2: both within 5 days.
func twoMessages() parcours.Timeline {
	return customer("a",
		sent("s1", "k1", "lapsed", "first", "email", 0), opened("o1", "k1", "email", 1),
		sent("s2", "k2", "lapsed", "second", "email", day), opened("o2", "k2", "email", day+1),
		purchase("p1", 90, 2*day))
}

func TestAttributeCounts(t *testing.T) {
	tls := []parcours.Timeline{
		customer("a",
			variant(sent("s1", "k1", "lapsed", "mail", "email", 0), "promo"),
			opened("o1", "k1", "email", 1), opened("o1b", "k1", "email", 2), // one message opened twice: 1 open
			clicked("c1", "k1", "email", 3),
			unsub("u1", "k1", "email", 4), // names its message
			variant(sent("s2", "k2", "lapsed", "mail", "email", 10*day), "promo"),
			unsub("u2", "", "email", 10*day+5), // names none: the latest email within a day
			purchase("p1", 100, 1.5*day)),
		customer("b",
			variant(sent("s1", "k1", "lapsed", "mail", "email", 0), "reminder"),
			unsub("u1", "", "", 2*day), // more than a day after the send: counted in the total only
			clicked("c9", "nope", "email", 1)),
		customer("c",
			variant(sent("s1", "k1", "lapsed", "mail", "email", 0), "promo"),
			sent("s2", "k2", "lapsed", "mail", "sms", 0), // no variant, other channel: another group
			unsub("u1", "", "sms", 3)),
	}
	got, err := Attribute(seq(tls...), time.Time{}, at(30*day), Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := Attribution{
		To: at(30 * day), Model: LastTouch, Windows: DefaultWindows(),
		Customers: 3, Orders: 1, Revenue: 100,
		AttributedOrders: 1, AttributedRevenue: 100, ScenarioRevenue: 100, Share: 1,
		Unsubscribes: 4, Unmatched: 1,
		Scenarios: []Group{{Scenario: "lapsed", Recipients: 3, Sends: 5, Opens: 1, Clicks: 1, Unsubscribes: 3,
			Conversions: 1, Revenue: 100, RevenuePerRecipient: 100.0 / 3}},
		Groups: []Group{
			{Scenario: "lapsed", Step: "mail", Channel: "sms", Recipients: 1, Sends: 1, Unsubscribes: 1},
			{Scenario: "lapsed", Step: "mail", Variant: "promo", Channel: "email", Recipients: 2, Sends: 3, Opens: 1,
				Clicks: 1, Unsubscribes: 2, Conversions: 1, Revenue: 100, RevenuePerRecipient: 50},
			{Scenario: "lapsed", Step: "mail", Variant: "reminder", Channel: "email", Recipients: 1, Sends: 1},
		},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestAttributePeriod(t *testing.T) {
	// A message before the period can credit an order inside it, but its
	// send is counted only in its own period.
	tl := customer("a", sent("s1", "k1", "w", "m", "email", 0), opened("o1", "k1", "email", 1),
		purchase("p0", 7, 2), purchase("p1", 10, 2*day))
	got, err := Attribute(seq(tl), at(day), at(3*day), Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Group{{Scenario: "w", Step: "m", Channel: "email", Conversions: 1, Revenue: 10}}
	if d := cmp.Diff(want, got.Groups); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if got.Orders != 1 || got.Revenue != 10 {
		t.Errorf("orders %d revenue %v, want 1 and 10", got.Orders, got.Revenue)
	}
}

func TestAttributeErrors(t *testing.T) {
	bad := purchase("p1", 0, 1)
	bad.Props[parcours.PropAmount] = "lots"
	to := at(day)
	for _, tt := range []struct {
		name     string
		tl       parcours.Timeline
		from, to time.Time
		cfg      Config
		is       error
	}{
		{"bad amount", customer("x", bad), time.Time{}, to, Config{}, ErrEvent},
		{"bad model", customer("x"), time.Time{}, to, Config{Model: "last"}, ErrConfig},
		{"negative window", customer("x"), time.Time{}, to, Config{Windows: []Window{{Channel: "sms", Sent: -1}}}, ErrConfig},
		{"channel twice", customer("x"), time.Time{}, to, Config{Windows: []Window{{Channel: "sms"}, {Channel: "sms"}}}, ErrConfig},
		{"empty period", customer("x"), to, to, Config{}, ErrConfig},
		{"no end", customer("x"), time.Time{}, time.Time{}, Config{}, ErrConfig},
		{"overflow", customer("x", purchase("p1", 1e300, 1)), time.Time{}, to, Config{}, ErrInput},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Attribute(seq(tt.tl), tt.from, tt.to, tt.cfg)
			if !errors.Is(err, tt.is) {
				t.Fatalf("err = %v, want %v", err, tt.is)
			}
		})
	}
}
