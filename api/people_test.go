package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

type peopleJSON struct {
	Items []struct {
		UserID int64    `json:"user_id"`
		Name   string   `json:"name"`
		Roles  []string `json:"roles"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
	Match      string  `json:"match"`
}

func (e *testEnv) findPeople(t *testing.T, token, slug, query string) peopleJSON {
	t.Helper()
	rec := e.Do(t, http.MethodGet, "/api/v1/processes/"+slug+"/people?"+query, token, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var p peopleJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	return p
}

func names(p peopleJSON) []string {
	out := []string{}
	for _, i := range p.Items {
		out = append(out, i.Name)
	}
	return out
}

// makeNamed creates a confirmed account with a display name of its own.
func makeNamed(t *testing.T, e *testEnv, email, name string) string {
	t.Helper()
	token := makeUser(t, e, email, false)
	require.NoError(t, e.DB.Exec("UPDATE users SET display_name = ? WHERE email = ?", name, email).Error)
	return token
}

// TestFindPeople: owners find an account by its exact address or by part of
// its name; nothing else about accounts is revealed, and nobody else may look.
func TestFindPeople(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	env.createProcess(t, "plan-other")
	require.NoError(t, env.DB.Exec("UPDATE processes SET published_at = now()").Error)
	owner := makeUser(t, env, "owner@example.org", false)
	env.grantRole(t, "plan-2027", "owner@example.org", "owner")
	moderator := makeUser(t, env, "moderator@example.org", false)
	env.grantRole(t, "plan-2027", "moderator@example.org", "moderator")
	otherOwner := makeUser(t, env, "other@example.org", false)
	env.grantRole(t, "plan-other", "other@example.org", "owner")
	citizen := makeNamed(t, env, "ana.lima@example.org", "Ana Lima")
	makeNamed(t, env, "anabel@example.org", "Anabel Ortiz")
	makeNamed(t, env, "joana@example.org", "Joana Ana")
	env.grantRole(t, "plan-2027", "joana@example.org", "moderator")
	makeNamed(t, env, "percent@example.org", "100% Anan_as")
	// Not found: an address never confirmed, a suspended account, an erased one.
	makeNamed(t, env, "anatole@example.org", "Anatole Unconfirmed")
	require.NoError(t, env.DB.Exec("UPDATE users SET email_verified_at = NULL WHERE email = 'anatole@example.org'").Error)
	makeNamed(t, env, "anais@example.org", "Anaïs Suspended")
	require.NoError(t, env.DB.Exec("UPDATE users SET suspended_at = now() WHERE email = 'anais@example.org'").Error)
	makeNamed(t, env, "gone@example.org", "Anakin Gone")
	rec := env.Do(t, http.MethodDelete, "/api/v1/me", env.freshToken(t, "gone@example.org"), `{"password":"a fine test password"}`)
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())

	t.Run("who may not search", func(t *testing.T) {
		for _, tt := range []struct {
			who, token string
			want       int
		}{
			{"anonymous", "", http.StatusUnauthorized},
			{"citizen", citizen, http.StatusForbidden},
			{"moderator", moderator, http.StatusForbidden},
			{"owner of another process", otherOwner, http.StatusForbidden},
		} {
			rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/people?q=ana", tt.token, "")
			require.Equal(t, tt.want, rec.Code, tt.who)
			require.NotContains(t, rec.Body.String(), "Lima", tt.who)
		}
	})

	t.Run("by part of a name: names and roles, never addresses", func(t *testing.T) {
		rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/people?q=ANA", owner, "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.NotContains(t, rec.Body.String(), "@", "no e-mail address in the answer")
		require.Equal(t, "private, no-store", rec.Header().Get("Cache-Control"))
		p := env.findPeople(t, owner, "plan-2027", "q=ana")
		require.Equal(t, "name", p.Match)
		require.Equal(t, []string{"100% Anan_as", "Ana Lima", "Anabel Ortiz", "Joana Ana"}, names(p))
		require.Equal(t, []string{"moderator"}, p.Items[3].Roles)
		require.Empty(t, p.Items[1].Roles)
	})

	t.Run("a page at a time", func(t *testing.T) {
		p := env.findPeople(t, owner, "plan-2027", "q=ana&limit=3")
		require.Equal(t, []string{"100% Anan_as", "Ana Lima", "Anabel Ortiz"}, names(p))
		require.NotNil(t, p.NextCursor)
		p = env.findPeople(t, owner, "plan-2027", "q=ana&limit=3&cursor="+url.QueryEscape(*p.NextCursor))
		require.Equal(t, []string{"Joana Ana"}, names(p))
		require.Nil(t, p.NextCursor)
	})

	t.Run("wildcards are plain characters", func(t *testing.T) {
		require.Equal(t, []string{"100% Anan_as"}, names(env.findPeople(t, owner, "plan-2027", "q="+url.QueryEscape("0%"))))
		require.Empty(t, names(env.findPeople(t, owner, "plan-2027", "q="+url.QueryEscape("%%"))))
		require.Equal(t, []string{"100% Anan_as"}, names(env.findPeople(t, owner, "plan-2027", "q="+url.QueryEscape("n_a"))))
	})

	t.Run("by exact address only", func(t *testing.T) {
		p := env.findPeople(t, owner, "plan-2027", "q="+url.QueryEscape(" Ana.Lima@Example.org "))
		require.Equal(t, "email", p.Match)
		require.Equal(t, []string{"Ana Lima"}, names(p))
		for _, q := range []string{"ana.lima@", "@example.org", "ana.lima@example.or", "anatole@example.org", "anais@example.org", "gone@example.org"} {
			p := env.findPeople(t, owner, "plan-2027", "q="+url.QueryEscape(q))
			require.Empty(t, p.Items, q)
		}
	})

	t.Run("administrators search too", func(t *testing.T) {
		require.Equal(t, []string{"Ana Lima"}, names(env.findPeople(t, env.AdminToken(t), "plan-2027", "q=lima")))
	})

	t.Run("bad input", func(t *testing.T) {
		for _, q := range []string{"", "q=a", "q=" + strings.Repeat("a", 255), "q=ana&cursor=bm9wZQ", "q=ana&limit=51", "q=ana%0Alima"} {
			rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/people?"+q, owner, "")
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "%s: %s", q, rec.Body.String())
		}
		require.Equal(t, http.StatusNotFound, env.Do(t, http.MethodGet, "/api/v1/processes/no-such-plan/people?q=ana", owner, "").Code)
	})
}

// TestFindPeopleIsRateLimited: an owner cannot walk the accounts or try
// addresses in bulk.
func TestFindPeopleIsRateLimited(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	owner := makeUser(t, env, "owner@example.org", false)
	env.grantRole(t, "plan-2027", "owner@example.org", "owner")
	for i := range 30 {
		rec := env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/processes/plan-2027/people?q=person%d@example.org", i), owner, "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	}
	rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/people?q=owner@example.org", owner, "")
	requireLimited(t, rec)
	require.NotContains(t, env.Logs.String(), "person7@example.org", "the addresses tried stay out of the log")
}

// TestUnpublishedProcessHidesOwnerRoutes: while a process is prepared, its
// owners' routes tell everyone else it does not exist.
func TestUnpublishedProcessHidesOwnerRoutes(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	require.NoError(t, env.DB.Exec("UPDATE processes SET published_at = NULL").Error)
	owner := makeUser(t, env, "owner@example.org", false)
	env.grantRole(t, "plan-2027", "owner@example.org", "owner")
	citizen := makeUser(t, env, "citizen@example.org", false)
	for _, u := range []string{"/api/v1/processes/plan-2027/people?q=ana", "/api/v1/processes/plan-2027/roles", "/api/v1/processes/plan-2027/offline"} {
		rec := env.Do(t, http.MethodGet, u, citizen, "")
		require.Equal(t, http.StatusNotFound, rec.Code, u)
		code, _ := errorOf(t, rec)
		require.Equal(t, "process.not_found", code, u)
		require.Equal(t, http.StatusOK, env.Do(t, http.MethodGet, u, owner, "").Code, u)
	}
	body, ct := offlineForm(t, map[string]any{"channel": "paper", "received_on": "2027-03-14", "document_id": 1, "paragraph_key": "p1",
		"version": 1, "body": "A letter"}, "", nil)
	code, got := env.postForm(t, "/api/v1/processes/plan-2027/offline/comments", citizen, body, ct)
	require.Equal(t, http.StatusNotFound, code, got)
}

// TestRolesShowWhoGranted: the holders list says who granted each role.
func TestRolesShowWhoGranted(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	makeUser(t, env, "owner@example.org", false)
	makeNamed(t, env, "mod@example.org", "Mina Moderator")
	var ownerID, modID int64
	require.NoError(t, env.DB.Raw("SELECT id FROM users WHERE email = 'owner@example.org'").Scan(&ownerID).Error)
	require.NoError(t, env.DB.Raw("SELECT id FROM users WHERE email = 'mod@example.org'").Scan(&modID).Error)
	rec := env.Do(t, http.MethodPut, fmt.Sprintf("/api/v1/processes/plan-2027/roles/%d/owner", ownerID), env.AdminToken(t), `{}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "admin", decode(t, rec)["granted_by"].(map[string]any)["name"])
	owner := env.freshToken(t, "owner@example.org") // signed in after the grant, which ends sessions
	rec = env.Do(t, http.MethodPut, fmt.Sprintf("/api/v1/processes/plan-2027/roles/%d/moderator", modID), owner, `{}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "owner", decode(t, rec)["granted_by"].(map[string]any)["name"])

	rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/roles", owner, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var list struct {
		Items []struct {
			Name      string `json:"name"`
			Role      string `json:"role"`
			GrantedBy *struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"granted_by"`
		} `json:"items"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &list))
	require.Len(t, list.Items, 2)
	require.Equal(t, "Mina Moderator", list.Items[0].Name)
	require.Equal(t, ownerID, list.Items[0].GrantedBy.ID)
	require.Equal(t, "owner", list.Items[1].Name)
	require.Equal(t, "admin", list.Items[1].GrantedBy.Name)

	// A role granted from the command line has no granter.
	env.grantRole(t, "plan-2027", "mod@example.org", "owner")
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/roles", owner, "")
	require.Contains(t, rec.Body.String(), `"granted_by":null`)
}
