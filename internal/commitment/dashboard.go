package commitment

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/process"
	"cocreate/internal/workdays"
)

// Item is one commitment as the dashboard lists it.
type Item struct {
	Commitment
	Verdict          Verdict
	MilestonesTotal  int
	MilestonesDone   int
	LastUpdateOn     *workdays.Date
	NextUpdateDue    workdays.Date
	NextMilestone    *Milestone // the first open milestone by due date
	OpenQuestions    int
	OverdueQuestions int
}

// SelfAssessment is the self-assessment report, a draft open for public
// comment, and its comment window.
type SelfAssessment struct {
	DocumentID int64
	Title      string
	Version    *int
	OpensAt    *time.Time
	ClosesAt   *time.Time
	State      string   // not_published, no_window, upcoming, open, closed
	WindowDays *float64 // the comment window's length in days (nil when it has no end)
	Short      bool     // the window is shorter than four weeks (OGP asks for at least four)
}

// MinCommentWindow is the shortest public comment period OGP asks for on a self-assessment.
const MinCommentWindow = 28 * 24 * time.Hour

// Dashboard is a process's implementation at a glance.
type Dashboard struct {
	Process        process.Process
	Today          workdays.Date
	AtRiskDays     int
	Counts         map[Status]int
	Items          []Item
	Overdue        []Question // unanswered questions past their due day, oldest first
	OpenQuestions  int
	SelfAssessment *SelfAssessment
}

// Dashboard returns every commitment of the process with its status and
// figures, the summary by status, the overdue questions and the
// self-assessment's comment window.
func (s *Service) Dashboard(ctx context.Context, actor auth.Principal, slug string) (Dashboard, error) {
	p, err := s.process(ctx, actor, slug)
	if err != nil {
		return Dashboard{}, err
	}
	st, err := s.store.Settings(ctx, p.ID)
	if err != nil {
		return Dashboard{}, err
	}
	cs, err := s.store.ProcessCommitments(ctx, p.ID)
	if err != nil {
		return Dashboard{}, err
	}
	ms, err := s.store.ProcessMilestones(ctx, p.ID)
	if err != nil {
		return Dashboard{}, err
	}
	last, err := s.store.LatestUpdates(ctx, p.ID)
	if err != nil {
		return Dashboard{}, err
	}
	open, err := s.store.OpenQuestions(ctx, p.ID)
	if err != nil {
		return Dashboard{}, err
	}
	today := s.today()
	d := Dashboard{Process: p, Today: today, AtRiskDays: st.AtRiskDays, Counts: map[Status]int{}, Items: make([]Item, 0, len(cs)),
		OpenQuestions: len(open)}
	cal := calendarOf(st)
	openBy, overdueBy := map[int64]int{}, map[int64]int{}
	for i := range open {
		q := &open[i]
		q.withClock(cal, today)
		openBy[q.CommitmentID]++
		if q.Overdue {
			overdueBy[q.CommitmentID]++
			d.Overdue = append(d.Overdue, *q)
		}
	}
	for _, c := range cs {
		it := Item{Commitment: c, OpenQuestions: openBy[c.ID], OverdueQuestions: overdueBy[c.ID]}
		f := Facts{Withdrawn: c.Withdrawn(), Start: c.StartsOn, End: c.EndsOn}
		for _, m := range ms[c.ID] {
			f.Milestones = append(f.Milestones, MilestoneFact{Due: m.DueOn, Completed: m.CompletedOn})
			it.MilestonesTotal++
			if m.CompletedOn != nil {
				it.MilestonesDone++
			} else if it.NextMilestone == nil || m.DueOn < it.NextMilestone.DueOn {
				it.NextMilestone = &m
			}
		}
		if l, ok := last[c.ID]; ok {
			day := workdays.DateOf(l.PublishedAt)
			f.LastUpdate, f.FlaggedAtRisk = &day, l.Flagged
			it.LastUpdateOn = &day
		}
		it.Verdict = Rule(f, today, st.AtRiskDays)
		it.NextUpdateDue = f.NextUpdateDue()
		d.Counts[it.Verdict.Status]++
		d.Items = append(d.Items, it)
	}
	if st.SelfAssessmentID != nil {
		if d.SelfAssessment, err = s.selfAssessment(ctx, p, *st.SelfAssessmentID); err != nil {
			return Dashboard{}, err
		}
	}
	return d, nil
}

// calendarOf is the working-day calendar of a process's settings.
func calendarOf(st Settings) workdays.Calendar {
	days := make([]workdays.Date, len(st.Holidays))
	for i, h := range st.Holidays {
		days[i] = h.Day
	}
	return workdays.NewCalendar(days...)
}

