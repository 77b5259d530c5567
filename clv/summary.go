package clv

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/parcours-dev/parcours"
)

// Unit is the time unit of a summary and of a model's parameters.
type Unit string

// The supported time units. The zero Unit means Week, the unit of the
// literature's CDNOW estimates.
const (
	Week Unit = "week"
	Day  Unit = "day"
)

// days returns the length of the unit in days.
func (u Unit) days() (float64, error) {
	switch u {
	case Week, "":
		return 7, nil
	case Day:
		return 1, nil
	}
	return 0, inputErr("unknown time unit %q (want %q or %q)", string(u), Week, Day)
}

// Customer is one customer's sufficient statistics for the
// buy-till-you-die models (the literature's "customer-by-sufficient-
// statistic" row). Times are in the summary's Unit, measured from the
// customer's birth (first purchase day).
type Customer struct {
	ID string `json:"id"`

	// X is the number of repeat transactions in the calibration period
	// (purchase days after the first one).
	X int `json:"x"`

	// Tx is the time of the last repeat transaction (0 when X is 0).
	Tx float64 `json:"t_x"`

	// T is the time from birth to the end of the calibration period.
	T float64 `json:"T"`

	// MeanValue is the mean value of the repeat transactions in the
	// calibration period (0 when X is 0): the Gamma-Gamma model's zbar.
	MeanValue float64 `json:"zbar"`

	// FirstValue is the value of the first transaction; RepeatValue the
	// total of the calibration repeat transactions.
	FirstValue  float64 `json:"first_value"`
	RepeatValue float64 `json:"repeat_value"`

	// XStar and HoldoutValue are the repeat transactions and their total
	// value in the holdout period (0 without a holdout).
	XStar        int     `json:"x_star"`
	HoldoutValue float64 `json:"holdout_value"`

	// Birth is the calendar date of the first purchase, as midnight UTC.
	Birth time.Time `json:"birth"`
}

// Period says how to cut transactions into a summary.
//
// Periods are made of whole calendar days: the calibration period holds
// the days up to and including CalibrationEnd's date, the holdout the
// following days up to and including HoldoutEnd's date. Dates are taken
// in the customer's time zone (see Summarize and SummarizeRows).
type Period struct {
	// Unit is the time unit of the summary; zero means Week.
	Unit Unit `json:"unit,omitempty"`

	// CalibrationEnd is the end of the calibration period. Required.
	CalibrationEnd time.Time `json:"calibration_end"`

	// HoldoutEnd is the end of the optional holdout period; zero means no
	// holdout. When set it must not be before CalibrationEnd.
	HoldoutEnd time.Time `json:"holdout_end,omitzero"`
}

// Row is one order as a host's database holds it.
type Row struct {
	Customer string    // customer ID
	Time     time.Time // when; its Location decides the calendar day
	Amount   float64   // order value, not negative
}

// txn is one order reduced to its calendar day.
type txn struct {
	day    int64 // days since 1970-01-01 of the local calendar date
	amount float64
}

// dayNumber is the index of t's calendar date in loc (or in t's own
// location when loc is nil), independent of daylight-saving shifts.
// It is parcours.DayNumber, the one calendar-day rule.
func dayNumber(t time.Time, loc *time.Location) int64 {
	if loc == nil {
		loc = t.Location()
	}
	return parcours.DayNumber(t, loc)
}

