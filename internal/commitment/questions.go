package commitment

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/workdays"
)

// Question is a question on a commitment, with its answer clock.
type Question struct {
	ID              int64          `gorm:"column:id"`
	CommitmentID    int64          `gorm:"column:commitment_id"`
	ProcessID       int64          `gorm:"column:process_id"`
	AuthorID        int64          `gorm:"column:author_id"`
	AuthorName      string         `gorm:"column:author_name"`
	Body            string         `gorm:"column:body"`
	BodyHTML        string         `gorm:"column:body_html"`
	AskedAt         time.Time      `gorm:"column:asked_at"`
	PausedOn        *workdays.Date `gorm:"column:paused_on"`
	ResumesOn       *workdays.Date `gorm:"column:resumes_on"`
	PauseReason     *string        `gorm:"column:pause_reason"`
	Answer          *string        `gorm:"column:answer"`
	AnswerHTML      *string        `gorm:"column:answer_html"`
	AnsweredAs      *string        `gorm:"column:answered_as"`
	AnsweredAt      *time.Time     `gorm:"column:answered_at"`
	HiddenAt        *time.Time     `gorm:"column:hidden_at"`
	HiddenReason    *string        `gorm:"column:hidden_reason"`
	CommitmentTitle string         `gorm:"column:commitment_title"`

	// The answer clock, computed on the process's calendar.
	DueOn   workdays.Date `gorm:"-"`
	Elapsed int           `gorm:"-"` // working days counted so far (until the answer, once answered)
	Overdue bool          `gorm:"-"` // unanswered after its due day
	Late    int           `gorm:"-"` // working days past the due day (until the answer, once answered)
}

// Answered reports whether the question has its answer.
func (q Question) Answered() bool { return q.AnsweredAt != nil }

// Hidden reports whether a moderator hid the question.
func (q Question) Hidden() bool { return q.HiddenAt != nil }

// clock is the question's answer clock on calendar cal.
func (q Question) clock(cal workdays.Calendar) workdays.Clock {
	k := workdays.Clock{Calendar: cal, Start: workdays.DateOf(q.AskedAt), Target: AnswerTargetDays}
	if q.PausedOn != nil && q.ResumesOn != nil {
		k.Pause = &workdays.Pause{From: *q.PausedOn, Until: *q.ResumesOn}
	}
	return k
}

// withClock sets the question's clock fields on day today.
func (q *Question) withClock(cal workdays.Calendar, today workdays.Date) {
	k := q.clock(cal)
	q.DueOn = k.Due()
	at := today
	if q.AnsweredAt != nil {
		at = workdays.DateOf(*q.AnsweredAt)
	}
	q.Elapsed = k.Elapsed(at)
	q.Late = k.Late(at)
	q.Overdue = !q.Answered() && !q.Hidden() && k.Overdue(today)
}

// calendar returns the process's working-day calendar (its public holidays).
func (s *Service) calendar(ctx context.Context, processID int64) (workdays.Calendar, error) {
	st, err := s.store.Settings(ctx, processID)
	if err != nil {
		return workdays.Calendar{}, err
	}
	return calendarOf(st), nil
}

// questionText validates and renders a question's or an answer's Markdown.
func questionText(field, body string, maxChars int) (string, string, error) {
	var f apperr.Fields
	body, html := markdownField(&f, field, body, true, maxChars)
	if err := f.Err(CodeInvalid); err != nil {
		return "", "", err
	}
	return body, html, nil
}

// Ask stores a signed-in person's question on a commitment; its answer clock starts.
func (s *Service) Ask(ctx context.Context, actor auth.Principal, commitmentID int64, body string) (Question, error) {
	if !actor.Can(auth.PermContribute) {
		return Question{}, ErrForbidden
	}
	body, html, err := questionText("body", body, MaxQuestionChars)
	if err != nil {
		return Question{}, err
	}
	var id int64
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		c, p, err := s.readable(ctx, actor, commitmentID, false)
		if err != nil {
			return err
		}
		if id, err = s.store.InsertQuestion(ctx, c.ID, p.ID, actor.UserID, body, html, s.opt.Now().UTC()); err != nil {
			return err
		}
		return s.changed(ctx, p.ID, c.ID)
	})
	if err != nil {
		return Question{}, err
	}
	return s.question(ctx, id)
}

// question returns a question with its clock.
func (s *Service) question(ctx context.Context, id int64) (Question, error) {
	q, err := s.store.Question(ctx, id, false)
	if err != nil {
		return Question{}, err
	}
	cal, err := s.calendar(ctx, q.ProcessID)
	if err != nil {
		return Question{}, err
	}
	q.withClock(cal, s.today())
	return q, nil
}

