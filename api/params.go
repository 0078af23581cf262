// The readers of path and query parameters shared by the handlers: ids, version
// numbers, pages, the process of a slug and an export format.

package api

import (
	"fmt"
	"strconv"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/document"
	"cocreate/internal/process"
)

// pathID reads a positive integer path parameter.
func (h *handlers) pathID(c *gin.Context, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id < 1 {
		h.fail(c, errRouteNotFound.WithMessage("no such %s", name))
		return 0, false
	}
	return id, true
}

// versionNumber reads the {number} path parameter: a number or "latest" (0).
func (h *handlers) versionNumber(c *gin.Context) (int, bool) {
	s := c.Param("number")
	if s == "latest" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 999999 {
		h.fail(c, document.ErrVersionNotFound)
		return 0, false
	}
	return n, true
}

// queryID reads an optional positive id from the query into f's errors.
func queryID(c *gin.Context, f *apperr.Fields, name string) int64 {
	s, ok := c.GetQuery(name)
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		f.Add(name, "integer", "a positive whole number")
		return 0
	}
	return n
}

// pageParams reads the limit and cursor query parameters of a list route.
func (h *handlers) pageParams(c *gin.Context, def, maxLimit int) (int, string, bool) {
	var f apperr.Fields
	limit := def
	if s, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			f.Add("limit", "range", fmt.Sprintf("a whole number from 1 to %d", maxLimit))
		}
		limit = n
	}
	cursor := c.Query("cursor")
	if len(cursor) > 200 {
		f.Add("cursor", "cursor", "not a cursor this server issued")
	}
	if err := f.Err(codeRequestInvalid); err != nil {
		h.fail(c, err)
		return 0, "", false
	}
	return limit, cursor, true
}

// slugProcess resolves the :slug path parameter to a process the caller may
// read, answering the error itself.
func (h *handlers) slugProcess(c *gin.Context) (process.Process, bool) {
	p, err := h.processes.GetReadable(c.Request.Context(), actorFrom(c), c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return process.Process{}, false
	}
	return p, true
}

// exportFormat reads the format of an open-data export: def (a JSON flavour)
// unless ?format=csv. Anything else is answered 422 and ok is false.
func (h *handlers) exportFormat(c *gin.Context, def string) (format string, ok bool) {
	format = c.DefaultQuery("format", def)
	if format != def && format != "csv" {
		h.fail(c, apperr.Invalid(codeRequestInvalid, apperr.FieldError{Field: "format", Code: "enum", Message: def + " or csv"}))
		return "", false
	}
	return format, true
}
