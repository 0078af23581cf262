package comment

// An author's own changes: edits within the edit window, and deletion.

import (
	"context"

	"cocreate/internal/auth"
	"cocreate/internal/database"
)

// Edit replaces the body of the actor's own comment within the edit window;
// revision must be the comment's current one.
func (s *Service) Edit(ctx context.Context, actor auth.Principal, id int64, body string, revision int) (Comment, error) {
	if !actor.Can(auth.PermContribute) {
		return Comment{}, ErrForbidden
	}
	body, html, err := prepareBody(body)
	if err != nil {
		return Comment{}, err
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		c, err := s.store.ForUpdate(ctx, id)
		switch {
		case err != nil:
			return err
		case c.AuthorID != actor.UserID:
			return ErrForbidden
		case c.DeletedAt != nil:
			return ErrDeleted
		case c.Revision != revision:
			return ErrStale
		case s.opt.Now().Sub(c.CreatedAt) > s.opt.EditWindow:
			return ErrEditWindow
		}
		if err := s.store.Edit(ctx, id, body, html, s.opt.Now().UTC()); err != nil {
			return err
		}
		return s.changed(ctx, c.DocumentID)
	})
	if err != nil {
		return Comment{}, err
	}
	return s.Get(ctx, id)
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
		return s.changed(ctx, t.doc)
	})
}
