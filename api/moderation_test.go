package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// moderationSettings is a settings body with the screen's defaults and the
// given fields (e.g. `"mode":"pre"`) before them.
func moderationSettings(fields string) string {
	if fields != "" {
		fields += ","
	}
	if !strings.Contains(fields, `"mode"`) {
		fields += `"mode":"post",`
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
	} `gorm:"-"`
	Screen []struct{ Rule, Detail string } `gorm:"-"`
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
	code, _ = env.decide(t, mod1, it, `{"outcome":"reject","reason":"off_topic"}`)
	require.Equal(t, http.StatusUnprocessableEntity, code, "a rejection explains itself")
	code, body = env.decide(t, mod1, it, `{"outcome":"reject","reason":"off_topic","explanation":"This process is about the youth panel."}`)
	require.Equal(t, http.StatusOK, code, fmt.Sprint(body))
	code, _ = env.decide(t, mod1, it, `{"outcome":"approve"}`)
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

func TestFlagsHideAtTheThresholdAndWeighTheirGiversRecord(t *testing.T) {
	env := newTestEnv(t)
	theme := env.moderatedProcess(t, "flags", `"flag_threshold":2`)
	author := makeUser(t, env, "author@example.org", false)
	i := env.idea(t, author, "flags", theme, "Close the library on Sundays")
	url := fmt.Sprintf("/api/v1/ideas/%d/flags", i.ID)
	env.grantRole(t, "flags", "admin@example.org", "owner")

	// A flagger whose two earlier flags were rejected counts (0+1)/(0+2+1) = 1/3.
	doubtful := makeUser(t, env, "doubtful@example.org", false)
	for n := range 2 {
		j := env.idea(t, author, "flags", theme, fmt.Sprintf("A fine idea %d", n))
		require.Equal(t, http.StatusCreated, env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/ideas/%d/flags", j.ID), doubtful, `{"reason":"spam"}`).Code)
		var it itemJSON
		require.NoError(t, env.DB.Raw("SELECT id, version FROM moderation_items WHERE idea_id = ?", j.ID).Scan(&it).Error)
		code, body := env.decide(t, env.AdminToken(t), it, `{"outcome":"approve"}`)
		require.Equal(t, http.StatusOK, code, fmt.Sprint(body))
	}
	rec := env.Do(t, http.MethodPost, url, author, `{"reason":"spam"}`)
	require.Equal(t, http.StatusConflict, rec.Code)
	require.Equal(t, "moderation.own_contribution", errCode(decode(t, rec)))
	require.Equal(t, http.StatusUnprocessableEntity, env.Do(t, http.MethodPost, url, doubtful, `{"reason":"rude"}`).Code)

	rec = env.Do(t, http.MethodPost, url, doubtful, `{"reason":"off_topic","note":"Not a commitment"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Equal(t, false, decode(t, rec)["hidden"])
	rec = env.Do(t, http.MethodPost, url, doubtful, `{"reason":"off_topic"}`)
	require.Equal(t, http.StatusConflict, rec.Code)
	require.Equal(t, "moderation.already_flagged", errCode(decode(t, rec)))
	var weight float64
	require.NoError(t, env.DB.Raw("SELECT flag_weight FROM moderation_items WHERE idea_id = ?", i.ID).Scan(&weight).Error)
	require.InDelta(t, 1.0/3, weight, 1e-6)

	first := makeUser(t, env, "first@example.org", false)
	rec = env.Do(t, http.MethodPost, url, first, `{"reason":"off_topic"}`)
	require.Equal(t, false, decode(t, rec)["hidden"], "1/3 + 1 is under the threshold of 2")
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/flags/ideas", "", "")
	require.Contains(t, rec.Body.String(), "Close the library", "still public, and in the queue")
	second := makeUser(t, env, "second@example.org", false)
	rec = env.Do(t, http.MethodPost, url, second, `{"reason":"off_topic"}`)
	require.Equal(t, true, decode(t, rec)["hidden"])
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/flags/ideas", "", "")
	require.NotContains(t, rec.Body.String(), "Close the library", "hidden pending review")
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/flags/moderation/queue?cause=flags", env.AdminToken(t), "")
	require.Equal(t, http.StatusOK, rec.Code)
	var q struct {
		Items  []itemJSON
		Counts map[string]int
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &q))
	require.Len(t, q.Items, 1)
	require.Equal(t, "hidden", q.Items[0].Status)
	require.Equal(t, 1, q.Counts["flags"])
}

func TestScreenRulesThroughTheAPI(t *testing.T) {
	env := newTestEnvWith(t, testConfig(t, map[string]string{"POSTING_INTERVAL": "5s", "POSTING_INTERVAL_NEW_ACCOUNT": "30s",
		"POSTING_PER_IP_PER_MINUTE": "9"}))
	theme := env.moderatedProcess(t, "risk", `"mode":"risk"`)
	post := func(token, title, body string) (int, map[string]any) {
		b, _ := json.Marshal(map[string]any{"title": title, "body": body, "theme_id": theme})
		rec := env.Do(t, http.MethodPost, "/api/v1/processes/risk/ideas", token, string(b))
		return rec.Code, decode(t, rec)
	}
	ana := makeUser(t, env, "ana@example.org", false)
	code, body := post(ana, "Libraries open later", "Until 9 pm on weekdays.")
	require.Equal(t, http.StatusCreated, code, fmt.Sprint(body))
	require.Equal(t, "published", body["moderation"])
	code, body = post(ana, "Another idea", "Soon after the first.")
	require.Equal(t, http.StatusTooManyRequests, code, "30 s between contributions in an account's first day")
	require.Equal(t, "moderation.rate_limited", errCode(body))
	env.Clock.Advance(31 * time.Second)
	code, body = post(ana, "Libraries open later", "Until 9 pm on weekdays!")
	require.Equal(t, http.StatusConflict, code, "the same text again within 6 minutes")
	require.Equal(t, "moderation.duplicate", errCode(body))

	held := func(title, text, rule string) {
		t.Helper()
		u := makeUser(t, env, fmt.Sprintf("u%d@example.org", time.Now().UnixNano()), false)
		code, body := post(u, title, text)
		require.Equal(t, http.StatusCreated, code, fmt.Sprint(body))
		require.Equal(t, "pending", body["moderation"], "%s holds %q", rule, text)
		var screen string
		require.NoError(t, env.DB.Raw("SELECT screen::text FROM moderation_items WHERE idea_id = ?", int64(body["id"].(float64))).Scan(&screen).Error)
		require.Contains(t, screen, `"rule": "`+rule+`"`)
	}
	held("Great offer", "Visit our c\u0430sino tonight", "banned_terms") // a Cyrillic а
	held("Links", "See https://a.example, https://b.example and https://c.example", "links")
	held("PLEASE READ", "THE COUNCIL NEVER LISTENS TO ANYONE IN THIS CITY", "shouting")
	for n := range 3 {
		u := makeUser(t, env, fmt.Sprintf("campaign%d@example.org", n), false)
		code, body := post(u, "Save the old pier", "Save the old pier from demolition now.")
		require.Equal(t, http.StatusCreated, code, fmt.Sprint(body))
		if n < 2 {
			require.Equal(t, "published", body["moderation"])
		} else {
			require.Equal(t, "pending", body["moderation"], "the third account with the same text is a possible campaign")
		}
	}
	var campaign bool
	require.NoError(t, env.DB.Raw("SELECT bool_or(campaign) FROM moderation_items").Scan(&campaign).Error)
	require.True(t, campaign)

	// Nine contributions from this address this minute so far: the tenth is over the per-IP ceiling.
	u := makeUser(t, env, "late@example.org", false)
	code, body = post(u, "One more", "From the same address")
	require.Equal(t, http.StatusTooManyRequests, code, fmt.Sprint(body))
	require.Equal(t, "rate_limited", errCode(body))
}

func TestHoldFirstRedactEscalateAndBulk(t *testing.T) {
	env := newTestEnv(t)
	theme := env.moderatedProcess(t, "first", `"hold_first":1`)
	owner := makeUser(t, env, "owner@example.org", false)
	mod := makeUser(t, env, "mod@example.org", false)
	env.grantRole(t, "first", "owner@example.org", "owner")
	env.grantRole(t, "first", "mod@example.org", "moderator")
	newcomer := makeUser(t, env, "new@example.org", false)
	first := env.idea(t, newcomer, "first", theme, "Call me on 0612345678 about the bus stop")
	require.Equal(t, "pending", first.Moderation, "a new account's first contribution is held")
	second := env.idea(t, newcomer, "first", theme, "More buses at night")
	require.Equal(t, "published", second.Moderation)

	code, it := env.claim(t, mod, "first")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "new_account", it.Cause)
	code, body := env.decide(t, mod, it, `{"outcome":"redact","redacted_title":"Call me about the bus stop","redacted_body":"Call me on [phone removed] about the bus stop","explanation":"We removed a phone number."}`)
	require.Equal(t, http.StatusOK, code, fmt.Sprint(body))
	rec := env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d", first.ID), "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "Call me on [phone removed] about the bus stop", decode(t, rec)["body"])
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/moderation/items/%d", it.ID), mod, "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Contains(t, decode(t, rec)["original_body"], "0612345678", "moderators still see the original")
	require.NotContains(t, env.Do(t, http.MethodGet, "/api/v1/processes/first/ideas/export", "", "").Body.String(), "0612345678")

	// Escalation: only owners decide it.
	other := makeUser(t, env, "other@example.org", false)
	third := env.idea(t, other, "first", theme, "Cheaper tickets")
	code, it = env.claim(t, mod, "first")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, third.ID, it.Target.ID)
	code, _ = env.decide(t, mod, it, `{"outcome":"escalate"}`)
	require.Equal(t, http.StatusOK, code)
	code, _ = env.claim(t, mod, "first")
	require.Equal(t, http.StatusNoContent, code, "escalated items go to owners")
	code, it = env.claim(t, owner, "first")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "escalated", it.Cause)
	code, _ = env.decide(t, owner, it, `{"outcome":"approve"}`)
	require.Equal(t, http.StatusOK, code)

	// Bulk: one item changed since it was listed and is left alone.
	var items []itemJSON
	for n := range 3 {
		u := makeUser(t, env, fmt.Sprintf("bulk%d@example.org", n), false)
		i := env.idea(t, u, "first", theme, fmt.Sprintf("Bulk idea %d", n))
		var x itemJSON
		require.NoError(t, env.DB.Raw("SELECT id, version FROM moderation_items WHERE idea_id = ?", i.ID).Scan(&x).Error)
		items = append(items, x)
	}
	code, _ = env.claim(t, mod, "first") // claims the first of them: its version moves on
	require.Equal(t, http.StatusOK, code)
	b, _ := json.Marshal(map[string]any{"items": []map[string]any{{"id": items[0].ID, "version": items[0].Version},
		{"id": items[1].ID, "version": items[1].Version}, {"id": items[2].ID, "version": items[2].Version}},
		"outcome": "reject", "reason": "spam", "explanation": "Posted in bulk."})
	rec = env.Do(t, http.MethodPost, "/api/v1/processes/first/moderation/bulk", owner, string(b))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.JSONEq(t, fmt.Sprintf(`{"results":[{"id":%d,"result":"stale"},{"id":%d,"result":"decided"},{"id":%d,"result":"decided"}]}`,
		items[0].ID, items[1].ID, items[2].ID), rec.Body.String())
	require.Error(t, env.DB.Exec("UPDATE moderation_decisions SET outcome = 'approve'").Error, "decisions are append-only")
	require.Error(t, env.DB.Exec("DELETE FROM moderation_decisions").Error)
}
