package document

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"cocreate/internal/database"
)

// Store reads and writes documents, their versions and their blocks.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// Insert stores a new document; the database sets its id and creation time.
func (s *Store) Insert(ctx context.Context, d *Document) error {
	if err := database.Conn(ctx, s.db).Select("process_id", "title", "language", "created_by").Create(d).Error; err != nil {
		return fmt.Errorf("document store: insert: %w", err)
	}
	return nil
}

// listSQL lists the documents of a process, oldest first, with the number of
// each one's latest published version (NULL for none).
const listSQL = `SELECT d.*, (SELECT max(number) FROM document_versions v
		WHERE v.document_id = d.id AND v.published_at IS NOT NULL) AS latest_number
		FROM documents d WHERE d.process_id = ? ORDER BY d.id`

// ListForProcess returns the documents of a process with their latest numbers.
func (s *Store) ListForProcess(ctx context.Context, processID int64) ([]Summary, error) {
	var out []Summary
	if err := database.Conn(ctx, s.db).Raw(listSQL, processID).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("document store: list of process %d: %w", processID, err)
	}
	return out, nil
}

// ByID returns a document, or ErrNotFound.
func (s *Store) ByID(ctx context.Context, id int64) (Document, error) {
	return s.by(ctx, id, false)
}

// ForUpdate returns a document locked until the transaction in ctx ends (which
// serialises imports and publications of it), or ErrNotFound.
func (s *Store) ForUpdate(ctx context.Context, id int64) (Document, error) {
	return s.by(ctx, id, true)
}

func (s *Store) by(ctx context.Context, id int64, forUpdate bool) (Document, error) {
	var d Document
	q := database.Conn(ctx, s.db)
	if forUpdate {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Where("id = ?", id).Take(&d).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return Document{}, ErrNotFound
	case err != nil:
		return Document{}, fmt.Errorf("document store: by id %d: %w", id, err)
	}
	return d, nil
}

// Exists reports whether the document exists.
func (s *Store) Exists(ctx context.Context, id int64) (bool, error) {
	var n int64
	if err := database.Conn(ctx, s.db).Model(&Document{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return false, fmt.Errorf("document store: exists %d: %w", id, err)
	}
	return n > 0, nil
}

// processOfSQL returns a document's process and whether it is public.
const processOfSQL = `SELECT d.process_id, p.published_at IS NOT NULL AS public
FROM documents d JOIN processes p ON p.id = d.process_id WHERE d.id = ?`

// ProcessOf returns the id of the document's process and whether that
// process is public, or ErrNotFound.
func (s *Store) ProcessOf(ctx context.Context, id int64) (int64, bool, error) {
	var rows []struct {
		ProcessID int64 `gorm:"column:process_id"`
		Public    bool  `gorm:"column:public"`
	}
	if err := database.Conn(ctx, s.db).Raw(processOfSQL, id).Scan(&rows).Error; err != nil {
		return 0, false, fmt.Errorf("document store: process of %d: %w", id, err)
	}
	if len(rows) == 0 {
		return 0, false, ErrNotFound
	}
	return rows[0].ProcessID, rows[0].Public, nil
}

// LockAgainstComments takes the document's advisory lock exclusively: comment
// writers hold it shared, so once it is granted no comment is being written on
// the document's current version.
func (s *Store) LockAgainstComments(ctx context.Context, docID int64) error {
	if err := database.Conn(ctx, s.db).Exec("SELECT pg_advisory_xact_lock(?, ?)", database.LockDocument, int32(docID)).Error; err != nil {
		return fmt.Errorf("document store: lock %d: %w", docID, err)
	}
	return nil
}

// Versions returns a document's versions, oldest first; with publishedOnly,
// its published ones only.
func (s *Store) Versions(ctx context.Context, docID int64, publishedOnly bool) ([]Version, error) {
	q := database.Conn(ctx, s.db).Where("document_id = ?", docID).Order("number")
	if publishedOnly {
		q = q.Where("published_at IS NOT NULL")
	}
	var vs []Version
	if err := q.Find(&vs).Error; err != nil {
		return nil, fmt.Errorf("document store: versions of %d: %w", docID, err)
	}
	return vs, nil
}

// VersionByNumber returns version number of a document, or ErrVersionNotFound.
func (s *Store) VersionByNumber(ctx context.Context, docID int64, number int) (Version, error) {
	var v Version
	err := database.Conn(ctx, s.db).Where("document_id = ? AND number = ?", docID, number).Take(&v).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return Version{}, ErrVersionNotFound
	case err != nil:
		return Version{}, fmt.Errorf("document store: version %d of %d: %w", number, docID, err)
	}
	return v, nil
}

// VersionByID returns a version by id; a missing one is an error, as callers
// hold ids they just read.
func (s *Store) VersionByID(ctx context.Context, id int64) (Version, error) {
	var v Version
	if err := database.Conn(ctx, s.db).Where("id = ?", id).Take(&v).Error; err != nil {
		return Version{}, fmt.Errorf("document store: version %d: %w", id, err)
	}
	return v, nil
}

