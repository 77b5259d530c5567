// Package scenariotest is for testing scenarios the way net/http/httptest
// is for testing handlers: fixture files with golden results, timelines
// built in a few lines of Go, and the invariants a host relies on checked
// over a replay.
//
//	func TestScenarios(t *testing.T) {
//		scenariotest.Run(t, "testdata") // every fixture under testdata, against its golden
//	}
//
//	func TestNoDoubleSend(t *testing.T) {
//		tl := scenariotest.NewTimeline("lea", anchor).Consent("email").
//			Event(-2*time.Hour, "cart_abandoned", map[string]any{"cart": "C1", "amount": 80}).
//			Timeline()
//		r, err := eng.Replay(tl, anchor, anchor.Add(30*scenariotest.Day))
//		...
//		if err := scenariotest.NoKeyTwice(r); err != nil {
//			t.Error(err)
//		}
//	}
//
// # Fixtures
//
// A fixture is a JSON object naming the files an engine is compiled from
// and one customer (timeline) or several (customers), evaluated at one
// instant (now) or several (at):
//
//	{
//	  "about": "two hours after the cart was left, the reminder is due",
//	  "scenarios": ["../scenarios/cart.json"],
//	  "policy": "../policy.json",
//	  "anchor": "2026-03-02T10:00:00Z",
//	  "at": ["@anchor+1h", "@anchor+2h30m"],
//	  "timeline": {
//	    "profile": {"id": "c1", "consent": {"email": true}},
//	    "events": [
//	      {"id": "k1", "type": "cart_abandoned", "time": "@anchor", "props": {"cart": "C1"}},
//	      {"id": "m1", "type": "message_sent", "time": "@anchor+2h",
//	       "props": {"scenario": "cart", "run": "@run(cart,k1)", "step": "remind"}}
//	    ]
//	  }
//	}
//
// File names are relative to the fixture's directory. "scenarios" lists
// files holding one scenario or an array; "policy" a policy
// (scenario.ParsePolicy) and "segments" a segment configuration
// (segment.ParseConfig), both optional; a CLV model is passed to
// Fixture.Engine as scenario.WithCLV. Two macros keep fixtures short and
// readable, and are expanded in the text before it is decoded:
//
//   - "@anchor", "@anchor+90d", "@anchor-2h30m" (a whole JSON string) is the
//     instant "anchor" plus or minus a parcours.Duration ("d" is 24 hours).
//     A fixture written this way moves in time by changing one line.
//   - "@run(scenario,firing-key)" is scenario.RunID(scenario, firing-key),
//     so that a recorded message_sent event names its run without a
//     digest; a real host copies Action.Run instead.
//
// Decoding is strict: an unknown field, a missing "now"/"at", both
// "timeline" and "customers", or trailing data are errors, so that a typo
// does not silently test nothing.
//
// The golden file of fixture NAME.json is NAME.golden.json: an array with,
// for each customer (in fixture order) and each instant (in order), the
// customer ID, the instant and the Result as JSON, with Result.Errors
// written as their messages. Goldens are compared as JSON values, so a
// difference is reported as a cmp diff of the values, not of the text.
//
// # The -update flag
//
// Importing this package registers the boolean test flag -update: `go test
// ./... -update` rewrites every golden file (Run and Golden) from what the
// code produces now, to be reviewed with git diff. A test package that
// imports scenariotest therefore must not define its own -update flag; it
// reads this one with Update.
//
// # Choices
//
//   - Fixture discovery (Find) reads every *.json file under a directory
//     (not *.golden.json) and takes those whose top-level object has a
//     "timeline" or a "customers" field: scenario, policy and segment
//     files sit beside fixtures without being mistaken for them.
//   - LateReplay and Simulate run the same scheduler as Engine.Replay
//     (evaluate at the start, at each event, at each Result.Next; send at
//     once), shifted by a lateness; with lateness 0 they send what Replay
//     sends (tested). Simulate also shows every Result to an observer, for
//     what a Replay does not keep (deferrals).
//   - Replay checks (CapsRespected, NoKeyTwice, LateWithin) return an
//     error listing every violation rather than failing a test, so that a
//     host can also run them over a production-sized replay outside go test.
//   - This package reads files and registers a flag: it is a test helper,
//     not part of the pure library, and no library package imports it.
package scenariotest
