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
}

// ideaRowSQL returns the columns of one idea that writes check.
const ideaRowSQL = `SELECT id, process_id, theme_id, author_id, status, moderation, revision, title FROM ideas WHERE id = ?`

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
	ProcessID    int64
	ThemeID      int64
	AuthorID     int64
	Channel      Channel
	Contributor  *string
	ReceivedOn   *time.Time
	Title        string
	Body         string
	BodyHTML     string
	DocumentID   *int64
	ParagraphKey *string
	Moderation   Moderation
	CreatedAt    time.Time
	SearchConfig string
	Fingerprint  *int64
	NearDup      any // contribution.NearDup of the text
}

// insertIdeaSQL stores a new idea and returns its id.
const insertIdeaSQL = `INSERT INTO ideas (process_id, theme_id, author_id, channel, contributor, received_on, title, body, body_html,
	document_id, paragraph_key, moderation, created_at, search_config, fingerprint, near_dup)
	VALUES (?, ?, ?, ?, ?, CAST(? AS date), ?, ?, ?, ?, ?, ?, ?, ?::regconfig, ?, ?) RETURNING id`

// Insert stores a new idea and returns its id.
func (s *Store) Insert(ctx context.Context, in newIdea) (int64, error) {
	var id int64
	err := database.Conn(ctx, s.db).Raw(insertIdeaSQL, in.ProcessID, in.ThemeID, in.AuthorID, in.Channel, in.Contributor, contribution.DateParam(in.ReceivedOn), in.Title,
		in.Body, in.BodyHTML, in.DocumentID, in.ParagraphKey, in.Moderation, in.CreatedAt, in.SearchConfig, in.Fingerprint,
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

// textEdit is an idea's new text, theme and near-duplicate hash.
type textEdit struct {
	Title    string
	Body     string
	BodyHTML string
	ThemeID  int64
	EditedAt time.Time
	NearDup  any // contribution.NearDup of the text
}

// editSQL replaces an idea's text and theme and bumps its revision.
const editSQL = `UPDATE ideas SET title = ?, body = ?, body_html = ?, theme_id = ?,
	revision = revision + 1, edited_at = ?, near_dup = ? WHERE id = ?`

// Edit replaces the idea's text and theme and bumps its revision.
func (s *Store) Edit(ctx context.Context, id int64, e textEdit) error {
	if err := database.Conn(ctx, s.db).Exec(editSQL, e.Title, e.Body, e.BodyHTML, e.ThemeID, e.EditedAt, e.NearDup, id).Error; err != nil {
		return fmt.Errorf("idea store: edit %d: %w", id, err)
	}
	return nil
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

// redactSQL replaces an idea's body, and its title unless the first argument is true.
const redactSQL = `UPDATE ideas SET title = CASE WHEN ? THEN title ELSE ? END, body = ?, body_html = ?,
	revision = revision + 1 WHERE id = ?`

// Redact replaces the idea's body and, unless keepTitle, its title.
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
