package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"

	"cocreate/internal/apperr"
)

// Errors of reading a request body.
var (
	errMalformed    = apperr.Malformed("request.malformed", "the body is not valid JSON for this route")
	errUnknownField = apperr.Malformed("request.unknown_field", "the body has a field this route does not take")
	errTooLarge     = apperr.TooLarge("request.too_large", "the body is larger than the server accepts")
	errNotJSON      = apperr.Malformed("request.not_json", "send the body as application/json")
)

// codeRequestInvalid is the code of a request that fails its declared rules.
var codeRequestInvalid = apperr.Declare(apperr.KindInvalid, "request.invalid")

// newValidator returns a validator that reads `binding` tags and names fields by
// their JSON names, so messages say `phases[1].opens_at`, not `Phases[1].OpensAt`.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.SetTagName("binding")
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	return v
}

// bind decodes the JSON body into dst, rejecting unknown fields, trailing data and
// bodies over the limit, then validates it. On failure it has already answered.
func (h *handlers) bind(c *gin.Context, dst any) bool {
	if ct := c.ContentType(); ct != "application/json" {
		h.fail(c, errNotJSON)
		return false
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.fail(c, errTooLarge)
		} else {
			h.fail(c, errMalformed.WithMessage("reading the body: %v", err))
		}
		return false
	}
	return h.decodeStrict(c, body, dst)
}

// decodeStrict decodes a JSON value into dst, rejecting bytes that are not
// UTF-8, unknown fields, trailing data and NUL characters, then validates it.
// On failure it has already answered.
func (h *handlers) decodeStrict(c *gin.Context, body []byte, dst any) bool {
	// JSON is UTF-8; the decoder would quietly replace bad bytes, so refuse them.
	if !utf8.Valid(body) {
		h.fail(c, errMalformed.WithMessage("the body is not valid UTF-8"))
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		h.fail(c, decodeError(err))
		return false
	}
	if dec.More() {
		h.fail(c, errMalformed.WithMessage("the body has data after the JSON value"))
		return false
	}
	// PostgreSQL text cannot hold NUL: a \u0000 anywhere is the sender's error.
	if field := nulField(reflect.ValueOf(dst), ""); field != "" {
		h.fail(c, apperr.Invalid(codeRequestInvalid, apperr.FieldError{Field: field, Code: "characters", Message: "no NUL characters"}))
		return false
	}
	if err := h.validate.Struct(dst); err != nil {
		var verrs validator.ValidationErrors
		if !errors.As(err, &verrs) {
			h.fail(c, err)
			return false
		}
		h.fail(c, apperr.Invalid(codeRequestInvalid, fieldErrors(verrs)...))
		return false
	}
	return true
}

// nulField returns the JSON path of the first string in v holding a NUL
// character, or "" when there is none.
func nulField(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ""
		}
		return nulField(v.Elem(), path)
	case reflect.String:
		if strings.IndexByte(v.String(), 0) >= 0 {
			return strings.TrimPrefix(path, ".")
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if p := nulField(v.Field(i), path+"."+name); p != "" {
				return p
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if p := nulField(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			if k := iter.Key(); k.Kind() == reflect.String && strings.IndexByte(k.String(), 0) >= 0 {
				return strings.TrimPrefix(path, ".")
			}
			if p := nulField(iter.Value(), path+"."+fmt.Sprint(iter.Key().Interface())); p != "" {
				return p
			}
		}
	}
	return ""
}

// cleanRequest refuses, for every route, path and query parameters holding a
// NUL character or bytes that are not UTF-8: nothing downstream can store or
// compare them (400).
func (h *handlers) cleanRequest(c *gin.Context) {
	for _, p := range c.Params {
		if !cleanText(p.Value) {
			h.fail(c, errMalformed.WithMessage("the path parameter %s is not valid text", p.Key))
			return
		}
	}
	for k, vs := range c.Request.URL.Query() {
		for _, v := range append(vs, k) {
			if !cleanText(v) {
				h.fail(c, errMalformed.WithMessage("a query parameter is not valid text"))
				return
			}
		}
	}
	c.Next()
}

// cleanText reports whether s is UTF-8 without NUL characters.
func cleanText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

func decodeError(err error) *apperr.Error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return errUnknownField.WithMessage("%s", strings.TrimPrefix(err.Error(), "json: "))
	case errors.As(err, &typeErr):
		return errMalformed.WithMessage("field %s must be %s", typeErr.Field, typeErr.Type)
	case errors.As(err, &syntaxErr):
		return errMalformed.WithMessage("invalid JSON at byte %d", syntaxErr.Offset)
	case errors.Is(err, io.EOF):
		return errMalformed.WithMessage("the body is empty")
	}
	return errMalformed
}

// fieldErrors turns validator failures into field errors named by JSON path.
func fieldErrors(verrs validator.ValidationErrors) []apperr.FieldError {
	out := make([]apperr.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		// Namespace is "requestType.field[0].sub"; drop the type name.
		_, path, _ := strings.Cut(fe.Namespace(), ".")
		out = append(out, apperr.FieldError{Field: path, Code: fe.Tag(), Message: ruleMessage(fe)})
	}
	return out
}

func ruleMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "required"
	case "min":
		return fmt.Sprintf("at least %s", sizeWord(fe))
	case "max":
		return fmt.Sprintf("at most %s", sizeWord(fe))
	case "oneof":
		return "one of: " + fe.Param()
	}
	return "fails rule " + fe.Tag()
}

func sizeWord(fe validator.FieldError) string {
	switch fe.Kind() {
	case reflect.String:
		return fe.Param() + " characters"
	case reflect.Slice, reflect.Array, reflect.Map:
		return fe.Param() + " items"
	}
	return fe.Param()
}
