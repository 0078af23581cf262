package apperr

import (
	"errors"
	"slices"
	"testing"
)

func TestErrorRegistryRecordsConstructedAndDeclaredCodes(t *testing.T) {
	_ = NotFound("apperr_test.missing", "no such thing")
	_ = Invalid("apperr_test.bad_input", FieldError{Field: "x", Code: "required"})
	code := Declare(KindInvalid, "apperr_test.invalid")
	if code != "apperr_test.invalid" {
		t.Fatalf("Declare returned %q", code)
	}
	var f Fields
	if err := f.Err("apperr_test.fields_only"); err != nil {
		t.Fatalf("no fields, yet %v", err)
	}

	codes := Codes()
	for _, c := range []string{"apperr_test.missing", "apperr_test.bad_input", "apperr_test.invalid", "apperr_test.fields_only"} {
		if !slices.Contains(codes, c) {
			t.Errorf("Codes() lacks %q: %v", c, codes)
		}
	}
	if !slices.IsSorted(codes) {
		t.Errorf("Codes() is not sorted: %v", codes)
	}
	if k, ok := KindOf("apperr_test.missing"); !ok || k != KindNotFound {
		t.Errorf("KindOf(apperr_test.missing) = %v, %v", k, ok)
	}
	if _, ok := KindOf("apperr_test.never"); ok {
		t.Error("KindOf knows a code nobody declared")
	}
}

func TestErrorRegistryAcceptsTheSameCodeTwiceWithTheSameKind(t *testing.T) {
	a := Conflict("apperr_test.twice", "one message")
	b := Conflict("apperr_test.twice", "another message")
	Declare(KindConflict, "apperr_test.twice")
	if !errors.Is(a, b) {
		t.Error("two errors with one code do not match")
	}
}

func TestErrorRegistryRefusesOneCodeWithTwoKinds(t *testing.T) {
	_ = Conflict("apperr_test.clash", "taken")
	for name, declare := range map[string]func(){
		"constructor": func() { _ = NotFound("apperr_test.clash", "missing") },
		"Declare":     func() { Declare(KindInvalid, "apperr_test.clash") },
		"Fields.Err":  func() { _ = Fields{{Field: "x"}}.Err("apperr_test.clash") },
	} {
		t.Run(name, func(t *testing.T) {
			msg := mustPanic(t, declare)
			want := `apperr: error code "apperr_test.clash" is declared as conflict and as `
			if len(msg) < len(want) || msg[:len(want)] != want {
				t.Errorf("panic %q, want it to start with %q", msg, want)
			}
		})
	}
	if k, _ := KindOf("apperr_test.clash"); k != KindConflict {
		t.Errorf("the clash changed the kind to %v", k)
	}
}

func TestErrorRegistryRefusesMalformedCodes(t *testing.T) {
	for _, code := range []string{"", "Process.not_found", "process.", ".x", "process not found", "process..x", "process.not-found"} {
		mustPanic(t, func() { Declare(KindNotFound, code) })
		if _, ok := KindOf(code); ok {
			t.Errorf("%q was registered", code)
		}
	}
}

func TestErrorIsMatchesByCode(t *testing.T) {
	sentinel := Invalid("apperr_test.match", FieldError{Field: "a", Code: "required"})
	copyWithFields := Fields{{Field: "b", Code: "max"}}.Err("apperr_test.match")
	if !errors.Is(copyWithFields, sentinel) {
		t.Error("an error with other fields does not match its sentinel")
	}
	if !errors.Is(sentinel.WithMessage("more detail"), sentinel) {
		t.Error("WithMessage broke errors.Is")
	}
	if !errors.Is(sentinel.WithRetryAfter(5), sentinel) {
		t.Error("WithRetryAfter broke errors.Is")
	}
	if errors.Is(sentinel, Invalid("apperr_test.other")) {
		t.Error("errors with different codes match")
	}
}

func TestKindString(t *testing.T) {
	if KindNotFound.String() != "not_found" || KindInternal.String() != "internal" || KindUnavailable.String() != "unavailable" {
		t.Errorf("kind names: %s %s %s", KindNotFound, KindInternal, KindUnavailable)
	}
	if Kind(99).String() != "Kind(99)" {
		t.Errorf("unknown kind: %s", Kind(99))
	}
}

func mustPanic(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Error("no panic")
			return
		}
		msg, _ = r.(string)
	}()
	f()
	return ""
}
