package meeting

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/contribution"
	"cocreate/internal/database"
	"cocreate/internal/ledger"
	"cocreate/internal/markdown"
)

// The moderation statuses of written input (as comments have them).
const (
	InputPublished = "published"
	InputPending   = "pending"
)

// AgendaInput is someone's written input to a meeting's agenda.
type AgendaInput struct {
	ID         int64     `gorm:"column:id"`
	MeetingID  int64     `gorm:"column:meeting_id"`
	AuthorID   int64     `gorm:"column:author_id"`
	AuthorName string    `gorm:"column:author_name"`
	Body       string    `gorm:"column:body"`
	BodyHTML   string    `gorm:"column:body_html"`
	Status     string    `gorm:"column:status"`
	CreatedAt  time.Time `gorm:"column:created_at"`
}

// AddInput stores the caller's written input to a published meeting's
// agenda, until the meeting starts. It passes the moderation screen as a
// comment does: published at once, or held for a moderator (pending, shown
// to its author only) when the screen or the process's mode says so.
func (s *Service) AddInput(ctx context.Context, actor auth.Principal, id int64, body string) (AgendaInput, error) {
	if !actor.Can(auth.PermContribute) {
		return AgendaInput{}, ErrContributeForbidden
	}
	m, _, err := s.readable(ctx, actor, id, false)
	if err != nil {
		return AgendaInput{}, err
	}
	switch {
	case !m.Published():
		return AgendaInput{}, ErrNotPublished
	case !s.opt.Now().Before(m.StartsAt):
		return AgendaInput{}, ErrInputClosed
	}
	body = strings.TrimSpace(ledger.Normalize(body))
	switch n := utf8.RuneCountInString(body); {
	case n == 0 || !markdown.HasVisible(body):
		return AgendaInput{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "body", Code: "required", Message: "write something"})
	case n > MaxInputChars || strings.ContainsRune(body, 0):
		return AgendaInput{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "body", Code: "length",
			Message: fmt.Sprintf("at most %d characters", MaxInputChars)})
	}
	html, err := markdown.Render(body)
	if err != nil {
		return AgendaInput{}, fmt.Errorf("meeting: input: %w", err)
	}
	in := AgendaInput{MeetingID: m.ID, AuthorID: actor.UserID, Body: body, BodyHTML: html, Status: InputPublished,
		CreatedAt: s.opt.Now().UTC()}
	var sc contribution.Screening
	if s.opt.Screen != nil {
		sc, err = s.opt.Screen(ctx, contribution.Draft{Kind: contribution.KindAgendaInput, ProcessID: m.ProcessID, MeetingID: m.ID,
			AuthorID: actor.UserID, Body: body})
		if err != nil {
			return AgendaInput{}, err
		}
		if sc.Held {
			in.Status = InputPending
		}
	}
	// Held input and its place in the moderation queue are stored together.
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		var err error
		if in.ID, err = s.store.InsertInput(ctx, in, fingerprint(sc)); err != nil {
			return err
		}
		if sc.Record != nil {
			return sc.Record(ctx, in.ID)
		}
		return nil
	})
	if err != nil {
		return AgendaInput{}, err
	}
	return s.store.Input(ctx, in.ID)
}

// fingerprint is the screen's fingerprint of the text, NULL when no screen ran.
func fingerprint(sc contribution.Screening) *int64 {
	if sc.Fingerprint == 0 {
		return nil
	}
	return &sc.Fingerprint
}

// Inputs lists a meeting's published written input, oldest first, and the
// caller's own whatever its status (so an author sees what moderation holds).
func (s *Service) Inputs(ctx context.Context, actor auth.Principal, id int64) ([]AgendaInput, error) {
	m, _, err := s.readable(ctx, actor, id, false)
	if err != nil {
		return nil, err
	}
	return s.store.Inputs(ctx, m.ID, actor.UserID)
}
