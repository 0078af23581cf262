package idea

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/contribution"
	"cocreate/internal/database"
)

// Store holds every statement on ideas, their themes, rules, supports and
// counters; the service keeps the rules and the transactions.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// lockIdeaSQL takes an idea's lock exclusively until the transaction ends.
const lockIdeaSQL = `SELECT pg_advisory_xact_lock(?, ?)`

// lockIdeaSharedSQL takes an idea's lock shared until the transaction ends.
const lockIdeaSharedSQL = `SELECT pg_advisory_xact_lock_shared(?, ?)`

// LockIdea takes the idea's advisory lock (database.LockIdea), shared or
// exclusive, in the transaction of ctx.
func (s *Store) LockIdea(ctx context.Context, id int64, shared bool) error {
	q := lockIdeaSQL
	if shared {
		q = lockIdeaSharedSQL
	}
	if err := database.Conn(ctx, s.db).Exec(q, database.LockIdea, int32(id)).Error; err != nil {
		return fmt.Errorf("idea store: lock %d: %w", id, err)
	}
	return nil
}

// ideaRow is an idea's own row, as the rules of writes need it.
type ideaRow struct {
	ID         int64
	ProcessID  int64
	ThemeID    int64
	AuthorID   int64
	Status     Status
	Moderation Moderation
	Revision   int
	Title      string
	Body       string
	Channel    Channel
	// The edit waiting for a moderator, if one does.
	PendingTitle *string
	PendingBody  *string
}

// ideaRowSQL returns the columns of one idea that writes check.
const ideaRowSQL = `SELECT id, process_id, theme_id, author_id, status, moderation, revision, title, body, channel,
	pending_title, pending_body FROM ideas WHERE id = ?`

// Row returns the idea's own row, or ErrNotFound.
func (s *Store) Row(ctx context.Context, id int64) (ideaRow, error) {
	var row ideaRow
	if err := database.Conn(ctx, s.db).Raw(ideaRowSQL, id).Scan(&row).Error; err != nil {
		return ideaRow{}, fmt.Errorf("idea store: load %d: %w", id, err)
	}
	if row.ID == 0 {
		return ideaRow{}, ErrNotFound
	}
	return row, nil
}

// newIdea is what Insert writes.
type newIdea struct {
	ProcessID     int64
	ThemeID       int64
	AuthorID      int64
	Channel       Channel
	Contributor   *string
	ReceivedOn    *time.Time
	Title         string
	Body          string
	BodyHTML      string
	DocumentID    *int64
	ParagraphKey  *string
	Moderation    Moderation
	CreatedAt     time.Time
	SearchConfigs []string // the process's languages' configurations, first language first
	Fingerprint   *int64
	NearDup       any // contribution.NearDup of the text
}

// insertIdeaSQL stores a new idea and returns its id.
const insertIdeaSQL = `INSERT INTO ideas (process_id, theme_id, author_id, channel, contributor, received_on, title, body, body_html,
	document_id, paragraph_key, moderation, created_at, search_config, search_extra, fingerprint, near_dup)
	VALUES (?, ?, ?, ?, ?, CAST(? AS date), ?, ?, ?, ?, ?, ?, ?, ?::regconfig, CAST(? AS regconfig[]), ?, ?) RETURNING id`

// Insert stores a new idea and returns its id.
func (s *Store) Insert(ctx context.Context, in newIdea) (int64, error) {
	var id int64
	err := database.Conn(ctx, s.db).Raw(insertIdeaSQL, in.ProcessID, in.ThemeID, in.AuthorID, in.Channel, in.Contributor, contribution.DateParam(in.ReceivedOn), in.Title,
		in.Body, in.BodyHTML, in.DocumentID, in.ParagraphKey, in.Moderation, in.CreatedAt, in.SearchConfigs[0], database.TextArray(in.SearchConfigs[1:]), in.Fingerprint,
		in.NearDup).Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("idea store: insert: %w", err)
	}
	return id, nil
}

