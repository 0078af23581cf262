package api_test

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/pgtest"
)

var resetLink = regexp.MustCompile(`reset-password\?token=([A-Za-z0-9_-]+)`)

func TestPasswordReset(t *testing.T) {
	env := newTestEnv(t)
	_, cookie := env.signUpAndLogin(t, "ana@example.org")

	for _, email := range []string{"ana@example.org", "nobody@example.org"} {
		rec := env.Do(t, http.MethodPost, "/api/v1/auth/password-reset", "", fmt.Sprintf(`{"email":%q}`, email))
		require.Equal(t, http.StatusAccepted, rec.Code, "the same answer for %s", email)
	}
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "outbox", "kind = 'reset_password'"), "only a real account gets mail")
	var body string
	require.NoError(t, env.DB.Raw("SELECT body FROM outbox WHERE kind = 'reset_password'").Scan(&body).Error)
	token := resetLink.FindStringSubmatch(body)[1]

	confirm := func(token, password string) int {
		return env.Do(t, http.MethodPost, "/api/v1/auth/password-reset/confirm", "", fmt.Sprintf(`{"token":%q,"password":%q}`, token, password)).Code
	}
	require.Equal(t, http.StatusUnprocessableEntity, confirm(token, "short"), "the new password follows the rules")
	require.Equal(t, http.StatusUnprocessableEntity, confirm("forged", "a brand new passphrase"))
	require.Equal(t, http.StatusNoContent, confirm(token, "a brand new passphrase"))
	require.Equal(t, http.StatusUnprocessableEntity, confirm(token, "another new passphrase"), "a link works once")

	require.Equal(t, http.StatusUnauthorized, env.withCookie(t, "/api/v1/auth/refresh", cookie).Code, "sessions end with a reset")
	rec := env.Do(t, http.MethodPost, "/api/v1/auth/login", "", fmt.Sprintf(`{"email":"ana@example.org","password":%q}`, goodPassword))
	require.Equal(t, http.StatusUnauthorized, rec.Code, "the old password is gone")
	env.login(t, "ana@example.org", "a brand new passphrase")
}

func TestAccountSettings(t *testing.T) {
	env := newTestEnv(t)
	access, cookie := env.signUpAndLogin(t, "ana@example.org")

	require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodPatch, "/api/v1/me", "", `{"display_name":"X"}`).Code)
	require.Equal(t, http.StatusBadRequest, env.Do(t, http.MethodPatch, "/api/v1/me", access, `{"display_name":"X","is_admin":true}`).Code)
	require.Equal(t, http.StatusUnprocessableEntity, env.Do(t, http.MethodPatch, "/api/v1/me", access, `{"display_name":"  "}`).Code)
	rec := env.Do(t, http.MethodPatch, "/api/v1/me", access, `{"display_name":"Ana L."}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "Ana L.", decode(t, rec)["display_name"])
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "users", "display_name = 'Ana L.' AND NOT is_admin"))

	rec = env.Do(t, http.MethodPost, "/api/v1/me/verification-email", access, "")
	require.Equal(t, http.StatusConflict, rec.Code, "already verified")

	rec = env.Do(t, http.MethodPut, "/api/v1/me/password", access, `{"current_password":"not it at all","new_password":"a brand new passphrase"}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	_, fields := errorOf(t, rec)
	require.Contains(t, fields, "current_password:wrong")
	rec = env.Do(t, http.MethodPut, "/api/v1/me/password", access, fmt.Sprintf(`{"current_password":%q,"new_password":"a brand new passphrase"}`, goodPassword))
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	require.Equal(t, http.StatusUnauthorized, env.withCookie(t, "/api/v1/auth/refresh", cookie).Code, "sessions end with a password change")
	env.login(t, "ana@example.org", "a brand new passphrase")
}

func TestSuspendedAccountCannotWrite(t *testing.T) {
	env := newTestEnv(t)
	access, _ := env.signUpAndLogin(t, "ana@example.org")
	require.NoError(t, env.DB.Exec("UPDATE users SET suspended_at = now()").Error)
	rec := env.Do(t, http.MethodPatch, "/api/v1/me", access, `{"display_name":"Changed"}`)
	require.Equal(t, http.StatusForbidden, rec.Code)
	require.EqualValues(t, 0, pgtest.Count(t, env.DB, "users", "display_name = 'Changed'"))
}

