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
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/sync/singleflight"

	"cocreate/internal/cachesync"
	"cocreate/internal/event"
)

// readCache keeps serialised public reads of documents (a version with its
// counts, a thread page) and of processes (the implementation dashboard) in
// memory. Each document, and each process (processScope), counts the writes
// to it by what they touched (docGens): this instance's writes once they
// commit, other instances' as soon as their announcement arrives
// (cachesync), a few milliseconds later. A write on one paragraph's thread
// leaves the other threads cached; a vote leaves even its own thread's
// comments in place and has only the counts brought up to date (a recount,
// much cheaper than a build). The TTL bounds what a lost announcement can
// leave stale.
type readCache struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	docs    map[int64]*docGens
	epoch   uint64 // bumped by writes that may touch any document
	entries map[string]cacheEntry
	// flight builds each missing entry once however many requests miss it
	// together.
	flight singleflight.Group

	hits, recounts, builds atomic.Uint64 // answers from the cache, recounted, built
}

// docGens counts the writes to one document (or process) by what they
// touched. Every counter only grows (see fold), so a read's generations
// (gens) change with every write that makes it stale.
type docGens struct {
	whole   uint64            // writes that may touch any read of it
	counts  uint64            // writes to any of its threads, votes included: its counts
	threads map[string]uint64 // writes to one paragraph's thread
	votes   map[string]uint64 // votes on the comments of one paragraph's thread
}

// maxThreads bounds the threads a document counts writes of; past it they
// fold into a write to the whole document.
const maxThreads = 4096

// fold forgets the per-thread counters and bumps whole past every content
// generation they gave, so no generation repeats.
func (d *docGens) fold() {
	for _, n := range d.threads {
		d.whole += n
	}
	for _, n := range d.votes {
		d.whole += n
	}
	d.whole++
	d.threads, d.votes = map[string]uint64{}, map[string]uint64{}
}

// cacheScope says which writes make a cached read stale: those to the whole
// document doc, and those to thread (a paragraph's key, "" for a read of the
// document as a whole); a read that shows the document's counts (counts)
// also follows every write to any of its threads, by a recount.
type cacheScope struct {
	doc    int64
	thread string
	counts bool
}

// gens are a read's generations: content changes only with a rebuild;
// counts (the vote counts of a thread's comments, or a document's
// per-paragraph counts) a recount can bring up to date.
type gens struct{ content, counts uint64 }

type cacheEntry struct {
	body []byte
	gz   []byte // the body gzip-compressed once, for clients that accept it
	etag string
	gens gens
	at   time.Time // when its content was read: a recount keeps it, so the TTL still bounds the content's age
	// value is the answer itself, kept when its counts can be recounted.
	value any
}

func newReadCache(ttl time.Duration) *readCache {
	return &readCache{ttl: ttl, max: 20000, docs: map[int64]*docGens{}, entries: map[string]cacheEntry{}}
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
	staleOn(rc, bus, cs, func(e event.DocumentChanged) cachesync.Stale {
		return cachesync.Stale{Document: e.DocumentID, Thread: e.Thread, Votes: e.Votes && e.Thread != ""}
	})
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

// drop invalidates the cached reads st names: a thread's write makes its
// thread's reads stale and the document's counts; a vote only the counts.
func (rc *readCache) drop(st cachesync.Stale) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	switch {
	case st.All:
		rc.epoch++
	case st.Process != 0:
		rc.docLocked(processScope(st.Process)).whole++
	case st.Thread != "":
		d := rc.docLocked(st.Document)
		d.counts++
		if st.Votes {
			d.votes[st.Thread]++
		} else {
			d.threads[st.Thread]++
		}
		if len(d.threads)+len(d.votes) > maxThreads {
			d.fold()
		}
	default:
		rc.docLocked(st.Document).whole++
	}
}

// bump invalidates every cached read of a document.
func (rc *readCache) bump(doc int64) { rc.drop(cachesync.Stale{Document: doc}) }

func (rc *readCache) docLocked(doc int64) *docGens {
	d := rc.docs[doc]
	if d == nil {
		d = &docGens{threads: map[string]uint64{}, votes: map[string]uint64{}}
		rc.docs[doc] = d
	}
	return d
}

// gensLocked returns the current generations of the reads in scope.
func (rc *readCache) gensLocked(sc cacheScope) gens {
	g := gens{content: rc.epoch}
	d := rc.docs[sc.doc]
	if d == nil {
		return g
	}
	g.content += d.whole
	switch {
	case sc.thread != "":
		g.content += d.threads[sc.thread]
		g.counts = d.votes[sc.thread]
	case sc.counts:
		g.counts = d.counts
	}
	return g
}

