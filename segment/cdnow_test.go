package segment

import (
	"encoding/csv"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// CDNOW reference: the BTYD literature's per-customer statistics
// (../testdata/cdnow/cdnow_cbs.csv, derived independently from the
// raw purchases) must match the facts computed from the raw event log
// (cdnowElog.csv). The literature merges purchases on the same day into
// one transaction, as Rhythm's one-day MinGap does, so:
//
//	Rhythm.Intervals         = x (calibration), x + x_star (holdout)
//	Monetary                 = first_spend + cal_repeat_spend (+ holdout_spend)
//	FirstPurchase.Time       = birth, FirstPurchase.Days = 7 T
//	Recency (days)           = 7 (T - t_x)
//
// and the published count of 946 repeat buyers in calibration.

const cdnowDir = "../testdata/cdnow/"

var (
	calEnd     = time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC) // 39 weeks after 1997-01-01
	holdoutEnd = time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC) // 39 more weeks
)

func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(cdnowDir + name)
	if err != nil {
		t.Fatalf("CDNOW reference data missing: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// cdnowTimelines builds one timeline per sample customer, ordered by id.
func cdnowTimelines(t *testing.T) []parcours.Timeline {
	byID := map[int][]parcours.Event{}
	for i, row := range readCSV(t, "cdnowElog.csv") { // masterid,sampleid,date,cds,sales
		id, err := strconv.Atoi(row[1])
		if err != nil {
			t.Fatal(err)
		}
		day, err := time.Parse("20060102", row[2])
		if err != nil {
			t.Fatal(err)
		}
		byID[id] = append(byID[id], parcours.Event{ID: strconv.Itoa(i), Type: parcours.Order, Time: day,
			Props: map[string]any{parcours.PropAmount: num(t, row[4])}})
	}
	tls := make([]parcours.Timeline, len(byID))
	for id, evs := range byID {
		if id < 1 || id > len(tls) {
			t.Fatalf("unexpected sample id %d", id)
		}
		tls[id-1] = parcours.Timeline{Profile: parcours.Profile{ID: strconv.Itoa(id)}, Events: evs}
	}
	return tls
}

func TestCDNOWReference(t *testing.T) {
	tls := cdnowTimelines(t)
	cbs := readCSV(t, "cdnow_cbs.csv") // id,x,t_x,T,x_star,zbar,first_spend,cal_repeat_spend,holdout_spend,birth
	if len(cbs) != 2357 || len(tls) != 2357 {
		t.Fatalf("%d reference rows, %d timelines; want 2357", len(cbs), len(tls))
	}
	near := func(got, want, tol float64) bool { return math.Abs(got-want) <= tol }
	repeaters, holdoutBuyers := 0, 0
	for i, row := range cbs {
		x, tx, T, xs := num(t, row[1]), num(t, row[2]), num(t, row[3]), num(t, row[4])
		first, calRep, hold := num(t, row[6]), num(t, row[7]), num(t, row[8])
		birth, err := time.Parse("2006-01-02", row[9])
		if err != nil {
			t.Fatal(err)
		}
		cal, err := Compute(tls[i], calEnd, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if cal.Rhythm.Intervals != int(x) || !near(cal.Monetary, first+calRep, 0.005) ||
			!cal.FirstPurchase.Time.Equal(birth) || !near(cal.FirstPurchase.Days, 7*T, 1e-5) ||
			!near(cal.Recency, 7*(T-tx), 1e-5) {
			t.Errorf("customer %s at calibration end: intervals %d monetary %.2f birth %s days %.4f recency %.4f; want %v %.2f %s %.4f %.4f",
				row[0], cal.Rhythm.Intervals, cal.Monetary, cal.FirstPurchase.Time.Format(time.DateOnly), cal.FirstPurchase.Days, cal.Recency,
				x, first+calRep, row[9], 7*T, 7*(T-tx))
		}
		all, err := Compute(tls[i], holdoutEnd, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if all.Rhythm.Intervals != int(x+xs) || !near(all.Monetary, first+calRep+hold, 0.005) {
			t.Errorf("customer %s at holdout end: intervals %d monetary %.2f; want %v %.2f",
				row[0], all.Rhythm.Intervals, all.Monetary, x+xs, first+calRep+hold)
		}
		if x > 0 {
			repeaters++
		}
		if xs > 0 {
			holdoutBuyers++
		}
	}
	if repeaters != 946 {
		t.Errorf("%d repeat buyers in calibration, published 946", repeaters)
	}

	// Migration over the holdout with a 39-week window: the window at the
	// holdout end is exactly the holdout period, so the customers who bought
	// in it (x_star > 0) are loyal then and the others inactive.
	m, err := Migrate(slices.Values(tls), calEnd, holdoutEnd, Config{Window: Duration(39 * 7 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	col := func(j int) int { return m.Matrix[0][j] + m.Matrix[1][j] + m.Matrix[2][j] + m.Matrix[3][j] }
	if col(2) != holdoutBuyers || col(3) != 2357-holdoutBuyers || col(0)+col(1) != 0 || m.Entered != 0 {
		t.Errorf("migration columns loyal %d inactive %d (prospect %d new %d, entered %d); want %d, %d",
			col(2), col(3), col(0), col(1), m.Entered, holdoutBuyers, 2357-holdoutBuyers)
	}
}
