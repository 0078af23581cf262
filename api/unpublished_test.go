package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// hiddenFixture is an unpublished process with something behind each of its
// public reads: a published draft with a comment, a cluster and a published
// response of the forum, an update; and an unpublished process collecting
// ideas, with an idea and a comment on it. The authorization table checks that
// only their owners and administrators see any of it.
type hiddenFixture struct {
	slug, ideasSlug string
	doc             int64
	key             string
	comment         int64
	cluster         int64
	response        int64
	idea            int64
	theme           int64
}

// newHiddenFixture builds the fixture; grant gives a principal a role as the
// authorization table does. The owner principal owns both processes, the
// moderator and forum principals hold their roles in the first.
func newHiddenFixture(t *testing.T, env *testEnv, tokens map[string]string, grant func(slug, who, role, seat string)) hiddenFixture {
	t.Helper()
	f := hiddenFixture{slug: "plan-hidden", ideasSlug: "ideas-hidden"}
	admin := env.AdminToken(t)
	env.createUnpublished(t, f.slug)
	grant(f.slug, "owner", "owner", "")
	grant(f.slug, "moderator", "moderator", "")
	grant(f.slug, "forum", "forum_member", "civil_society")

	// Its owners prepare it: a published draft, their own comment, an update.
	rec := env.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/documents", admin, `{"title":"Hidden draft","language":"en"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	f.doc = int64(decode(t, rec)["id"].(float64))
	v := env.publishVersion(t, f.doc, draftV1)
	f.key = v.keyOf(t, "council budgets")
	f.comment = env.comment(t, tokens["owner"], f.doc, commentBody(f.key, v.Number, "The owner tries the draft out", "")).ID
	rec = env.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/updates", tokens["owner"], `{"title":"Coming soon","body":"Not yet."}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())

	// The forum works only in a public process, and the API cannot take a
	// publication back: its cluster and response are made while the process
	// is public, which the database then undoes. (No read of the draft went
	// through the read cache meanwhile.)
	require.NoError(t, env.DB.Exec("UPDATE processes SET published_at = now() WHERE slug = ?", f.slug).Error)
	rec = env.Do(t, http.MethodPut, "/api/v1/processes/"+f.slug+"/forum/settings", admin, `{"signing_rule":"single","target_days":20}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/forum/clusters", tokens["forum"],
		fmt.Sprintf(`{"title":"Budgets","members":[{"kind":"comment","id":%d}]}`, f.comment))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	f.cluster = decodeID(t, rec.Body.Bytes())
	rec = env.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/forum/responses", tokens["forum"],
		fmt.Sprintf(`{"disposition":"noted","reasoning":"Thank you.","covers":[{"kind":"comment","id":%d}]}`, f.comment))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	f.response = decodeID(t, rec.Body.Bytes())
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/responses/%d/sign", f.response), tokens["forum"], `{"revision":1}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NoError(t, env.DB.Exec("UPDATE processes SET published_at = NULL WHERE slug = ?", f.slug).Error)

	body := fmt.Sprintf(`{"slug":%q,"title":"Hidden ideas","languages":["en"],"phases":%s}`, f.ideasSlug, ideaPhasesJSON)
	rec = env.Do(t, http.MethodPost, "/api/v1/processes", admin, body)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	grant(f.ideasSlug, "owner", "owner", "")
	rec = env.Do(t, http.MethodPut, "/api/v1/processes/"+f.ideasSlug+"/idea-settings", admin,
		`{"support_limit":0,"one_per_theme":false,"themes":[{"name":"Open budgets"}]}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var s struct{ Themes []struct{ ID int64 } }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &s))
	f.theme = s.Themes[0].ID
	f.idea = env.idea(t, tokens["owner"], f.ideasSlug, f.theme, "An idea before the launch").ID
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/ideas/%d/comments", f.idea), tokens["owner"], `{"body":"A first comment"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	return f
}

// TestUnpublishedProcessLifecycle follows a process from its creation to its
// publication: hidden from the public and listed only for those who manage
// it, warned about its empty mandate, then public.
func TestUnpublishedProcessLifecycle(t *testing.T) {
	env := newTestEnv(t)
	admin := env.AdminToken(t)
	owner := makeUser(t, env, "owner@example.org", false)
	otherOwner := makeUser(t, env, "other@example.org", false)
	citizen := makeUser(t, env, "citizen@example.org", false)
	env.createUnpublished(t, "plan-hidden")
	env.createProcess(t, "plan-other")
	env.grantRole(t, "plan-hidden", "owner@example.org", "owner")
	env.grantRole(t, "plan-other", "other@example.org", "owner")

	listed := func(token string) []string {
		rec := env.Do(t, http.MethodGet, "/api/v1/processes", token, "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var page struct{ Items []struct{ Slug string } }
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
		var slugs []string
		for _, p := range page.Items {
			slugs = append(slugs, p.Slug)
		}
		return slugs
	}
	require.Equal(t, []string{"plan-other"}, listed(""), "the public list leaves it out")
	require.Equal(t, []string{"plan-other"}, listed(citizen))
	require.Equal(t, []string{"plan-other"}, listed(otherOwner))
	require.Equal(t, []string{"plan-other", "plan-hidden"}, listed(owner), "its owner sees it")
	require.Equal(t, []string{"plan-other", "plan-hidden"}, listed(admin))

	rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-hidden", owner, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "private, no-cache", rec.Header().Get("Cache-Control"), "never kept by a shared cache")
	p := decode(t, rec)
	require.Nil(t, p["published_at"])
	require.Equal(t, map[string]any{"manage": true}, p["viewer"])
	require.Len(t, p["mandate"].(map[string]any)["missing"], 10, "every part of the mandate is empty")

	for _, tt := range []struct {
		name, token string
		want        int
	}{
		{"requires authentication", "", http.StatusUnauthorized},
		{"hides it from a citizen", citizen, http.StatusNotFound},
		{"hides it from the owner of another process", otherOwner, http.StatusNotFound},
		{"publishes it for its owner", owner, http.StatusOK},
		{"publishing again changes nothing", admin, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env.Clock.Advance(time.Minute) // a second publication would show another date
			var before string
			require.NoError(t, env.DB.Raw("SELECT coalesce(published_at::text, '') FROM processes WHERE slug = 'plan-hidden'").Scan(&before).Error)
			rec := env.Do(t, http.MethodPost, "/api/v1/processes/plan-hidden/publish", tt.token, "")
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			var after string
			require.NoError(t, env.DB.Raw("SELECT coalesce(published_at::text, '') FROM processes WHERE slug = 'plan-hidden'").Scan(&after).Error)
			if tt.want != http.StatusOK {
				require.Empty(t, after, "still unpublished")
				return
			}
			res := decode(t, rec)
			warnings := res["warnings"].([]any)
			require.Len(t, warnings, 10, "one warning per empty part of the mandate")
			require.Equal(t, map[string]any{"field": "purpose", "code": "empty", "message": "this part of the engagement mandate is empty"}, warnings[0])
			if before != "" {
				require.Equal(t, before, after, "the first publication's date stays")
			} else {
				require.Equal(t, env.Clock.Now().UTC().Format(time.RFC3339), res["process"].(map[string]any)["published_at"])
			}
		})
	}

	require.Equal(t, []string{"plan-other", "plan-hidden"}, listed(""), "now public")
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-hidden", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Contains(t, rec.Header().Get("Cache-Control"), "public")
	require.Equal(t, map[string]any{"manage": false}, decode(t, rec)["viewer"])
}