// usedSQL returns whether an idea has supports or comments.
const usedSQL = `SELECT EXISTS (SELECT 1 FROM idea_supports WHERE idea_id = @id)
	OR EXISTS (SELECT 1 FROM comments WHERE idea_id = @id)`

// Used reports whether the idea has supports or comments.
func (s *Store) Used(ctx context.Context, id int64) (bool, error) {
	var used bool
	if err := database.Conn(ctx, s.db).Raw(usedSQL, map[string]any{"id": id}).Scan(&used).Error; err != nil {
		return false, fmt.Errorf("idea store: edit check %d: %w", id, err)
	}
	return used, nil
}

// textEdit is an idea's new text, theme, fingerprint (0: keep the stored
// one) and near-duplicate hash.
type textEdit struct {
	Title       string
	Body        string
	BodyHTML    string
	ThemeID     int64
	EditedAt    time.Time
	Fingerprint int64
	NearDup     any // contribution.NearDup of the text
}

// editSQL replaces an idea's text and theme and bumps its revision.
const editSQL = `UPDATE ideas SET title = ?, body = ?, body_html = ?, theme_id = ?, fingerprint = coalesce(?, fingerprint),
	revision = revision + 1, edited_at = ?, near_dup = ? WHERE id = ?`

// Edit replaces the idea's text and theme and bumps its revision.
func (s *Store) Edit(ctx context.Context, id int64, e textEdit) error {
	if err := database.Conn(ctx, s.db).Exec(editSQL, e.Title, e.Body, e.BodyHTML, e.ThemeID, nullFingerprint(e.Fingerprint), e.EditedAt,
		e.NearDup, id).Error; err != nil {
		return fmt.Errorf("idea store: edit %d: %w", id, err)
	}
	return nil
}

// editPendingSQL stores an edit's text to wait for a moderator beside the
// published text (replacing an earlier waiting one), applies its theme and
// bumps the revision.
const editPendingSQL = `UPDATE ideas SET pending_title = ?, pending_body = ?, pending_body_html = ?, pending_fingerprint = ?,
	theme_id = ?, revision = revision + 1 WHERE id = ?`

// EditPending stores the text of an edit beside the published one, to wait
// for a moderator, and applies its theme.
func (s *Store) EditPending(ctx context.Context, id int64, e textEdit) error {
	if err := database.Conn(ctx, s.db).Exec(editPendingSQL, e.Title, e.Body, e.BodyHTML, nullFingerprint(e.Fingerprint), e.ThemeID, id).
		Error; err != nil {
		return fmt.Errorf("idea store: pending edit %d: %w", id, err)
	}
	return nil
}

// setThemeSQL moves an idea to another theme and bumps its revision.
const setThemeSQL = `UPDATE ideas SET theme_id = ?, revision = revision + 1, edited_at = ? WHERE id = ?`

// SetTheme moves an idea to another theme (an edit that keeps its text).
func (s *Store) SetTheme(ctx context.Context, id, themeID int64, at time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(setThemeSQL, themeID, at, id).Error; err != nil {
		return fmt.Errorf("idea store: theme of %d: %w", id, err)
	}
	return nil
}

// applyEditSQL puts an idea's waiting edit in place of its text, as edited at
// the time given, and returns the new title and body (no row when none waits).
const applyEditSQL = `UPDATE ideas SET title = pending_title, body = pending_body, body_html = pending_body_html,
	fingerprint = coalesce(pending_fingerprint, fingerprint), pending_title = NULL, pending_body = NULL, pending_body_html = NULL,
	pending_fingerprint = NULL, revision = revision + 1, edited_at = ?
	WHERE id = ? AND pending_body IS NOT NULL RETURNING title, body`

// ApplyEdit puts the idea's waiting edit in place of its text at now; false
// when none waited.
func (s *Store) ApplyEdit(ctx context.Context, id int64, now time.Time) (bool, error) {
	var rows []struct{ Title, Body string }
	conn := database.Conn(ctx, s.db)
	if err := conn.Raw(applyEditSQL, now, id).Scan(&rows).Error; err != nil {
		return false, fmt.Errorf("idea store: apply edit %d: %w", id, err)
	}
	if len(rows) == 0 {
		return false, nil
	}
	if err := conn.Exec("UPDATE ideas SET near_dup = ? WHERE id = ?", contribution.NearDup(rows[0].Title+"\n"+rows[0].Body), id).Error; err != nil {
		return false, fmt.Errorf("idea store: apply edit %d: near dup: %w", id, err)
	}
	return true, nil
}

