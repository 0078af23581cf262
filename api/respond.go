package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// publicCache sets the Cache-Control of a public read: browsers and shared
// caches may keep it for maxAge seconds. A signed-in reader's answer is
// private and revalidated each time instead: it may show what is not public
// yet (an unpublished process, to its owners) or what the reader may do, and
// Vary keeps a shared cache from answering a signed-in reader with the
// anonymous copy.
func publicCache(c *gin.Context, maxAge string) {
	c.Header("Vary", "Authorization")
	if actorFrom(c).Authenticated() {
		c.Header("Cache-Control", "private, no-cache")
		return
	}
	c.Header("Cache-Control", "public, max-age="+maxAge)
}

// publicJSON answers a public read: the body carries an ETag so a repeated
// request with If-None-Match gets 304, and Cache-Control is publicCache's.
// Nothing personal may go through here.
func (h *handlers) publicJSON(c *gin.Context, v any, maxAge string) {
	body, err := json.Marshal(v)
	if err != nil {
		h.fail(c, err)
		return
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	c.Header("ETag", etag)
	publicCache(c, maxAge)
	if matchesETag(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// matchesETag applies If-None-Match's weak comparison to a list of tags.
func matchesETag(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// sendCSV answers an open-data export as a CSV attachment. Once the body has
// started a failure can only be logged.
func (h *handlers) sendCSV(c *gin.Context, filename string, write func(io.Writer) error) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+filename+`"`)
	c.Status(http.StatusOK)
	if err := write(c.Writer); err != nil {
		h.log.WarnContext(c.Request.Context(), "csv export interrupted", "file", filename, "error", err.Error())
	}
}
