package api

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
)

// cachedRead answers one public read of document 1 through cachedPublicJSON.
func cachedRead(h *handlers, build func() (any, bool, error)) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = httptest.NewRequest(http.MethodGet, "/thread", nil)
	h.cachedPublicJSON(c, 1, "thread:1", "5", build)
	return rec
}

// Requests that miss the same entry together build it once; a write while
// it is being built starts a build of its own rather than waiting for the
// stale one (issue 24).
func TestConcurrentMissesBuildOnce(t *testing.T) {
	h := &handlers{cache: newReadCache(time.Minute)}
	var builds atomic.Int32
	release := make(chan struct{})
	build := func() (any, bool, error) {
		if builds.Add(1) == 1 {
			<-release
			return map[string]string{"page": "before"}, true, nil
		}
		return map[string]string{"page": "after"}, true, nil
	}

	const readers = 20
	recs := make([]*httptest.ResponseRecorder, readers)
	var wg sync.WaitGroup
	for i := range readers {
		wg.Go(func() { recs[i] = cachedRead(h, build) })
	}
	// Let the readers reach the flight; a late one finds the entry cached.
	require.Eventually(t, func() bool { return builds.Load() == 1 }, 5*time.Second, time.Millisecond)
	time.Sleep(100 * time.Millisecond)

	h.cache.bump(1) // a write commits while the first build runs
	after := cachedRead(h, build)
	require.Equal(t, http.StatusOK, after.Code)
	require.JSONEq(t, `{"page":"after"}`, after.Body.String(), "the read after the write does not wait for the stale build")
	require.EqualValues(t, 2, builds.Load())

	close(release)
	wg.Wait()
	require.EqualValues(t, 2, builds.Load(), "%d readers that missed together built once", readers)
	for _, rec := range recs {
		require.Equal(t, http.StatusOK, rec.Code)
		require.JSONEq(t, `{"page":"before"}`, rec.Body.String())
		require.Equal(t, recs[0].Header().Get("ETag"), rec.Header().Get("ETag"))
	}
	require.JSONEq(t, `{"page":"after"}`, cachedRead(h, build).Body.String(), "the stale build was not cached over the fresh one")
	require.EqualValues(t, 2, builds.Load())
}

// A private answer (a draft shown to its owner) is never handed to the
// readers who waited on the same flight: each builds its own.
func TestPrivateAnswersAreNotShared(t *testing.T) {
	h := &handlers{cache: newReadCache(time.Minute)}
	var builds atomic.Int32
	gate := make(chan struct{})
	build := func() (any, bool, error) {
		builds.Add(1)
		<-gate
		return map[string]string{"draft": "for its owner"}, false, nil
	}
	const readers = 8
	recs := make([]*httptest.ResponseRecorder, readers)
	var wg sync.WaitGroup
	for i := range readers {
		wg.Go(func() { recs[i] = cachedRead(h, build) })
	}
	time.Sleep(100 * time.Millisecond)
	close(gate)
	wg.Wait()
	require.EqualValues(t, readers, builds.Load())
	for _, rec := range recs {
		require.Equal(t, "private, no-store", rec.Header().Get("Cache-Control"))
	}
}
