// Package update owns the updates of a process: short dated news posts its
// owners publish while the plan is drafted and implemented (OGP asks for
// regular updates), shown on the process page, newest first.
package update

import (
	"time"

	"cocreate/internal/apperr"
)

// Update is one row of process_updates.
type Update struct {
	ID          int64      `gorm:"column:id;primaryKey"`
	ProcessID   int64      `gorm:"column:process_id"`
	Title       string     `gorm:"column:title"`
	Body        string     `gorm:"column:body"`      // Markdown
	BodyHTML    string     `gorm:"column:body_html"` // rendered and sanitised
	PublishedAt time.Time  `gorm:"column:published_at"`
	CreatedBy   *int64     `gorm:"column:created_by"`
	EditedAt    *time.Time `gorm:"column:edited_at"`
}

// TableName maps Update to its table.
func (Update) TableName() string { return "process_updates" }

// The limits of an update; the migration's checks say the same.
const (
	MaxTitle = 200
	MaxBody  = 20000
	// MaxPageSize bounds every page of updates.
	MaxPageSize = 50
)

// CodeInvalid is the code of validation errors; the field list says what is wrong.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "update.invalid")

// Errors of updates; their codes are part of the API contract.
var (
	ErrNotFound  = apperr.NotFound("update.not_found", "no such update in this process")
	ErrBadCursor = apperr.Invalid("request.invalid", apperr.FieldError{Field: "cursor", Code: "cursor", Message: "not a cursor this server issued"})
)
