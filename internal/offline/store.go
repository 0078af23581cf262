package offline

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/contribution"
	"cocreate/internal/database"
)

// Store reads and writes scans of originals and lists contributions received offline.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// insertSQL records a scan against its comment or idea and returns its id and time.
const insertSQL = `INSERT INTO contribution_attachments (comment_id, idea_id, blob_key, filename, content_type, size_bytes, created_by)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id, created_at`

// Insert records a scan and sets its id and time.
func (s *Store) Insert(ctx context.Context, a *Attachment) error {
	var rows []struct {
		ID        int64
		CreatedAt time.Time
	}
	err := database.Conn(ctx, s.db).Raw(insertSQL, a.CommentID, a.IdeaID, a.BlobKey, a.Filename, a.ContentType, a.SizeBytes,
		a.CreatedBy).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("offline store: insert attachment: %w", err)
	}
	if len(rows) != 1 {
		return fmt.Errorf("offline store: insert attachment: %d rows returned", len(rows))
	}
	a.ID, a.CreatedAt = rows[0].ID, rows[0].CreatedAt
	return nil
}

// attachmentSQL returns a scan with the process of the contribution it belongs to.
const attachmentSQL = `SELECT a.*, coalesce(i.process_id, d.process_id) AS process_id
FROM contribution_attachments a
LEFT JOIN ideas i ON i.id = a.idea_id
LEFT JOIN comments c ON c.id = a.comment_id
LEFT JOIN documents d ON d.id = c.document_id
WHERE a.id = ?`

// Attachment returns a scan with its process, or ErrAttachmentNotFound.
func (s *Store) Attachment(ctx context.Context, id int64) (Attachment, error) {
	var rows []Attachment
	if err := database.Conn(ctx, s.db).Raw(attachmentSQL, id).Scan(&rows).Error; err != nil {
		return Attachment{}, fmt.Errorf("offline store: attachment %d: %w", id, err)
	}
	if len(rows) == 0 || rows[0].ProcessID == 0 {
		return Attachment{}, ErrAttachmentNotFound
	}
	return rows[0], nil
}

// entriesSQL lists the contributions received offline of process @p (ideas,
// and undeleted comments on its drafts) before the position (@at, @kind, @id)
// in (created_at, kind, id) descending order, up to @n, with the public name
// of the account that entered each and its first scan. The partial indexes
// ideas_offline and comments_offline hold only such rows.
const entriesSQL = `WITH e AS (
	SELECT 'idea' AS kind, i.id, i.title, left(i.body, 280) AS excerpt, i.channel, i.contributor, i.received_on, i.created_at,
		i.moderation AS state, NULL::bigint AS document_id, NULL::text AS paragraph_key, i.author_id
	FROM ideas i
	WHERE i.process_id = @p AND i.channel <> 'online'
	UNION ALL
	SELECT 'comment', c.id, NULL, left(c.body, 280), c.channel, c.contributor, c.received_on, c.created_at,
		c.status, c.document_id, c.paragraph_key, c.author_id
	FROM comments c
	JOIN documents d ON d.id = c.document_id
	WHERE d.process_id = @p AND c.channel <> 'online' AND c.deleted_at IS NULL
)
SELECT e.kind, e.id, e.title, e.excerpt, e.channel, e.contributor, e.received_on, e.created_at, e.state, e.document_id,
	e.paragraph_key, coalesce(u.display_name, u.pseudonym) AS entered_by,
	a.id AS attachment_id, a.filename, a.content_type, a.size_bytes, a.created_at AS attached_at
FROM e
JOIN users u ON u.id = e.author_id
LEFT JOIN LATERAL (
	SELECT x.id, x.filename, x.content_type, x.size_bytes, x.created_at FROM contribution_attachments x
	WHERE (e.kind = 'idea' AND x.idea_id = e.id) OR (e.kind = 'comment' AND x.comment_id = e.id)
	ORDER BY x.id LIMIT 1) a ON true
WHERE (e.created_at, e.kind, e.id) < (@at, @kind, @id)
ORDER BY e.created_at DESC, e.kind DESC, e.id DESC
LIMIT @n`

// entryRow is one row of entriesSQL.
type entryRow struct {
	Kind         Kind
	ID           int64
	Title        *string
	Excerpt      string
	Channel      contribution.Channel
	Contributor  *string
	ReceivedOn   *time.Time
	CreatedAt    time.Time
	State        string
	DocumentID   *int64
	ParagraphKey *string
	EnteredBy    string
	AttachmentID *int64
	Filename     *string
	ContentType  *string
	SizeBytes    *int64
	AttachedAt   *time.Time
}

// Entries returns up to n contributions received offline of a process, newest
// first, after the cursor.
func (s *Store) Entries(ctx context.Context, processID int64, after entryCursor, n int) ([]Entry, error) {
	var rows []entryRow
	err := database.Conn(ctx, s.db).Raw(entriesSQL, map[string]any{"p": processID, "at": after.At, "kind": after.Kind, "id": after.ID,
		"n": n}).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("offline store: entries of %d: %w", processID, err)
	}
	out := make([]Entry, len(rows))
	for i, r := range rows {
		e := Entry{Kind: r.Kind, ID: r.ID, Title: r.Title, Excerpt: r.Excerpt, CreatedAt: r.CreatedAt, State: r.State,
			DocumentID: r.DocumentID, ParagraphKey: r.ParagraphKey, EnteredBy: r.EnteredBy,
			Provenance: contribution.Provenance{Channel: r.Channel, Contributor: r.Contributor, ReceivedOn: r.ReceivedOn}}
		if r.AttachmentID != nil {
			a := Attachment{ID: *r.AttachmentID, Filename: *r.Filename, ContentType: *r.ContentType, SizeBytes: *r.SizeBytes,
				CreatedAt: *r.AttachedAt, ProcessID: processID}
			if r.Kind == KindIdea {
				a.IdeaID = &e.ID
			} else {
				a.CommentID = &e.ID
			}
			e.Attachment = &a
		}
		out[i] = e
	}
	return out, nil
}