// TestDeleteAccountErasesPersonalData deletes an account and then searches every
// text column of every table for the address and the name.
func TestDeleteAccountErasesPersonalData(t *testing.T) {
	env := newTestEnv(t)
	const email, name = "erase.me@example.org", "Ana Lima"
	access, cookie := env.signUpAndLogin(t, email)
	// Leave pending mail and an unused reset token behind, as real life would.
	require.Equal(t, http.StatusAccepted, env.Do(t, http.MethodPost, "/api/v1/auth/password-reset", "", fmt.Sprintf(`{"email":%q}`, email)).Code)
	var pseudonym string
	require.NoError(t, env.DB.Raw("SELECT pseudonym FROM users").Scan(&pseudonym).Error)
	// A public comment, sent with an Idempotency-Key (whose stored answer names the author).
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	key := env.latest(t, doc).keyOf(t, "council budgets")
	rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/comments", doc), access, commentBody(key, 1, "Publish them weekly.", ""),
		"Idempotency-Key", "erase-1")
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Contains(t, rec.Body.String(), name)
	// A public idea, sent with an Idempotency-Key, and a support.
	budgets, _ := env.createIdeaProcess(t, "ideas-2027", 0, false)
	rec = env.Do(t, http.MethodPost, "/api/v1/processes/ideas-2027/ideas", access,
		fmt.Sprintf(`{"title":"Weekly budget reports","body":"Every week","theme_id":%d}`, budgets), "Idempotency-Key", "erase-2")
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Contains(t, rec.Body.String(), name)
	ideaID := decodeID(t, rec.Body.Bytes())
	require.Equal(t, http.StatusOK, env.Do(t, http.MethodPut, fmt.Sprintf("/api/v1/ideas/%d/support", ideaID), access, "").Code)

	require.Equal(t, http.StatusUnprocessableEntity, env.Do(t, http.MethodDelete, "/api/v1/me", access, `{"password":"wrong password!"}`).Code)
	require.NotZero(t, tracesOf(t, env.DB, email), "nothing is erased without the password")

	rec = env.Do(t, http.MethodDelete, "/api/v1/me", access, fmt.Sprintf(`{"password":%q}`, goodPassword))
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	// The comment stays public, under the pseudonym.
	th := env.thread(t, doc, key, "")
	require.Len(t, th.Items, 1)
	require.Equal(t, "Publish them weekly.", th.Items[0].Body)
	require.Equal(t, pseudonym, th.Items[0].Author.Name)
	// So does the idea, with its support.
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d", ideaID), "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, pseudonym, decode(t, rec)["author"].(map[string]any)["name"])
	require.EqualValues(t, 1, decode(t, rec)["supports"])

	require.Zero(t, tracesOf(t, env.DB, email), "no table holds the address")
	require.Zero(t, tracesOf(t, env.DB, name), "no table holds the name")
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "users", "pseudonym = ? AND deleted_at IS NOT NULL", pseudonym), "the pseudonym stays for public contributions")
	require.EqualValues(t, 0, pgtest.Count(t, env.DB, "refresh_tokens", "revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE pseudonym = ?)", pseudonym))
	require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodGet, "/api/v1/me", access, "").Code)
	require.Equal(t, http.StatusUnauthorized, env.withCookie(t, "/api/v1/auth/refresh", cookie).Code)
	rec = env.Do(t, http.MethodPost, "/api/v1/auth/login", "", fmt.Sprintf(`{"email":%q,"password":%q}`, email, goodPassword))
	require.Equal(t, http.StatusUnauthorized, rec.Code)

	// The address is free again.
	rec = env.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON(email, "Someone New", goodPassword))
	require.Equal(t, http.StatusAccepted, rec.Code)
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "users", "email = ? AND deleted_at IS NULL", email), "a new account, not a notice")
}

// tracesOf counts rows in any table whose text-like columns contain needle
// (case-insensitive); it returns 1 per hit, however many, for a clear message.
func tracesOf(t *testing.T, db *gorm.DB, needle string) int {
	t.Helper()
	var cols []struct{ Table, Column string }
	require.NoError(t, db.Raw(`SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
		WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`).Scan(&cols).Error)
	require.NotEmpty(t, cols)
	hits := 0
	for _, c := range cols {
		var n int64
		q := fmt.Sprintf(`SELECT count(*) FROM %q WHERE %q::text ILIKE '%%' || ? || '%%'`, c.Table, c.Column)
		require.NoError(t, db.Raw(q, needle).Scan(&n).Error)
		if n > 0 {
			t.Logf("%q found in %s.%s (%d rows)", needle, c.Table, c.Column, n)
			hits++
		}
	}
	return hits
}
