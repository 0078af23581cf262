// Package repository keeps every document of a process online for anyone,
// without an account (an OGP basic requirement): files its owners upload,
// kept in the blob store, and links to documents published elsewhere.
package repository

import (
	"time"

	"cocreate/internal/apperr"
)

// Kind is what a repository document is.
type Kind string

// The kinds of document (the migration's check lists the same).
const (
	KindTermsOfReference Kind = "terms_of_reference" // the forum's terms of reference
	KindMinutes          Kind = "minutes"            // minutes of a meeting
	KindSelfAssessment   Kind = "self_assessment"
	KindReviewReport     Kind = "review_report" // the independent review's report
	KindEvidence         Kind = "evidence"
	KindOther            Kind = "other"
)

// Kinds lists every kind, in the order forms offer them.
var Kinds = []Kind{KindTermsOfReference, KindMinutes, KindSelfAssessment, KindReviewReport, KindEvidence, KindOther}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if v == k {
			return true
		}
	}
	return false
}

// Item is one document of the repository: a stored file (File set) or a
// link to a document elsewhere (URL set). Who added it is kept but never
// published.
type Item struct {
	ID        int64
	ProcessID int64
	Kind      Kind
	Title     string
	Date      string // the document's own date, YYYY-MM-DD
	Language  string // BCP 47
	File      *File
	URL       *string
	CreatedAt time.Time
}

// File is what is known of an item's stored file.
type File struct {
	Key         string // in the blob store
	Name        string // safe to send (blob.SafeName)
	ContentType string // detected from the bytes
	Size        int64
	SHA256      []byte
}

// Limits of an item's fields (the migration checks the same).
const (
	MaxTitle    = 200
	MaxURL      = 2000
	MaxPageSize = 100
)

// Error codes and errors of the repository.
var (
	CodeInvalid  = apperr.Declare(apperr.KindInvalid, "repository.invalid")
	ErrNotFound  = apperr.NotFound("repository.not_found", "no such document in this repository")
	ErrForbidden = apperr.Forbidden("repository.forbidden", "only an administrator or this process's owner may change its repository")
	ErrNoFile    = apperr.NotFound("repository.not_a_file", "this document is a link to another site; there is no file to download")
	ErrBadCursor = apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "cursor", Code: "cursor", Message: "not a cursor this server issued"})
)
