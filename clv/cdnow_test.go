package clv

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"
	"time"
)

const (
	cdnowDir = "../testdata/cdnow/"
	refPath  = "testdata/clv-reference.json"
)

// cdnowPeriod is the literature's split: 39 calibration weeks ending
// 1997-09-30, 39 holdout weeks ending 1998-06-30.
var cdnowPeriod = Period{
	Unit:           Week,
	CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC),
	HoldoutEnd:     time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC),
}

func readCSV(t testing.TB, name string) [][]string {
	t.Helper()
	f, err := os.Open(cdnowDir + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[1:]
}

func num(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// elogRows reads the raw CDNOW event log (masterid,sampleid,date,cds,sales).
func elogRows(t testing.TB) []Row {
	t.Helper()
	var rows []Row
	for _, r := range readCSV(t, "cdnowElog.csv") {
		d, err := time.Parse("20060102", r[2])
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, Row{Customer: r[1], Time: d, Amount: num(t, r[4])})
	}
	return rows
}

// cdnowSummary builds the calibration summary from the raw transactions.
func cdnowSummary(t testing.TB) []Customer {
	t.Helper()
	cs, err := SummarizeRows(elogRows(t), cdnowPeriod)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

type reference struct {
	Data struct {
		Customers, Repeaters          int
		CalibrationRepeatTransactions int `json:"calibration_repeat_transactions"`
		HoldoutRepeatTransactions     int `json:"holdout_repeat_transactions"`
	}
	Published map[string]struct {
		Params        []float64
		LogLikelihood float64 `json:"log_likelihood"`
	} `json:"published_params_evaluated"`
	Models map[string]struct {
		Params        map[string]float64
		StdErrors     map[string]float64 `json:"std_errors"`
		LogLikelihood float64            `json:"log_likelihood"`
		Unrounded     *struct {
			Params        map[string]float64
			LogLikelihood float64 `json:"log_likelihood"`
		} `json:"on_unrounded_inputs"`
		UnroundedZbar *struct {
			Params        map[string]float64
			LogLikelihood float64 `json:"log_likelihood"`
		} `json:"on_unrounded_zbar"`
	}
	Fitted   map[string][]float64 `json:"fitted_params_used_for_predictions"`
	Settings struct {
		PNBD struct {
			Delta  float64 `json:"delta_weekly"`
			Margin float64
		} `json:"pnbd_det"`
		BG struct {
			Months          int
			MonthlyDiscount float64 `json:"monthly_discount"`
			WeeksPerMonth   float64 `json:"weeks_per_month"`
		} `json:"bgnbd_discrete"`
	} `json:"clv_settings"`
	Checks      map[string]json.RawMessage
	Predictions []refPrediction
}

type refModelPred struct {
	LL     *float64 `json:"ll"`
	PAlive float64  `json:"p_alive"`
	Exp39  float64  `json:"exp_holdout_39w"`
	DET    *float64 `json:"det_15pct"`
	Spend  *float64 `json:"expected_spend"`
}

type refPrediction struct {
	ID   *int
	X    float64
	Tx   float64 `json:"t_x"`
	T    float64
	Zbar *float64
	BG   refModelPred  `json:"bgnbd"`
	PNBD refModelPred  `json:"pareto_nbd"`
	MBG  refModelPred  `json:"mbgnbd"`
	GG   *refModelPred `json:"gamma_gamma"`
	CLV  *struct {
		PNBD float64 `json:"pnbd_det_margin30"`
		BG   float64 `json:"bgnbd_12m_1pct"`
	}
}

func loadReference(t testing.TB) reference {
	t.Helper()
	b, err := os.ReadFile(refPath)
	if err != nil {
		t.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// relErr is |got-want|/|want| (absolute when want is 0).
func relErr(got, want float64) float64 {
	if want == 0 {
		return math.Abs(got)
	}
	return math.Abs(got-want) / math.Abs(want)
}

// sig3 reports whether got rounds to want's 3 significant digits, i.e.
// agrees within half a unit of the third digit.
func sig3(got, want float64) bool {
	e := math.Floor(math.Log10(math.Abs(want)))
	return math.Abs(got-want) <= 0.5*math.Pow(10, e-2)+1e-12
}
