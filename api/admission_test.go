package api_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// heldWrite is a request whose body the test sends when it chooses: until
// then the handler waits reading it, holding its place in the write lane.
type heldWrite struct {
	req      *http.Request
	admitted chan struct{} // closed once the handler reads the body: it passed admission
	body     *io.PipeWriter
	done     chan *httptest.ResponseRecorder
}

// startRead closes a channel on the first Read.
type startRead struct {
	r    io.Reader
	once sync.Once
	ch   chan struct{}
}

func (s *startRead) Read(p []byte) (int, error) {
	s.once.Do(func() { close(s.ch) })
	return s.r.Read(p)
}

// hold sends a write through the real router with a body that arrives only
// when send is called.
func (e *testEnv) hold(method, url, token string) *heldWrite {
	pr, pw := io.Pipe()
	h := &heldWrite{admitted: make(chan struct{}), body: pw, done: make(chan *httptest.ResponseRecorder, 1)}
	h.req = httptest.NewRequest(method, url, &startRead{r: pr, ch: h.admitted})
	h.req.Header.Set("Content-Type", "application/json")
	if token != "" {
		h.req.Header.Set("Authorization", "Bearer "+token)
	}
	go func() {
		rec := httptest.NewRecorder()
		e.Router.ServeHTTP(rec, h.req)
		h.done <- rec
	}()
	return h
}

// waitAdmitted fails unless the write passes admission within a few seconds.
func (h *heldWrite) waitAdmitted(t *testing.T) {
	t.Helper()
	select {
	case <-h.admitted:
	case <-time.After(5 * time.Second):
		t.Fatal("the held write was not admitted")
	}
}

// send delivers the body and returns the answer.
func (h *heldWrite) send(t *testing.T, body string) *httptest.ResponseRecorder {
	t.Helper()
	_, err := io.WriteString(h.body, body)
	require.NoError(t, err)
	require.NoError(t, h.body.Close())
	select {
	case rec := <-h.done:
		checkAgainstSpec(t, h.req, body, rec)
		return rec
	case <-time.After(10 * time.Second):
		t.Fatal("no answer to the held write")
		return nil
	}
}

// timed runs fn and returns how long it took.
func timed(fn func()) time.Duration {
	t0 := time.Now()
	fn()
	return time.Since(t0)
}

