package api_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"cocreate/internal/pgtest"
)

const goodPassword = "correct horse battery staple"

func signUpJSON(email, name, password string) string {
	return fmt.Sprintf(`{"email":%q,"display_name":%q,"password":%q}`, email, name, password)
}

var tokenInLink = regexp.MustCompile(`verify-email\?token=([A-Za-z0-9_-]+)`)

// verificationToken reads the token from the queued verification e-mail.
func (e *testEnv) verificationToken(t *testing.T, email string) string {
	t.Helper()
	var body string
	require.NoError(t, e.DB.Raw("SELECT body FROM outbox WHERE recipient = ? AND kind = 'verify_email' ORDER BY id DESC LIMIT 1", email).Scan(&body).Error)
	m := tokenInLink.FindStringSubmatch(body)
	require.NotNil(t, m, "no link in %q", body)
	return m[1]
}

// signUpAndLogin creates a verified account and returns its access token and
// refresh cookie.
func (e *testEnv) signUpAndLogin(t *testing.T, email string) (string, *http.Cookie) {
	t.Helper()
	rec := e.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON(email, "Ana Lima", goodPassword))
	require.Equal(t, http.StatusAccepted, rec.Code, rec.Body.String())
	rec = e.Do(t, http.MethodPost, "/api/v1/auth/verify-email", "", fmt.Sprintf(`{"token":%q}`, e.verificationToken(t, email)))
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	return e.login(t, email, goodPassword)
}

func (e *testEnv) login(t *testing.T, email, password string) (string, *http.Cookie) {
	t.Helper()
	rec := e.Do(t, http.MethodPost, "/api/v1/auth/login", "", fmt.Sprintf(`{"email":%q,"password":%q}`, email, password))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return decode(t, rec)["access_token"].(string), refreshCookieOf(t, rec)
}

func refreshCookieOf(t *testing.T, rec *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	for _, c := range rec.Result().Cookies() {
		if c.Name == "cocreate_refresh" {
			return c
		}
	}
	t.Fatalf("no refresh cookie in %v", rec.Header())
	return nil
}

// withCookie sends a POST carrying the refresh cookie.
func (e *testEnv) withCookie(t *testing.T, url string, c *http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	return e.Do(t, http.MethodPost, url, "", "", "Cookie", c.Name+"="+c.Value)
}

func TestSignUp(t *testing.T) {
	env := newTestEnv(t)
	url := "/api/v1/auth/signup"
	for _, tt := range []struct {
		name, body, field string
		want              int
	}{
		{"rejects unknown fields", `{"email":"a@example.org","display_name":"A","password":"x","is_admin":true}`, "", http.StatusBadRequest},
		{"rejects a non-address", signUpJSON("not-an-address", "Ana", goodPassword), "email:email", http.StatusUnprocessableEntity},
		{"rejects a name and address", signUpJSON("Ana <ana@example.org>", "Ana", goodPassword), "email:email", http.StatusUnprocessableEntity},
		{"rejects a short password", signUpJSON("ana@example.org", "Ana", "short"), "password:min", http.StatusUnprocessableEntity},
		{"rejects a common password", signUpJSON("ana@example.org", "Ana", "Password1234"), "password:common", http.StatusUnprocessableEntity},
		{"rejects a blank name", signUpJSON("ana@example.org", "   ", goodPassword), "display_name:required", http.StatusUnprocessableEntity},
		{"rejects a two-line name", signUpJSON("ana@example.org", "Ana\nAdmin", goodPassword), "display_name:chars", http.StatusUnprocessableEntity},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, http.MethodPost, url, "", tt.body)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			if tt.field != "" {
				_, fields := errorOf(t, rec)
				require.Contains(t, fields, tt.field)
			}
		})
	}
	require.EqualValues(t, 0, pgtest.Count(t, env.DB, "users", ""), "bad input stores nothing")
	require.EqualValues(t, 0, pgtest.Count(t, env.DB, "outbox", ""))

	rec := env.Do(t, http.MethodPost, url, "", signUpJSON("Ana@Example.org", "Ana Lima", goodPassword))
	require.Equal(t, http.StatusAccepted, rec.Code, rec.Body.String())
	require.Empty(t, rec.Body.String())
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "users", "email = 'Ana@Example.org' AND email_verified_at IS NULL"))
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "outbox", "kind = 'verify_email' AND recipient = 'Ana@Example.org' AND sent_at IS NULL"))
	var hash string
	require.NoError(t, env.DB.Raw("SELECT password_hash FROM users").Scan(&hash).Error)
	require.True(t, strings.HasPrefix(hash, "$argon2id$v=19$"), hash)
	require.NotContains(t, hash, goodPassword)

	rec = env.Do(t, http.MethodPost, url, "", signUpJSON("ana@EXAMPLE.org", "Other", goodPassword))
	require.Equal(t, http.StatusAccepted, rec.Code, "the same answer for a taken address")
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "users", ""), "addresses are compared without case")
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "outbox", "kind = 'signup_existing' AND recipient = 'Ana@Example.org'"))

	token := env.verificationToken(t, "Ana@Example.org")
	rec = env.Do(t, http.MethodPost, "/api/v1/auth/verify-email", "", `{"token":"forged-token"}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	rec = env.Do(t, http.MethodPost, "/api/v1/auth/verify-email", "", fmt.Sprintf(`{"token":%q}`, token))
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "users", "email_verified_at IS NOT NULL"))
	rec = env.Do(t, http.MethodPost, "/api/v1/auth/verify-email", "", fmt.Sprintf(`{"token":%q}`, token))
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "a link works once")
	require.NotContains(t, env.Logs.String(), goodPassword)
}

func TestLogin(t *testing.T) {
	env := newTestEnv(t)
	access, cookie := env.signUpAndLogin(t, "ana@example.org")
	require.True(t, cookie.HttpOnly)
	require.True(t, cookie.Secure)
	require.Equal(t, http.SameSiteStrictMode, cookie.SameSite)
	require.Equal(t, "/api/v1/auth", cookie.Path)

	rec := env.Do(t, http.MethodGet, "/api/v1/me", access, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	me := decode(t, rec)
	require.Equal(t, "ana@example.org", me["email"])
	require.Equal(t, true, me["email_verified"])
	require.Equal(t, "no-store", rec.Header().Get("Cache-Control"))

	for _, tt := range []struct{ name, body string }{
		{"wrong password", `{"email":"ana@example.org","password":"wrong password!"}`},
		{"unknown address", `{"email":"nobody@example.org","password":"wrong password!"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, http.MethodPost, "/api/v1/auth/login", "", tt.body)
			require.Equal(t, http.StatusUnauthorized, rec.Code)
			code, _ := errorOf(t, rec)
			require.Equal(t, "auth.bad_credentials", code, "the same answer whether or not the address has an account")
		})
	}
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "refresh_tokens", ""), "failed logins start no session")

	rec = env.Do(t, http.MethodGet, "/api/v1/me", "", "")
	require.Equal(t, http.StatusUnauthorized, rec.Code)

	logs := env.Logs.String()
	require.NotContains(t, logs, goodPassword)
	require.NotContains(t, logs, access)
	require.NotContains(t, logs, cookie.Value)
	require.Contains(t, logs, `"msg":"login failed"`)
}

