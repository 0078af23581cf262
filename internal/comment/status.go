package comment

// The moderation hooks: a comment's status and text as moderators set them,
// and the paragraph or idea counts that follow.

import (
	"context"
	"fmt"

	"cocreate/internal/apperr"
	"cocreate/internal/database"
	"cocreate/internal/markdown"
)

// Redact replaces a comment's body (moderation's redaction of personal data),
// whatever the edit window.
func (s *Service) Redact(ctx context.Context, id int64, body string) error {
	var f apperr.Fields
	body = validateBody(&f, body)
	if err := f.Err(CodeInvalid); err != nil {
		return err
	}
	html, err := markdown.Render(body)
	if err != nil {
		return err
	}
	res := database.Conn(ctx, s.db).Exec("UPDATE comments SET body = ?, body_html = ?, revision = revision + 1 WHERE id = ? AND deleted_at IS NULL",
		body, html, id)
	if res.Error != nil {
		return fmt.Errorf("comment: redact: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	t, err := s.targetOf(ctx, id)
	if err != nil {
		return err
	}
	return s.changed(ctx, t.doc)
}

// SetStatus is the moderation hook: it moves a comment to status and keeps the
// paragraph's counts right.
func (s *Service) SetStatus(ctx context.Context, id int64, status Status) error {
	t, err := s.targetOf(ctx, id)
	if err != nil {
		return err
	}
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		c, err := s.lockComment(ctx, t.doc, id)
		if err != nil || c.Status == status {
			return err
		}
		if err := database.Conn(ctx, s.db).Exec("UPDATE comments SET status = ? WHERE id = ?", status, id).Error; err != nil {
			return fmt.Errorf("comment: status: %w", err)
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
		return s.changed(ctx, t.doc)
	})
}

// lockComment takes the locks that changing a comment's visibility needs: its
// document's shared (against re-anchoring) and its own exclusively (waiting for
// votes in flight, so its counts are final), then reads it for update.
func (s *Service) lockComment(ctx context.Context, docID, id int64) (Comment, error) {
	conn := database.Conn(ctx, s.db)
	if err := conn.Exec("SELECT pg_advisory_xact_lock_shared(?, ?), pg_advisory_xact_lock(?, ?)",
		database.LockDocument, int32(docID), database.LockComment, int32(id)).Error; err != nil {
		return Comment{}, fmt.Errorf("comment: lock: %w", err)
	}
	var c Comment
	if err := conn.Raw("SELECT * FROM comments WHERE id = ? FOR UPDATE", id).Scan(&c).Error; err != nil {
		return Comment{}, fmt.Errorf("comment: load %d: %w", id, err)
	}
	if c.ID == 0 {
		return Comment{}, ErrNotFound
	}
	return c, nil
}

// countOnTarget adds (sign 1) or removes (sign -1) a comment from its idea's
// counters, or the comment and its votes from its paragraph's.
func (s *Service) countOnTarget(ctx context.Context, c Comment, sign int) error {
	if c.IdeaID != nil {
		if s.opt.Ideas == nil {
			return nil
		}
		return s.opt.Ideas.CountComment(ctx, *c.IdeaID, sign)
	}
	if c.AnchorKey == nil {
		return nil // orphaned threads count on no paragraph
	}
	var sums struct{ Agree, Disagree int }
	if err := database.Conn(ctx, s.db).Raw(`SELECT coalesce(sum(agree), 0) AS agree, coalesce(sum(disagree), 0) AS disagree
		FROM comment_vote_counts WHERE comment_id = ?`, c.ID).Scan(&sums).Error; err != nil {
		return fmt.Errorf("comment: vote sums: %w", err)
	}
	return s.bumpParagraph(ctx, c.DocumentID, *c.AnchorKey, sign, sign*sums.Agree, sign*sums.Disagree)
}
