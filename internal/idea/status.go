package idea

import (
	"context"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/markdown"
	"cocreate/internal/process"
)

// Withdraw sets the actor's own idea to withdrawn, the one status an author
// sets. Its supports stop counting toward their givers' limits. Withdrawing
// again changes nothing.
func (s *Service) Withdraw(ctx context.Context, actor auth.Principal, id int64) (Idea, error) {
	if !actor.Can(auth.PermContribute) {
		return Idea{}, ErrForbidden
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		row, err := s.lockIdea(ctx, id, true)
		switch {
		case err != nil:
			return err
		case row.AuthorID != actor.UserID:
			return ErrForbidden.WithMessage("only the author may withdraw an idea")
		case row.Status == StatusWithdrawn:
			return nil
		case row.Status != StatusSubmitted && row.Status != StatusUnderReview:
			return ErrNotWithdrawable
		}
		return s.setStatus(ctx, id, StatusWithdrawn, nil, nil)
	})
	if err != nil {
		return Idea{}, err
	}
	return s.get(ctx, actor, id)
}

func (s *Service) setStatus(ctx context.Context, id int64, to Status, mergedInto, responseID *int64) error {
	return s.store.SetStatus(ctx, id, to, mergedInto, responseID, s.opt.Now().UTC())
}

// SetStatus is the one transition a published reasoned response makes: it sets
// the idea's status and records the response. It runs in the caller's
// transaction when ctx carries one. Withdrawn (the author's) and merged (a
// merge's) cannot be set this way, and neither can a withdrawn or merged idea
// be answered into another status.
func (s *Service) SetStatus(ctx context.Context, id int64, to Status, responseID int64) error {
	switch to {
	case StatusUnderReview, StatusAccepted, StatusAmended, StatusRejected, StatusOutOfScope:
	default:
		return ErrBadTransition
	}
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		row, err := s.lockIdea(ctx, id, true)
		if err != nil {
			return err
		}
		if row.Status == StatusWithdrawn || row.Status == StatusMerged {
			return ErrBadTransition.WithMessage("the idea is %s", row.Status)
		}
		return s.setStatus(ctx, id, to, nil, &responseID)
	})
}

// Discussable reports whether an idea takes new comments now: it is published,
// still open, and its process's idea-collection phase is open. In a
// transaction it holds the idea's lock shared until the end, so an edit or a
// merge waits for the comment. The idea of a process actor may not read is
// not found.
func (s *Service) Discussable(ctx context.Context, actor auth.Principal, id int64) (processID int64, err error) {
	row, err := s.lockIdea(ctx, id, false)
	if err != nil {
		return 0, err
	}
	if row.Moderation != ModerationPublished {
		return 0, s.heldFrom(ctx, actor, row)
	}
	if !row.Status.open() {
		return 0, ErrNotSupportable
	}
	return row.ProcessID, s.requireOpen(ctx, actor, row.ProcessID)
}

// heldFrom is the refusal of an action on an idea moderation holds, hid or
// rejected: ErrNotSupportable to those who may see it (its author, the
// process's moderators and owners, administrators), and to everyone else
// ErrNotFound, what a missing idea answers, so it does not tell them the
// idea exists.
func (s *Service) heldFrom(ctx context.Context, actor auth.Principal, row ideaRow) error {
	if actor.Authenticated() && row.AuthorID == actor.UserID {
		return ErrNotSupportable
	}
	a, err := s.procs.Access(ctx, actor, row.ProcessID)
	if err != nil {
		return err
	}
	if a.Can(process.SeeHeld) {
		return ErrNotSupportable
	}
	return ErrNotFound
}

// SetModeration is moderation's hook: it moves an idea to a moderation state.
func (s *Service) SetModeration(ctx context.Context, id int64, m Moderation) error {
	return s.store.SetModeration(ctx, id, m)
}

// Redact replaces an idea's body, and its title unless title is ""
// (moderation's redaction of personal data).
func (s *Service) Redact(ctx context.Context, id int64, title, body string) error {
	var f apperr.Fields
	keepTitle := title == ""
	if keepTitle {
		title = "x"
	}
	title, body = validateText(&f, title, body)
	if err := f.Err(CodeInvalid); err != nil {
		return err
	}
	html, err := markdown.Render(body)
	if err != nil {
		return err
	}
	return s.store.Redact(ctx, id, keepTitle, title, body, html)
}

// ApplyEdit is the moderation hook of an approval: the idea's waiting edit
// replaces its published title and text. It does nothing when none waits.
func (s *Service) ApplyEdit(ctx context.Context, id int64) error {
	_, err := s.store.ApplyEdit(ctx, id, s.opt.Now().UTC())
	return err
}

// DiscardEdit is the moderation hook of a rejection: the idea's waiting edit
// goes, its published title and text stay. It does nothing when none waits.
func (s *Service) DiscardEdit(ctx context.Context, id int64) error {
	return s.store.DiscardEdit(ctx, id)
}
