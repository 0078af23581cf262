package api_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// cacheAnswers returns the instance's read cache answers so far by outcome
// (hit, recount, build), as /metrics reports them.
func (e *testEnv) cacheAnswers(t *testing.T) map[string]int {
	t.Helper()
	rec := e.Do(t, http.MethodGet, "/metrics", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	out := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(rec.Body.Bytes()))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), `cocreate_read_cache_answers_total{outcome="`)
		if !ok {
			continue
		}
		outcome, value, _ := strings.Cut(rest, `"} `)
		n, err := strconv.ParseFloat(value, 64)
		require.NoError(t, err)
		out[outcome] = int(n)
	}
	require.Len(t, out, 3, "hit, recount and build are reported")
	return out
}

// countsOf returns the counts the version shows on the paragraph key.
func countsOf(t *testing.T, v versionJSON, key string) [3]int {
	t.Helper()
	for _, b := range v.Blocks {
		if b.Key == key {
			require.NotNil(t, b.Counts, "the latest version shows counts")
			return [3]int{b.Counts.Comments, b.Counts.Agree, b.Counts.Disagree}
		}
	}
	t.Fatalf("no block %q", key)
	return [3]int{}
}

// changeBehindTheCache changes a comment's stored text without any event:
// only a read that rebuilds its thread shows it, so a read that does not is
// answered from the cache.
func (e *testEnv) changeBehindTheCache(t *testing.T, id int64, body string) {
	t.Helper()
	require.NoError(t, e.DB.Exec("UPDATE comments SET body = ? WHERE id = ?", body, id).Error)
}

func (e *testEnv) voteOn(t *testing.T, token string, id int64, value string) {
	t.Helper()
	method, body := http.MethodPut, `{"value":"`+value+`"}`
	if value == "" {
		method, body = http.MethodDelete, ""
	}
	rec := e.Do(t, method, fmt.Sprintf("/api/v1/comments/%d/vote", id), token, body)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
}

// A comment on paragraph A leaves paragraph B's thread served from the
// cache, while A's thread shows the new comment at once and the cached
// draft its new count, recounted rather than rebuilt (issue 23).
func TestAWriteOnOneParagraphLeavesAnothersThreadCached(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	v := env.latest(t, doc)
	a, b := v.keyOf(t, "council budgets"), v.keyOf(t, "A forum")
	alice := makeUser(t, env, "alice@example.org", false)
	bob := makeUser(t, env, "bob@example.org", false)
	onB := env.comment(t, alice, doc, commentBody(b, 1, "Quarterly is too rare.", ""))

	// Cached: both threads and the draft.
	require.Equal(t, []string{"Quarterly is too rare."}, bodies(env.thread(t, doc, b, "")))
	require.Empty(t, env.thread(t, doc, a, "").Items)
	require.Equal(t, [3]int{0, 0, 0}, countsOf(t, env.latest(t, doc), a))
	env.changeBehindTheCache(t, onB.ID, "Changed where no read looks.")
	before := env.cacheAnswers(t)

	env.comment(t, bob, doc, commentBody(a, 1, "Monthly is right.", ""))
	require.Equal(t, []string{"Monthly is right."}, bodies(env.thread(t, doc, a, "")), "A's thread shows the comment at once")
	require.Equal(t, []string{"Quarterly is too rare."}, bodies(env.thread(t, doc, b, "")), "B's thread is still the cached one")
	draft := env.latest(t, doc)
	require.Equal(t, [3]int{1, 0, 0}, countsOf(t, draft, a), "the draft counts the comment at once")
	require.Equal(t, [3]int{1, 0, 0}, countsOf(t, draft, b))
	after := env.cacheAnswers(t)
	require.Equal(t, before["build"]+1, after["build"], "only A's thread was read again")
	require.Equal(t, before["recount"]+1, after["recount"], "the draft's counts were recounted")
	require.Equal(t, before["hit"]+1, after["hit"], "B's thread came from the cache")

	// A comment on B itself rebuilds B's thread, which then shows the change.
	env.comment(t, bob, doc, commentBody(b, 1, "Twice a year is enough.", ""))
	require.Equal(t, []string{"Changed where no read looks.", "Twice a year is enough."}, bodies(env.thread(t, doc, b, "")))
	require.Equal(t, [3]int{2, 0, 0}, countsOf(t, env.latest(t, doc), b))
}

