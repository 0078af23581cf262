package comment

// The moderation hooks: a comment's status and text as moderators set them,
// and the paragraph or idea counts that follow.

import (
	"context"

	"cocreate/internal/database"
)

// Redact replaces a comment's body (moderation's redaction of personal data),
// whatever the edit window.
func (s *Service) Redact(ctx context.Context, id int64, body string) error {
	body, html, err := prepareBody(body)
	if err != nil {
		return err
	}
	if err := s.store.Redact(ctx, id, body, html); err != nil {
		return err
	}
	t, err := s.store.Target(ctx, id)
	if err != nil {
		return err
	}
	return s.changed(ctx, t.doc, t.key)
}

// SetStatus is the moderation hook: it moves a comment to status and keeps the
// paragraph's counts right.
func (s *Service) SetStatus(ctx context.Context, id int64, status Status) error {
	t, err := s.store.Target(ctx, id)
	if err != nil {
		return err
	}
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		c, err := s.store.LockComment(ctx, t.doc, id)
		if err != nil || c.Status == status {
			return err
		}
		if err := s.store.SetStatus(ctx, id, status); err != nil {
			return err
		}
		switch {
		case c.DeletedAt != nil:
		case status == StatusPublished:
			err = s.countOnTarget(ctx, c, 1)
		case c.Status == StatusPublished:
			err = s.countOnTarget(ctx, c, -1)
		}
		if err != nil {
			return err
		}
		return s.changed(ctx, t.doc, c.AnchorKey)
	})
}

// countOnTarget adds (sign 1) or removes (sign -1) a comment from its idea's
// counters, or the comment and its votes from its paragraph's; a progress
// update keeps no counters.
func (s *Service) countOnTarget(ctx context.Context, c Comment, sign int) error {
	if c.ProgressUpdateID != nil {
		return nil
	}
	if c.IdeaID != nil {
		if s.opt.Ideas == nil {
			return nil
		}
		return s.opt.Ideas.CountComment(ctx, *c.IdeaID, sign)
	}
	if c.AnchorKey == nil {
		return nil // orphaned threads count on no paragraph
	}
	agree, disagree, err := s.store.VoteSums(ctx, c.ID)
	if err != nil {
		return err
	}
	return s.store.BumpParagraph(ctx, c.DocumentID, *c.AnchorKey, sign, sign*agree, sign*disagree)
}
