package comment

// The store's statements of an author's edits: in place, or waiting beside
// the published text for a moderator, and that waiting edit's fate.

import (
	"context"
	"fmt"
	"time"

	"cocreate/internal/contribution"
	"cocreate/internal/database"
)

// editTargetSQL returns what an edit checks of a comment before taking any
// lock, with its process.
const editTargetSQL = `SELECT c.author_id, c.status, c.deleted_at, c.created_at, c.channel, coalesce(c.document_id, 0) AS document_id,
			c.idea_id, c.parent_id, coalesce(d.process_id, i.process_id, u.process_id) AS process_id
		FROM comments c LEFT JOIN documents d ON d.id = c.document_id LEFT JOIN ideas i ON i.id = c.idea_id
		LEFT JOIN progress_updates u ON u.id = c.progress_update_id WHERE c.id = ?`

// editSQL replaces a comment's body (and fingerprint, unless NULL is given)
// and counts the revision.
const editSQL = `UPDATE comments SET body = ?, body_html = ?, fingerprint = coalesce(?, fingerprint), revision = revision + 1,
			edited_at = ?, near_dup = ? WHERE id = ?`

// editPendingSQL stores an edit that waits for a moderator beside the
// published body (replacing an earlier waiting one) and counts the revision;
// the comment reads as edited once the edit is published.
const editPendingSQL = `UPDATE comments SET pending_body = ?, pending_body_html = ?, pending_fingerprint = ?, revision = revision + 1
			WHERE id = ?`

// applyEditSQL puts a live comment's waiting edit in place of its body, as
// edited at the time given, and returns the new body (no row when no edit waits).
const applyEditSQL = `UPDATE comments SET body = pending_body, body_html = pending_body_html,
			fingerprint = coalesce(pending_fingerprint, fingerprint), pending_body = NULL, pending_body_html = NULL,
			pending_fingerprint = NULL, revision = revision + 1, edited_at = ?
		WHERE id = ? AND pending_body IS NOT NULL AND deleted_at IS NULL RETURNING body`

// discardEditSQL drops a comment's waiting edit; it returns nothing.
const discardEditSQL = `UPDATE comments SET pending_body = NULL, pending_body_html = NULL, pending_fingerprint = NULL,
			revision = revision + 1 WHERE id = ? AND pending_body IS NOT NULL`

// editTarget is what an edit checks of a comment, and its process.
type editTarget struct {
	AuthorID   int64
	Status     Status
	DeletedAt  *time.Time
	CreatedAt  time.Time
	Channel    contribution.Channel
	DocumentID int64
	IdeaID     *int64
	ParentID   *int64
	ProcessID  int64
}

// EditTarget returns what an edit checks of a comment, without a lock, or ErrNotFound.
func (s *Store) EditTarget(ctx context.Context, id int64) (editTarget, error) {
	var rows []editTarget
	if err := database.Conn(ctx, s.db).Raw(editTargetSQL, id).Scan(&rows).Error; err != nil {
		return editTarget{}, fmt.Errorf("comment store: edit target %d: %w", id, err)
	}
	if len(rows) == 0 {
		return editTarget{}, ErrNotFound
	}
	return rows[0], nil
}

// Edit replaces the body of comment id, as its author edited it at now;
// fingerprint 0 keeps the stored one.
func (s *Store) Edit(ctx context.Context, id int64, body, html string, fingerprint int64, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(editSQL, body, html, nullFingerprint(fingerprint), now, contribution.NearDup(body), id).Error; err != nil {
		return fmt.Errorf("comment store: edit %d: %w", id, err)
	}
	return nil
}

// EditPending stores the author's edit of comment id beside its published
// body, to wait for a moderator.
func (s *Store) EditPending(ctx context.Context, id int64, body, html string, fingerprint int64) error {
	if err := database.Conn(ctx, s.db).Exec(editPendingSQL, body, html, nullFingerprint(fingerprint), id).Error; err != nil {
		return fmt.Errorf("comment store: pending edit %d: %w", id, err)
	}
	return nil
}

// ApplyEdit puts comment id's waiting edit in place of its body at now;
// false when no edit waited.
func (s *Store) ApplyEdit(ctx context.Context, id int64, now time.Time) (bool, error) {
	var bodies []string
	if err := database.Conn(ctx, s.db).Raw(applyEditSQL, now, id).Scan(&bodies).Error; err != nil {
		return false, fmt.Errorf("comment store: apply edit %d: %w", id, err)
	}
	if len(bodies) == 0 {
		return false, nil
	}
	if err := database.Conn(ctx, s.db).Exec("UPDATE comments SET near_dup = ? WHERE id = ?", contribution.NearDup(bodies[0]), id).Error; err != nil {
		return false, fmt.Errorf("comment store: apply edit %d: near dup: %w", id, err)
	}
	return true, nil
}

// DiscardEdit drops comment id's waiting edit; false when none waited.
func (s *Store) DiscardEdit(ctx context.Context, id int64) (bool, error) {
	res := database.Conn(ctx, s.db).Exec(discardEditSQL, id)
	if res.Error != nil {
		return false, fmt.Errorf("comment store: discard edit %d: %w", id, res.Error)
	}
	return res.RowsAffected > 0, nil
}