// discardEditSQL drops an idea's waiting edit and bumps its revision; it returns nothing.
const discardEditSQL = `UPDATE ideas SET pending_title = NULL, pending_body = NULL, pending_body_html = NULL, pending_fingerprint = NULL,
	revision = revision + 1 WHERE id = ? AND pending_body IS NOT NULL`

// DiscardEdit drops the idea's waiting edit.
func (s *Store) DiscardEdit(ctx context.Context, id int64) error {
	if err := database.Conn(ctx, s.db).Exec(discardEditSQL, id).Error; err != nil {
		return fmt.Errorf("idea store: discard edit %d: %w", id, err)
	}
	return nil
}

// nullFingerprint stores "no fingerprint" (no screen ran) as NULL.
func nullFingerprint(f int64) *int64 {
	if f == 0 {
		return nil
	}
	return &f
}

// setStatusSQL sets an idea's status, what it was merged into and the response that set it.
const setStatusSQL = `UPDATE ideas SET status = ?, merged_into = ?, status_response_id = ?, status_changed_at = ?
	WHERE id = ?`

// SetStatus writes the idea's status, what it was merged into and the
// response that set it.
func (s *Store) SetStatus(ctx context.Context, id int64, to Status, mergedInto, responseID *int64, at time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(setStatusSQL, to, mergedInto, responseID, at, id).Error; err != nil {
		return fmt.Errorf("idea store: status of %d: %w", id, err)
	}
	return nil
}

// setModerationSQL moves an idea to a moderation state.
const setModerationSQL = `UPDATE ideas SET moderation = ? WHERE id = ?`

// SetModeration moves the idea to a moderation state, or returns ErrNotFound.
func (s *Store) SetModeration(ctx context.Context, id int64, m Moderation) error {
	res := database.Conn(ctx, s.db).Exec(setModerationSQL, m, id)
	if res.Error != nil {
		return fmt.Errorf("idea store: moderation of %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// redactSQL replaces an idea's body, and its title unless the first argument
// is true, and drops any edit waiting beside them.
const redactSQL = `UPDATE ideas SET title = CASE WHEN ? THEN coalesce(pending_title, title) ELSE ? END, body = ?, body_html = ?,
	pending_title = NULL, pending_body = NULL, pending_body_html = NULL, pending_fingerprint = NULL,
	revision = revision + 1 WHERE id = ?`

// Redact replaces the idea's body and, unless keepTitle, its title (the
// waiting edit's title when one waits: the moderator redacted that text).
func (s *Store) Redact(ctx context.Context, id int64, keepTitle bool, title, body, html string) error {
	if err := database.Conn(ctx, s.db).Exec(redactSQL, keepTitle, title, body, html, id).Error; err != nil {
		return fmt.Errorf("idea store: redact %d: %w", id, err)
	}
	return nil
}

// recipient is where an e-mail to an account goes.
type recipient struct {
	Email       *string
	DisplayName *string
}

// recipientSQL returns the address and name of a live account.
const recipientSQL = `SELECT email, display_name FROM users WHERE id = ? AND deleted_at IS NULL`

// Recipient returns the address and name of a live account; ok is false for
// an account that is gone.
func (s *Store) Recipient(ctx context.Context, userID int64) (r recipient, ok bool, err error) {
	var to []recipient
	if err := database.Conn(ctx, s.db).Raw(recipientSQL, userID).Scan(&to).Error; err != nil {
		return recipient{}, false, fmt.Errorf("idea store: recipient %d: %w", userID, err)
	}
	if len(to) == 0 {
		return recipient{}, false, nil
	}
	return to[0], true, nil
}
