package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/pgtest"
)

func TestRoles(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	admin := env.AdminToken(t)
	owner := makeUser(t, env, "owner@example.org", false)
	env.login(t, "owner@example.org", "a fine test password") // a live session the grant must end
	makeUser(t, env, "member@example.org", false)
	var ownerID, memberID int64
	require.NoError(t, env.DB.Raw("SELECT id FROM users WHERE email = 'owner@example.org'").Scan(&ownerID).Error)
	require.NoError(t, env.DB.Raw("SELECT id FROM users WHERE email = 'member@example.org'").Scan(&memberID).Error)
	roleURL := func(id int64, role string) string {
		return fmt.Sprintf("/api/v1/processes/plan-2027/roles/%d/%s", id, role)
	}

	rec := env.Do(t, http.MethodPut, roleURL(ownerID, "owner"), admin, `{}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "owner", decode(t, rec)["name"])
	require.EqualValues(t, 0, pgtest.Count(t, env.DB, "refresh_tokens", "user_id = ? AND revoked_at IS NULL", ownerID), "a role change ends the person's sessions")

	for _, tt := range []struct {
		name, token, url, body, field string
		want                          int
	}{
		{"an owner cannot make owners", owner, roleURL(memberID, "owner"), `{}`, "", http.StatusForbidden},
		{"a forum member needs a seat", owner, roleURL(memberID, "forum_member"), `{}`, "seat:required", http.StatusUnprocessableEntity},
		{"seats are a fixed list", owner, roleURL(memberID, "forum_member"), `{"seat":"press"}`, "seat:enum", http.StatusUnprocessableEntity},
		{"only forum members have seats", owner, roleURL(memberID, "moderator"), `{"seat":"government"}`, "seat:not_allowed", http.StatusUnprocessableEntity},
		{"unknown role", owner, roleURL(memberID, "king"), `{}`, "role:enum", http.StatusUnprocessableEntity},
		{"unknown person", owner, roleURL(999999, "moderator"), `{}`, "", http.StatusNotFound},
		{"not a person id", owner, "/api/v1/processes/plan-2027/roles/abc/moderator", `{}`, "", http.StatusNotFound},
		{"unknown process", owner, "/api/v1/processes/no-plan/roles/1/moderator", `{}`, "", http.StatusNotFound},
		{"rejects unknown fields", owner, roleURL(memberID, "moderator"), `{"role":"owner"}`, "", http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, http.MethodPut, tt.url, tt.token, tt.body)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			if tt.field != "" {
				_, fields := errorOf(t, rec)
				require.Contains(t, fields, tt.field)
			}
		})
	}
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "process_roles", ""), "refused grants store nothing")

	rec = env.Do(t, http.MethodPut, roleURL(memberID, "forum_member"), owner, `{"seat":"civil_society","organisation":"Larkhaven Tenants' Union"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodPut, roleURL(memberID, "forum_member"), owner, `{"seat":"government"}`)
	require.Equal(t, http.StatusOK, rec.Code, "granting again updates the seat")
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "process_roles", "user_id = ? AND seat = 'government'", memberID))

	rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/roles", owner, "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Len(t, decode(t, rec)["items"], 2)

	require.Equal(t, http.StatusNoContent, env.Do(t, http.MethodDelete, roleURL(memberID, "forum_member"), owner, "").Code)
	require.Equal(t, http.StatusNotFound, env.Do(t, http.MethodDelete, roleURL(memberID, "forum_member"), owner, "").Code)
	require.Equal(t, http.StatusForbidden, env.Do(t, http.MethodDelete, roleURL(ownerID, "owner"), owner, "").Code, "owners cannot remove owners")

	// The owner may now edit the process; the member may not.
	require.Equal(t, http.StatusOK, env.Do(t, http.MethodPatch, "/api/v1/processes/plan-2027", owner, `{"title":"Owned"}`).Code)
}