// selfAssessment reads the self-assessment draft and its comment window: the
// latest published version's own window, or else the process's public
// comment phase (the window comments on the draft follow).
func (s *Service) selfAssessment(ctx context.Context, p process.Process, docID int64) (*SelfAssessment, error) {
	row, ok, err := s.store.SelfAssessment(ctx, docID)
	if err != nil || !ok {
		return nil, err
	}
	sa := &SelfAssessment{DocumentID: row.ID, Title: row.Title, Version: row.Number}
	if row.Number == nil {
		sa.State = "not_published"
		return sa, nil
	}
	opens, closes := row.OpensAt, row.ClosesAt
	if opens == nil && closes == nil {
		for _, ph := range p.Phases {
			if ph.Kind == process.PhasePublicComment {
				o, c := ph.OpensAt, ph.ClosesAt
				opens, closes = &o, &c
			}
		}
	}
	if opens == nil && closes == nil {
		sa.State = "no_window"
		return sa, nil
	}
	// Nobody can comment before the version is published.
	start := *row.PublishedAt
	if opens != nil && opens.After(start) {
		start = *opens
	}
	sa.OpensAt, sa.ClosesAt = &start, closes
	now := s.opt.Now()
	switch {
	case now.Before(start):
		sa.State = "upcoming"
	case closes == nil || now.Before(*closes):
		sa.State = "open"
	default:
		sa.State = "closed"
	}
	if closes != nil {
		days := closes.Sub(start).Hours() / 24
		if days < 0 {
			days = 0
		}
		sa.WindowDays = &days
		sa.Short = closes.Sub(start) < MinCommentWindow
	}
	return sa, nil
}

// SettingsInput sets a process's implementation settings.
type SettingsInput struct {
	AtRiskDays       int
	Holidays         []HolidayInput
	SelfAssessmentID *int64
}

// HolidayInput is a public holiday: a day (YYYY-MM-DD) and its name.
type HolidayInput struct {
	Day, Name string
}

// MaxHolidays bounds a process's list of public holidays.
const MaxHolidays = 200

// Settings returns the process's implementation settings (public: the
// status rule and the answer clocks use them).
func (s *Service) Settings(ctx context.Context, actor auth.Principal, slug string) (Settings, error) {
	p, err := s.process(ctx, actor, slug)
	if err != nil {
		return Settings{}, err
	}
	return s.store.Settings(ctx, p.ID)
}

// SetSettings replaces the process's implementation settings; its owners
// and administrators may.
func (s *Service) SetSettings(ctx context.Context, actor auth.Principal, slug string, in SettingsInput) (Settings, error) {
	p, err := s.managed(ctx, actor, slug)
	if err != nil {
		return Settings{}, err
	}
	var f apperr.Fields
	if in.AtRiskDays < 1 || in.AtRiskDays > 365 {
		f.Add("at_risk_days", "range", "between 1 and 365 days")
	}
	if len(in.Holidays) > MaxHolidays {
		f.Add("holidays", "max", fmt.Sprintf("at most %d", MaxHolidays))
	}
	st := Settings{AtRiskDays: in.AtRiskDays, SelfAssessmentID: in.SelfAssessmentID}
	seen := map[workdays.Date]bool{}
	for i, h := range in.Holidays {
		pre := fmt.Sprintf("holidays[%d].", i)
		day, ok := date(&f, pre+"day", h.Day)
		name := strings.TrimSpace(h.Name)
		if n := utf8.RuneCountInString(name); n == 0 || n > 100 || strings.ContainsRune(name, 0) {
			f.Add(pre+"name", "length", "between 1 and 100 characters")
		}
		if ok && seen[day] {
			f.Add(pre+"day", "duplicate", "each day once")
		}
		seen[day] = true
		st.Holidays = append(st.Holidays, Holiday{Day: day, Name: name})
	}
	slices.SortFunc(st.Holidays, func(a, b Holiday) int { return int(a.Day - b.Day) })
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		if in.SelfAssessmentID != nil {
			ok, err := s.store.DocumentIn(ctx, *in.SelfAssessmentID, p.ID)
			if err != nil {
				return err
			}
			if !ok {
				f.Add("self_assessment_id", "unknown", "a draft of this process")
			}
		}
		if err := f.Err(CodeInvalid); err != nil {
			return err
		}
		if err := s.store.SaveSettings(ctx, p.ID, st); err != nil {
			return err
		}
		return s.changed(ctx, p.ID, 0)
	})
	if err != nil {
		return Settings{}, err
	}
	return s.store.Settings(ctx, p.ID)
}
