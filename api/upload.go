package api

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/blob"
)

// Errors of uploads.
var (
	errUploadTooLarge    = apperr.TooLarge("upload.too_large", "the file is larger than this server accepts (UPLOAD_MAX_BYTES)")
	errUploadMissing     = apperr.Invalid("upload.invalid", apperr.FieldError{Field: "file", Code: "required", Message: "attach a file"})
	errUploadTypeRefused = apperr.Invalid("upload.type_refused", apperr.FieldError{Field: "file", Code: "type",
		Message: "this kind of file is not accepted here"})
	errUploadTypeMismatch = apperr.Invalid("upload.type_mismatch", apperr.FieldError{Field: "file", Code: "type_mismatch",
		Message: "the file's content does not match its name's extension"})
)

// uploadOverhead is what a multipart form may carry beside its file (the
// boundaries and the other fields).
const uploadOverhead = 1 << 20

// upload registers path (under /api/v1) as a route that takes a file, so the
// body limit is UPLOAD_MAX_BYTES there instead of MAX_BODY_BYTES; it returns
// path for the route table.
func (h *handlers) upload(path string) string {
	h.uploadRoutes["/api/v1"+path] = true
	return path
}

// bodyLimit is the body cap of the request's route.
func (h *handlers) bodyLimit(c *gin.Context) int64 {
	if h.uploadRoutes[c.FullPath()] {
		return h.cfg.UploadMaxBytes + uploadOverhead
	}
	return h.cfg.MaxBodyBytes
}

// uploadedFile is a file received in a multipart form: its safe name, its
// content type as detected from its bytes, its size and its content.
type uploadedFile struct {
	Name        string
	ContentType string
	Size        int64
	File        multipart.File // seekable; the request's end removes it
}

// formFile reads the file in the form field and checks it: present, within
// UPLOAD_MAX_BYTES, of an allowed content type (detected, not trusted), and
// named with an extension that claims that type. allowed nil accepts every
// type of blob.Types. It answers the error itself and returns false.
func (h *handlers) formFile(c *gin.Context, field string, allowed map[string]bool) (uploadedFile, bool) {
	types := blob.Types
	if allowed != nil {
		types = map[string][]string{}
		for ct, exts := range blob.Types {
			if allowed[ct] {
				types[ct] = exts
			}
		}
	}
	return h.formFileOf(c, field, types)
}

// formFileOf reads and checks the file in the form field as formFile does,
// against types: the content types accepted, with the name extensions that
// claim each.
func (h *handlers) formFileOf(c *gin.Context, field string, types map[string][]string) (uploadedFile, bool) {
	// Small forms stay in memory; a large file is spooled to a temporary file.
	if err := c.Request.ParseMultipartForm(4 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.fail(c, errUploadTooLarge)
		} else {
			h.fail(c, errMalformed.WithMessage("the request is not a readable multipart form"))
		}
		return uploadedFile{}, false
	}
	f, hdr, err := c.Request.FormFile(field)
	if err != nil {
		h.fail(c, errUploadMissing)
		return uploadedFile{}, false
	}
	if hdr.Size > h.cfg.UploadMaxBytes {
		_ = f.Close()
		h.fail(c, errUploadTooLarge)
		return uploadedFile{}, false
	}
	ct, err := blob.Sniff(f)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		_ = f.Close()
		h.fail(c, err)
		return uploadedFile{}, false
	}
	name := blob.SafeName(hdr.Filename)
	exts, known := types[ct]
	switch {
	case !known:
		_ = f.Close()
		h.fail(c, errUploadTypeRefused.WithMessage("files of type %s are not accepted here", ct))
		return uploadedFile{}, false
	case !slices.Contains(exts, strings.ToLower(path.Ext(name))):
		_ = f.Close()
		h.fail(c, errUploadTypeMismatch)
		return uploadedFile{}, false
	}
	return uploadedFile{Name: name, ContentType: ct, Size: hdr.Size, File: f}, true
}
