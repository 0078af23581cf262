package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type commentJSON struct {
	ID       int64  `json:"id"`
	ParentID *int64 `json:"parent_id"`
	Depth    int    `json:"depth"`
	Version  int    `json:"version"`
	Body     string `json:"body"`
	BodyHTML string `json:"body_html"`
	Revision int    `json:"revision"`
	Deleted  bool   `json:"deleted"`
	Agree    int    `json:"agree"`
	Disagree int    `json:"disagree"`
	Author   *struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"author"`
	Quote *struct {
		Exact, Prefix, Suffix string
		Start, End            int
	} `json:"quote"`
	Anchor struct {
		Version    int     `json:"version"`
		Key        *string `json:"key"`
		Status     string  `json:"status"`
		Confidence float64 `json:"confidence"`
		Start      *int    `json:"start"`
		End        *int    `json:"end"`
	} `json:"anchor"`
}

type pageJSON struct {
	Items      []commentJSON `json:"items"`
	NextCursor *string       `json:"next_cursor"`
}

func (e *testEnv) comment(t *testing.T, token string, doc int64, body string) commentJSON {
	t.Helper()
	rec := e.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/comments", doc), token, body)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var c commentJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &c))
	return c
}

func (e *testEnv) thread(t *testing.T, doc int64, key, query string) pageJSON {
	t.Helper()
	rec := e.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/paragraphs/%s/comments%s", doc, key, query), "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var p pageJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	return p
}

func commentBody(key string, version int, body string, quote string) string {
	m := map[string]any{"paragraph_key": key, "version": version, "body": body}
	if quote != "" {
		var q any
		_ = json.Unmarshal([]byte(quote), &q)
		m["quote"] = q
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestCommentsOnParagraphsAndPhrases(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	v := env.latest(t, doc)
	budgets := v.keyOf(t, "council budgets")
	alice := makeUser(t, env, "alice@example.org", false)
	bob := makeUser(t, env, "bob@example.org", false)
	url := fmt.Sprintf("/api/v1/documents/%d/comments", doc)

	// Bad input, each refused with nothing stored.
	for _, tc := range []struct {
		body string
		want int
		code string
	}{
		{commentBody(budgets, 1, "", ""), 422, "request.invalid"},
		{commentBody(budgets, 1, "   \n ", ""), 422, "comment.invalid"},
		{commentBody(budgets, 1, "\ufeff\u200b\u200e", ""), 422, "comment.invalid"},
		{commentBody(budgets, 1, strings.Repeat("x", 10001), ""), 422, "comment.invalid"},
		{commentBody("no-such-key", 1, "Hello", ""), 422, "comment.invalid"},
		{commentBody(budgets, 2, "Hello", ""), 404, "document.version_not_found"},
		{commentBody(budgets, 1, "Hello", `{"exact":"council budgets","start":0,"end":15}`), 422, "comment.quote_mismatch"},
		{commentBody(budgets, 1, "Hello", `{"exact":"x","start":5000,"end":5001}`), 422, "comment.quote_mismatch"},
		{`{"paragraph_key":"` + budgets + `","version":1,"body":"x","author_id":1}`, 400, "request.unknown_field"},
	} {
		rec := env.Do(t, http.MethodPost, url, alice, tc.body)
		require.Equal(t, tc.want, rec.Code, "%s: %s", tc.body, rec.Body.String())
		code, _ := errorOf(t, rec)
		require.Equal(t, tc.code, code)
	}
	rec := env.Do(t, http.MethodPost, url, "", commentBody(budgets, 1, "Hello", ""))
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	require.EqualValues(t, 0, countRows(t, env, "comments", ""))

	// A comment on the paragraph, with Markdown rendered and sanitised.
	c1 := env.comment(t, alice, doc, commentBody(budgets, 1, "**Monthly** is good <script>alert(1)</script>", ""))
	require.Contains(t, c1.BodyHTML, "<strong>Monthly</strong>")
	require.NotContains(t, c1.BodyHTML, "<script")
	require.Equal(t, "exact", c1.Anchor.Status)
	require.Nil(t, c1.Quote)

	// A comment on a phrase: offsets in code points, context from the server.
	text := v.textOf(budgets)
	start := strings.Index(text, "open data")
	quote := fmt.Sprintf(`{"exact":"open data","start":%d,"end":%d}`, start, start+9)
	c2 := env.comment(t, bob, doc, commentBody(budgets, 1, "Which licence?", quote))
	require.NotNil(t, c2.Quote)
	require.Equal(t, "open data", c2.Quote.Exact)
	require.True(t, strings.HasSuffix(c2.Quote.Prefix, "budgets as "), c2.Quote.Prefix)
	require.True(t, strings.HasPrefix(c2.Quote.Suffix, " every month"), c2.Quote.Suffix)

	// Replies nest up to three levels, and say so beyond.
	parent := c1.ID
	for depth := 1; depth <= 3; depth++ {
		rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", parent), bob, fmt.Sprintf(`{"body":"reply at depth %d"}`, depth))
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		var r commentJSON
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
		require.Equal(t, depth, r.Depth)
		parent = r.ID
	}
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", parent), alice, `{"body":"too deep"}`)
	require.Equal(t, http.StatusConflict, rec.Code)
	code, _ := errorOf(t, rec)
	require.Equal(t, "comment.depth_limit", code)

	// The thread: roots in order, each followed by its replies; counts on the version.
	th := env.thread(t, doc, budgets, "")
	require.Len(t, th.Items, 5)
	require.Equal(t, c1.ID, th.Items[0].ID)
	require.Equal(t, c2.ID, th.Items[4].ID)
	v = env.latest(t, doc)
	for _, b := range v.Blocks {
		if b.Key == budgets {
			require.Equal(t, 5, b.Counts.Comments)
		} else {
			require.Equal(t, 0, b.Counts.Comments)
		}
	}

	// Pagination walks the same order.
	p1 := env.thread(t, doc, budgets, "?limit=2")
	require.Len(t, p1.Items, 2)
	require.NotNil(t, p1.NextCursor)
	p2 := env.thread(t, doc, budgets, "?limit=10&cursor="+*p1.NextCursor)
	require.Len(t, p2.Items, 3)
	require.Nil(t, p2.NextCursor)
	require.Equal(t, th.Items[2].ID, p2.Items[0].ID)
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/paragraphs/%s/comments?cursor=forged", doc, budgets), "", "")
	require.Equal(t, http.StatusBadRequest, rec.Code)

	// Editing: author only, current revision only, within the window.
	editURL := fmt.Sprintf("/api/v1/comments/%d", c1.ID)
	rec = env.Do(t, http.MethodPatch, editURL, bob, `{"body":"hijacked","revision":1}`)
	require.Equal(t, http.StatusForbidden, rec.Code)
	rec = env.Do(t, http.MethodPatch, editURL, alice, `{"body":"Monthly, and *machine-readable*","revision":1}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Contains(t, rec.Body.String(), `"revision":2`)
	rec = env.Do(t, http.MethodPatch, editURL, alice, `{"body":"stale edit","revision":1}`)
	require.Equal(t, http.StatusConflict, rec.Code)
	code, _ = errorOf(t, rec)
	require.Equal(t, "comment.stale_revision", code)
	env.Clock.Advance(31 * time.Minute)
	alice, bob = env.freshToken(t, "alice@example.org"), env.freshToken(t, "bob@example.org")
	rec = env.Do(t, http.MethodPatch, editURL, alice, `{"body":"too late","revision":2}`)
	require.Equal(t, http.StatusConflict, rec.Code)
	code, _ = errorOf(t, rec)
	require.Equal(t, "comment.edit_window_closed", code)
	var stored string
	require.NoError(t, env.DB.Raw("SELECT body FROM comments WHERE id = ?", c1.ID).Scan(&stored).Error)
	require.Equal(t, "Monthly, and *machine-readable*", stored)

	// Deleting leaves a tombstone; replies stay readable.
	rec = env.Do(t, http.MethodDelete, editURL, bob, "")
	require.Equal(t, http.StatusForbidden, rec.Code)
	rec = env.Do(t, http.MethodDelete, editURL, alice, "")
	require.Equal(t, http.StatusNoContent, rec.Code)
	th = env.thread(t, doc, budgets, "")
	require.Len(t, th.Items, 5)
	require.True(t, th.Items[0].Deleted)
	require.Empty(t, th.Items[0].Body)
	require.Nil(t, th.Items[0].Author)
	require.Equal(t, "reply at depth 1", th.Items[1].Body)
	v = env.latest(t, doc)
	for _, b := range v.Blocks {
		if b.Key == budgets {
			require.Equal(t, 4, b.Counts.Comments, "the tombstone no longer counts")
		}
	}
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", c1.ID), bob, `{"body":"to a tombstone"}`)
	require.Equal(t, http.StatusConflict, rec.Code)

	// A person's own contributions.
	rec = env.Do(t, http.MethodGet, "/api/v1/me/comments", bob, "")
	require.Equal(t, http.StatusOK, rec.Code)
	var mine pageJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &mine))
	require.Len(t, mine.Items, 4)
	for _, c := range mine.Items {
		require.Equal(t, "bob", c.Author.Name)
	}

	// After the public-comment phase, writes are refused with nothing stored.
	before := countRows(t, env, "comments", "")
	env.Clock.Advance(40 * 24 * time.Hour)
	alice = env.freshToken(t, "alice@example.org")
	rec = env.Do(t, http.MethodPost, url, alice, commentBody(budgets, 1, "late", ""))
	require.Equal(t, http.StatusConflict, rec.Code)
	code, _ = errorOf(t, rec)
	require.Equal(t, "comment.consultation_closed", code)
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", c2.ID), alice, `{"body":"late reply"}`)
	require.Equal(t, http.StatusConflict, rec.Code)
	require.Equal(t, before, countRows(t, env, "comments", ""))
}