// TestAdmissionControlShedsWritesAndKeepsReads holds the write lane full and
// checks that one more write waits at most WRITE_QUEUE_WAIT and is refused
// with 503, Retry-After and nothing stored, a queued write gets the next free
// place, while reads and sign-in answer at once; the comments stored are the
// 201s answered.
func TestAdmissionControlShedsWritesAndKeepsReads(t *testing.T) {
	const wait = time.Second
	// A pool of 6: 2 places for writes, 2 for sign-in, 2 kept for reads.
	env := newTestEnvWith(t, testConfig(t, map[string]string{"DB_MAX_OPEN_CONNS": "6", "DB_MAX_IDLE_CONNS": "6", "WRITE_CONCURRENCY": "2", "WRITE_QUEUE_WAIT": wait.String()}))
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	key := env.latest(t, doc).keyOf(t, "council budgets")
	alice := makeUser(t, env, "alice@example.org", false)
	bob := makeUser(t, env, "bob@example.org", false)
	carol := makeUser(t, env, "carol@example.org", false)
	url := fmt.Sprintf("/api/v1/documents/%d/comments", doc)
	first := env.comment(t, alice, doc, commentBody(key, 1, "Before the crowd.", ""))
	acked := 1

	// Two writes take both places and keep them.
	a := env.hold(http.MethodPost, url, alice)
	b := env.hold(http.MethodPost, url, bob)
	a.waitAdmitted(t)
	b.waitAdmitted(t)

	// A third waits for a place, at most the queue wait, then is refused.
	var rec *httptest.ResponseRecorder
	took := timed(func() {
		rec = env.Do(t, http.MethodPost, url, carol, commentBody(key, 1, "Refused while the lane is full.", ""))
	})
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	code, _ := errorOf(t, rec)
	require.Equal(t, "service.overloaded", code)
	require.Equal(t, "1", rec.Header().Get("Retry-After"))
	require.GreaterOrEqual(t, took, wait-50*time.Millisecond, "it waited for a place first")
	require.Less(t, took, wait+3*time.Second, "and no longer than the queue wait")
	// Every writing method goes through the lane.
	rec = env.Do(t, http.MethodPut, fmt.Sprintf("/api/v1/comments/%d/vote", first.ID), carol, `{"value":"agree"}`)
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodPatch, "/api/v1/me", carol, `{"display_name":"Carol C"}`)
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())

	// Reads never wait for the write lane.
	took = timed(func() {
		page := env.thread(t, doc, key, "")
		require.Len(t, page.Items, 1)
	})
	require.Less(t, took, wait, "a read answered at once while the writes were held")
	took = timed(func() {
		rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d", doc), "", "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	})
	require.Less(t, took, wait)
	// Nor does signing in: it has a lane of its own.
	took = timed(func() { env.login(t, "carol@example.org", "a fine test password") })
	require.Less(t, took, wait, "sign-in answered at once while the writes were held")

	// A write that arrives while the lane is full waits, and takes the place
	// the next finished write frees.
	c := env.hold(http.MethodPost, url, carol)
	select {
	case <-c.admitted:
		t.Fatal("a write was admitted while the lane was full")
	case <-time.After(wait / 4):
	}
	rec = a.send(t, commentBody(key, 1, "Held write A.", ""))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	acked++
	c.waitAdmitted(t)
	for _, w := range []struct {
		h    *heldWrite
		text string
	}{{b, "Held write B."}, {c, "Queued write C."}} {
		rec = w.h.send(t, commentBody(key, 1, w.text, ""))
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		acked++
	}

	// The comments stored are exactly the ones acknowledged; the refused
	// writes changed nothing.
	require.EqualValues(t, acked, countRows(t, env, "comments", ""))
	require.EqualValues(t, 0, countRows(t, env, "comments", "body LIKE 'Refused%'"))
	require.EqualValues(t, 0, countRows(t, env, "comment_votes", ""))
	require.EqualValues(t, 0, countRows(t, env, "users", "display_name = 'Carol C'"))

	// With the lane free again, writes go straight through.
	rec = env.Do(t, http.MethodPut, fmt.Sprintf("/api/v1/comments/%d/vote", first.ID), carol, `{"value":"agree"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.EqualValues(t, 1, countRows(t, env, "comment_votes", ""))
}

// TestAdmissionSignInLaneIsSeparate fills the sign-in lane and checks that a
// further sign-in is refused with 503 while comments are still accepted: a
// sign-in flood does not take the writers' places, nor they its.
func TestAdmissionSignInLaneIsSeparate(t *testing.T) {
	// A pool of 6 and 2 write places leave 2 sign-in places.
	env := newTestEnvWith(t, testConfig(t, map[string]string{"DB_MAX_OPEN_CONNS": "6", "DB_MAX_IDLE_CONNS": "6", "WRITE_CONCURRENCY": "2", "WRITE_QUEUE_WAIT": "200ms"}))
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	key := env.latest(t, doc).keyOf(t, "council budgets")
	alice := makeUser(t, env, "alice@example.org", false)
	makeUser(t, env, "bob@example.org", false)

	bobsSessions := "refresh_tokens WHERE user_id = (SELECT id FROM users WHERE email = 'bob@example.org')"
	sessions := countRows(t, env, bobsSessions, "")
	held := []*heldWrite{env.hold(http.MethodPost, "/api/v1/auth/login", ""), env.hold(http.MethodPost, "/api/v1/auth/login", "")}
	for _, h := range held {
		h.waitAdmitted(t)
	}
	rec := env.Do(t, http.MethodPost, "/api/v1/auth/login", "", `{"email":"bob@example.org","password":"a fine test password"}`)
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	require.Equal(t, "1", rec.Header().Get("Retry-After"))
	require.Equal(t, sessions, countRows(t, env, bobsSessions, ""), "the refused sign-in opened no session")

	env.comment(t, alice, doc, commentBody(key, 1, "Posted while sign-in is crowded.", ""))
	require.EqualValues(t, 1, countRows(t, env, "comments", ""))

	for _, h := range held {
		rec = h.send(t, `{"email":"bob@example.org","password":"a fine test password"}`)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	}
	require.Equal(t, sessions+2, countRows(t, env, bobsSessions, ""))
}

// TestAdmissionControlOff checks that WRITE_CONCURRENCY=0 lets every write
// run: with more writes held than the pool has connections, another still
// goes through at once.
func TestAdmissionControlOff(t *testing.T) {
	env := newTestEnvWith(t, testConfig(t, map[string]string{"DB_MAX_OPEN_CONNS": "6", "DB_MAX_IDLE_CONNS": "6", "WRITE_CONCURRENCY": "0"}))
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	key := env.latest(t, doc).keyOf(t, "council budgets")
	url := fmt.Sprintf("/api/v1/documents/%d/comments", doc)
	var tokens []string
	var held []*heldWrite
	for i := range 8 {
		tok := makeUser(t, env, "writer"+strconv.Itoa(i)+"@example.org", false)
		tokens = append(tokens, tok)
		held = append(held, env.hold(http.MethodPost, url, tok))
	}
	for _, h := range held {
		h.waitAdmitted(t)
	}
	env.comment(t, tokens[0], doc, commentBody(key, 1, "Not held back.", ""))
	for i, h := range held {
		rec := h.send(t, commentBody(key, 1, fmt.Sprintf("Held write %d.", i), ""))
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	}
	require.EqualValues(t, 9, countRows(t, env, "comments", ""))
}
