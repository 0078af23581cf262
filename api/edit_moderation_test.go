package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The tests of edits under moderation: an edit passes the same screen and
// posting interval as a new contribution, a held edit waits beside the
// published text until a moderator decides it, and a moderator's hiding,
// rejection or redaction cannot be edited away.

// commentProcess makes a published process open for comments on a one-draft
// document, with the moderation settings fields (as in moderationSettings,
// later keys win), and returns the draft and the key of its first paragraph.
func (e *testEnv) commentProcess(t *testing.T, slug, fields string) (int64, string) {
	t.Helper()
	e.createProcess(t, slug)
	doc := e.createDraft(t, slug, draftV1)
	body := moderationSettings("")
	if fields != "" {
		var base, over map[string]any
		require.NoError(t, json.Unmarshal([]byte(body), &base))
		require.NoError(t, json.Unmarshal([]byte("{"+fields+"}"), &over))
		for k, v := range over {
			base[k] = v
		}
		b, _ := json.Marshal(base)
		body = string(b)
	}
	rec := e.Do(t, http.MethodPut, "/api/v1/processes/"+slug+"/moderation/settings", e.AdminToken(t), body)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return doc, e.latest(t, doc).keyOf(t, "council budgets")
}

// editItemJSON is a queue item as these tests read it.
type editItemJSON struct {
	ID      int64
	Version int
	Cause   string
	State   string
	Status  string
	Title   *string
	Body    string
	Target  struct {
		Type string
		ID   int64
	}
	Screen []struct{ Rule string }
	Edit   *struct {
		PreviousTitle *string `json:"previous_title"`
		PreviousBody  string  `json:"previous_body"`
	}
}

// queue lists a process's queue under cause ("" for every cause).
func (e *testEnv) queue(t *testing.T, token, slug, cause string) []editItemJSON {
	t.Helper()
	url := "/api/v1/processes/" + slug + "/moderation/queue"
	if cause != "" {
		url += "?cause=" + cause
	}
	rec := e.Do(t, http.MethodGet, url, token, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var q struct{ Items []editItemJSON }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &q))
	return q.Items
}

// decideItem decides a queue item on the version it was listed at.
func (e *testEnv) decideItem(t *testing.T, token string, it editItemJSON, body string) *httptest.ResponseRecorder {
	t.Helper()
	return e.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/moderation/items/%d/decisions", it.ID), token,
		strings.Replace(body, "}", fmt.Sprintf(`,"version":%d}`, it.Version), 1))
}

// approveHeld approves the one held item of a process's queue on its target.
func (e *testEnv) approveHeld(t *testing.T, token, slug string, target int64) {
	t.Helper()
	for _, it := range e.queue(t, token, slug, "") {
		if it.Target.ID == target {
			rec := e.decideItem(t, token, it, `{"outcome":"approve"}`)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			return
		}
	}
	t.Fatalf("no item for %d in the queue of %s", target, slug)
}

// editComment sends an author's edit of a comment.
func (e *testEnv) editComment(t *testing.T, token string, id int64, body string, revision int) *httptest.ResponseRecorder {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"body": body, "revision": revision})
	return e.Do(t, http.MethodPatch, fmt.Sprintf("/api/v1/comments/%d", id), token, string(b))
}

// storedComment is a comment's row as the database holds it.
type storedComment struct {
	Body        string
	PendingBody *string
	Status      string
	Revision    int
}

func (e *testEnv) storedComment(t *testing.T, id int64) storedComment {
	t.Helper()
	var c storedComment
	require.NoError(t, e.DB.Raw("SELECT body, pending_body, status, revision FROM comments WHERE id = ?", id).Scan(&c).Error)
	return c
}

// storedIdea is an idea's row as the database holds it.
type storedIdea struct {
	Title        string
	Body         string
	PendingTitle *string
	PendingBody  *string
	Moderation   string
	Revision     int
}

func (e *testEnv) storedIdea(t *testing.T, id int64) storedIdea {
	t.Helper()
	var i storedIdea
	require.NoError(t, e.DB.Raw("SELECT title, body, pending_title, pending_body, moderation, revision FROM ideas WHERE id = ?", id).
		Scan(&i).Error)
	return i
}

// threadText is the raw public thread of a paragraph.
func (e *testEnv) threadText(t *testing.T, doc int64, key string) string {
	t.Helper()
	rec := e.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/paragraphs/%s/comments", doc, key), "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return rec.Body.String()
}

