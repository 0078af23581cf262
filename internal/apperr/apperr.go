// Package apperr defines the error kinds that services return and that the HTTP
// boundary turns into statuses, so domain packages never speak HTTP.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind says what sort of failure an error is; api/errors.go maps each to a status.
type Kind int

// The kinds of failure a service can report.
const (
	KindInternal Kind = iota
	KindMalformed
	KindUnauthenticated
	KindForbidden
	KindNotFound
	KindConflict
	KindTooLarge
	KindInvalid
	KindRateLimited
	KindUnavailable
)

// FieldError names one invalid input field with a stable rule code.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is a failure with a stable, dotted code (e.g. "process.not_found") that
// clients translate, a developer-facing message and, for validation, field errors.
type Error struct {
	Kind       Kind
	Code       string
	Message    string
	Fields     []FieldError
	RetryAfter time.Duration // for rate limits: when the caller may try again
}

func (e *Error) Error() string {
	if e.Message != "" {
		return e.Code + ": " + e.Message
	}
	return e.Code
}

// Is lets errors.Is match two errors by code, so a sentinel matches a copy of it
// carrying field errors or a different message.
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t.Code == e.Code
}

// WithMessage returns a copy of e with a more specific message.
func (e *Error) WithMessage(format string, args ...any) *Error {
	c := *e
	c.Message = fmt.Sprintf(format, args...)
	return &c
}

// WithRetryAfter returns a copy of e that tells the caller when to try again.
func (e *Error) WithRetryAfter(d time.Duration) *Error {
	c := *e
	c.RetryAfter = d
	return &c
}

// The constructors below declare their code in the registry (registry.go): build
// errors as package-level variables, so every code is declared when the program
// starts.

func newErr(k Kind, code, msg string) *Error {
	register(k, code)
	return &Error{Kind: k, Code: code, Message: msg}
}

// Internal is a failure of the server itself (500); its message is never shown.
func Internal(code, msg string) *Error { return newErr(KindInternal, code, msg) }

// Malformed is a request the server cannot parse (400).
func Malformed(code, msg string) *Error { return newErr(KindMalformed, code, msg) }

// Unauthenticated is a request without valid credentials (401).
func Unauthenticated(code, msg string) *Error { return newErr(KindUnauthenticated, code, msg) }

// Forbidden is an authenticated request that is not allowed (403).
func Forbidden(code, msg string) *Error { return newErr(KindForbidden, code, msg) }

// NotFound is a missing resource (404).
func NotFound(code, msg string) *Error { return newErr(KindNotFound, code, msg) }

// Conflict is a request that clashes with the current state (409).
func Conflict(code, msg string) *Error { return newErr(KindConflict, code, msg) }

// TooLarge is a body over the size limit (413).
func TooLarge(code, msg string) *Error { return newErr(KindTooLarge, code, msg) }

// RateLimited is a request over a rate limit (429).
func RateLimited(code, msg string) *Error { return newErr(KindRateLimited, code, msg) }

// Unavailable is a request the server cannot serve right now (503).
func Unavailable(code, msg string) *Error { return newErr(KindUnavailable, code, msg) }

// Invalid is input that failed validation (422), with one entry per bad field.
func Invalid(code string, fields ...FieldError) *Error {
	register(KindInvalid, code)
	return &Error{Kind: KindInvalid, Code: code, Message: "validation failed", Fields: fields}
}

// Fields collects field errors during validation; Err returns nil when none were added.
type Fields []FieldError

// Add records a problem with one field.
func (f *Fields) Add(field, code, msg string) {
	*f = append(*f, FieldError{Field: field, Code: code, Message: msg})
}

// Err returns an Invalid error with the collected fields, or nil. The code is
// one declared with Declare(KindInvalid, ...) or by an Invalid error variable.
func (f Fields) Err(code string) error {
	register(KindInvalid, code)
	if len(f) == 0 {
		return nil
	}
	return Invalid(code, f...)
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
