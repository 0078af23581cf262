package moderation

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
)

// Mine is one of the author's contributions in moderation, as they see it.
type Mine struct {
	Item
	Reason            *Reason
	ReasonDescription *string
	Explanation       *string
	Outcome           *Outcome
	AppealableUntil   *time.Time
	Appealed          bool
}

// MyItems returns actor's contributions that moderation held or decided, newest first.
func (s *Service) MyItems(ctx context.Context, actor auth.Principal) ([]Mine, error) {
	return s.mine(ctx, actor, 0)
}

// mine returns actor's items as they see them; only, when not 0, narrows them
// to that item.
func (s *Service) mine(ctx context.Context, actor auth.Principal, only int64) ([]Mine, error) {
	items, err := s.store.Authored(ctx, actor.UserID, only)
	if err != nil {
		return nil, err
	}
	out := make([]Mine, len(items))
	now := s.opt.Now()
	for n, it := range items {
		out[n] = Mine{Item: it, Appealed: it.AppealedAt != nil}
		d := it.LastDecision
		if d == nil || d.Outcome == OutcomeEscalate {
			continue
		}
		out[n].Outcome, out[n].Reason = &d.Outcome, d.Reason
		if d.Explanation != "" {
			out[n].Explanation = &d.Explanation
		}
		if d.Reason != nil {
			st, err := s.settingsOf(ctx, it.ProcessID)
			if err != nil {
				return nil, err
			}
			desc := describe(st, *d.Reason)
			out[n].ReasonDescription = &desc
		}
		// A rejected edit left the published text in place: there is nothing to appeal.
		if d.Outcome == OutcomeReject && it.State == stateDecided && it.AppealedAt == nil && it.Status == statusRejected {
			until := d.CreatedAt.Add(AppealWindow)
			if now.Before(until) {
				out[n].AppealableUntil = &until
			}
		}
	}
	return out, nil
}

// Appeal lets the author appeal a rejection once, within AppealWindow; the
// item returns to the queue for a moderator other than the one who decided.
// Only a rejected contribution is appealed: a rejected edit left its
// contribution published, and its author may edit again.
func (s *Service) Appeal(ctx context.Context, actor auth.Principal, id int64, note string) (Mine, error) {
	if !actor.Can(auth.PermContribute) {
		return Mine{}, ErrForbidden
	}
	note = strings.TrimSpace(note)
	if n := utf8.RuneCountInString(note); n == 0 || n > 2000 {
		return Mine{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "note", Code: "length", Message: "1 to 2000 characters"})
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		it, err := s.store.LockItem(ctx, id)
		if err != nil {
			return err
		}
		if it.AuthorID != actor.UserID {
			return ErrNotFound
		}
		last, decided, err := s.store.LastDecision(ctx, id)
		if err != nil {
			return err
		}
		target, err := s.store.TargetOf(ctx, it)
		if err != nil {
			return err
		}
		now := s.opt.Now().UTC()
		switch {
		case it.AppealedAt != nil:
			return ErrAppealUsed
		case it.State != stateDecided || !decided || last.Outcome != OutcomeReject || target.Status != statusRejected:
			return ErrNotAppealable
		case now.Sub(last.CreatedAt) > AppealWindow:
			return ErrAppealClosed
		}
		return s.store.MarkAppealed(ctx, id, last.ModeratorID, note, now)
	})
	if err != nil {
		return Mine{}, err
	}
	mine, err := s.mine(ctx, actor, id)
	if err != nil || len(mine) == 0 {
		return Mine{}, errors.Join(err, ErrNotFound)
	}
	return mine[0], nil
}