func TestVotesStayExactUnderConcurrency(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	v := env.latest(t, doc)
	key := v.keyOf(t, "council budgets")
	author := makeUser(t, env, "author@example.org", false)
	c := env.comment(t, author, doc, commentBody(key, 1, "Vote on me", ""))

	const voters = 200
	tokens := make([]string, voters)
	for i := range tokens {
		tokens[i] = makeUser(t, env, fmt.Sprintf("voter%d@example.org", i), false)
	}
	voteURL := fmt.Sprintf("/api/v1/comments/%d/vote", c.ID)
	var wg sync.WaitGroup
	errs := make(chan string, voters*4)
	for i := range voters {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			// Each voter agrees, flips, sometimes retracts, sometimes votes again,
			// and fires two identical votes at once (a double click).
			steps := []string{"agree", "disagree"}
			if i%3 == 0 {
				steps = append(steps, "retract")
			}
			if i%5 == 0 {
				steps = append(steps, "agree")
			}
			for _, s := range steps {
				method, body := http.MethodPut, `{"value":"`+s+`"}`
				if s == "retract" {
					method, body = http.MethodDelete, ""
				}
				rec := env.Do(t, method, voteURL, tokens[i], body)
				if rec.Code != http.StatusOK {
					errs <- rec.Body.String()
				}
			}
			var dbl sync.WaitGroup
			for range 2 {
				dbl.Add(1)
				go func() {
					defer dbl.Done()
					if rec := env.Do(t, http.MethodPut, voteURL, tokens[i], `{"value":"disagree"}`); rec.Code != http.StatusOK {
						errs <- rec.Body.String()
					}
				}()
			}
			dbl.Wait()
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatalf("vote failed: %s", e)
	}
	var rows struct{ Agree, Disagree int }
	require.NoError(t, env.DB.Raw(`SELECT count(*) FILTER (WHERE value = 1) AS agree, count(*) FILTER (WHERE value = -1) AS disagree
		FROM comment_votes WHERE comment_id = ?`, c.ID).Scan(&rows).Error)
	require.Equal(t, 0, rows.Agree)
	require.Equal(t, voters, rows.Disagree)
	var counters struct{ Agree, Disagree int }
	require.NoError(t, env.DB.Raw(`SELECT sum(agree) AS agree, sum(disagree) AS disagree FROM comment_vote_counts WHERE comment_id = ?`, c.ID).
		Scan(&counters).Error)
	require.Equal(t, rows, counters, "the sharded counters equal the vote rows")
	var para struct{ Agree, Disagree int }
	require.NoError(t, env.DB.Raw(`SELECT sum(agree) AS agree, sum(disagree) AS disagree FROM paragraph_counts WHERE document_id = ? AND paragraph_key = ?`,
		doc, key).Scan(&para).Error)
	require.Equal(t, rows, para, "the paragraph's counters too")

	th := env.thread(t, doc, key, "")
	require.Equal(t, voters, th.Items[0].Disagree)

	// My votes, retract, and votes on a deleted comment.
	rec := env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/my-votes", doc), tokens[0], "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.JSONEq(t, fmt.Sprintf(`{"votes":{"%d":"disagree"}}`, c.ID), rec.Body.String())
	rec = env.Do(t, http.MethodPut, voteURL, tokens[0], `{"value":"maybe"}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	rec = env.Do(t, http.MethodDelete, fmt.Sprintf("/api/v1/comments/%d", c.ID), author, "")
	require.Equal(t, http.StatusNoContent, rec.Code)
	rec = env.Do(t, http.MethodPut, voteURL, tokens[1], `{"value":"agree"}`)
	require.Equal(t, http.StatusConflict, rec.Code)
	require.NoError(t, env.DB.Raw(`SELECT coalesce(sum(agree), 0) AS agree, coalesce(sum(disagree), 0) AS disagree FROM paragraph_counts
		WHERE document_id = ? AND paragraph_key = ?`, doc, key).Scan(&para).Error)
	require.Equal(t, 0, para.Disagree, "a deleted comment's votes leave the paragraph's counts")
	rec = env.Do(t, http.MethodPut, "/api/v1/comments/999999/vote", tokens[1], `{"value":"agree"}`)
	require.Equal(t, http.StatusNotFound, rec.Code)
}

func TestIdempotencyKey(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	key := env.latest(t, doc).keyOf(t, "council budgets")
	alice := makeUser(t, env, "alice@example.org", false)
	bob := makeUser(t, env, "bob@example.org", false)
	url := fmt.Sprintf("/api/v1/documents/%d/comments", doc)
	body := commentBody(key, 1, "Only once", "")

	first := env.Do(t, http.MethodPost, url, alice, body, "Idempotency-Key", "k-1")
	require.Equal(t, http.StatusCreated, first.Code)
	again := env.Do(t, http.MethodPost, url, alice, body, "Idempotency-Key", "k-1")
	require.Equal(t, http.StatusCreated, again.Code)
	require.Equal(t, first.Body.String(), again.Body.String())
	require.Equal(t, "true", again.Header().Get("Idempotent-Replayed"))
	require.EqualValues(t, 1, countRows(t, env, "comments", ""))

	other := env.Do(t, http.MethodPost, url, alice, commentBody(key, 1, "Something else", ""), "Idempotency-Key", "k-1")
	require.Equal(t, http.StatusUnprocessableEntity, other.Code)
	code, _ := errorOf(t, other)
	require.Equal(t, "idempotency.key_reused", code)

	// Keys belong to their account.
	bobs := env.Do(t, http.MethodPost, url, bob, body, "Idempotency-Key", "k-1")
	require.Equal(t, http.StatusCreated, bobs.Code)
	require.EqualValues(t, 2, countRows(t, env, "comments", ""))

	// A failed request stores nothing: after fixing it, the same key works.
	bad := env.Do(t, http.MethodPost, url, alice, commentBody("nope", 1, "x", ""), "Idempotency-Key", "k-2")
	require.Equal(t, http.StatusUnprocessableEntity, bad.Code)
	require.EqualValues(t, 0, countRows(t, env, "idempotency_keys", "key = 'k-2'"))

	rec := env.Do(t, http.MethodPost, url, alice, body, "Idempotency-Key", strings.Repeat("k", 201))
	require.Equal(t, http.StatusBadRequest, rec.Code)

	// Many identical requests at once: one comment, the others replay it or are
	// told the first is still running.
	var wg sync.WaitGroup
	codes := make(chan int, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- env.Do(t, http.MethodPost, url, alice, commentBody(key, 1, "Concurrent", ""), "Idempotency-Key", "k-3").Code
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		require.Contains(t, []int{http.StatusCreated, http.StatusConflict}, c)
	}
	require.EqualValues(t, 1, countRows(t, env, "comments", "body = 'Concurrent'"))

	// An answer without a body (204) is kept and replayed too.
	del := env.Do(t, http.MethodDelete, fmt.Sprintf("/api/v1/comments/%d", decodeID(t, first.Body.Bytes())), alice, "", "Idempotency-Key", "k-del")
	require.Equal(t, http.StatusNoContent, del.Code, del.Body.String())
	del = env.Do(t, http.MethodDelete, fmt.Sprintf("/api/v1/comments/%d", decodeID(t, first.Body.Bytes())), alice, "", "Idempotency-Key", "k-del")
	require.Equal(t, http.StatusNoContent, del.Code, del.Body.String())
	require.Equal(t, "true", del.Header().Get("Idempotent-Replayed"))

	// The stored answer expires after a day.
	env.DB.Exec("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'k-1'")
	rec = env.Do(t, http.MethodPost, url, alice, body, "Idempotency-Key", "k-1")
	require.Equal(t, http.StatusCreated, rec.Code)
	require.Empty(t, rec.Header().Get("Idempotent-Replayed"))
}

func decodeID(t *testing.T, body []byte) int64 {
	t.Helper()
	var c struct{ ID int64 }
	require.NoError(t, json.Unmarshal(body, &c))
	return c.ID
}