// Latest returns the latest published version of a document, or nil.
func (s *Store) Latest(ctx context.Context, docID int64) (*Version, error) {
	var vs []Version
	err := database.Conn(ctx, s.db).Where("document_id = ? AND published_at IS NOT NULL", docID).
		Order("number DESC").Limit(1).Find(&vs).Error
	if err != nil {
		return nil, fmt.Errorf("document store: latest of %d: %w", docID, err)
	}
	if len(vs) == 0 {
		return nil, nil
	}
	return &vs[0], nil
}

// latestNumberSQL returns the number of a document's latest published version, 0 for none.
const latestNumberSQL = "SELECT coalesce(max(number), 0) FROM document_versions WHERE document_id = ? AND published_at IS NOT NULL"

// LatestNumber returns the number of the latest published version (0 for none).
func (s *Store) LatestNumber(ctx context.Context, docID int64) (int, error) {
	var n int
	if err := database.Conn(ctx, s.db).Raw(latestNumberSQL, docID).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("document store: latest number of %d: %w", docID, err)
	}
	return n, nil
}

// nextNumberSQL returns the number the next version of a document takes.
const nextNumberSQL = "SELECT coalesce(max(number), 0) + 1 FROM document_versions WHERE document_id = ?"

// NextNumber returns the number the next version of a document takes.
func (s *Store) NextNumber(ctx context.Context, docID int64) (int, error) {
	var n int
	if err := database.Conn(ctx, s.db).Raw(nextNumberSQL, docID).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("document store: next number of %d: %w", docID, err)
	}
	return n, nil
}

// DropDrafts deletes a document's unpublished versions (their blocks go with them).
func (s *Store) DropDrafts(ctx context.Context, docID int64) error {
	if err := database.Conn(ctx, s.db).Exec("DELETE FROM document_versions WHERE document_id = ? AND published_at IS NULL", docID).Error; err != nil {
		return fmt.Errorf("document store: drop drafts of %d: %w", docID, err)
	}
	return nil
}

// InsertVersion stores a new unpublished version; the database sets its id and
// creation time.
func (s *Store) InsertVersion(ctx context.Context, v *Version) error {
	if err := database.Conn(ctx, s.db).Select("document_id", "number", "source_format", "note", "opens_at", "closes_at", "dropped").Create(v).Error; err != nil {
		return fmt.Errorf("document store: insert version: %w", err)
	}
	return nil
}

// InsertBlocks stores the blocks of a version, 500 rows a statement.
func (s *Store) InsertBlocks(ctx context.Context, blocks []Block) error {
	if err := database.Conn(ctx, s.db).CreateInBatches(blocks, 500).Error; err != nil {
		return fmt.Errorf("document store: insert blocks: %w", err)
	}
	return nil
}

// SetWindow sets the comment window of v, an unpublished version, in the
// row and in v.
func (s *Store) SetWindow(ctx context.Context, v *Version, opens, closes *time.Time) error {
	err := database.Conn(ctx, s.db).Model(v).Select("opens_at", "closes_at").
		Updates(map[string]any{"opens_at": opens, "closes_at": closes}).Error
	if err != nil {
		return fmt.Errorf("document store: window of version %d: %w", v.ID, err)
	}
	v.OpensAt, v.ClosesAt = opens, closes
	return nil
}

// MarkPublished sets the publication time of v, in the row and in v.
func (s *Store) MarkPublished(ctx context.Context, v *Version, at time.Time) error {
	if err := database.Conn(ctx, s.db).Model(v).Update("published_at", at).Error; err != nil {
		return fmt.Errorf("document store: publish version %d: %w", v.ID, err)
	}
	v.PublishedAt = &at
	return nil
}

// Blocks returns the blocks of a version in order.
func (s *Store) Blocks(ctx context.Context, versionID int64) ([]Block, error) {
	var bs []Block
	if err := database.Conn(ctx, s.db).Where("version_id = ?", versionID).Order("position").Find(&bs).Error; err != nil {
		return nil, fmt.Errorf("document store: blocks of version %d: %w", versionID, err)
	}
	return bs, nil
}

// usedKeysSQL lists every paragraph key any version of a document has used.
const usedKeysSQL = `SELECT DISTINCT b.key FROM blocks b JOIN document_versions v ON v.id = b.version_id
		WHERE v.document_id = ?`

// UsedKeys returns the paragraph keys any version of a document has used, so
// a new paragraph never reuses one.
func (s *Store) UsedKeys(ctx context.Context, docID int64) (map[string]bool, error) {
	var keys []string
	if err := database.Conn(ctx, s.db).Raw(usedKeysSQL, docID).Scan(&keys).Error; err != nil {
		return nil, fmt.Errorf("document store: keys of %d: %w", docID, err)
	}
	used := make(map[string]bool, len(keys))
	for _, k := range keys {
		used[k] = true
	}
	return used, nil
}