// lookup returns the entry under key and the scope's current generations,
// taken together so a write after them makes what is built from them stale.
// fresh says the entry may be answered as is; an entry that is not fresh
// but has a body has current content and counts to recount.
func (rc *readCache) lookup(sc cacheScope, key string, now time.Time) (e cacheEntry, g gens, fresh bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	g = rc.gensLocked(sc)
	e, ok := rc.entries[key]
	if !ok || e.gens.content != g.content || now.Sub(e.at) >= rc.ttl || now.Before(e.at) {
		return cacheEntry{}, g, false
	}
	return e, g, e.gens.counts == g.counts
}

func (rc *readCache) put(key string, e cacheEntry) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if old, ok := rc.entries[key]; ok && (old.gens.content > e.gens.content || old.gens.content == e.gens.content && old.gens.counts > e.gens.counts) {
		return // a build that began before a write finished after the one that began after it
	}
	if len(rc.entries) >= rc.max {
		rc.entries = map[string]cacheEntry{} // crude but bounded
	}
	rc.entries[key] = e
}

// cachedPublicJSON answers a public read that any write to document doc
// makes stale; see cachedScopedJSON.
func (h *handlers) cachedPublicJSON(c *gin.Context, doc int64, key, maxAge string, build func() (any, bool, error)) {
	h.cachedScopedJSON(c, cacheScope{doc: doc}, key, maxAge, build, nil)
}

// cachedScopedJSON answers a public read from the cache, or builds it,
// caches it and answers; ETag and If-None-Match as in publicJSON. scope says
// which writes make it stale. build says whether its answer is public; a
// private one (a draft shown to its owner) is answered without caching.
// recount, when set, returns a cached answer with its counts read afresh;
// it is used instead of build when only counts changed.
func (h *handlers) cachedScopedJSON(c *gin.Context, scope cacheScope, key, maxAge string, build func() (any, bool, error), recount func(any) (any, error)) {
	// Wall time, not the business clock: the TTL bounds how stale another
	// instance's writes may look.
	now := time.Now()
	e, g, fresh := h.cache.lookup(scope, key, now)
	if fresh {
		h.cache.hits.Add(1)
	} else {
		var stale *cacheEntry // current content, counts to recount
		if e.body != nil && e.value != nil && recount != nil {
			stale = &e
		}
		// Requests that miss together share one build of these generations
		// (taken before reading, so a write meanwhile makes the entry
		// stale); a write meanwhile starts a new flight rather than joining
		// an old one.
		var led bool
		res, _, _ := h.cache.flight.Do(key+"@"+strconv.FormatUint(g.content, 10)+"."+strconv.FormatUint(g.counts, 10), func() (any, error) {
			led = true
			if stale != nil {
				if b, ok := h.recountEntry(recount, *stale, key, g); ok {
					return b, nil
				}
			}
			return h.buildEntry(build, key, g, now, recount != nil), nil
		})
		b := res.(built)
		// Whether a read is public, and its errors, depend on who asks: only a
		// public answer is shared; the others build their own.
		if !led && (b.err != nil || !b.public) {
			b = h.buildEntry(build, key, g, now, recount != nil)
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
// caches it under key with the generations taken before the build (and the
// answer itself when keep: it can be recounted).
func (h *handlers) buildEntry(build func() (any, bool, error), key string, g gens, now time.Time, keep bool) built {
	h.cache.builds.Add(1)
	v, public, err := build()
	if err != nil || !public {
		return built{value: v, public: public, err: err}
	}
	e, err := newEntry(v, g, now, keep)
	if err != nil {
		return built{err: err}
	}
	h.cache.put(key, e)
	return built{entry: e, public: true}
}

// recountEntry brings a cached answer's counts up to date with recount and
// caches it under key with the generations taken before the recount; its
// content keeps its age. false when the recount failed (a build follows).
func (h *handlers) recountEntry(recount func(any) (any, error), old cacheEntry, key string, g gens) (built, bool) {
	h.cache.recounts.Add(1)
	v, err := recount(old.value)
	if err != nil {
		return built{}, false
	}
	e, err := newEntry(v, g, old.at, true)
	if err != nil {
		return built{}, false
	}
	h.cache.put(key, e)
	return built{entry: e, public: true}, true
}

// newEntry serialises a public answer.
func newEntry(v any, g gens, at time.Time, keep bool) (cacheEntry, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return cacheEntry{}, err
	}
	sum := sha256.Sum256(body)
	e := cacheEntry{body: body, gz: gzipped(body), etag: hex.EncodeToString(sum[:16]), gens: g, at: at}
	if keep {
		e.value = v
	}
	return e, nil
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
