package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestIdeaSaysWhoMayMerge: an idea tells its reader whether they may merge it
// (the idea page offers the action on that), and stops once it is merged.
func TestIdeaSaysWhoMayMerge(t *testing.T) {
	env := newTestEnv(t)
	budgets, _ := env.createIdeaProcess(t, "merge", 0, false)
	env.createIdeaProcess(t, "other", 0, false)
	author := makeUser(t, env, "author@example.org", false)
	moderator := makeUser(t, env, "moderator@example.org", false)
	env.grantRole(t, "merge", "moderator@example.org", "moderator")
	forum := makeUser(t, env, "forum@example.org", false)
	require.NoError(t, env.DB.Exec(`INSERT INTO process_roles (process_id, user_id, role, seat)
		SELECT p.id, u.id, 'forum_member', 'government' FROM processes p, users u WHERE p.slug = 'merge' AND u.email = 'forum@example.org'`).Error)
	owner := makeUser(t, env, "owner@example.org", false)
	env.grantRole(t, "merge", "owner@example.org", "owner")
	otherOwner := makeUser(t, env, "other@example.org", false)
	env.grantRole(t, "other", "other@example.org", "owner")
	a := env.idea(t, author, "merge", budgets, "Open budget data")
	b := env.idea(t, author, "merge", budgets, "Budget data, open")
	url := fmt.Sprintf("/api/v1/ideas/%d", b.ID)

	for who, tt := range map[string]struct {
		token string
		want  bool
	}{
		"anonymous": {"", false}, "the author": {author, false}, "the owner of another process": {otherOwner, false},
		"a moderator": {moderator, true}, "a forum member": {forum, true}, "an owner": {owner, true}, "an administrator": {env.AdminToken(t), true},
	} {
		rec := env.Do(t, http.MethodGet, url, tt.token, "")
		require.Equal(t, http.StatusOK, rec.Code, who)
		require.Equal(t, tt.want, decode(t, rec)["can_merge"], who)
	}
	rec := env.Do(t, http.MethodGet, "/api/v1/processes/merge/ideas", moderator, "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Nil(t, decode(t, rec)["items"].([]any)[0].(map[string]any)["can_merge"], "lists do not say")

	rec = env.Do(t, http.MethodPost, url+"/merge", moderator, fmt.Sprintf(`{"into":%d}`, a.ID))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	merged := decode(t, rec)
	require.Equal(t, false, merged["can_merge"], "a merged idea cannot be merged again")
	require.EqualValues(t, a.ID, merged["merged_into"])
	require.Equal(t, true, decode(t, env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d", a.ID), moderator, ""))["can_merge"])
}