// Questions returns a commitment's questions, newest first, with their
// clocks; a hidden question keeps its place and its reason, not its text.
func (s *Service) Questions(ctx context.Context, actor auth.Principal, commitmentID int64) ([]Question, error) {
	c, p, err := s.readable(ctx, actor, commitmentID, false)
	if err != nil {
		return nil, err
	}
	qs, err := s.store.QuestionsOf(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	cal, err := s.calendar(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	today := s.today()
	for i := range qs {
		qs[i].withClock(cal, today)
		if qs[i].Hidden() {
			qs[i].Body, qs[i].BodyHTML = "", ""
		}
	}
	return qs, nil
}

// lockQuestion locks a question for its answerers: ErrNotAnswerer for
// others, 409 when it is answered or hidden.
func (s *Service) lockQuestion(ctx context.Context, actor auth.Principal, id int64) (Question, Viewer, error) {
	q, err := s.store.Question(ctx, id, true)
	if err != nil {
		return Question{}, Viewer{}, err
	}
	c, p, err := s.readable(ctx, actor, q.CommitmentID, false)
	if err != nil {
		return Question{}, Viewer{}, ErrQuestionNotFound
	}
	v, err := s.viewerOf(ctx, actor, p.ID, c.ID)
	switch {
	case err != nil:
		return Question{}, Viewer{}, err
	case !v.Answer:
		return Question{}, Viewer{}, ErrNotAnswerer
	case q.Hidden():
		return Question{}, Viewer{}, ErrHidden
	case q.Answered():
		return Question{}, Viewer{}, ErrAnswered
	}
	return q, v, nil
}

// AnswerQuestion records the answer of the lead institution (the process's
// owners, government members of the working group) or of the forum; it
// stops the clock. A question is answered once.
func (s *Service) AnswerQuestion(ctx context.Context, actor auth.Principal, id int64, body string) (Question, error) {
	body, html, err := questionText("body", body, MaxAnswerChars)
	if err != nil {
		return Question{}, err
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		q, v, err := s.lockQuestion(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := s.store.Answer(ctx, id, body, html, v.AnswerAs, actor.UserID, s.opt.Now().UTC()); err != nil {
			return err
		}
		return s.changed(ctx, q.ProcessID, q.CommitmentID)
	})
	if err != nil {
		return Question{}, err
	}
	return s.question(ctx, id)
}

// Pause stops a question's clock once, from today until resumesOn
// (YYYY-MM-DD, excluded, at most MaxPauseDays ahead), with a public reason
// ("waiting for the ministry's figures").
func (s *Service) Pause(ctx context.Context, actor auth.Principal, id int64, reason, resumesOn string) (Question, error) {
	var f apperr.Fields
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n == 0 || n > MaxPauseReasonLen || strings.ContainsRune(reason, 0) {
		f.Add("reason", "length", fmt.Sprintf("between 1 and %d characters", MaxPauseReasonLen))
	}
	today := s.today()
	until, ok := date(&f, "resumes_on", resumesOn)
	switch {
	case !ok:
	case until <= today:
		f.Add("resumes_on", "future", "after today")
	case until > today.AddDays(MaxPauseDays):
		f.Add("resumes_on", "too_far", fmt.Sprintf("at most %d days from today", MaxPauseDays))
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Question{}, err
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		q, _, err := s.lockQuestion(ctx, actor, id)
		if err != nil {
			return err
		}
		if q.PausedOn != nil {
			return ErrAlreadyPaused
		}
		if err := s.store.Pause(ctx, id, today, until, reason); err != nil {
			return err
		}
		return s.changed(ctx, q.ProcessID, q.CommitmentID)
	})
	if err != nil {
		return Question{}, err
	}
	return s.question(ctx, id)
}

// Hide hides a question that breaks the house rules, with a public reason;
// the process's moderators and owners may. Its clock stops.
func (s *Service) Hide(ctx context.Context, actor auth.Principal, id int64, reason string) (Question, error) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n == 0 || n > MaxPauseReasonLen || strings.ContainsRune(reason, 0) {
		return Question{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "reason", Code: "length",
			Message: fmt.Sprintf("between 1 and %d characters", MaxPauseReasonLen)})
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		q, err := s.store.Question(ctx, id, true)
		if err != nil {
			return err
		}
		c, p, err := s.readable(ctx, actor, q.CommitmentID, false)
		if err != nil {
			return ErrQuestionNotFound
		}
		v, err := s.viewerOf(ctx, actor, p.ID, c.ID)
		switch {
		case err != nil:
			return err
		case !v.Moderate:
			return ErrNotModerator
		case q.Hidden():
			return ErrHidden
		}
		if err := s.store.Hide(ctx, id, reason, s.opt.Now().UTC()); err != nil {
			return err
		}
		return s.changed(ctx, q.ProcessID, q.CommitmentID)
	})
	if err != nil {
		return Question{}, err
	}
	q, err := s.question(ctx, id)
	q.Body, q.BodyHTML = "", ""
	return q, err
}

// Calendar returns the process's working-day calendar (weekends and its
// public holidays), for other clocks counted in working days.
func (s *Service) Calendar(ctx context.Context, processID int64) (workdays.Calendar, error) {
	return s.calendar(ctx, processID)
}
