package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"cocreate/internal/cachesync"
)

// scopedReads counts the builds and recounts of cached reads by key, with
// answers that say how they were made.
type scopedReads struct {
	h        *handlers
	builds   map[string]int
	recounts map[string]int
	fail     bool // recounts fail
}

func newScopedReads() *scopedReads {
	return &scopedReads{h: &handlers{cache: newReadCache(time.Minute)}, builds: map[string]int{}, recounts: map[string]int{}}
}

// read answers key in scope and returns how its answer was made: "build N"
// or "build N recount M".
func (s *scopedReads) read(t *testing.T, sc cacheScope, key string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = httptest.NewRequest(http.MethodGet, "/"+key, nil)
	build := func() (any, bool, error) {
		s.builds[key]++
		return "build " + strconv.Itoa(s.builds[key]), true, nil
	}
	recount := func(old any) (any, error) {
		if s.fail {
			return nil, errors.New("counts unavailable")
		}
		s.recounts[key]++
		return "build " + strconv.Itoa(s.builds[key]) + " recount " + strconv.Itoa(s.recounts[key]), nil
	}
	s.h.cachedScopedJSON(c, sc, key, "5", build, recount)
	require.Equal(t, http.StatusOK, rec.Code)
	var got string
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
	return got
}

// A write on one thread rebuilds that thread only and has the document's
// counts recounted; a vote recounts its thread and the counts; a write to
// the whole document rebuilds everything of it and nothing of the others.
func TestThreadScopedInvalidation(t *testing.T) {
	s := newScopedReads()
	threadA, threadB := cacheScope{doc: 1, thread: "a"}, cacheScope{doc: 1, thread: "b"}
	draft, orphaned, other := cacheScope{doc: 1, counts: true}, cacheScope{doc: 1}, cacheScope{doc: 2, counts: true}
	all := func() []string {
		return []string{s.read(t, threadA, "a"), s.read(t, threadB, "b"), s.read(t, draft, "draft"), s.read(t, orphaned, "orphaned"), s.read(t, other, "other")}
	}
	require.Equal(t, []string{"build 1", "build 1", "build 1", "build 1", "build 1"}, all())
	require.Equal(t, []string{"build 1", "build 1", "build 1", "build 1", "build 1"}, all(), "all cached")
	require.EqualValues(t, 5, s.h.cache.hits.Load())

	s.h.cache.drop(cachesync.Stale{Document: 1, Thread: "a"}) // a comment on paragraph a
	require.Equal(t, []string{"build 2", "build 1", "build 1 recount 1", "build 1", "build 1"}, all())
	require.Equal(t, []string{"build 2", "build 1", "build 1 recount 1", "build 1", "build 1"}, all(), "the recount is cached too")

	s.h.cache.drop(cachesync.Stale{Document: 1, Thread: "b", Votes: true}) // a vote on paragraph b
	require.Equal(t, []string{"build 2", "build 1 recount 1", "build 1 recount 2", "build 1", "build 1"}, all())

	s.h.cache.drop(cachesync.Stale{Document: 2, Thread: "a"}) // another document's paragraph a
	require.Equal(t, []string{"build 2", "build 1 recount 1", "build 1 recount 2", "build 1", "build 1 recount 1"}, all())

	s.h.cache.drop(cachesync.Stale{Document: 1}) // a new version
	require.Equal(t, []string{"build 3", "build 2", "build 2", "build 2", "build 1 recount 1"}, all())

	s.h.cache.drop(cachesync.Stale{All: true})
	require.Equal(t, []string{"build 4", "build 3", "build 3", "build 3", "build 2"}, all())

	// A recount that fails is a build.
	s.fail = true
	s.h.cache.drop(cachesync.Stale{Document: 1, Thread: "b", Votes: true})
	require.Equal(t, "build 4", s.read(t, threadB, "b"))
	require.Equal(t, "build 4", s.read(t, threadB, "b"), "and cached")
}

// Past maxThreads threads a document's thread counters fold into a write to
// the whole document: every read of it is rebuilt once, and no generation
// a read was cached with comes round again.
func TestThreadCountersFoldWithoutRepeating(t *testing.T) {
	s := newScopedReads()
	a := cacheScope{doc: 1, thread: "a"}
	for range 3 {
		s.h.cache.drop(cachesync.Stale{Document: 1, Thread: "a"})
	}
	require.Equal(t, "build 1", s.read(t, a, "a"))
	s.h.cache.mu.Lock()
	before := s.h.cache.gensLocked(a)
	s.h.cache.mu.Unlock()
	for i := range maxThreads {
		s.h.cache.drop(cachesync.Stale{Document: 1, Thread: "k" + strconv.Itoa(i), Votes: i%2 == 0})
	}
	s.h.cache.mu.Lock()
	after := s.h.cache.gensLocked(a)
	n := len(s.h.cache.docs[1].threads) + len(s.h.cache.docs[1].votes)
	s.h.cache.mu.Unlock()
	require.Less(t, n, maxThreads, "folded")
	require.Greater(t, after.content, before.content)
	require.Equal(t, "build 2", s.read(t, a, "a"))
	require.Equal(t, "build 2", s.read(t, a, "a"))
}

// An answer built or recounted from older generations never replaces one
// from newer ones.
func TestOlderGenerationsDoNotReplaceNewer(t *testing.T) {
	rc := newReadCache(time.Minute)
	now := time.Now()
	rc.put("k", cacheEntry{etag: "new", gens: gens{content: 5, counts: 3}, at: now})
	rc.put("k", cacheEntry{etag: "older counts", gens: gens{content: 5, counts: 2}, at: now})
	rc.put("k", cacheEntry{etag: "older content", gens: gens{content: 4, counts: 9}, at: now})
	require.Equal(t, "new", rc.entries["k"].etag)
	rc.put("k", cacheEntry{etag: "newer content", gens: gens{content: 6}, at: now})
	require.Equal(t, "newer content", rc.entries["k"].etag)
}
