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

	"github.com/gin-gonic/gin"
	"golang.org/x/sync/singleflight"

	"cocreate/internal/cachesync"
	"cocreate/internal/event"
)

// readCache keeps serialised public reads of documents (a version with its
// counts, a thread page) and of processes (the implementation dashboard) in
// memory. Each document, and each process (processScope), has a generation
// that every write to it bumps: this instance's writes once they commit,
// other instances' as soon as their announcement arrives (cachesync), a few
// milliseconds later. The TTL bounds what a lost announcement can leave
// stale.
type readCache struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	gen     map[int64]uint64
	epoch   uint64 // bumped by writes that may touch any document
	entries map[string]cacheEntry
	// flight builds each missing entry once however many requests miss it
	// together.
	flight singleflight.Group
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

// subscribe keeps the cache in step with the writes: once a write has
// committed, every event that changes what a cached read shows drops the
// reads here and is announced to the other instances; theirs drop the reads
// here as they arrive.
func (rc *readCache) subscribe(bus *event.Bus, cs *cachesync.Sync) {
	staleOn(rc, bus, cs, func(e event.ImplementationChanged) cachesync.Stale { return cachesync.Stale{Process: e.ProcessID} })
	staleOn(rc, bus, cs, func(e event.ProgressPublished) cachesync.Stale { return cachesync.Stale{Process: e.ProcessID} })
	staleOn(rc, bus, cs, func(e event.DocumentChanged) cachesync.Stale { return cachesync.Stale{Document: e.DocumentID} })
	staleOn(rc, bus, cs, func(e event.VersionPublished) cachesync.Stale { return cachesync.Stale{Document: e.DocumentID} })
	// Answered comments show their response, on any document of the process.
	staleOn(rc, bus, cs, func(event.ResponsePublished) cachesync.Stale { return cachesync.Stale{All: true} })
	staleOn(rc, bus, cs, func(event.ClusterChanged) cachesync.Stale { return cachesync.Stale{All: true} })
	// Threads show their authors' names: a new name, or an erasure, shows at once.
	staleOn(rc, bus, cs, func(event.AccountRenamed) cachesync.Stale { return cachesync.Stale{All: true} })
	cs.Receive(rc.drop)
}

// staleOn drops and announces what stale says each event of type E touched.
func staleOn[E event.Event](rc *readCache, bus *event.Bus, cs *cachesync.Sync, stale func(E) cachesync.Stale) {
	event.After(bus, func(_ context.Context, e E) error {
		st := stale(e)
		rc.drop(st)
		cs.Announce(st)
		return nil
	})
}

// drop invalidates the cached reads st names.
func (rc *readCache) drop(st cachesync.Stale) {
	switch {
	case st.All:
		rc.bumpAll()
	case st.Process != 0:
		rc.bump(processScope(st.Process))
	default:
		rc.bump(st.Document)
	}
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
	if old, ok := rc.entries[key]; ok && old.gen > e.gen {
		return // a build that began before a write finished after the one that began after it
	}
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
		// Requests that miss together share one build of this generation; a
		// write meanwhile starts a new flight rather than joining an old one.
		var led bool
		res, _, _ := h.cache.flight.Do(key+"@"+strconv.FormatUint(gen, 10), func() (any, error) {
			led = true
			return h.buildEntry(build, key, gen, now), nil
		})
		b := res.(built)
		// Whether a read is public, and its errors, depend on who asks: only a
		// public answer is shared; the others build their own.
		if !led && (b.err != nil || !b.public) {
			b = h.buildEntry(build, key, gen, now)
		}
		if b.err != nil {
			h.fail(c, b.err)
			return
		}
		if !b.public {
			c.Header("Cache-Control", "private, no-store")
			c.JSON(http.StatusOK, b.value)
			return
		}
		e = b.entry
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

// built is the outcome of one build of a cached read.
type built struct {
	entry  cacheEntry // the serialised answer, when public
	value  any        // the answer itself, when private
	public bool
	err    error
}

// buildEntry runs build and, when its answer is public, serialises it and
// caches it under key with the generation taken before the build.
func (h *handlers) buildEntry(build func() (any, bool, error), key string, gen uint64, now time.Time) built {
	v, public, err := build()
	if err != nil || !public {
		return built{value: v, public: public, err: err}
	}
	body, err := json.Marshal(v)
	if err != nil {
		return built{err: err}
	}
	sum := sha256.Sum256(body)
	e := cacheEntry{body: body, gz: gzipped(body), etag: hex.EncodeToString(sum[:16]), gen: gen, at: now}
	h.cache.put(key, e)
	return built{entry: e, public: true}
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
