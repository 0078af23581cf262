package apperr

import (
	"fmt"
	"regexp"
	"slices"
	"sync"
)

// The registry holds every error code the server can send, with its kind. The
// constructors (NotFound, Conflict, Invalid, ...) and Declare record the code they
// are given, so a package-level error variable declares its code as the program
// starts; api/openapi.yaml lists the same codes (api/errorcodes_test.go) and the
// SPA translates each of them (frontend/src/i18n/errors.test.ts).
var (
	registryMu sync.RWMutex
	registry   = map[string]Kind{}
)

// codeSyntax is the shape of a code: lower-case words joined by dots, e.g.
// "process.not_found"; each part is also a translation key in the SPA.
var codeSyntax = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)

// Declare records code as an error code of kind k and returns it. It is for codes
// that no package-level error variable carries, such as the code of a package's
// validation errors, which Fields.Err and Invalid build when they happen:
//
//	var CodeInvalid = apperr.Declare(apperr.KindInvalid, "idea.invalid")
//
// Declare panics when code is not lower-case dotted words, or was declared before
// with another kind: a code means one kind of failure, so one HTTP status.
func Declare(k Kind, code string) string {
	register(k, code)
	return code
}

func register(k Kind, code string) {
	registryMu.RLock()
	prev, seen := registry[code]
	registryMu.RUnlock()
	if seen && prev == k {
		return
	}
	if !codeSyntax.MatchString(code) {
		panic(fmt.Sprintf("apperr: error code %q is not lower-case dotted words (e.g. \"process.not_found\")", code))
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if prev, seen := registry[code]; seen && prev != k {
		panic(fmt.Sprintf("apperr: error code %q is declared as %s and as %s; a code has one kind", code, prev, k))
	}
	registry[code] = k
}

// Codes returns every declared error code, sorted.
func Codes() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]string, 0, len(registry))
	for code := range registry {
		out = append(out, code)
	}
	slices.Sort(out)
	return out
}

// KindOf returns the kind code was declared with, and whether it was declared.
func KindOf(code string) (Kind, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	k, ok := registry[code]
	return k, ok
}

var kindNames = [...]string{
	KindInternal:        "internal",
	KindMalformed:       "malformed",
	KindUnauthenticated: "unauthenticated",
	KindForbidden:       "forbidden",
	KindNotFound:        "not_found",
	KindConflict:        "conflict",
	KindTooLarge:        "too_large",
	KindInvalid:         "invalid",
	KindRateLimited:     "rate_limited",
	KindUnavailable:     "unavailable",
}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}
