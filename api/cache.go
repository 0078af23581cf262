package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"cocreate/internal/event"

	"github.com/gin-gonic/gin"
)

// readCache keeps serialised public reads of documents (a version with its
// counts, a thread page) and of processes (the implementation dashboard) in
// memory. Each document, and each process (processScope), has a generation
// that every write to it bumps, so this instance never serves an answer older
// than its own last write; other instances' writes show within the TTL.
type readCache struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	gen     map[int64]uint64
	epoch   uint64 // bumped by writes that may touch any document
	entries map[string]cacheEntry
}

type cacheEntry struct {
	body []byte
	gz   []byte // the body gzip-compressed once, for clients that accept it
	etag string
	gen  uint64
	at   time.Time
}

func newReadCache(ttl time.Duration) *readCache {
	return &readCache{ttl: ttl, max: 20000, gen: map[int64]uint64{}, entries: map[string]cacheEntry{}}
}

// processScope is the generation key of a process's cached reads (its
// implementation dashboard): minus its id, apart from the documents' ids.
func processScope(processID int64) int64 { return -processID }

// subscribe keeps the cache in step with the writes: every event that changes
// what a cached read shows invalidates it once the write has committed.
func (rc *readCache) subscribe(bus *event.Bus) {
	event.After(bus, func(_ context.Context, e event.ImplementationChanged) error {
		rc.bump(processScope(e.ProcessID))
		return nil
	})
	event.After(bus, func(_ context.Context, e event.ProgressPublished) error {
		rc.bump(processScope(e.ProcessID))
		return nil
	})
	event.After(bus, func(_ context.Context, e event.DocumentChanged) error { rc.bump(e.DocumentID); return nil })
	event.After(bus, func(_ context.Context, e event.VersionPublished) error { rc.bump(e.DocumentID); return nil })
	// Answered comments show their response, on any document of the process.
	event.After(bus, func(_ context.Context, _ event.ResponsePublished) error { rc.bumpAll(); return nil })
	event.After(bus, func(_ context.Context, _ event.ClusterChanged) error { rc.bumpAll(); return nil })
	// Threads show their authors' names: a new name, or an erasure, shows at once.
	event.After(bus, func(_ context.Context, _ event.AccountRenamed) error { rc.bumpAll(); return nil })
}

// generation is a document's counter plus the epoch: both only grow, so any
// bump changes it.
func (rc *readCache) generation(doc int64) uint64 {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.gen[doc] + rc.epoch
}

// bump invalidates every cached read of a document.
func (rc *readCache) bump(doc int64) {
	rc.mu.Lock()
	rc.gen[doc]++
	rc.mu.Unlock()
}

// bumpAll invalidates every cached read (a publication that answers
// comments across the process's documents).
func (rc *readCache) bumpAll() {
	rc.mu.Lock()
	rc.epoch++
	rc.mu.Unlock()
}

func (rc *readCache) get(doc int64, key string, now time.Time) (cacheEntry, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e, ok := rc.entries[key]
	if !ok || e.gen != rc.gen[doc]+rc.epoch || now.Sub(e.at) >= rc.ttl || now.Before(e.at) {
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
	// Wall time, not the business clock: the TTL bounds how stale another
	// instance's writes may look.
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
		e = cacheEntry{body: body, gz: gzipped(body), etag: hex.EncodeToString(sum[:16]), gen: gen, at: now}
		h.cache.put(key, e)
	}
	// The compressed answer is another representation, so it has its own tag;
	// If-None-Match accepts either.
	etag := `"` + e.etag + `"`
	gz := e.gz != nil && acceptsGzip(c.GetHeader("Accept-Encoding"))
	if gz {
		etag = `"` + e.etag + `-gz"`
	}
	c.Header("ETag", etag)
	publicCache(c, maxAge)
	c.Header("Vary", "Authorization, Accept-Encoding")
	inm := c.GetHeader("If-None-Match")
	if matchesETag(inm, `"`+e.etag+`"`) || matchesETag(inm, `"`+e.etag+`-gz"`) {
		c.Status(http.StatusNotModified)
		return
	}
	body := e.body
	if gz {
		c.Header("Content-Encoding", "gzip")
		body = e.gz
	}
	// A known length lets the server send the body as is, without chunking.
	c.Header("Content-Length", strconv.Itoa(len(body)))
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// gzipped compresses b, or returns nil when that does not pay (small bodies).
func gzipped(b []byte) []byte {
	if len(b) < 1024 {
		return nil
	}
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	_, _ = w.Write(b)
	if w.Close() != nil {
		return nil
	}
	return buf.Bytes()
}

// acceptsGzip reads Accept-Encoding: gzip listed and not refused with q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
