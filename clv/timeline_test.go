package clv

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

func order(id string, at time.Time, amount any) parcours.Event {
	return parcours.Event{ID: id, Type: parcours.Order, Time: at, Props: map[string]any{parcours.PropAmount: amount}}
}

func day(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }

func TestSummarize(t *testing.T) {
	period := Period{Unit: Day, CalibrationEnd: day(3, 31, 12), HoldoutEnd: day(4, 30, 0)}
	tests := []struct {
		name   string
		tl     parcours.Timeline
		period Period
		want   []Customer
	}{
		{
			name: "same-day orders merge, first purchase is birth",
			tl: parcours.Timeline{Profile: parcours.Profile{ID: "a"}, Events: []parcours.Event{
				order("1", day(3, 1, 9), 10.0),
				order("2", day(3, 1, 18), 5), // same day: one transaction of 15
				order("3", day(3, 11, 9), "20"),
				order("4", day(3, 21, 9), 40.0),
				order("5", day(3, 21, 10), 0.0),
				order("6", day(4, 10, 9), 7.0), // holdout
				order("7", day(5, 10, 9), 9.0), // after the holdout
				{ID: "v", Type: parcours.StoreVisit, Time: day(3, 5, 9)},
			}},
			period: period,
			want: []Customer{{ID: "a", X: 2, Tx: 20, T: 30, MeanValue: 30, FirstValue: 15, RepeatValue: 60,
				XStar: 1, HoldoutValue: 7, Birth: day(3, 1, 0)}},
		},
		{
			name: "weeks",
			tl: parcours.Timeline{Profile: parcours.Profile{ID: "w"}, Events: []parcours.Event{
				order("1", day(3, 3, 9), 10.0), order("2", day(3, 10, 9), 10.0),
			}},
			period: Period{CalibrationEnd: day(3, 31, 0)},
			want:   []Customer{{ID: "w", X: 1, Tx: 1, T: 4, MeanValue: 10, FirstValue: 10, RepeatValue: 10, Birth: day(3, 3, 0)}},
		},
		{
			name: "days are the profile's local days",
			tl: parcours.Timeline{Profile: parcours.Profile{ID: "p", TimeZone: "Europe/Paris"}, Events: []parcours.Event{
				order("1", day(3, 1, 23).Add(30*time.Minute), 10.0), // 00:30 on 2 March in Paris
				order("2", day(3, 2, 0).Add(30*time.Minute), 5.0),   // 01:30 on 2 March in Paris
			}},
			period: period,
			want:   []Customer{{ID: "p", T: 29, FirstValue: 15, Birth: day(3, 2, 0)}},
		},
		{
			name: "retried orders with the same ID count once",
			tl: parcours.Timeline{Profile: parcours.Profile{ID: "d"}, Events: []parcours.Event{
				order("1", day(3, 1, 9), 10.0), order("2", day(3, 5, 9), 10.0), order("2", day(3, 5, 9), 10.0),
			}},
			period: period,
			want:   []Customer{{ID: "d", X: 1, Tx: 4, T: 30, MeanValue: 10, FirstValue: 10, RepeatValue: 10, Birth: day(3, 1, 0)}},
		},
		{
			name: "the calibration end's whole day belongs to calibration",
			tl: parcours.Timeline{Profile: parcours.Profile{ID: "e"}, Events: []parcours.Event{
				order("1", day(3, 1, 9), 10.0), order("2", day(3, 31, 20), 10.0),
			}},
			period: period,
			want:   []Customer{{ID: "e", X: 1, Tx: 30, T: 30, MeanValue: 10, FirstValue: 10, RepeatValue: 10, Birth: day(3, 1, 0)}},
		},
		{
			name: "born in the holdout: not in the cohort",
			tl: parcours.Timeline{Profile: parcours.Profile{ID: "h"}, Events: []parcours.Event{
				order("1", day(4, 2, 9), 10.0),
			}},
			period: period,
			want:   []Customer{},
		},
		{
			name:   "no orders: not in the cohort",
			tl:     parcours.Timeline{Profile: parcours.Profile{ID: "n"}, Events: []parcours.Event{{Type: parcours.Signup, Time: day(3, 1, 0)}}},
			period: period,
			want:   []Customer{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Summarize([]parcours.Timeline{tt.tl}, tt.period)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("summary (-want +got):\n%s", d)
			}
		})
	}
}

func TestSummarizeErrors(t *testing.T) {
	ok := Period{CalibrationEnd: day(3, 31, 0)}
	good := parcours.Timeline{Profile: parcours.Profile{ID: "a"}, Events: []parcours.Event{order("1", day(3, 1, 0), 1.0)}}
	tests := []struct {
		name   string
		tls    []parcours.Timeline
		period Period
	}{
		{"no calibration end", []parcours.Timeline{good}, Period{}},
		{"holdout before calibration", []parcours.Timeline{good}, Period{CalibrationEnd: day(3, 31, 0), HoldoutEnd: day(3, 1, 0)}},
		{"unknown unit", []parcours.Timeline{good}, Period{Unit: "fortnight", CalibrationEnd: day(3, 31, 0)}},
		{"unknown time zone", []parcours.Timeline{{Profile: parcours.Profile{ID: "z", TimeZone: "Mars/Olympus"}, Events: good.Events}}, ok},
		{"bad item line", []parcours.Timeline{{Profile: parcours.Profile{ID: "m"}, Events: []parcours.Event{{Type: parcours.Order, Time: day(3, 1, 0), Props: map[string]any{parcours.PropItems: []any{"junk"}}}}}}, ok},
		{"negative amount", []parcours.Timeline{{Profile: parcours.Profile{ID: "m"}, Events: []parcours.Event{order("1", day(3, 1, 0), -5.0)}}}, ok},
		{"text amount", []parcours.Timeline{{Profile: parcours.Profile{ID: "m"}, Events: []parcours.Event{order("1", day(3, 1, 0), "ten")}}}, ok},
		{"duplicate profiles", []parcours.Timeline{good, good}, ok},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Summarize(tt.tls, tt.period); !errors.Is(err, ErrInput) {
				t.Fatalf("err = %v, want ErrInput", err)
			}
		})
	}
	if _, err := SummarizeRows([]Row{{Customer: "a", Time: day(3, 1, 0), Amount: -1}}, ok); !errors.Is(err, ErrInput) {
		t.Errorf("negative row amount: err = %v, want ErrInput", err)
	}
}

// TestSummarizeTimelinesMatchesRows feeds the raw CDNOW log both as
// timelines and as rows: the two entry points must agree exactly.
func TestSummarizeTimelinesMatchesRows(t *testing.T) {
	rows := elogRows(t)
	var tls []parcours.Timeline
	index := map[string]int{}
	for i, r := range rows {
		j, ok := index[r.Customer]
		if !ok {
			j = len(tls)
			index[r.Customer] = j
			tls = append(tls, parcours.Timeline{Profile: parcours.Profile{ID: r.Customer}})
		}
		tls[j].Events = append(tls[j].Events, order(itoa(i), r.Time, r.Amount))
	}
	fromTL, err := Summarize(tls, cdnowPeriod)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(cdnowSummary(t), fromTL); d != "" {
		t.Errorf("timelines vs rows (-rows +timelines):\n%s", d)
	}
}
