// Package workdays is the calendar of answer clocks: calendar dates, working
// days (not a Saturday, a Sunday or one of a process's public holidays), and
// a clock that counts working days towards a target, which may be paused
// once. Questions on commitments run on it, and so can any other deadline
// counted in working days (the forum's response targets).
package workdays

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar day without a time or a zone: days since 1970-01-01.
type Date int64

// epoch is day 0; it was a Thursday.
var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// DateOf is the calendar day of t in UTC.
func DateOf(t time.Time) Date {
	t = t.UTC()
	return NewDate(t.Year(), t.Month(), t.Day())
}

// NewDate is the day y-m-d.
func NewDate(y int, m time.Month, d int) Date {
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(epoch) / (24 * time.Hour))
}

// ParseDate reads "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("workdays: %q is not a date (YYYY-MM-DD)", s)
	}
	return DateOf(t), nil
}

// Time is the day's midnight in UTC.
func (d Date) Time() time.Time { return epoch.AddDate(0, 0, int(d)) }

// String is the day as "2006-01-02".
func (d Date) String() string { return d.Time().Format(time.DateOnly) }

// AddDays is the day n calendar days later (earlier for a negative n).
func (d Date) AddDays(n int) Date { return d + Date(n) }

// AddMonths is the same day of the month n months later, as time.AddDate
// normalises it (31 August + 6 months is 3 March).
func (d Date) AddMonths(n int) Date { return DateOf(d.Time().AddDate(0, n, 0)) }

// Weekday is the day of the week.
func (d Date) Weekday() time.Weekday {
	return time.Weekday(((int64(d)+4)%7 + 7) % 7) // day 0 was a Thursday
}

// Calendar says which days are working days: every day but Saturdays,
// Sundays and the holidays it was given.
type Calendar struct {
	holidays map[Date]bool
}

// NewCalendar returns the calendar with the given public holidays.
func NewCalendar(holidays ...Date) Calendar {
	c := Calendar{holidays: make(map[Date]bool, len(holidays))}
	for _, h := range holidays {
		c.holidays[h] = true
	}
	return c
}

// Working reports whether d is a working day.
func (c Calendar) Working(d Date) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !c.holidays[d]
}

// Pause is a stretch of days a clock does not count: From up to Until,
// Until excluded.
type Pause struct {
	From, Until Date
}

// Clock counts the working days since a start towards a target. The start
// day itself does not count: a question asked on a Monday has used one
// working day by Tuesday evening. Days inside the pause do not count.
type Clock struct {
	Calendar Calendar
	Start    Date
	Target   int
	Pause    *Pause
}

// counts reports whether day d advances the clock.
func (k Clock) counts(d Date) bool {
	if k.Pause != nil && d >= k.Pause.From && d < k.Pause.Until {
		return false
	}
	return k.Calendar.Working(d)
}

// Elapsed is the number of counted days after Start up to and including at
// (0 when at is not after Start).
func (k Clock) Elapsed(at Date) int {
	n := 0
	for d := k.Start + 1; d <= at; d++ {
		if k.counts(d) {
			n++
		}
	}
	return n
}

// maxSpan bounds the search for a due day: no target, pause and holidays
// together reach 100 years.
const maxSpan = 36525

// Due is the day the target is reached: the Target-th counted day after
// Start (Start itself for a target of 0 or less).
func (k Clock) Due() Date {
	n := 0
	d := k.Start
	for i := 0; n < k.Target && i < maxSpan; i++ {
		d++
		if k.counts(d) {
			n++
		}
	}
	return d
}

// Overdue reports whether, at today and without an answer, the target has
// passed: today is after the due day.
func (k Clock) Overdue(today Date) bool { return today > k.Due() }

// Late is how many counted days after the due day at is (0 when it is not late).
func (k Clock) Late(at Date) int {
	due := k.Due()
	if at <= due {
		return 0
	}
	return Clock{Calendar: k.Calendar, Start: due, Pause: k.Pause}.Elapsed(at)
}

// Scan reads a date column (or a timestamp: its UTC day).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = DateOf(v)
	case string:
		p, err := ParseDate(v)
		if err != nil {
			return err
		}
		*d = p
	case []byte:
		p, err := ParseDate(string(v))
		if err != nil {
			return err
		}
		*d = p
	default:
		return fmt.Errorf("workdays: cannot scan %T into a date", src)
	}
	return nil
}

// Value writes the day as its midnight in UTC, which a date column takes as the day.
func (d Date) Value() (driver.Value, error) { return d.Time(), nil }

// MarshalText writes "2006-01-02".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "2006-01-02".
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
