package process

import "cocreate/internal/apperr"

// CodeInvalid is the code of validation errors; the field list says what is wrong.
var CodeInvalid = apperr.Declare(apperr.KindInvalid, "process.invalid")

// Errors the process service returns; their codes are part of the API contract.
var (
	ErrNotFound  = apperr.NotFound("process.not_found", "no process with this slug")
	ErrSlugTaken = apperr.Conflict("process.slug_taken", "another process already uses this slug")
	ErrBadCursor = apperr.Invalid("request.invalid", apperr.FieldError{Field: "cursor", Code: "cursor", Message: "not a cursor this server issued"})
	// ErrStale refuses a change made on an old reading: someone else saved
	// the process (or its mandate) since; reload and apply the change again.
	ErrStale = apperr.Conflict("process.stale", "this was changed by someone else since you read it; reload it and try again")
)