// A vote shows in the cached draft's counts and in its thread's at once,
// without either being read again; a retraction too (issue 23).
func TestAVoteChangesCountsInTheCachedDraftAtOnce(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	a := env.latest(t, doc).keyOf(t, "council budgets")
	alice := makeUser(t, env, "alice@example.org", false)
	bob := makeUser(t, env, "bob@example.org", false)
	carol := makeUser(t, env, "carol@example.org", false)
	c := env.comment(t, alice, doc, commentBody(a, 1, "Monthly is right.", ""))
	require.Equal(t, [3]int{1, 0, 0}, countsOf(t, env.latest(t, doc), a))
	require.Len(t, env.thread(t, doc, a, "").Items, 1)
	env.changeBehindTheCache(t, c.ID, "Changed where no read looks.")
	before := env.cacheAnswers(t)

	votes := func() (draft [3]int, thread [2]int, body string) {
		p := env.thread(t, doc, a, "")
		require.Len(t, p.Items, 1)
		return countsOf(t, env.latest(t, doc), a), [2]int{p.Items[0].Agree, p.Items[0].Disagree}, p.Items[0].Body
	}
	env.voteOn(t, bob, c.ID, "agree")
	d, th, body := votes()
	require.Equal(t, [3]int{1, 1, 0}, d, "the draft shows the vote at once")
	require.Equal(t, [2]int{1, 0}, th, "the thread shows it at once")
	require.Equal(t, "Monthly is right.", body, "the thread's comments were not read again")

	env.voteOn(t, carol, c.ID, "disagree")
	env.voteOn(t, bob, c.ID, "")
	d, th, _ = votes()
	require.Equal(t, [3]int{1, 0, 1}, d)
	require.Equal(t, [2]int{0, 1}, th)
	after := env.cacheAnswers(t)
	require.Equal(t, before["build"], after["build"], "votes rebuild nothing")
	require.Equal(t, before["recount"]+4, after["recount"], "each read after votes recounted once")
}

// The same across two instances: a comment on paragraph A through instance
// 1 shows on instance 2's A thread and draft as soon as the announcement
// arrives, while instance 2 keeps B's thread cached; a vote through
// instance 1 recounts instance 2's cached draft and thread (issue 23).
func TestAWriteOnOneParagraphLeavesAnothersThreadCachedAcrossInstances(t *testing.T) {
	one := newTestEnvWith(t, testConfig(t, longTTL))
	one.createProcess(t, "plan-2027")
	doc := one.createDraft(t, "plan-2027", draftV1)
	v := one.latest(t, doc)
	a, b := v.keyOf(t, "council budgets"), v.keyOf(t, "A forum")
	alice := makeUser(t, one, "alice@example.org", false)
	bob := makeUser(t, one, "bob@example.org", false)
	two := one.secondInstance(t)
	one.runCacheSync(t, true)
	two.runCacheSync(t, true)

	seen := two.Sys.CacheSync.Stats().Received
	onB := one.comment(t, alice, doc, commentBody(b, 1, "Quarterly is too rare.", ""))
	two.received(t, seen)
	require.Equal(t, []string{"Quarterly is too rare."}, bodies(two.thread(t, doc, b, "")))
	require.Empty(t, two.thread(t, doc, a, "").Items)
	require.Equal(t, [3]int{0, 0, 0}, countsOf(t, two.latest(t, doc), a))
	one.changeBehindTheCache(t, onB.ID, "Changed where no read looks.")
	before := two.cacheAnswers(t)

	seen = two.Sys.CacheSync.Stats().Received
	onA := one.comment(t, bob, doc, commentBody(a, 1, "Monthly is right.", ""))
	two.received(t, seen)
	require.Equal(t, []string{"Monthly is right."}, bodies(two.thread(t, doc, a, "")))
	require.Equal(t, []string{"Quarterly is too rare."}, bodies(two.thread(t, doc, b, "")), "B's thread is still the cached one")
	require.Equal(t, [3]int{1, 0, 0}, countsOf(t, two.latest(t, doc), a))

	seen = two.Sys.CacheSync.Stats().Received
	one.voteOn(t, alice, onA.ID, "agree")
	two.received(t, seen)
	require.Equal(t, [3]int{1, 1, 0}, countsOf(t, two.latest(t, doc), a), "the vote shows on the other instance's draft")
	p := two.thread(t, doc, a, "")
	require.Len(t, p.Items, 1)
	require.Equal(t, 1, p.Items[0].Agree, "and on its thread")
	require.Equal(t, []string{"Quarterly is too rare."}, bodies(two.thread(t, doc, b, "")))
	after := two.cacheAnswers(t)
	require.Equal(t, before["build"]+1, after["build"], "only A's thread was read again")
	require.Equal(t, before["recount"]+3, after["recount"], "the draft twice, A's thread once")
}
