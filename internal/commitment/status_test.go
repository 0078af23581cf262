package commitment_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/commitment"
	"cocreate/internal/workdays"
)

func d(s string) workdays.Date {
	v, err := workdays.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func dp(s string) *workdays.Date {
	v := d(s)
	return &v
}

// TestRule is the status rule's table: each status, the edges of N (late by
// N days is at risk, N+1 delayed), a milestone due today, the six-month
// update interval to the day, and which clause wins when several hold.
func TestRule(t *testing.T) {
	const n = 30
	open := func(due string) commitment.MilestoneFact { return commitment.MilestoneFact{Due: d(due)} }
	done := func(due, on string) commitment.MilestoneFact {
		return commitment.MilestoneFact{Due: d(due), Completed: dp(on)}
	}
	base := func(ms ...commitment.MilestoneFact) commitment.Facts {
		return commitment.Facts{Start: d("2027-01-04"), End: d("2027-12-31"), Milestones: ms, LastUpdate: dp("2027-03-01")}
	}
	with := func(f commitment.Facts, change func(*commitment.Facts)) commitment.Facts {
		change(&f)
		return f
	}
	for _, tt := range []struct {
		name  string
		facts commitment.Facts
		today string
		want  commitment.Verdict
	}{
		{"withdrawn, whatever else holds", with(base(open("2027-01-10")), func(f *commitment.Facts) { f.Withdrawn = true }), "2027-06-30",
			commitment.Verdict{Status: commitment.StatusWithdrawn, Why: commitment.WhyWithdrawn}},
		{"every milestone completed", base(done("2027-02-01", "2027-01-30"), done("2027-03-01", "2027-03-05")), "2027-03-20",
			commitment.Verdict{Status: commitment.StatusCompleted, Why: commitment.WhyAllDone}},
		{"completed even when the last update is long ago", with(base(done("2027-02-01", "2027-02-01")), func(f *commitment.Facts) { f.LastUpdate = nil }), "2028-06-01",
			commitment.Verdict{Status: commitment.StatusCompleted, Why: commitment.WhyAllDone}},
		{"before its start date", with(base(open("2027-02-01")), func(f *commitment.Facts) { f.LastUpdate = nil }), "2027-01-03",
			commitment.Verdict{Status: commitment.StatusNotStarted, Why: commitment.WhyNotBegun}},
		{"no milestones, before its start", commitment.Facts{Start: d("2027-01-04"), End: d("2027-12-31")}, "2027-01-01",
			commitment.Verdict{Status: commitment.StatusNotStarted, Why: commitment.WhyNotBegun}},
		{"begun, nothing done, no update yet", with(base(open("2027-06-01")), func(f *commitment.Facts) { f.LastUpdate = nil }), "2027-02-01",
			commitment.Verdict{Status: commitment.StatusNotStarted, Why: commitment.WhyNoProgress}},
		{"begun, a milestone done, no update yet", with(base(done("2027-01-20", "2027-01-20"), open("2027-06-01")), func(f *commitment.Facts) { f.LastUpdate = nil }), "2027-02-01",
			commitment.Verdict{Status: commitment.StatusOnTrack, Why: commitment.WhyOnTrack}},
		{"an update, nothing late", base(open("2027-06-01")), "2027-03-20",
			commitment.Verdict{Status: commitment.StatusOnTrack, Why: commitment.WhyOnTrack}},
		{"a milestone due today is not late", base(open("2027-03-20")), "2027-03-20",
			commitment.Verdict{Status: commitment.StatusOnTrack, Why: commitment.WhyOnTrack}},
		{"a milestone late by one day", base(open("2027-03-19")), "2027-03-20",
			commitment.Verdict{Status: commitment.StatusAtRisk, Why: commitment.WhyLate, Days: 1}},
		{"late by exactly N days: at risk", base(open("2027-02-18")), "2027-03-20",
			commitment.Verdict{Status: commitment.StatusAtRisk, Why: commitment.WhyLate, Days: 30}},
		{"late by N+1 days: delayed", base(open("2027-02-17")), "2027-03-20",
			commitment.Verdict{Status: commitment.StatusDelayed, Why: commitment.WhyLate, Days: 31}},
		{"the latest of several late milestones counts", base(open("2027-03-10"), open("2027-02-01"), done("2027-01-05", "2027-03-01")), "2027-03-20",
			commitment.Verdict{Status: commitment.StatusDelayed, Why: commitment.WhyLate, Days: 47}},
		{"a milestone completed late is not late any more", base(done("2027-01-10", "2027-03-15"), open("2027-06-01")), "2027-03-20",
			commitment.Verdict{Status: commitment.StatusOnTrack, Why: commitment.WhyOnTrack}},
		{"the last update flagged a milestone at risk", with(base(open("2027-06-01")), func(f *commitment.Facts) { f.FlaggedAtRisk = true }), "2027-03-20",
			commitment.Verdict{Status: commitment.StatusAtRisk, Why: commitment.WhyFlagged}},
		{"flagged, but a milestone late by more than N: delayed", with(base(open("2027-01-05")), func(f *commitment.Facts) { f.FlaggedAtRisk = true }), "2027-03-20",
			commitment.Verdict{Status: commitment.StatusDelayed, Why: commitment.WhyLate, Days: 74}},
		{"the last update six months ago to the day", base(open("2027-12-01")), "2027-09-01",
			commitment.Verdict{Status: commitment.StatusOnTrack, Why: commitment.WhyOnTrack}},
		{"six months and a day without an update", base(open("2027-12-01")), "2027-09-02",
			commitment.Verdict{Status: commitment.StatusDelayed, Why: commitment.WhyNoUpdate, Days: 185}},
		{"no update since a start six months ago to the day", with(base(open("2027-12-01")), func(f *commitment.Facts) { f.LastUpdate = nil }), "2027-07-04",
			commitment.Verdict{Status: commitment.StatusNotStarted, Why: commitment.WhyNoProgress}},
		{"no update since a start six months and a day ago", with(base(open("2027-12-01")), func(f *commitment.Facts) { f.LastUpdate = nil }), "2027-07-05",
			commitment.Verdict{Status: commitment.StatusDelayed, Why: commitment.WhyNoUpdate, Days: 182}},
		{"late by more than N beats no update", with(base(open("2027-03-01")), func(f *commitment.Facts) { f.LastUpdate = nil }), "2027-08-01",
			commitment.Verdict{Status: commitment.StatusDelayed, Why: commitment.WhyLate, Days: 153}},
		{"past its end with a milestone open N days: at risk", with(base(open("2027-12-31")), func(f *commitment.Facts) { f.LastUpdate = dp("2027-12-15") }), "2028-01-30",
			commitment.Verdict{Status: commitment.StatusAtRisk, Why: commitment.WhyLate, Days: 30}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, commitment.Rule(tt.facts, d(tt.today), n))
		})
	}
}

// TestNextUpdateDue: six months after the last update, or after the start.
func TestNextUpdateDue(t *testing.T) {
	f := commitment.Facts{Start: d("2027-01-04"), End: d("2027-12-31")}
	require.Equal(t, d("2027-07-04"), f.NextUpdateDue())
	f.LastUpdate = dp("2027-03-31")
	require.Equal(t, d("2027-10-01"), f.NextUpdateDue(), "31 March + 6 months, as AddDate normalises 31 September")
}