// TestRefreshRotatesAndDetectsReuse: each refresh token works once; replaying an
// exchanged one ends the whole session, including the newer token.
func TestRefreshRotatesAndDetectsReuse(t *testing.T) {
	env := newTestEnv(t)
	_, first := env.signUpAndLogin(t, "ana@example.org")

	rec := env.withCookie(t, "/api/v1/auth/refresh", first)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	second := refreshCookieOf(t, rec)
	require.NotEqual(t, first.Value, second.Value)
	newAccess := decode(t, rec)["access_token"].(string)
	require.Equal(t, http.StatusOK, env.Do(t, http.MethodGet, "/api/v1/me", newAccess, "").Code)

	rec = env.withCookie(t, "/api/v1/auth/refresh", first)
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	code, _ := errorOf(t, rec)
	require.Equal(t, "auth.session_revoked", code)
	require.EqualValues(t, 0, pgtest.Count(t, env.DB, "refresh_tokens", "revoked_at IS NULL"), "the whole family is revoked")

	rec = env.withCookie(t, "/api/v1/auth/refresh", second)
	require.Equal(t, http.StatusUnauthorized, rec.Code, "the newer token died with its family")

	rec = env.withCookie(t, "/api/v1/auth/refresh", &http.Cookie{Name: "cocreate_refresh", Value: "made-up"})
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodPost, "/api/v1/auth/refresh", "", "").Code)
}

func TestLogoutEndsTheSession(t *testing.T) {
	env := newTestEnv(t)
	_, cookie := env.signUpAndLogin(t, "ana@example.org")
	_, other := env.login(t, "ana@example.org", goodPassword) // a second device

	rec := env.withCookie(t, "/api/v1/auth/logout", cookie)
	require.Equal(t, http.StatusNoContent, rec.Code)
	require.Equal(t, -1, refreshCookieOf(t, rec).MaxAge, "the cookie is cleared")
	require.Equal(t, http.StatusUnauthorized, env.withCookie(t, "/api/v1/auth/refresh", cookie).Code)
	require.Equal(t, http.StatusOK, env.withCookie(t, "/api/v1/auth/refresh", other).Code, "other devices stay signed in")
	require.Equal(t, http.StatusNoContent, env.Do(t, http.MethodPost, "/api/v1/auth/logout", "", "").Code, "signing out twice is fine")
}

