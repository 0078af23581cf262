package repository

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// Store reads and writes repository items.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// itemRow is an item as its columns read; the date is read as text so no
// time zone can move it.
type itemRow struct {
	ID          int64     `gorm:"column:id"`
	ProcessID   int64     `gorm:"column:process_id"`
	Kind        Kind      `gorm:"column:kind"`
	Title       string    `gorm:"column:title"`
	Date        string    `gorm:"column:document_date"`
	Language    string    `gorm:"column:language"`
	BlobKey     *string   `gorm:"column:blob_key"`
	Filename    *string   `gorm:"column:filename"`
	ContentType *string   `gorm:"column:content_type"`
	SizeBytes   *int64    `gorm:"column:size_bytes"`
	SHA256      []byte    `gorm:"column:sha256"`
	ExternalURL *string   `gorm:"column:external_url"`
	CreatedAt   time.Time `gorm:"column:created_at"`
}

func (r itemRow) item() Item {
	it := Item{ID: r.ID, ProcessID: r.ProcessID, Kind: r.Kind, Title: r.Title, Date: r.Date, Language: r.Language,
		URL: r.ExternalURL, CreatedAt: r.CreatedAt}
	if r.BlobKey != nil && r.Filename != nil && r.ContentType != nil && r.SizeBytes != nil {
		it.File = &File{Key: *r.BlobKey, Name: *r.Filename, ContentType: *r.ContentType, Size: *r.SizeBytes, SHA256: r.SHA256}
	}
	return it
}

// itemColumns are the columns every read of items selects.
const itemColumns = `id, process_id, kind, title, to_char(document_date, 'YYYY-MM-DD') AS document_date, language,
	blob_key, filename, content_type, size_bytes, sha256, external_url, created_at`

// insertSQL stores an item (a file's facts or a link) and returns it.
const insertSQL = `
INSERT INTO repository_items (process_id, kind, title, document_date, language, blob_key, filename, content_type,
                              size_bytes, sha256, external_url, created_by, created_at)
VALUES (@process, @kind, @title, CAST(@date AS date), @language, @key, @filename, @content_type,
        @size, @sha256, @url, @created_by, @now)
RETURNING ` + itemColumns

// Insert stores it, added by createdBy (0 for the command line) at it.CreatedAt.
func (s *Store) Insert(ctx context.Context, it Item, createdBy int64) (Item, error) {
	args := map[string]any{"now": it.CreatedAt, "process": it.ProcessID, "kind": string(it.Kind), "title": it.Title, "date": it.Date,
		"language": it.Language, "key": nil, "filename": nil, "content_type": nil, "size": nil, "sha256": nil,
		"url": it.URL, "created_by": nil}
	if f := it.File; f != nil {
		args["key"], args["filename"], args["content_type"], args["size"], args["sha256"] = f.Key, f.Name, f.ContentType, f.Size, f.SHA256
	}
	if createdBy > 0 {
		args["created_by"] = createdBy
	}
	var row itemRow
	if err := database.Conn(ctx, s.db).Raw(insertSQL, args).Scan(&row).Error; err != nil {
		return Item{}, fmt.Errorf("repository store: insert into process %d: %w", it.ProcessID, err)
	}
	return row.item(), nil
}

// byIDSQL reads one item.
const byIDSQL = `SELECT ` + itemColumns + ` FROM repository_items WHERE id = @id`

// ByID returns the item with id, or ErrNotFound.
func (s *Store) ByID(ctx context.Context, id int64) (Item, error) {
	var rows []itemRow
	if err := database.Conn(ctx, s.db).Raw(byIDSQL, map[string]any{"id": id}).Scan(&rows).Error; err != nil {
		return Item{}, fmt.Errorf("repository store: by id %d: %w", id, err)
	}
	if len(rows) == 0 {
		return Item{}, ErrNotFound
	}
	return rows[0].item(), nil
}

// deleteSQL removes one item of a process and returns it, so the caller
// knows which blob to remove; nothing comes back when another request
// deleted it first.
const deleteSQL = `DELETE FROM repository_items WHERE id = @id RETURNING ` + itemColumns

// Delete removes the item with id and returns what it was, or ErrNotFound.
func (s *Store) Delete(ctx context.Context, id int64) (Item, error) {
	var rows []itemRow
	if err := database.Conn(ctx, s.db).Raw(deleteSQL, map[string]any{"id": id}).Scan(&rows).Error; err != nil {
		return Item{}, fmt.Errorf("repository store: delete %d: %w", id, err)
	}
	if len(rows) == 0 {
		return Item{}, ErrNotFound
	}
	return rows[0].item(), nil
}

// listSQL returns a page of a process's items, newest document first (ties
// by newest id), of one kind when @kind is not empty, after the cursor's
// (date, id) when @after; one row more than the page tells whether another
// page follows. The index repository_items_process serves it.
const listSQL = `
SELECT ` + itemColumns + `
FROM repository_items
WHERE process_id = @process
  AND (@kind = '' OR kind = @kind)
  AND (NOT @after OR (document_date, id) < (CAST(@after_date AS date), @after_id))
ORDER BY document_date DESC, id DESC
LIMIT @limit`

// listQuery is what listSQL needs.
type listQuery struct {
	ProcessID int64
	Kind      Kind
	After     bool
	AfterDate string
	AfterID   int64
	Limit     int
}

// List returns up to q.Limit items (see listSQL).
func (s *Store) List(ctx context.Context, q listQuery) ([]Item, error) {
	afterDate := q.AfterDate
	if !q.After {
		afterDate = "1970-01-01"
	}
	var rows []itemRow
	err := database.Conn(ctx, s.db).Raw(listSQL, map[string]any{"process": q.ProcessID, "kind": string(q.Kind),
		"after": q.After, "after_date": afterDate, "after_id": q.AfterID, "limit": q.Limit}).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("repository store: list process %d: %w", q.ProcessID, err)
	}
	out := make([]Item, len(rows))
	for i, r := range rows {
		out[i] = r.item()
	}
	return out, nil
}

// allSQL returns every item of a process, in the list's order, for open data.
const allSQL = `SELECT ` + itemColumns + ` FROM repository_items WHERE process_id = @process ORDER BY document_date DESC, id DESC`

// All returns every item of a process.
func (s *Store) All(ctx context.Context, processID int64) ([]Item, error) {
	var rows []itemRow
	if err := database.Conn(ctx, s.db).Raw(allSQL, map[string]any{"process": processID}).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("repository store: all of process %d: %w", processID, err)
	}
	out := make([]Item, len(rows))
	for i, r := range rows {
		out[i] = r.item()
	}
	return out, nil
}
