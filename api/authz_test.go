package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// principals of the authorization table, in the order requests are sent.
var principals = []string{"anonymous", "citizen", "suspended", "moderator", "forum", "other_owner", "owner", "admin"}

// expect maps a principal to the status it must get; "*" is everyone else.
type expect map[string]int

func (e expect) for_(p string) int {
	if s, ok := e[p]; ok {
		return s
	}
	return e["*"]
}

// authzRow is one route of the table: a concrete request and who gets what.
type authzRow struct {
	url   string // may contain {p}, replaced by the principal's name
	body  string // may contain {p}
	setup func(t *testing.T, env *testEnv)
	want  expect
}

// TestAuthorizationTable sends every route as every kind of principal and checks
// the status (QUALITY.md S4). A route the router serves without a row here
// fails the test, so no route escapes the table.
func TestAuthorizationTable(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	env.createProcess(t, "plan-other")
	tokens := map[string]string{"anonymous": "", "admin": env.AdminToken(t)}
	ids := map[string]int64{}
	for _, p := range principals[1:7] {
		tokens[p] = makeUser(t, env, p+"@example.org", false)
		var id int64
		require.NoError(t, env.DB.Raw("SELECT id FROM users WHERE email = ?", p+"@example.org").Scan(&id).Error)
		ids[p] = id
	}
	grant := func(slug, who, role, seat string) {
		require.NoError(t, env.DB.Exec(`INSERT INTO process_roles (process_id, user_id, role, seat)
			SELECT id, ?, ?, NULLIF(?, '') FROM processes WHERE slug = ? ON CONFLICT DO NOTHING`, ids[who], role, seat, slug).Error)
	}
	grant("plan-2027", "owner", "owner", "")
	grant("plan-other", "other_owner", "owner", "")
	grant("plan-2027", "moderator", "moderator", "")
	grant("plan-2027", "forum", "forum_member", "civil_society")
	require.NoError(t, env.DB.Exec("UPDATE users SET suspended_at = now() WHERE email = 'suspended@example.org'").Error)

	everyone := func(status int) expect { return expect{"*": status} }
	signedInWrite := func(status int) expect { return expect{"*": status, "anonymous": 401, "suspended": 403} }
	ownerOrAdmin := func(status int) expect {
		return expect{"*": 403, "anonymous": 401, "owner": status, "admin": status}
	}
	citizen := fmt.Sprint(ids["citizen"])

	table := map[string]authzRow{
		"GET /healthz":                                    {url: "/healthz", want: everyone(200)},
		"GET /readyz":                                     {url: "/readyz", want: everyone(200)},
		"GET /metrics":                                    {url: "/metrics", want: everyone(200)},
		"GET /api/v1/processes":                           {url: "/api/v1/processes", want: everyone(200)},
		"GET /api/v1/processes/:slug":                     {url: "/api/v1/processes/plan-2027", want: everyone(200)},
		"POST /api/v1/processes":                          {url: "/api/v1/processes", body: processJSON("plan-new"), want: expect{"*": 403, "anonymous": 401, "admin": 201}},
		"PATCH /api/v1/processes/:slug":                   {url: "/api/v1/processes/plan-2027", body: `{"title":"Renamed by {p}"}`, want: ownerOrAdmin(200)},
		"GET /api/v1/processes/:slug/roles":               {url: "/api/v1/processes/plan-2027/roles", want: ownerOrAdmin(200)},
		"PUT /api/v1/processes/:slug/roles/:userID/:role": {url: "/api/v1/processes/plan-2027/roles/" + citizen + "/moderator", body: `{}`, want: ownerOrAdmin(200)},
		"DELETE /api/v1/processes/:slug/roles/:userID/:role": {
			url: "/api/v1/processes/plan-2027/roles/" + citizen + "/moderator", want: ownerOrAdmin(204),
			setup: func(t *testing.T, env *testEnv) { grant("plan-2027", "citizen", "moderator", "") },
		},
		"POST /api/v1/auth/signup":                 {url: "/api/v1/auth/signup", body: signUpJSON("not-an-address", "X", goodPassword), want: everyone(422)},
		"POST /api/v1/auth/verify-email":           {url: "/api/v1/auth/verify-email", body: `{"token":"forged"}`, want: everyone(422)},
		"POST /api/v1/auth/login":                  {url: "/api/v1/auth/login", body: `{"email":"{p}@example.org","password":"wrong password!"}`, want: everyone(401)},
		"POST /api/v1/auth/refresh":                {url: "/api/v1/auth/refresh", want: everyone(401)},
		"POST /api/v1/auth/logout":                 {url: "/api/v1/auth/logout", want: everyone(204)},
		"POST /api/v1/auth/password-reset":         {url: "/api/v1/auth/password-reset", body: `{"email":"nobody-{p}@example.org"}`, want: everyone(202)},
		"POST /api/v1/auth/password-reset/confirm": {url: "/api/v1/auth/password-reset/confirm", body: `{"token":"forged","password":"a brand new passphrase"}`, want: everyone(422)},
		"GET /api/v1/me":                           {url: "/api/v1/me", want: expect{"*": 200, "anonymous": 401}},
		"PATCH /api/v1/me":                         {url: "/api/v1/me", body: `{"display_name":"{p} renamed"}`, want: signedInWrite(200)},
		"PUT /api/v1/me/password":                  {url: "/api/v1/me/password", body: `{"current_password":"wrong password!","new_password":"a brand new passphrase"}`, want: signedInWrite(422)},
		"POST /api/v1/me/verification-email":       {url: "/api/v1/me/verification-email", want: signedInWrite(409)},
		"DELETE /api/v1/me":                        {url: "/api/v1/me", body: `{"password":"wrong password!"}`, want: signedInWrite(422)},
	}

	for _, r := range env.Router.Routes() {
		key := r.Method + " " + r.Path
		row, ok := table[key]
		require.True(t, ok, "route %s has no row in the authorization table", key)
		t.Run(key, func(t *testing.T) {
			for _, p := range principals {
				if row.setup != nil {
					row.setup(t, env)
				}
				url := strings.ReplaceAll(row.url, "{p}", p)
				body := strings.ReplaceAll(row.body, "{p}", p)
				rec := env.Do(t, r.Method, url, tokens[p], body)
				require.Equal(t, row.want.for_(p), rec.Code, "%s as %s: %s", key, p, rec.Body.String())
			}
		})
	}
}
