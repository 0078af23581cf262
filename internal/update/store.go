package update

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// Store reads and writes updates.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

const updateColumns = `id, process_id, title, body, body_html, published_at, created_by, edited_at`

// pageSQL lists a process's updates newest first, after a position
// (published_at, id) of an earlier page unless @first; one index range
// (process_updates_process).
const pageSQL = `SELECT ` + updateColumns + ` FROM process_updates
WHERE process_id = @process AND (@first OR (published_at, id) < (@at, @id))
ORDER BY published_at DESC, id DESC
LIMIT @limit`

// position is where a page of updates starts: after the update at (At, ID).
type position struct {
	At time.Time
	ID int64
}

// Page returns up to n updates of the process after pos (nil: from the newest).
func (s *Store) Page(ctx context.Context, processID int64, pos *position, n int) ([]Update, error) {
	args := map[string]any{"process": processID, "first": pos == nil, "at": time.Time{}, "id": int64(0), "limit": n}
	if pos != nil {
		args["at"], args["id"] = pos.At, pos.ID
	}
	var us []Update
	if err := database.Conn(ctx, s.db).Raw(pageSQL, args).Scan(&us).Error; err != nil {
		return nil, fmt.Errorf("update store: page of %d: %w", processID, err)
	}
	return us, nil
}

// insertSQL stores a new update and returns it.
const insertSQL = `INSERT INTO process_updates (process_id, title, body, body_html, published_at, created_by)
VALUES (?, ?, ?, ?, ?, ?) RETURNING ` + updateColumns

// Insert stores u (its ID and the rest come back from the database).
func (s *Store) Insert(ctx context.Context, u Update) (Update, error) {
	var out Update
	err := database.Conn(ctx, s.db).Raw(insertSQL, u.ProcessID, u.Title, u.Body, u.BodyHTML, u.PublishedAt, u.CreatedBy).Scan(&out).Error
	if err != nil {
		return Update{}, fmt.Errorf("update store: insert in %d: %w", u.ProcessID, err)
	}
	return out, nil
}

// lockSQL reads one update of a process and locks it until the transaction ends.
const lockSQL = `SELECT ` + updateColumns + ` FROM process_updates WHERE id = ? AND process_id = ? FOR UPDATE`

// Lock returns the update with id in the process, locked, or ErrNotFound.
func (s *Store) Lock(ctx context.Context, processID, id int64) (Update, error) {
	var us []Update
	if err := database.Conn(ctx, s.db).Raw(lockSQL, id, processID).Scan(&us).Error; err != nil {
		return Update{}, fmt.Errorf("update store: lock %d: %w", id, err)
	}
	if len(us) == 0 {
		return Update{}, ErrNotFound
	}
	return us[0], nil
}

// editSQL replaces an update's title and body; edited_at is the statement's
// wall clock, so two edits never share it (editors send it back to prove
// they read the latest).
const editSQL = `UPDATE process_updates SET title = ?, body = ?, body_html = ?, edited_at = clock_timestamp()
WHERE id = ? RETURNING ` + updateColumns

// Edit writes u's title and body and returns the update as stored.
func (s *Store) Edit(ctx context.Context, u Update) (Update, error) {
	var out Update
	if err := database.Conn(ctx, s.db).Raw(editSQL, u.Title, u.Body, u.BodyHTML, u.ID).Scan(&out).Error; err != nil {
		return Update{}, fmt.Errorf("update store: edit %d: %w", u.ID, err)
	}
	return out, nil
}

// deleteSQL removes one update of a process.
const deleteSQL = `DELETE FROM process_updates WHERE id = ? AND process_id = ?`

// Delete removes the update with id from the process, or returns ErrNotFound.
func (s *Store) Delete(ctx context.Context, processID, id int64) error {
	res := database.Conn(ctx, s.db).Exec(deleteSQL, id, processID)
	if res.Error != nil {
		return fmt.Errorf("update store: delete %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
