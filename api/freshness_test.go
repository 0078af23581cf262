package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The answer to a publication is the same as a read right after it (issue 15,
// item 8).
func TestPublishAnswerAgreesWithTheRead(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	v1 := env.latest(t, doc)
	procurement := v1.keyOf(t, "Procurement")
	alice := makeUser(t, env, "alice@example.org", false)
	env.comment(t, alice, doc, commentBody(procurement, 1, "Why ten thousand?", ""))

	published := env.publishVersion(t, doc, draftV2)
	read := env.latest(t, doc)
	require.Equal(t, 1, read.OrphanedCount, "the comment on the deleted paragraph is orphaned")
	require.Equal(t, read.OrphanedCount, published.OrphanedCount)
	require.Equal(t, read.Commenting, published.Commenting)
	require.True(t, published.Commenting)
	require.Equal(t, len(read.Blocks), len(published.Blocks))
	for i := range read.Blocks {
		require.Equal(t, read.Blocks[i].Counts, published.Blocks[i].Counts, "block %d", i)
	}
}

// written_on is the text a comment was written on only when its thread no
// longer sits on that exact text, as the spec says (issue 15, item 8).
func TestWrittenOnOnlyWhenTheTextChanged(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	v1 := env.latest(t, doc)
	budgets, forum := v1.keyOf(t, "council budgets"), v1.keyOf(t, "A forum")
	alice := makeUser(t, env, "alice@example.org", false)
	env.comment(t, alice, doc, commentBody(budgets, 1, "Monthly is right.", ""))
	env.comment(t, alice, doc, commentBody(forum, 1, "Quarterly is too rare.", ""))
	// Version 3 keeps the budgets paragraph's text and edits the forum's.
	env.publishVersion(t, doc, draftV1+"\nA new closing paragraph.\n")
	env.publishVersion(t, doc, strings.Replace(draftV1, "quarterly", "every two months", 1)+"\nA new closing paragraph.\n")

	writtenOn := func(key string) any {
		rec := env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/paragraphs/%s/comments", doc, key), "", "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var p struct {
			Items []map[string]any `json:"items"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
		require.Len(t, p.Items, 1)
		return p.Items[0]["written_on"]
	}
	require.Nil(t, writtenOn(budgets), "the same text, two versions later: nothing to show")
	require.NotNil(t, writtenOn(forum), "the text changed: the reader sees what it was")
}

// Cached public reads follow every write that changes them: a new display
// name, an erasure, and the time-box's publication of a held comment (issue
// 15, item 8).
func TestCachedReadsFollowNamesErasuresAndTheTimeBox(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	key := env.latest(t, doc).keyOf(t, "council budgets")
	alice := makeUser(t, env, "alice@example.org", false)
	env.comment(t, alice, doc, commentBody(key, 1, "Monthly is right.", ""))
	author := func() string {
		items := env.thread(t, doc, key, "").Items
		require.NotEmpty(t, items)
		return items[0].Author.Name
	}
	require.Equal(t, "alice", author()) // the read is cached now

	rec := env.Do(t, http.MethodPatch, "/api/v1/me", alice, `{"display_name":"Alice Martin"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "Alice Martin", author(), "a new name shows at once")

	rec = env.Do(t, http.MethodDelete, "/api/v1/me", alice, `{"password":"a fine test password"}`)
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	require.True(t, strings.HasPrefix(author(), "Participant"), "an erased account shows its pseudonym at once, not %q", author())

	// Pre-moderation with a time-box of one hour: a held comment is published
	// by the time-box, and the cached thread shows it.
	rec = env.Do(t, http.MethodPut, "/api/v1/processes/plan-2027/moderation/settings", env.AdminToken(t),
		strings.Replace(moderationSettings(`"mode":"pre"`), `"timebox_hours":null`, `"timebox_hours":1`, 1))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	bob := makeUser(t, env, "bob@example.org", false)
	held := env.comment(t, bob, doc, commentBody(key, 1, "Held for a moderator.", ""))
	count := func() int { return len(env.thread(t, doc, key, "").Items) }
	require.Equal(t, 1, count(), "held: not shown (and the read is cached)")
	env.Clock.Advance(2 * time.Hour)
	n, err := env.Sys.Moderation.PublishOverdue(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, 2, count(), "the time-box's publication shows at once")
	require.Equal(t, held.ID, env.thread(t, doc, key, "").Items[1].ID)
}
