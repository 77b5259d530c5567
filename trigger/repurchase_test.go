package trigger

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

// cdnow loads the orders of one customer of the CDNOW data set (real
// purchase dates of a CD retailer, 1997-1998) as a UTC timeline.
func cdnow(t testing.TB, customer string) parcours.Timeline {
	t.Helper()
	f, err := os.Open("../testdata/cdnow/CDNOW_master.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tl := timeline("UTC")
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 4 || fs[0] != customer {
			continue
		}
		at, err := time.Parse("20060102", fs[1])
		if err != nil {
			t.Fatal(err)
		}
		n++
		tl.Events = append(tl.Events, parcours.Event{ID: fs[1] + "-" + string(rune('a'+n)), Type: parcours.Order, Time: at,
			Props: map[string]any{"amount": fs[3]}})
	}
	if err := sc.Err(); err != nil || len(tl.Events) == 0 {
		t.Fatalf("customer %s: %d orders, %v", customer, len(tl.Events), err)
	}
	return tl
}

// The expected instants are worked out by hand from the CDNOW purchase
// dates of customers 00005 and 00008 (see the comments), not by the code.
func TestRepurchaseCDNOW(t *testing.T) {
	tests := []struct {
		name     string
		customer string
		spec     RepurchaseSpec
		now      string
		want     []fired
		wantNext string
	}{
		{
			// Customer 5 ordered on 1997-01-01, 01-14, 02-04, 04-11,
			// 05-31, 06-16, 07-22, 09-15, 12-08, 12-12, 1998-01-03.
			// Gaps 13 21 66 50 16 36 55 84 4 22 days. From the third
			// order: median after 02-04 {13,21} = 17d -> 02-21, next
			// order later: fires; after 04-11 median 21 -> 05-02 fires;
			// after 05-31 median 35.5 -> 07-05, but 06-16 came first;
			// after 06-16 21 -> 07-07 fires; after 07-22 28.5 ->
			// 08-19 12:00 fires; after 09-15 36 -> 10-21 fires; after
			// 12-08 43 and after 12-12 36: next orders came in time;
			// after 1998-01-03 median 29 -> 1998-02-01.
			name:     "customer 5, median",
			customer: "00005",
			spec:     RepurchaseSpec{},
			now:      "1998-06-30T00:00:00Z",
			want: []fired{
				{"1997-02-21T00:00:00Z", "repurchase:19970204-d"},
				{"1997-05-02T00:00:00Z", "repurchase:19970411-e"},
				{"1997-07-07T00:00:00Z", "repurchase:19970616-g"},
				{"1997-08-19T12:00:00Z", "repurchase:19970722-h"},
				{"1997-10-21T00:00:00Z", "repurchase:19970915-i"},
				{"1998-02-01T00:00:00Z", "repurchase:19980103-l"},
			},
		},
		{
			// Mean of the 10 gaps: 367 days / 10 = 36.7 days; times 1.5
			// = 55.05 days = 55d 1h12m after 1998-01-03.
			name:     "customer 5, mean x 1.5, just before",
			customer: "00005",
			spec:     RepurchaseSpec{Stat: "mean", MinOrders: 11, Factor: 1.5},
			now:      "1998-02-27T01:11:59Z",
			want:     []fired{},
			wantNext: "1998-02-27T01:12:00Z",
		},
		{
			// Customer 8: 1997-01-01, 02-13, 06-17, 07-03, 11-16 (twice,
			// one occasion), 12-25, 1998-03-29: 7 occasions, gaps 43 124
			// 16 136 39 94, median (43+94)/2 = 68.5 days -> 1998-06-05
			// 12:00. Counted as 8 orders there would be a 0 gap and a
			// firing before.
			name:     "customer 8, same-day orders are one occasion",
			customer: "00008",
			spec:     RepurchaseSpec{MinOrders: 7},
			now:      "1998-06-05T12:00:00Z",
			want:     []fired{{"1998-06-05T12:00:00Z", "repurchase:19980329-i"}},
		},
		{
			name:     "customer 8, not enough occasions",
			customer: "00008",
			spec:     RepurchaseSpec{MinOrders: 8},
			now:      "1999-01-01T00:00:00Z",
			want:     []fired{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trg := compile(t, Spec{Repurchase: &tt.spec})
			tl := cdnow(t, tt.customer)
			now := ts(t, tt.now)
			fs, next, ok := firings(t, trg, tl, now)
			if diff := cmp.Diff(tt.want, summary(fs)); diff != "" {
				t.Errorf("firings (-want +got):\n%s", diff)
			}
			checkNext(t, next, ok, tt.wantNext)
			checkStable(t, trg, tl, now, now.AddDate(1, 0, 0))
			nextIsFirst(t, trg, tl, now, now.AddDate(1, 0, 0))
		})
	}
}

// Two orders either side of the Paris spring gap, one elapsed hour apart
// (00:30 winter time, 03:30 summer time), are one local day: with a third
// order they are two occasions, not enough for min_orders 3.
func TestRepurchaseAcrossDSTGap(t *testing.T) {
	trg := compile(t, Spec{Repurchase: &RepurchaseSpec{MinOrders: 3}})
	tl := timeline("Europe/Paris",
		ev(t, "o1", parcours.Order, "2026-03-29T00:30:00+01:00", nil),
		ev(t, "o2", parcours.Order, "2026-03-29T03:30:00+02:00", nil),
		ev(t, "o3", parcours.Order, "2026-04-05T10:00:00+02:00", nil),
	)
	fs, _, ok := firings(t, trg, tl, ts(t, "2027-01-01T00:00:00Z"))
	if len(fs) != 0 || ok {
		t.Errorf("got %v (next %v), want nothing", summary(fs), ok)
	}
}

// Occasions are local days: two orders an hour apart on both sides of
// midnight UTC are two days in UTC and one in Pago Pago (-11).
func TestRepurchaseLocalDays(t *testing.T) {
	evs := []parcours.Event{
		ev(t, "o1", parcours.Order, "2026-01-01T00:00:00Z", nil),
		ev(t, "o2", parcours.Order, "2026-01-10T23:30:00Z", nil),
		ev(t, "o3", parcours.Order, "2026-01-11T00:30:00Z", nil),
	}
	trg := compile(t, Spec{Repurchase: &RepurchaseSpec{MinOrders: 3}})
	now := ts(t, "2026-03-01T00:00:00Z")
	// In UTC: three occasions, gaps 9d23h30m and 1h, median 5d0h15m
	// after o3 -> 2026-01-16T00:45:00Z.
	fs, _, _ := firings(t, trg, timeline("UTC", evs...), now)
	if diff := cmp.Diff([]fired{{"2026-01-16T00:45:00Z", "repurchase:o3"}}, summary(fs)); diff != "" {
		t.Errorf("UTC (-want +got):\n%s", diff)
	}
	// In Pago Pago both are on 10 January: two occasions only.
	fs, _, _ = firings(t, trg, timeline("Pacific/Pago_Pago", evs...), now)
	if len(fs) != 0 {
		t.Errorf("Pago Pago: got %v, want none", summary(fs))
	}
}
