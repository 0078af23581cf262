// Package document owns drafts: documents in a process, their immutable
// published versions split into blocks with stable paragraph keys, the
// alignment of a new version with the previous one, the re-location of comment
// anchors, and paragraph diffs.
package document

import (
	"time"

	"cocreate/internal/apperr"
)

// Document is a draft in a process.
type Document struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	ProcessID int64     `gorm:"column:process_id"`
	Title     string    `gorm:"column:title"`
	Language  string    `gorm:"column:language"`
	CreatedBy *int64    `gorm:"column:created_by"`
	CreatedAt time.Time `gorm:"column:created_at"`
}

// TableName maps Document to its table.
func (Document) TableName() string { return "documents" }

// Version is one import of a document: a draft until published, then immutable.
type Version struct {
	ID           int64      `gorm:"column:id;primaryKey"`
	DocumentID   int64      `gorm:"column:document_id"`
	Number       int        `gorm:"column:number"`
	SourceFormat Format     `gorm:"column:source_format"`
	Note         string     `gorm:"column:note"`
	OpensAt      *time.Time `gorm:"column:opens_at"`
	ClosesAt     *time.Time `gorm:"column:closes_at"`
	CreatedAt    time.Time  `gorm:"column:created_at"`
	PublishedAt  *time.Time `gorm:"column:published_at"`
	// Dropped is what the importer left out of the text as page furniture.
	Dropped DroppedLines `gorm:"column:dropped"`
}

// TableName maps Version to its table.
func (Version) TableName() string { return "document_versions" }

// Published reports whether the version has been published.
func (v Version) Published() bool { return v.PublishedAt != nil }

// Block is one block of a version.
type Block struct {
	VersionID  int64    `gorm:"column:version_id;primaryKey"`
	Position   int      `gorm:"column:position;primaryKey"`
	Key        string   `gorm:"column:key"`
	Kind       Kind     `gorm:"column:kind"`
	Level      int      `gorm:"column:level"`
	Section    string   `gorm:"column:section"`
	Text       string   `gorm:"column:text"`
	Hash       string   `gorm:"column:hash"`
	Change     Change   `gorm:"column:change"`
	Similarity *float64 `gorm:"column:similarity"`
}

// TableName maps Block to its table.
func (Block) TableName() string { return "blocks" }

// Limits of an import.
const (
	MaxSourceBytes = 2 << 20 // 2 MiB of source
	MaxBlocks      = 5000
	MaxBlockChars  = 20000
)

// Error codes of documents.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "document.invalid")

// Errors of the document service.
var (
	ErrNotFound        = apperr.NotFound("document.not_found", "no such document")
	ErrVersionNotFound = apperr.NotFound("document.version_not_found", "no such version of this document")
	ErrForbidden       = apperr.Forbidden("document.forbidden", "only an administrator or this process's owner may do this")
	ErrAlreadyPublic   = apperr.Conflict("document.version_published", "this version is already published and cannot change")
	ErrNotLatestDraft  = apperr.Conflict("document.not_latest_draft", "only the newest unpublished version can be published")
	ErrNoPublished     = apperr.NotFound("document.no_published_version", "this document has no published version yet")
)
