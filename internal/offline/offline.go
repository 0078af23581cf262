// Package offline enters contributions received offline (OGP: submissions by
// post, phone, e-mail or at a meeting are entered and treated like online
// ones): a process owner enters an idea or a paragraph comment on its
// contributor's behalf, with its channel, the contributor's name as they
// agreed to publish it (or none), the date it was received and, optionally, a
// scan of the original. The contribution then goes through the same screen,
// moderation and responses as any other; the scan stays private to the
// process's owners and administrators and is never published or exported.
package offline

import (
	"time"

	"cocreate/internal/apperr"
	"cocreate/internal/contribution"
)

// CodeInvalid is the code of validation errors of an entry's own fields (its
// channel, its scan, its draft); the idea or comment rules add theirs.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "offline.invalid")

// Errors of entering contributions received offline.
var (
	ErrForbidden          = apperr.Forbidden("offline.forbidden", "only the process's owners and administrators enter contributions received offline")
	ErrAttachmentNotFound = apperr.NotFound("offline.attachment_not_found", "no such attachment")
)

// ScanTypes are the content types a scan of an original may have (detected
// from its bytes): a PDF or an image.
var ScanTypes = map[string]bool{
	"application/pdf": true,
	"image/png":       true,
	"image/jpeg":      true,
	"image/webp":      true,
	"image/gif":       true,
	"image/tiff":      true,
}

// Kind is what was entered: an idea or a comment on a paragraph.
type Kind string

// The kinds of entries.
const (
	KindIdea    Kind = "idea"
	KindComment Kind = "comment"
)

// Attachment is the private scan of an original, one row of
// contribution_attachments.
type Attachment struct {
	ID          int64     `gorm:"column:id;primaryKey"`
	CommentID   *int64    `gorm:"column:comment_id"`
	IdeaID      *int64    `gorm:"column:idea_id"`
	BlobKey     string    `gorm:"column:blob_key"`
	Filename    string    `gorm:"column:filename"`
	ContentType string    `gorm:"column:content_type"`
	SizeBytes   int64     `gorm:"column:size_bytes"`
	CreatedBy   *int64    `gorm:"column:created_by"`
	CreatedAt   time.Time `gorm:"column:created_at"`
	ProcessID   int64     `gorm:"column:process_id;->"` // joined by reads
}

// TableName maps Attachment to its table.
func (Attachment) TableName() string { return "contribution_attachments" }

// Entry is one contribution received offline as the owners' list shows it.
type Entry struct {
	Kind         Kind
	ID           int64
	Title        *string // an idea's
	Excerpt      string  // the start of the text
	Provenance   contribution.Provenance
	CreatedAt    time.Time
	State        string // an idea's moderation state, a comment's status
	DocumentID   *int64 // a comment's draft and paragraph
	ParagraphKey *string
	EnteredBy    string // the public name of the account that entered it
	Attachment   *Attachment
}

// Page is one page of entries, newest first, and the cursor of the next ("" on the last).
type Page struct {
	Items      []Entry
	NextCursor string
}
