package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// moderationSettings is a settings body with the screen's defaults and the
// given fields (e.g. `"mode":"pre"`) before them.
func moderationSettings(fields string) string {
	if fields != "" {
		fields += ","
	}
	return `{` + fields + `"hold_first":0,"timebox_hours":null,"flag_threshold":3,
		"rules":{"banned_terms":true,"links":2,"duplicate":true,"campaign":3,"rate":true,"shouting":true},
		"banned_terms":{"en":["casino","scam"]},"house_rules":[]}`
}

// moderatedProcess makes a process collecting ideas with the given moderation
// settings (fields as in moderationSettings, later keys win) and returns its
// first theme.
func (e *testEnv) moderatedProcess(t *testing.T, slug, fields string) int64 {
	t.Helper()
	theme, _ := e.createIdeaProcess(t, slug, 0, false)
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
	return theme
}

// grantRole gives an account a role in a process.
func (e *testEnv) grantRole(t *testing.T, slug, email, role string) {
	t.Helper()
	require.NoError(t, e.DB.Exec(`INSERT INTO process_roles (process_id, user_id, role)
		SELECT p.id, u.id, ? FROM processes p, users u WHERE p.slug = ? AND u.email = ?`, role, slug, email).Error)
}

type itemJSON struct {
	ID      int64
	Version int
	Cause   string
	State   string
	Status  string
	Target  struct {
		Type string
		ID   int64
	}
	Screen []struct{ Rule, Detail string }
}

func (e *testEnv) claim(t *testing.T, token, slug string) (int, itemJSON) {
	t.Helper()
	rec := e.Do(t, http.MethodPost, "/api/v1/processes/"+slug+"/moderation/claim", token, `{}`)
	var it itemJSON
	if rec.Code == http.StatusOK {
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &it))
	}
	return rec.Code, it
}

func (e *testEnv) decide(t *testing.T, token string, it itemJSON, body string) (int, map[string]any) {
	t.Helper()
	rec := e.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/moderation/items/%d/decisions", it.ID), token,
		strings.Replace(body, "}", fmt.Sprintf(`,"version":%d}`, it.Version), 1))
	return rec.Code, decode(t, rec)
}

// TestPreModerationRejectAppealApprove is the moderation journey: a held idea,
// a rejection with a reason, the author's appeal to a different moderator,
// and the approval.
func TestPreModerationRejectAppealApprove(t *testing.T) {
	env := newTestEnv(t)
	theme := env.moderatedProcess(t, "youth", `"mode":"pre"`)
	citizen := makeUser(t, env, "citizen@example.org", false)
	mod1 := makeUser(t, env, "mod1@example.org", false)
	mod2 := makeUser(t, env, "mod2@example.org", false)
	env.grantRole(t, "youth", "mod1@example.org", "moderator")
	env.grantRole(t, "youth", "mod2@example.org", "moderator")

	i := env.idea(t, citizen, "youth", theme, "A skate park by the harbour")
	require.Equal(t, "pending", i.Moderation)
	rec := env.Do(t, http.MethodGet, "/api/v1/processes/youth/ideas", "", "")
	require.NotContains(t, rec.Body.String(), "skate park", "a held idea is not public")
	other := makeUser(t, env, "other@example.org", false)
	require.Equal(t, http.StatusNotFound, env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d", i.ID), other, "").Code, "no one else sees it")
	require.Equal(t, http.StatusOK, env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d", i.ID), citizen, "").Code, "its author sees it")
	require.Equal(t, http.StatusOK, env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d", i.ID), mod1, "").Code, "its moderators see it")

	code, it := env.claim(t, mod1, "youth")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, i.ID, it.Target.ID)
	require.Equal(t, "mode", it.Cause)
	code, _ = env.claim(t, mod2, "youth")
	require.Equal(t, http.StatusNoContent, code, "two moderators never get the same item")

	code, body := env.decide(t, mod2, it, `{"outcome":"approve"}`)
	require.Equal(t, http.StatusConflict, code, "another moderator holds the lease")
	require.Equal(t, "moderation.stale", errCode(body))
	code, body = env.decide(t, mod1, it, `{"outcome":"reject","reason":"off_topic"}`)
	require.Equal(t, http.StatusUnprocessableEntity, code, "a rejection explains itself")
	code, body = env.decide(t, mod1, it, `{"outcome":"reject","reason":"off_topic","explanation":"This process is about the youth panel."}`)
	require.Equal(t, http.StatusOK, code, fmt.Sprint(body))
	code, body = env.decide(t, mod1, it, `{"outcome":"approve"}`)
	require.Equal(t, http.StatusConflict, code, "a decision on an old version is stale")
	require.EqualValues(t, 1, countRows(t, env, "moderation_decisions", ""))
	require.EqualValues(t, 1, countRows(t, env, "outbox", "kind = 'moderation_reject' AND recipient = 'citizen@example.org'"))

	rec = env.Do(t, http.MethodGet, "/api/v1/me/moderation", citizen, "")
	require.Equal(t, http.StatusOK, rec.Code)
	var mine struct {
		Items []struct {
			ID                int64
			Status            string
			Reason            string
			ReasonDescription string `json:"reason_description"`
			Explanation       string
			AppealableUntil   *string `json:"appealable_until"`
		}
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &mine))
	require.Len(t, mine.Items, 1)
	require.Equal(t, "rejected", mine.Items[0].Status)
	require.Equal(t, "off_topic", mine.Items[0].Reason)
	require.Equal(t, "This process is about the youth panel.", mine.Items[0].Explanation)
	require.NotNil(t, mine.Items[0].AppealableUntil)

	appeal := fmt.Sprintf("/api/v1/moderation/items/%d/appeal", it.ID)
	require.Equal(t, http.StatusNotFound, env.Do(t, http.MethodPost, appeal, mod2, `{"note":"Not mine"}`).Code, "only the author appeals")
	rec = env.Do(t, http.MethodPost, appeal, citizen, `{"note":"The park is for young people."}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodPost, appeal, citizen, `{"note":"Again"}`)
	require.Equal(t, http.StatusConflict, rec.Code)
	require.Equal(t, "moderation.appeal_used", errCode(decode(t, rec)))

	code, _ = env.claim(t, mod1, "youth")
	require.Equal(t, http.StatusNoContent, code, "the appeal never goes to the moderator who decided")
	code, it = env.claim(t, mod2, "youth")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "appeal", it.Cause)
	code, body = env.decide(t, mod2, it, `{"outcome":"approve"}`)
	require.Equal(t, http.StatusOK, code, fmt.Sprint(body))
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/youth/ideas", "", "")
	require.Contains(t, rec.Body.String(), "skate park", "published after the appeal")

	rec = env.Do(t, http.MethodGet, "/api/v1/processes/youth/moderation/stats", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.NotContains(t, rec.Body.String(), "mod1")
	var stats struct {
		Appeals struct{ Made, Upheld, Overturned, Pending int }
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &stats))
	require.Equal(t, 1, stats.Appeals.Made)
	require.Equal(t, 1, stats.Appeals.Overturned)
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/youth/moderation/stats?format=csv", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Contains(t, rec.Body.String(), "decided,appeal,approve,,1")
}
