package api

import (
	"bytes"
	"crypto/sha256"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"cocreate/internal/apperr"
	"cocreate/internal/database"
)

// IdempotencyTTL is how long a stored answer is replayed.
const IdempotencyTTL = 24 * time.Hour

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
	var got bool
	if err := tx.Raw("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))", "idem:"+strconv.FormatInt(actor.UserID, 10)+":"+key).Scan(&got).Error; err != nil {
		h.fail(c, err)
		return
	}
	if !got {
		h.fail(c, errIdemInProgress)
		return
	}
	var prev []struct {
		RequestHash []byte
		Status      int
		ContentType string
		Body        []byte
	}
	if err := tx.Raw(`SELECT request_hash, status, content_type, body FROM idempotency_keys
		WHERE user_id = ? AND key = ? AND created_at > now() - ?::interval`, actor.UserID, key, IdempotencyTTL.String()).Scan(&prev).Error; err != nil {
		h.fail(c, err)
		return
	}
	if len(prev) > 0 {
		if !bytes.Equal(prev[0].RequestHash, reqHash) {
			h.fail(c, errIdemReused)
			return
		}
		c.Header("Idempotent-Replayed", "true")
		if prev[0].ContentType != "" {
			c.Header("Content-Type", prev[0].ContentType)
		}
		c.Status(prev[0].Status)
		_, _ = c.Writer.Write(prev[0].Body)
		c.Abort()
		return
	}

	rec := &recorder{ResponseWriter: c.Writer, status: http.StatusOK}
	c.Set(ctxAfterCommit, &[]func(){})
	c.Writer = rec
	c.Request = c.Request.WithContext(ctx)
	c.Next()
	c.Writer = rec.ResponseWriter

	if rec.status >= 200 && rec.status < 300 {
		stored := rec.buf.Bytes()
		if stored == nil {
			stored = []byte{} // a 204 has no body, and the column takes no NULL
		}
		err := tx.Exec(`INSERT INTO idempotency_keys (user_id, key, request_hash, status, content_type, body)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
			status = EXCLUDED.status, content_type = EXCLUDED.content_type, body = EXCLUDED.body, created_at = now()`,
			actor.UserID, key, reqHash, rec.status, rec.Header().Get("Content-Type"), stored).Error
		if err == nil {
			err = tx.Commit().Error
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
		if fs, ok := c.Get(ctxAfterCommit); ok {
			for _, f := range *fs.(*[]func()) {
				f()
			}
		}
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

const ctxAfterCommit = "cocreate.afterCommit"

// whenCommitted runs f once the request's writes are committed: at once when
// the service committed them itself, after the commit when the request runs in
// an idempotency transaction.
func whenCommitted(c *gin.Context, f func()) {
	if fs, ok := c.Get(ctxAfterCommit); ok {
		list := fs.(*[]func())
		*list = append(*list, f)
		return
	}
	f()
}