func TestSuspendedAndDeletedAccounts(t *testing.T) {
	env := newTestEnv(t)
	access, cookie := env.signUpAndLogin(t, "ana@example.org")

	_, err := env.Sys.Accounts.SetSuspended(context.Background(), "ana@example.org", true)
	require.NoError(t, err)
	require.EqualValues(t, 0, pgtest.Count(t, env.DB, "refresh_tokens", "revoked_at IS NULL"), "a suspension ends every session at once")
	require.Equal(t, http.StatusOK, env.Do(t, http.MethodGet, "/api/v1/me", access, "").Code, "a suspended account may still read")
	rec := env.Do(t, http.MethodPost, "/api/v1/auth/login", "", fmt.Sprintf(`{"email":"ana@example.org","password":%q}`, goodPassword))
	require.Equal(t, http.StatusForbidden, rec.Code)
	require.Equal(t, http.StatusUnauthorized, env.withCookie(t, "/api/v1/auth/refresh", cookie).Code)

	require.NoError(t, env.DB.Exec("UPDATE users SET deleted_at = now(), email = NULL, display_name = NULL, password_hash = NULL").Error)
	require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodGet, "/api/v1/me", access, "").Code, "a deleted account's token is dead")
}

// TestForgedTokensChangeNothing sends forged access tokens (QUALITY.md S1) to a
// read and to a write: every one is 401 and the write stores nothing.
func TestForgedTokensChangeNothing(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	env.signUpAndLogin(t, "ana@example.org")

	_, stranger, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	claims := jwt.MapClaims{"iss": "cocreate", "aud": []string{"cocreate-api"}, "sub": "1", "typ": "access",
		"iat": testNow.Unix(), "exp": testNow.Add(10 * time.Minute).Unix()}
	forge := func(m jwt.SigningMethod, key any, edit func(jwt.MapClaims)) string {
		c := jwt.MapClaims{}
		for k, v := range claims {
			c[k] = v
		}
		if edit != nil {
			edit(c)
		}
		tok := jwt.NewWithClaims(m, c)
		tok.Header["kid"] = "0000000000000000"
		s, err := tok.SignedString(key)
		require.NoError(t, err)
		return s
	}
	for name, token := range map[string]string{
		"alg none":             forge(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, nil),
		"HS256 with a guess":   forge(jwt.SigningMethodHS256, []byte("secret"), nil),
		"another key":          forge(jwt.SigningMethodEdDSA, stranger, nil),
		"expired, another key": forge(jwt.SigningMethodEdDSA, stranger, func(c jwt.MapClaims) { c["exp"] = testNow.Add(-time.Hour).Unix() }),
		"a megabyte of dots":   strings.Repeat(".", 1<<20),
	} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodGet, "/api/v1/me", token, "").Code)
			rec := env.Do(t, http.MethodPatch, "/api/v1/processes/plan-2027", token, `{"title":"Hijacked"}`)
			require.Equal(t, http.StatusUnauthorized, rec.Code)
		})
	}
	require.EqualValues(t, 0, pgtest.Count(t, env.DB, "processes", "title = 'Hijacked'"))
}

func TestAccessTokenLivesFifteenMinutes(t *testing.T) {
	env := newTestEnv(t)
	access, _ := env.signUpAndLogin(t, "ana@example.org")
	env.Clock.Advance(14 * time.Minute)
	require.Equal(t, http.StatusOK, env.Do(t, http.MethodGet, "/api/v1/me", access, "").Code)
	env.Clock.Advance(2 * time.Minute) // past 15 minutes and the 30-second leeway
	require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodGet, "/api/v1/me", access, "").Code)
}

// Signing in sets, beside the HttpOnly refresh cookie, a readable cookie that
// holds no secret and only tells the web app a session may exist; signing out
// clears both (issue 15, item 12: anonymous visitors make no refresh call).
func TestSignedInHintCookie(t *testing.T) {
	env := newTestEnv(t)
	_, refresh := env.signUpAndLogin(t, "ana@example.org")
	rec := env.withCookie(t, "/api/v1/auth/refresh", refresh)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var hint *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == "cocreate_signed_in" {
			hint = c
		}
	}
	require.NotNil(t, hint, "refresh sets the hint again")
	require.Equal(t, "1", hint.Value, "no secret in it")
	require.False(t, hint.HttpOnly, "the web app reads it")
	require.True(t, hint.Secure)
	require.Equal(t, "/", hint.Path)

	rec = env.withCookie(t, "/api/v1/auth/logout", refreshCookieOf(t, rec))
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	cleared := map[string]bool{}
	for _, c := range rec.Result().Cookies() {
		cleared[c.Name] = c.MaxAge < 0
	}
	require.True(t, cleared["cocreate_refresh"])
	require.True(t, cleared["cocreate_signed_in"], "signing out clears the hint")
}
