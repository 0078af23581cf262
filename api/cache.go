package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// readCache keeps serialised public reads of documents (a version with its
// counts, a thread page) in memory. Each document has a generation that every
// write to it bumps, so this instance never serves an answer older than its own
// last write; other instances' writes show within the TTL.
type readCache struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	gen     map[int64]uint64
	entries map[string]cacheEntry
}

type cacheEntry struct {
	body []byte
	etag string
	gen  uint64
	at   time.Time
}

func newReadCache(ttl time.Duration) *readCache {
	return &readCache{ttl: ttl, max: 20000, gen: map[int64]uint64{}, entries: map[string]cacheEntry{}}
}

func (rc *readCache) generation(doc int64) uint64 {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.gen[doc]
}

// bump invalidates every cached read of a document.
func (rc *readCache) bump(doc int64) {
	rc.mu.Lock()
	rc.gen[doc]++
	rc.mu.Unlock()
}

func (rc *readCache) get(doc int64, key string, now time.Time) (cacheEntry, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e, ok := rc.entries[key]
	if !ok || e.gen != rc.gen[doc] || now.Sub(e.at) >= rc.ttl || now.Before(e.at) {
		return cacheEntry{}, false
	}
	return e, true
}

func (rc *readCache) put(key string, e cacheEntry) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.entries) >= rc.max {
		rc.entries = map[string]cacheEntry{} // crude but bounded
	}
	rc.entries[key] = e
}

// cachedPublicJSON answers a public read of a document from the cache, or
// builds it, caches it and answers; ETag and If-None-Match as in publicJSON.
// build says whether its answer is public; a private one (a draft shown to its
// owner) is answered without caching.
func (h *handlers) cachedPublicJSON(c *gin.Context, doc int64, key, maxAge string, build func() (any, bool, error)) {
	now := time.Now()
	e, ok := h.cache.get(doc, key, now)
	if !ok {
		gen := h.cache.generation(doc) // taken before reading, so a write meanwhile makes the entry stale
		v, public, err := build()
		if err != nil {
			h.fail(c, err)
			return
		}
		if !public {
			c.Header("Cache-Control", "private, no-store")
			c.JSON(http.StatusOK, v)
			return
		}
		body, err := json.Marshal(v)
		if err != nil {
			h.fail(c, err)
			return
		}
		sum := sha256.Sum256(body)
		e = cacheEntry{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, gen: gen, at: now}
		h.cache.put(key, e)
	}
	c.Header("ETag", e.etag)
	c.Header("Cache-Control", "public, max-age="+maxAge)
	if matchesETag(c.GetHeader("If-None-Match"), e.etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", e.body)
}