// Summarize builds the summary of every timeline that has an order on or
// before the calibration end's date. Orders are the events of type
// parcours.Order; their value is parcours.Event.Value (PropAmount, or
// the sum of the lines without it); an order it refuses is an ErrInput
// error wrapping the *parcours.PropError. Calendar days are those of the
// profile's time zone (an unknown zone is an error). Timelines without an
// order in the calibration period are not part of the cohort and give no
// row. The result keeps the order of tls.
func Summarize(tls []parcours.Timeline, p Period) ([]Customer, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	out := make([]Customer, 0, len(tls))
	seen := make(map[string]bool, len(tls))
	for _, tl := range tls {
		if seen[tl.Profile.ID] {
			return nil, inputErr("customer %q: two timelines with the same profile ID", tl.Profile.ID)
		}
		seen[tl.Profile.ID] = true
		c, ok, err := summarizeTimeline(tl, p)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// SummarizeRows builds the summary from plain order rows, as a host reads
// them from its database. The calendar day of a row is its Time's date in
// Time's own Location (convert times to each customer's zone before, if
// that matters); the period ends are taken in the same location. Rows may
// come in any order; the result lists customers in order of first
// appearance in rows. Customers born after the calibration end give no
// row.
func SummarizeRows(rows []Row, p Period) ([]Customer, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	index := make(map[string]int)
	var ids []string
	var groups [][]txn
	var locs []*time.Location
	for i, r := range rows {
		if math.IsNaN(r.Amount) || math.IsInf(r.Amount, 0) || r.Amount < 0 {
			return nil, inputErr("row %d (customer %q): amount %v is not a non-negative number", i, r.Customer, r.Amount)
		}
		j, ok := index[r.Customer]
		if !ok {
			j = len(ids)
			index[r.Customer] = j
			ids = append(ids, r.Customer)
			groups = append(groups, nil)
			locs = append(locs, r.Time.Location())
		}
		groups[j] = append(groups[j], txn{day: dayNumber(r.Time, nil), amount: r.Amount})
	}
	unit, _ := p.Unit.days()
	out := make([]Customer, 0, len(ids))
	for j, id := range ids {
		if c, ok := summarize(id, groups[j], p, locs[j], unit); ok {
			out = append(out, c)
		}
	}
	return out, nil
}

func (p Period) check() error {
	if _, err := p.Unit.days(); err != nil {
		return err
	}
	if p.CalibrationEnd.IsZero() {
		return inputErr("period: calibration end is required")
	}
	if !p.HoldoutEnd.IsZero() && p.HoldoutEnd.Before(p.CalibrationEnd) {
		return inputErr("period: holdout end %s is before calibration end %s", p.HoldoutEnd, p.CalibrationEnd)
	}
	return nil
}

// summarizeTimeline summarises one timeline; ok is false when the
// customer has no order in the calibration period.
func summarizeTimeline(tl parcours.Timeline, p Period) (Customer, bool, error) {
	loc, ok := tl.Profile.Location()
	if !ok {
		return Customer{}, false, inputErr("customer %q: unknown time zone %q", tl.Profile.ID, tl.Profile.TimeZone)
	}
	// The one canonical view: retries count once, conflicting copies
	// are all kept (parcours.Timeline.At); no copy when already canonical.
	tl, _ = tl.Canonical(maxTime)
	end := p.CalibrationEnd
	if !p.HoldoutEnd.IsZero() {
		end = p.HoldoutEnd
	}
	// Whole days: orders later on the end date still belong to it.
	endDay := dayNumber(end, loc)
	var txns []txn
	for _, e := range tl.Events {
		if e.Type != parcours.Order {
			continue
		}
		day := dayNumber(e.Time, loc)
		if day > endDay {
			continue
		}
		a, err := e.Value()
		if err != nil {
			return Customer{}, false, fmt.Errorf("%w: customer %q: %w", ErrInput, tl.Profile.ID, err)
		}
		txns = append(txns, txn{day: day, amount: a})
	}
	unit, _ := p.Unit.days()
	c, ok := summarize(tl.Profile.ID, txns, p, loc, unit)
	return c, ok, nil
}

// canonicalAt is the timeline's canonical view at now, without a copy when
// it already is canonical.
func canonicalAt(tl parcours.Timeline, now time.Time) parcours.Timeline {
	c, _ := tl.Canonical(now)
	return c
}

// maxTime is later than any event, so tl.At(maxTime) keeps everything.
var maxTime = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// summarize merges same-day orders and computes the statistics.
func summarize(id string, txns []txn, p Period, loc *time.Location, unit float64) (Customer, bool) {
	if len(txns) == 0 {
		return Customer{}, false
	}
	slices.SortStableFunc(txns, func(a, b txn) int { return cmp.Compare(a.day, b.day) })
	// Merge orders of the same day into one transaction.
	days := txns[:0:0]
	for _, t := range txns {
		if n := len(days); n > 0 && days[n-1].day == t.day {
			days[n-1].amount += t.amount
			continue
		}
		days = append(days, t)
	}
	calDay := dayNumber(p.CalibrationEnd, loc)
	holdDay := calDay
	if !p.HoldoutEnd.IsZero() {
		holdDay = dayNumber(p.HoldoutEnd, loc)
	}
	birth := days[0].day
	if birth > calDay {
		return Customer{}, false
	}
	c := Customer{
		ID:         id,
		T:          float64(calDay-birth) / unit,
		FirstValue: days[0].amount,
		Birth:      time.Unix(birth*86400, 0).UTC(),
	}
	for _, d := range days[1:] {
		switch {
		case d.day <= calDay:
			c.X++
			c.Tx = float64(d.day-birth) / unit
			c.RepeatValue += d.amount
		case d.day <= holdDay:
			c.XStar++
			c.HoldoutValue += d.amount
		}
	}
	if c.X > 0 {
		c.MeanValue = c.RepeatValue / float64(c.X)
	}
	return c, true
}
