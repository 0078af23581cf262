package comment

// An author's own changes: edits within the edit window, and deletion.

import (
	"context"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/contribution"
	"cocreate/internal/database"
)

// Edit replaces the body of the actor's own comment within the edit window;
// revision must be the comment's current one. The edit passes the moderation
// screen as a new comment does (its posting interval included). A held edit
// of a published comment waits beside the published text (PendingBody) until
// a moderator decides it; a comment not yet published is edited in place and
// stays held. A comment a moderator rejected or redacted, or that flags hid,
// refuses the edit (ErrModerated).
func (s *Service) Edit(ctx context.Context, actor auth.Principal, id int64, body string, revision int) (Comment, error) {
	if !actor.Can(auth.PermContribute) {
		return Comment{}, ErrForbidden
	}
	body, html, err := prepareBody(body)
	if err != nil {
		return Comment{}, err
	}
	// What never changes (author, place, age) and what usually refuses an
	// edit are checked before the screen counts it against the posting
	// interval; the locked row is checked again below.
	t, err := s.store.EditTarget(ctx, id)
	if err != nil {
		return Comment{}, err
	}
	if err := s.editable(actor, t.AuthorID, t.Status, t.DeletedAt, t.CreatedAt); err != nil {
		return Comment{}, err
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		// The screen locks the comment's moderation item before the row is
		// locked here: decisions take the item, then the comment.
		sc := contribution.Screening{}
		if s.opt.Screen != nil {
			if sc, err = s.opt.Screen(ctx, contribution.Draft{Kind: contribution.KindComment, ProcessID: t.ProcessID, DocumentID: t.DocumentID,
				IdeaID: t.IdeaID, ParentID: t.ParentID, AuthorID: actor.UserID, Body: body, OnBehalf: t.Channel.Offline(), Edit: id}); err != nil {
				return err
			}
		}
		c, err := s.store.ForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if err := s.editable(actor, c.AuthorID, c.Status, c.DeletedAt, c.CreatedAt); err != nil {
			return err
		}
		if c.Revision != revision {
			return ErrStale
		}
		now := s.opt.Now().UTC()
		if sc.Held && c.Status == StatusPublished {
			err = s.store.EditPending(ctx, id, body, html, sc.Fingerprint)
		} else {
			err = s.store.Edit(ctx, id, body, html, sc.Fingerprint, now)
		}
		if err != nil {
			return err
		}
		if err := record(ctx, sc, id); err != nil {
			return err
		}
		return s.changed(ctx, c.DocumentID, c.AnchorKey)
	})
	if err != nil {
		return Comment{}, err
	}
	return s.Get(ctx, id)
}

// editable says whether actor may edit a comment with these facts now.
func (s *Service) editable(actor auth.Principal, author int64, status Status, deleted *time.Time, created time.Time) error {
	switch {
	case author != actor.UserID:
		return ErrForbidden
	case deleted != nil:
		return ErrDeleted
	case status == StatusRejected || status == StatusHidden:
		return ErrModerated
	case s.opt.Now().Sub(created) > s.opt.EditWindow:
		return ErrEditWindow
	}
	return nil
}

// ApplyEdit is the moderation hook of an approval: the comment's waiting
// edit replaces its published text. It does nothing when no edit waits.
func (s *Service) ApplyEdit(ctx context.Context, id int64) error {
	applied, err := s.store.ApplyEdit(ctx, id, s.opt.Now().UTC())
	if err != nil || !applied {
		return err
	}
	t, err := s.store.Target(ctx, id)
	if err != nil {
		return err
	}
	return s.changed(ctx, t.doc, t.key)
}

// DiscardEdit is the moderation hook of a rejection: the comment's waiting
// edit goes, its published text stays. It does nothing when no edit waits.
func (s *Service) DiscardEdit(ctx context.Context, id int64) error {
	discarded, err := s.store.DiscardEdit(ctx, id)
	if err != nil || !discarded {
		return err
	}
	t, err := s.store.Target(ctx, id)
	if err != nil {
		return err
	}
	return s.changed(ctx, t.doc, t.key)
}

// Delete turns the actor's own comment into a tombstone: its text and author
// go, its place in the thread stays so replies remain readable.
func (s *Service) Delete(ctx context.Context, actor auth.Principal, id int64) (int64, error) {
	if !actor.Can(auth.PermContribute) {
		return 0, ErrForbidden
	}
	t, err := s.store.Target(ctx, id)
	if err != nil {
		return 0, err
	}
	return t.doc, database.InTx(ctx, s.db, func(ctx context.Context) error {
		c, err := s.store.LockComment(ctx, t.doc, id)
		switch {
		case err != nil:
			return err
		case c.AuthorID != actor.UserID:
			return ErrForbidden
		case c.DeletedAt != nil:
			return nil
		}
		if err := s.store.Tombstone(ctx, id, s.opt.Now().UTC()); err != nil {
			return err
		}
		if c.Status == StatusPublished {
			if err := s.countOnTarget(ctx, c, -1); err != nil {
				return err
			}
		}
		return s.changed(ctx, t.doc, c.AnchorKey)
	})
}
