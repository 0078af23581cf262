package workdays_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/workdays"
)

func day(s string) workdays.Date {
	d, err := workdays.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestDates(t *testing.T) {
	require.Equal(t, "2027-03-15", day("2027-03-15").String())
	require.Equal(t, time.Monday, day("2027-03-15").Weekday())
	require.Equal(t, time.Thursday, day("1970-01-01").Weekday())
	require.Equal(t, time.Wednesday, day("1969-12-31").Weekday(), "days before the epoch")
	require.Equal(t, day("2027-03-16"), workdays.DateOf(time.Date(2027, 3, 15, 23, 30, 0, 0, time.FixedZone("UTC-1", -3600))), "the UTC day")
	require.Equal(t, day("2028-03-02"), day("2027-08-31").AddMonths(6), "as time.AddDate normalises (2028 is a leap year)")
	require.Equal(t, day("2027-09-15"), day("2027-03-15").AddMonths(6))
	require.Equal(t, day("2027-03-14"), day("2027-03-15").AddDays(-1))
	_, err := workdays.ParseDate("15/03/2027")
	require.Error(t, err)
}

// TestClock is the working-day clock's table: weekends, holidays (on a
// weekday and on a weekend), a start on a Friday or a Saturday, and the one
// pause (with a holiday inside it, and from the start day).
func TestClock(t *testing.T) {
	none := workdays.NewCalendar()
	for _, tt := range []struct {
		name     string
		calendar workdays.Calendar
		start    string
		pause    *workdays.Pause
		due      string
	}{
		{"four weeks of weekdays after a Monday", none, "2027-03-15", nil, "2027-04-12"},
		{"a holiday on a Friday moves the due day", workdays.NewCalendar(day("2027-03-26")), "2027-03-15", nil, "2027-04-13"},
		{"a holiday on a Saturday changes nothing", workdays.NewCalendar(day("2027-03-20")), "2027-03-15", nil, "2027-04-12"},
		{"two holidays", workdays.NewCalendar(day("2027-03-26"), day("2027-04-12")), "2027-03-15", nil, "2027-04-14"},
		{"asked on a Friday, the count starts on Monday", none, "2027-03-19", nil, "2027-04-16"},
		{"asked on a Saturday, the same", none, "2027-03-20", nil, "2027-04-16"},
		{"a week's pause adds its five working days", none, "2027-03-15", &workdays.Pause{From: day("2027-03-22"), Until: day("2027-03-29")}, "2027-04-19"},
		{"a holiday inside the pause is not skipped twice", workdays.NewCalendar(day("2027-03-24")), "2027-03-15",
			&workdays.Pause{From: day("2027-03-22"), Until: day("2027-03-29")}, "2027-04-19"},
		{"a pause from the start day", none, "2027-03-15", &workdays.Pause{From: day("2027-03-15"), Until: day("2027-03-17")}, "2027-04-13"},
		{"a pause over a weekend only", none, "2027-03-15", &workdays.Pause{From: day("2027-03-20"), Until: day("2027-03-22")}, "2027-04-12"},
		{"a pause after the due day changes nothing", none, "2027-03-15", &workdays.Pause{From: day("2027-04-20"), Until: day("2027-04-30")}, "2027-04-12"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k := workdays.Clock{Calendar: tt.calendar, Start: day(tt.start), Target: 20, Pause: tt.pause}
			require.Equal(t, tt.due, k.Due().String())
			require.Equal(t, 20, k.Elapsed(k.Due()))
			require.Equal(t, 19, k.Elapsed(k.Due()-1), "the day before the due day")
			require.False(t, k.Overdue(k.Due()), "on the due day it is not late")
			require.True(t, k.Overdue(k.Due()+1), "the day after it is")
		})
	}

	k := workdays.Clock{Calendar: none, Start: day("2027-03-15"), Target: 20}
	for at, want := range map[string]int{"2027-03-14": 0, "2027-03-15": 0, "2027-03-16": 1, "2027-03-20": 4, "2027-03-21": 4, "2027-03-22": 5} {
		require.Equal(t, want, k.Elapsed(day(at)), at)
	}
	require.Equal(t, 0, k.Late(day("2027-04-12")))
	require.Equal(t, 1, k.Late(day("2027-04-13")))
	require.Equal(t, 4, k.Late(day("2027-04-17")), "Tuesday to Friday; Saturday does not count")
	require.Equal(t, day("2027-03-15"), workdays.Clock{Calendar: none, Start: day("2027-03-15")}.Due(), "a target of 0 is due at once")
	require.True(t, none.Working(day("2027-03-15")))
	require.False(t, none.Working(day("2027-03-20")))
	require.False(t, workdays.NewCalendar(day("2027-03-15")).Working(day("2027-03-15")))
}
