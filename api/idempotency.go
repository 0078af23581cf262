package api

import (
	"bytes"
	"crypto/sha256"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/database"
	"cocreate/internal/idempotency"
)

var (
	errIdemKey        = apperr.Malformed("idempotency.bad_key", "Idempotency-Key must be 1 to 200 visible ASCII characters")
	errIdemInProgress = apperr.Conflict("idempotency.in_progress", "a request with this Idempotency-Key is still being processed; retry shortly")
	errIdemReused     = apperr.Invalid("idempotency.key_reused", apperr.FieldError{Field: "Idempotency-Key", Code: "reused",
		Message: "this key was used with a different request"})
)

// idempotent makes a write route honour an Idempotency-Key header (QUALITY.md
// R3). The handler runs inside one transaction with the key's record: the
// change and the stored answer commit together or not at all, so a crash can
// neither lose the answer of a done write nor leave a key claimed forever.
// Successful answers (2xx) are stored and replayed for 24 h to the same
// account sending the same key, method, path and body; the same key with
// another request is refused (422); while the first is running, 409. Failed
// answers are not stored: the retry runs again. Without the header, or for
// anonymous requests, the route runs as usual.
func (h *handlers) idempotent(c *gin.Context) {
	key := c.GetHeader("Idempotency-Key")
	actor := actorFrom(c)
	if key == "" || !actor.Authenticated() {
		c.Next()
		return
	}
	if !validIdemKey(key) {
		h.fail(c, errIdemKey)
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		h.fail(c, err) // the body limit reports itself
		return
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	sum := sha256.New()
	sum.Write([]byte(c.Request.Method + " " + c.Request.URL.Path + "\n"))
	sum.Write(body)
	reqHash := sum.Sum(nil)

	ctx, tx, err := database.Begin(c.Request.Context(), h.db)
	if err != nil {
		h.fail(c, err)
		return
	}
	committed := false
	defer func() {
		if !committed {
			tx.Rollback()
		}
	}()
	got, err := h.idem.Claim(ctx, actor.UserID, key)
	if err != nil {
		h.fail(c, err)
		return
	}
	if !got {
		h.fail(c, errIdemInProgress)
		return
	}
	prev, err := h.idem.Previous(ctx, actor.UserID, key)
	if err != nil {
		h.fail(c, err)
		return
	}
	if prev != nil {
		if !bytes.Equal(prev.RequestHash, reqHash) {
			h.fail(c, errIdemReused)
			return
		}
		c.Header("Idempotent-Replayed", "true")
		if prev.ContentType != "" {
			c.Header("Content-Type", prev.ContentType)
		}
		c.Status(prev.Status)
		_, _ = c.Writer.Write(prev.Body)
		c.Abort()
		return
	}

	rec := &recorder{ResponseWriter: c.Writer, status: http.StatusOK}
	c.Writer = rec
	c.Request = c.Request.WithContext(ctx)
	c.Next()
	c.Writer = rec.ResponseWriter

	if rec.status >= 200 && rec.status < 300 {
		err := h.idem.Save(ctx, actor.UserID, key, idempotency.Answer{RequestHash: reqHash, Status: rec.status,
			ContentType: rec.Header().Get("Content-Type"), Body: rec.buf.Bytes()})
		if err == nil {
			// Commit runs what the services scheduled for after it (events).
			err = tx.Commit()
		}
		if err != nil {
			// Nothing was written to the client yet: answer the failure instead.
			for _, hdr := range []string{"Content-Type", "ETag", "Location"} {
				rec.Header().Del(hdr)
			}
			h.fail(c, err)
			return
		}
		committed = true
	}
	rec.ResponseWriter.WriteHeader(rec.status)
	_, _ = rec.ResponseWriter.Write(rec.buf.Bytes())
}

func validIdemKey(k string) bool {
	if len(k) > 200 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// recorder holds a handler's answer until the transaction's fate is known.
type recorder struct {
	gin.ResponseWriter
	buf    bytes.Buffer
	status int
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status = code
	}
}
func (r *recorder) WriteHeaderNow()                   { r.wrote = true }
func (r *recorder) Write(b []byte) (int, error)       { r.wrote = true; return r.buf.Write(b) }
func (r *recorder) WriteString(s string) (int, error) { r.wrote = true; return r.buf.WriteString(s) }
func (r *recorder) Status() int                       { return r.status }
func (r *recorder) Size() int                         { return r.buf.Len() }
func (r *recorder) Written() bool                     { return r.wrote }
func (r *recorder) Flush()                            {}
