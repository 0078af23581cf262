package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/pgtest"
)

// TestPostingIntervalIsAGapBetweenPosts: POSTING_INTERVAL is the least time
// between one account's accepted posts, wherever the clock stands, not a
// count per fixed window (two posts a second apart across a window's edge
// passed before). A refused post does not move the gap; other accounts have
// their own; concurrent posts from one account let exactly one through.
func TestPostingIntervalIsAGapBetweenPosts(t *testing.T) {
	env := newTestEnvWith(t, testConfig(t, map[string]string{"POSTING_INTERVAL": "5s", "POSTING_INTERVAL_NEW_ACCOUNT": "0s",
		"POSTING_PER_IP_PER_MINUTE": "0"}))
	theme := env.moderatedProcess(t, "gap", "")
	// Each idea's body is its title's: the same title twice is the same text.
	post := func(token, title string) *httptest.ResponseRecorder {
		b, _ := json.Marshal(map[string]any{"title": title, "body": "Because: " + title, "theme_id": theme})
		return env.Do(t, http.MethodPost, "/api/v1/processes/gap/ideas", token, string(b))
	}
	refused := func(rec *httptest.ResponseRecorder, retryAfter string) {
		t.Helper()
		require.Equal(t, http.StatusTooManyRequests, rec.Code, rec.Body.String())
		code, _ := errorOf(t, rec)
		require.Equal(t, "moderation.rate_limited", code)
		require.Equal(t, retryAfter, rec.Header().Get("Retry-After"))
	}
	ideasOf := func(email string) int64 {
		return pgtest.Count(t, env.DB, "ideas", "author_id = (SELECT id FROM users WHERE email = ?)", email)
	}
	ana := makeUser(t, env, "ana@example.org", false)
	ben := makeUser(t, env, "ben@example.org", false)

	// testNow is on a 5 s boundary: 12:00:04 and 12:00:05 sit in two windows.
	env.Clock.Advance(4 * time.Second)
	require.Equal(t, http.StatusCreated, post(ana, "Longer library hours").Code)
	env.Clock.Advance(time.Second)
	refused(post(ana, "Benches in the park"), "4")
	require.Equal(t, http.StatusCreated, post(ben, "Another account posts").Code, "each account has its own gap")
	env.Clock.Advance(3500 * time.Millisecond)
	refused(post(ana, "Benches in the park"), "1") // 0.5 s left, rounded up
	env.Clock.Advance(500 * time.Millisecond)
	require.Equal(t, http.StatusCreated, post(ana, "Benches in the park").Code, "5 s after the first, refusals in between not counted")
	require.EqualValues(t, 2, ideasOf("ana@example.org"))

	env.Clock.Advance(2 * time.Second) // 12:00:11, 2 s after the last
	refused(post(ana, "Cycle lanes"), "3")
	env.Clock.Advance(3 * time.Second)
	rec := post(ana, "Longer library hours") // the same title and body within 6 minutes
	require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
	require.Equal(t, http.StatusCreated, post(ana, "Cycle lanes").Code, "a post refused for another reason is not the last post")
	require.EqualValues(t, 3, ideasOf("ana@example.org"))

	env.Clock.Advance(time.Minute)
	cleo := makeUser(t, env, "cleo@example.org", false)
	codes := make([]int, 8)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, _ := json.Marshal(map[string]any{"title": fmt.Sprintf("Idea %d at once", i), "body": fmt.Sprintf("Body %d.", i), "theme_id": theme})
			codes[i] = env.Do(t, http.MethodPost, "/api/v1/processes/gap/ideas", cleo, string(b)).Code
		}()
	}
	wg.Wait()
	created := 0
	for _, c := range codes {
		if c == http.StatusCreated {
			created++
		} else {
			require.Equal(t, http.StatusTooManyRequests, c)
		}
	}
	require.Equal(t, 1, created, "one of the simultaneous posts, %v", codes)
	require.EqualValues(t, 1, ideasOf("cleo@example.org"))
}