// TestEditCaughtByTheScreenWaitsBesideThePublishedText: a comment a moderator
// approved, edited into text a screen rule catches, keeps its approved text in
// public while the edit waits in the queue as an edit (old and new text);
// approving publishes the new text, rejecting keeps the published one.
func TestEditCaughtByTheScreenWaitsBesideThePublishedText(t *testing.T) {
	env := newTestEnv(t)
	// Post-moderation: a new comment is published at once unless the account
	// is new to the process; the screen's rules still read every edit.
	doc, key := env.commentProcess(t, "edits", `"hold_first":1`)
	mod := makeUser(t, env, "mod@example.org", false)
	env.grantRole(t, "edits", "mod@example.org", "moderator")
	author := makeUser(t, env, "author@example.org", false)
	other := makeUser(t, env, "other@example.org", false)

	original := "The budget tables should be published as open data."
	c := env.comment(t, author, doc, commentBody(key, 1, original, ""))
	require.Equal(t, "pending", env.storedComment(t, c.ID).Status, "the first contribution of a new account is held")
	env.approveHeld(t, mod, "edits", c.ID)
	require.Contains(t, env.threadText(t, doc, key), original)

	// Nobody but the author edits, and bad input is refused, with nothing stored.
	require.Equal(t, http.StatusForbidden, env.editComment(t, other, c.ID, "Hijacked", 1).Code)
	require.Equal(t, http.StatusUnprocessableEntity, env.editComment(t, author, c.ID, "  ", 1).Code)
	require.Equal(t, storedComment{Body: original, Status: "published", Revision: 1}, env.storedComment(t, c.ID))

	abusive := "Forget it, this whole plan is a scam."
	rec := env.editComment(t, author, c.ID, abusive, 1)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	got := decode(t, rec)
	require.Equal(t, true, got["edit_pending"], "the author is told the edit awaits review")
	require.Equal(t, original, got["body"], "the published text is still the approved one")
	require.Equal(t, abusive, got["pending_body"], "the author sees what waits")
	require.EqualValues(t, 2, got["revision"])

	stored := env.storedComment(t, c.ID)
	require.Equal(t, original, stored.Body)
	require.NotNil(t, stored.PendingBody)
	require.Equal(t, abusive, *stored.PendingBody)
	require.Equal(t, "published", stored.Status)
	thread := env.threadText(t, doc, key)
	require.Contains(t, thread, original, "the approved text stays public until the edit is decided")
	require.NotContains(t, thread, "scam")

	items := env.queue(t, mod, "edits", "edit")
	require.Len(t, items, 1, "the edit is in the queue, as an edit")
	it := items[0]
	require.Equal(t, "comment", it.Target.Type)
	require.Equal(t, c.ID, it.Target.ID)
	require.Equal(t, "open", it.State)
	require.Equal(t, abusive, it.Body, "the text to decide is the new one")
	require.NotNil(t, it.Edit)
	require.Equal(t, original, it.Edit.PreviousBody, "beside the text it would replace")
	rules := []string{}
	for _, v := range it.Screen {
		rules = append(rules, v.Rule)
	}
	require.Contains(t, rules, "banned_terms")
	require.Equal(t, http.StatusForbidden, env.Do(t, http.MethodGet, "/api/v1/processes/edits/moderation/queue", author, "").Code,
		"authors do not read the queue")

	// Reject: the edit goes, the published text stays.
	rec = env.decideItem(t, mod, it, `{"outcome":"reject","reason":"abuse","explanation":"Please keep to the draft."}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	stored = env.storedComment(t, c.ID)
	require.Nil(t, stored.PendingBody, "the rejected edit is discarded")
	require.Equal(t, original, stored.Body)
	require.Equal(t, "published", stored.Status, "rejecting an edit does not reject the comment")
	require.Contains(t, env.threadText(t, doc, key), original)
	require.Empty(t, env.queue(t, mod, "edits", ""))

	// A second edit, held by the links rule (at most 2), approved: the new text is public.
	linked := "See https://a.example/budget, https://b.example/budget and https://c.example/budget for the tables."
	rec = env.editComment(t, author, c.ID, linked, stored.Revision)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, true, decode(t, rec)["edit_pending"])
	items = env.queue(t, mod, "edits", "edit")
	require.Len(t, items, 1)
	require.Equal(t, linked, items[0].Body)
	require.Equal(t, original, items[0].Edit.PreviousBody)
	rec = env.decideItem(t, mod, items[0], `{"outcome":"approve"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	stored = env.storedComment(t, c.ID)
	require.Equal(t, linked, stored.Body, "approving publishes the new text")
	require.Nil(t, stored.PendingBody)
	thread = env.threadText(t, doc, key)
	require.Contains(t, thread, "https://c.example/budget")
	require.NotContains(t, thread, original)
	var decisions []string
	require.NoError(t, env.DB.Raw(`SELECT d.outcome || ':' || d.cause FROM moderation_decisions d JOIN moderation_items m ON m.id = d.item_id
		WHERE m.comment_id = ? ORDER BY d.id`, c.ID).Scan(&decisions).Error)
	require.Equal(t, []string{"approve:new_account", "reject:edit", "approve:edit"}, decisions)

	// An edit the screen lets through is published at once, as a new comment would be.
	plain := "The budget tables should be open data, with their sources."
	rec = env.editComment(t, author, c.ID, plain, stored.Revision)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, false, decode(t, rec)["edit_pending"])
	require.Contains(t, env.threadText(t, doc, key), "with their sources")
	require.Empty(t, env.queue(t, mod, "edits", ""))
}

// TestPreModerationHoldsEveryEdit: in pre-moderation, an edit of a comment
// and of a reply waits for a moderator like a new contribution.
func TestPreModerationHoldsEveryEdit(t *testing.T) {
	env := newTestEnv(t)
	doc, key := env.commentProcess(t, "pre", `"mode":"pre"`)
	mod := makeUser(t, env, "mod@example.org", false)
	env.grantRole(t, "pre", "mod@example.org", "moderator")
	author := makeUser(t, env, "author@example.org", false)
	replier := makeUser(t, env, "replier@example.org", false)

	c := env.comment(t, author, doc, commentBody(key, 1, "Publish the budget tables.", ""))
	env.approveHeld(t, mod, "pre", c.ID)
	rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", c.ID), replier, `{"body":"Agreed, every quarter."}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	reply := decodeID(t, rec.Body.Bytes())
	env.approveHeld(t, mod, "pre", reply)

	rec = env.editComment(t, replier, reply, "Agreed, every month.", 1)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, true, decode(t, rec)["edit_pending"])
	rec = env.editComment(t, author, c.ID, "Publish the budget tables and the contracts.", 1)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, true, decode(t, rec)["edit_pending"])

	thread := env.threadText(t, doc, key)
	require.Contains(t, thread, "every quarter")
	require.Contains(t, thread, "Publish the budget tables.")
	require.NotContains(t, thread, "every month")
	require.NotContains(t, thread, "contracts")

	items := env.queue(t, mod, "pre", "edit")
	require.Len(t, items, 2)
	byTarget := map[int64]editItemJSON{}
	for _, it := range items {
		byTarget[it.Target.ID] = it
		require.NotNil(t, it.Edit)
		require.Equal(t, "mode", it.Screen[len(it.Screen)-1].Rule, "held because the process pre-moderates")
	}
	require.Equal(t, "Agreed, every quarter.", byTarget[reply].Edit.PreviousBody)
	require.Equal(t, "Agreed, every month.", byTarget[reply].Body)
	rec = env.decideItem(t, mod, byTarget[reply], `{"outcome":"approve"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	thread = env.threadText(t, doc, key)
	require.Contains(t, thread, "every month")
	require.NotContains(t, thread, "contracts", "the other edit still waits")
	require.Equal(t, 1, len(env.queue(t, mod, "pre", "edit")))

	// A held comment (never published) is edited in place: nothing public to keep.
	held := env.comment(t, author, doc, commentBody(key, 1, "A second thought.", ""))
	before := env.queue(t, mod, "pre", "mode")
	require.Len(t, before, 1)
	rec = env.editComment(t, author, held.ID, "A second, better thought.", 1)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	s := env.storedComment(t, held.ID)
	require.Equal(t, "A second, better thought.", s.Body)
	require.Nil(t, s.PendingBody)
	require.Equal(t, "pending", s.Status)
	after := env.queue(t, mod, "pre", "mode")
	require.Len(t, after, 1)
	require.Equal(t, "A second, better thought.", after[0].Body)
	require.Greater(t, after[0].Version, before[0].Version, "a decision on the text before the edit is stale")
	rec = env.decideItem(t, mod, before[0], `{"outcome":"approve"}`)
	require.Equal(t, http.StatusConflict, rec.Code)
	require.Equal(t, "pending", env.storedComment(t, held.ID).Status)
}

// TestEditsKeepThePostingInterval: an edit counts against the account's
// posting interval like a new contribution, with 429 and Retry-After.
func TestEditsKeepThePostingInterval(t *testing.T) {
	env := newTestEnvWith(t, testConfig(t, map[string]string{"POSTING_INTERVAL": "5s", "POSTING_INTERVAL_NEW_ACCOUNT": "30s"}))
	doc, key := env.commentProcess(t, "pace", "")
	author := makeUser(t, env, "author@example.org", false)
	c := env.comment(t, author, doc, commentBody(key, 1, "Open the budget tables.", ""))

	rec := env.editComment(t, author, c.ID, "Open the budget tables now.", 1)
	require.Equal(t, http.StatusTooManyRequests, rec.Code, rec.Body.String())
	code, _ := errorOf(t, rec)
	require.Equal(t, "moderation.rate_limited", code)
	after, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	require.NoError(t, err, "Retry-After: %q", rec.Header().Get("Retry-After"))
	require.Positive(t, after)
	require.LessOrEqual(t, after, 30)
	require.Equal(t, storedComment{Body: "Open the budget tables.", Status: "published", Revision: 1}, env.storedComment(t, c.ID))

	env.Clock.Advance(31 * time.Second)
	rec = env.editComment(t, author, c.ID, "Open the budget tables now.", 1)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "Open the budget tables now.", env.storedComment(t, c.ID).Body)
	rec = env.editComment(t, author, c.ID, "Open the budget tables today.", 2)
	require.Equal(t, http.StatusTooManyRequests, rec.Code, "one edit after another is posting too fast")
	require.NotEmpty(t, rec.Header().Get("Retry-After"))

	// Ideas too.
	theme := env.moderatedProcess(t, "pace-ideas", "")
	env.Clock.Advance(31 * time.Second)
	i := env.idea(t, author, "pace-ideas", theme, "Night buses")
	b, _ := json.Marshal(map[string]any{"title": "More night buses", "body": "Every 20 minutes.", "theme_id": theme, "revision": 1})
	rec = env.Do(t, http.MethodPatch, fmt.Sprintf("/api/v1/ideas/%d", i.ID), author, string(b))
	require.Equal(t, http.StatusTooManyRequests, rec.Code, rec.Body.String())
	require.NotEmpty(t, rec.Header().Get("Retry-After"))
	require.Equal(t, "Night buses", env.storedIdea(t, i.ID).Title)
}

// TestModeratorsDecisionCannotBeEditedAway: a comment a moderator rejected,
// that flags hid, or that a moderator redacted refuses its author's edit with
// 409 comment.moderated, and its row stays as it was.
func TestModeratorsDecisionCannotBeEditedAway(t *testing.T) {
	env := newTestEnv(t)
	doc, key := env.commentProcess(t, "decided", `"mode":"pre","flag_threshold":1`)
	mod := makeUser(t, env, "mod@example.org", false)
	env.grantRole(t, "decided", "mod@example.org", "moderator")
	author := makeUser(t, env, "author@example.org", false)
	flagger := makeUser(t, env, "flagger@example.org", false)

	find := func(id int64) editItemJSON {
		for _, it := range env.queue(t, mod, "decided", "") {
			if it.Target.ID == id {
				return it
			}
		}
		t.Fatalf("no item for %d", id)
		return editItemJSON{}
	}
	refused := func(id int64, why string) {
		t.Helper()
		before := env.storedComment(t, id)
		rec := env.editComment(t, author, id, "Nothing to see here, all fine now.", before.Revision)
		require.Equal(t, http.StatusConflict, rec.Code, "%s: %s", why, rec.Body.String())
		code, _ := errorOf(t, rec)
		require.Equal(t, "comment.moderated", code, why)
		require.Equal(t, before, env.storedComment(t, id), "%s: the row is unchanged", why)
	}

	rejected := env.comment(t, author, doc, commentBody(key, 1, "Rejected text one.", ""))
	rec := env.decideItem(t, mod, find(rejected.ID), `{"outcome":"reject","reason":"abuse","explanation":"Insults."}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	refused(rejected.ID, "rejected")

	hidden := env.comment(t, author, doc, commentBody(key, 1, "Hidden text two.", ""))
	env.approveHeld(t, mod, "decided", hidden.ID)
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/flags", hidden.ID), flagger, `{"reason":"abuse"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Equal(t, "hidden", env.storedComment(t, hidden.ID).Status)
	refused(hidden.ID, "hidden by flags")

	redacted := env.comment(t, author, doc, commentBody(key, 1, "Call me on 0612345678 about it.", ""))
	rec = env.decideItem(t, mod, find(redacted.ID), `{"outcome":"redact","redacted_body":"Call me on [phone removed] about it.","explanation":"A phone number."}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "published", env.storedComment(t, redacted.ID).Status)
	refused(redacted.ID, "redacted")
	require.NotContains(t, env.threadText(t, doc, key), "0612345678")
}

// TestIdeaEditsAreModerated: the same rules for ideas: a held edit keeps the
// approved title and text public, the queue shows both, a rejection discards
// the edit, an approval publishes it, and a rejected, hidden or redacted idea
// refuses edits with 409 idea.moderated.
func TestIdeaEditsAreModerated(t *testing.T) {
	env := newTestEnv(t)
	theme := env.moderatedProcess(t, "ideas", `"mode":"pre","flag_threshold":1`)
	mod := makeUser(t, env, "mod@example.org", false)
	env.grantRole(t, "ideas", "mod@example.org", "moderator")
	author := makeUser(t, env, "author@example.org", false)
	other := makeUser(t, env, "other@example.org", false)
	edit := func(id int64, title, body string, revision int) *httptest.ResponseRecorder {
		b, _ := json.Marshal(map[string]any{"title": title, "body": body, "theme_id": theme, "revision": revision})
		return env.Do(t, http.MethodPatch, fmt.Sprintf("/api/v1/ideas/%d", id), author, string(b))
	}

	i := env.idea(t, author, "ideas", theme, "Night buses")
	env.approveHeld(t, mod, "ideas", i.ID)
	rec := edit(i.ID, "Night buses are a scam", "Whatever.", 1)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	got := decode(t, rec)
	require.Equal(t, true, got["edit_pending"])
	require.Equal(t, "Night buses", got["title"])
	require.Equal(t, "Night buses are a scam", got["pending_title"], "its author sees the waiting edit")

	for _, token := range []string{"", other} {
		rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d", i.ID), token, "")
		require.Equal(t, http.StatusOK, rec.Code)
		require.NotContains(t, rec.Body.String(), "scam", "others read the approved idea")
		require.Equal(t, "Night buses", decode(t, rec)["title"])
	}
	require.NotContains(t, env.Do(t, http.MethodGet, "/api/v1/processes/ideas/ideas", "", "").Body.String(), "scam")
	require.Contains(t, env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d", i.ID), author, "").Body.String(), "scam")
	s := env.storedIdea(t, i.ID)
	require.Equal(t, "Night buses", s.Title)
	require.Equal(t, "Night buses are a scam", *s.PendingTitle)
	require.Equal(t, "published", s.Moderation)

	items := env.queue(t, mod, "ideas", "edit")
	require.Len(t, items, 1)
	require.Equal(t, "idea", items[0].Target.Type)
	require.Equal(t, "Night buses are a scam", *items[0].Title)
	require.Equal(t, "Whatever.", items[0].Body)
	require.Equal(t, "Night buses", *items[0].Edit.PreviousTitle)
	require.Equal(t, "Why: Night buses", items[0].Edit.PreviousBody)
	rec = env.decideItem(t, mod, items[0], `{"outcome":"reject","reason":"abuse","explanation":"Keep it civil."}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	s = env.storedIdea(t, i.ID)
	require.Equal(t, "Night buses", s.Title)
	require.Nil(t, s.PendingTitle)
	require.Nil(t, s.PendingBody)
	require.Equal(t, "published", s.Moderation)

	rec = edit(i.ID, "Night buses every 20 minutes", "From midnight to 5 am.", s.Revision)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	items = env.queue(t, mod, "ideas", "edit")
	require.Len(t, items, 1)
	rec = env.decideItem(t, mod, items[0], `{"outcome":"approve"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d", i.ID), "", "")
	require.Equal(t, "Night buses every 20 minutes", decode(t, rec)["title"])
	require.Equal(t, false, decode(t, rec)["edit_pending"])

	refused := func(id int64, why string) {
		t.Helper()
		before := env.storedIdea(t, id)
		rec := edit(id, "All fine now", "Nothing to see.", before.Revision)
		require.Equal(t, http.StatusConflict, rec.Code, "%s: %s", why, rec.Body.String())
		code, _ := errorOf(t, rec)
		require.Equal(t, "idea.moderated", code, why)
		require.Equal(t, before, env.storedIdea(t, id), "%s: the row is unchanged", why)
	}
	find := func(id int64) editItemJSON {
		for _, it := range env.queue(t, mod, "ideas", "") {
			if it.Target.ID == id {
				return it
			}
		}
		t.Fatalf("no item for %d", id)
		return editItemJSON{}
	}
	rejected := env.idea(t, author, "ideas", theme, "Rejected idea")
	rec = env.decideItem(t, mod, find(rejected.ID), `{"outcome":"reject","reason":"spam","explanation":"Advertising."}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	refused(rejected.ID, "rejected")

	hidden := env.idea(t, author, "ideas", theme, "Hidden idea")
	env.approveHeld(t, mod, "ideas", hidden.ID)
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/ideas/%d/flags", hidden.ID), other, `{"reason":"abuse"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	refused(hidden.ID, "hidden by flags")

	redacted := env.idea(t, author, "ideas", theme, "Call 0612345678")
	rec = env.decideItem(t, mod, find(redacted.ID), `{"outcome":"redact","redacted_title":"Call [removed]","redacted_body":"Why: call [removed]"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	refused(redacted.ID, "redacted")
}

// TestEditsRacingADecisionLeaveAConsistentRow: two edits of one comment race
// a moderator's approval of the edit the moderator read. Whatever the order,
// an approval publishes exactly the text the moderator saw, at most one edit
// wins, the winner's text is never lost, and waiting text always has an open
// item in the queue.
func TestEditsRacingADecisionLeaveAConsistentRow(t *testing.T) {
	env := newTestEnv(t)
	doc, key := env.commentProcess(t, "race", "")
	mod := makeUser(t, env, "mod@example.org", false)
	env.grantRole(t, "race", "mod@example.org", "moderator")
	author := makeUser(t, env, "author@example.org", false)

	for round := range 6 {
		published := fmt.Sprintf("Round %d: publish the budget tables.", round)
		c := env.comment(t, author, doc, commentBody(key, 1, published, ""))
		seen := fmt.Sprintf("Round %d: the first scam edit.", round)
		rec := env.editComment(t, author, c.ID, seen, 1)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Equal(t, true, decode(t, rec)["edit_pending"])
		var it editItemJSON
		for _, x := range env.queue(t, mod, "race", "edit") {
			if x.Target.ID == c.ID {
				it = x
			}
		}
		require.Equal(t, seen, it.Body, "the moderator reads the first edit")

		texts := []string{fmt.Sprintf("Round %d: the second scam edit.", round), fmt.Sprintf("Round %d: the third scam edit.", round)}
		codes := make([]int, 3)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for n, text := range texts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				codes[n] = env.editComment(t, author, c.ID, text, 2).Code
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			codes[2] = env.decideItem(t, mod, it, `{"outcome":"approve"}`).Code
		}()
		close(start)
		wg.Wait()

		s := env.storedComment(t, c.ID)
		t.Logf("round %d: edits %d %d, decision %d", round, codes[0], codes[1], codes[2])
		won := ""
		for n, code := range codes[:2] {
			require.Contains(t, []int{http.StatusOK, http.StatusConflict}, code, "round %d edit %d", round, n)
			if code == http.StatusOK {
				require.Empty(t, won, "round %d: two edits on one revision both won", round)
				won = texts[n]
			}
		}
		require.Contains(t, []int{http.StatusOK, http.StatusConflict}, codes[2], "round %d decision", round)
		if codes[2] == http.StatusOK {
			require.Equal(t, seen, s.Body, "round %d: the approval published the text the moderator saw", round)
		} else {
			require.NotEmpty(t, won, "round %d: a decision is stale only because an edit came first", round)
			require.Equal(t, published, s.Body, "round %d: nothing was approved", round)
		}
		var open int
		require.NoError(t, env.DB.Raw(`SELECT count(*) FROM moderation_items WHERE comment_id = ? AND state = 'open' AND cause = 'edit'`, c.ID).
			Scan(&open).Error)
		switch {
		case won != "":
			require.NotNil(t, s.PendingBody, "round %d: the winning edit is not lost", round)
			require.Equal(t, won, *s.PendingBody, "round %d", round)
			require.Equal(t, 1, open, "round %d: waiting text is in the queue", round)
		case codes[2] == http.StatusOK:
			require.Nil(t, s.PendingBody, "round %d", round)
			require.Equal(t, 0, open, "round %d", round)
		}
		require.NotContains(t, []string{texts[0], texts[1]}, s.Body, "round %d: no edit is published without a decision", round)
	}
}
