package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/pgtest"
)

// loginFrom sends a login from the given peer address with the given
// X-Forwarded-For header.
func (e *testEnv) loginFrom(t *testing.T, peer, forwarded, email, password string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", strings.NewReader(fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = peer + ":50000"
	if forwarded != "" {
		req.Header.Set("X-Forwarded-For", forwarded)
	}
	rec := httptest.NewRecorder()
	e.Router.ServeHTTP(rec, req)
	checkAgainstSpec(t, req, "", rec)
	return rec
}

func requireLimited(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	require.Equal(t, http.StatusTooManyRequests, rec.Code, rec.Body.String())
	code, _ := errorOf(t, rec)
	require.Equal(t, "rate_limited", code)
	secs, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	require.NoError(t, err, "Retry-After is whole seconds")
	require.Greater(t, secs, 0)
}

func TestLoginLimitPerIPCannotBeDodgedWithForwardedFor(t *testing.T) {
	env := newTestEnv(t)
	for i := range 10 {
		rec := env.loginFrom(t, "198.51.100.7", fmt.Sprintf("203.0.113.%d", i), fmt.Sprintf("user%d@example.org", i), "wrong password!")
		require.Equal(t, http.StatusUnauthorized, rec.Code, "attempt %d", i)
	}
	// An untrusted peer's X-Forwarded-For is ignored: still the same client.
	requireLimited(t, env.loginFrom(t, "198.51.100.7", "203.0.113.250", "user99@example.org", "wrong password!"))
	require.Contains(t, env.Logs.String(), `"rule":"login:ip"`)

	require.Equal(t, http.StatusUnauthorized, env.loginFrom(t, "198.51.100.8", "", "user0@example.org", "wrong password!").Code, "another client is not affected")
	env.Clock.Advance(time.Minute)
	require.Equal(t, http.StatusUnauthorized, env.loginFrom(t, "198.51.100.7", "", "user0@example.org", "wrong password!").Code, "the limit lifts with the window")
}

func TestLoginLimitPerAccount(t *testing.T) {
	env := newTestEnv(t)
	env.signUpAndLogin(t, "ana@example.org") // one login counted
	for i := range 9 {
		rec := env.loginFrom(t, fmt.Sprintf("198.51.100.%d", i+10), "", "ANA@example.org", "wrong password!")
		require.Equal(t, http.StatusUnauthorized, rec.Code, "attempt %d", i)
	}
	requireLimited(t, env.loginFrom(t, "198.51.100.99", "", "ana@example.org", goodPassword))
}

func TestLoginFailuresPerHour(t *testing.T) {
	env := newTestEnv(t)
	env.signUpAndLogin(t, "ana@example.org")
	for i := range 100 {
		env.Clock.Advance(7 * time.Second) // stays under 10 a minute, inside one hour
		rec := env.loginFrom(t, fmt.Sprintf("198.51.100.%d", i%50), "", "ana@example.org", "wrong password!")
		require.Equal(t, http.StatusUnauthorized, rec.Code, "attempt %d", i)
	}
	requireLimited(t, env.loginFrom(t, "198.51.100.200", "", "ana@example.org", goodPassword))
}

func TestPasswordResetOncePerTenMinutes(t *testing.T) {
	env := newTestEnv(t)
	env.signUpAndLogin(t, "ana@example.org")
	reset := func(email string) *httptest.ResponseRecorder {
		return env.Do(t, http.MethodPost, "/api/v1/auth/password-reset", "", fmt.Sprintf(`{"email":%q}`, email))
	}
	require.Equal(t, http.StatusAccepted, reset("ana@example.org").Code)
	requireLimited(t, reset("Ana@Example.org"))
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "outbox", "kind = 'reset_password'"), "the refused request sends nothing")
	require.Equal(t, http.StatusAccepted, reset("someone@example.org").Code, "other addresses are not affected")
	env.Clock.Advance(10 * time.Minute)
	require.Equal(t, http.StatusAccepted, reset("ana@example.org").Code)

	var keys []string
	require.NoError(t, env.DB.Raw("SELECT key FROM rate_limit_hits").Scan(&keys).Error)
	for _, k := range keys {
		require.NotContains(t, strings.ToLower(k), "ana", "counters hold hashes, not addresses")
	}
}

func TestSignUpLimitPerIP(t *testing.T) {
	env := newTestEnv(t)
	for i := range 10 {
		rec := env.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON(fmt.Sprintf("p%d@example.org", i), "P", goodPassword))
		require.Equal(t, http.StatusAccepted, rec.Code, rec.Body.String())
	}
	requireLimited(t, env.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON("p10@example.org", "P", goodPassword)))
	require.EqualValues(t, 10, pgtest.Count(t, env.DB, "users", ""))
}

func TestSignUpLimitPerIPIsSetAndSwitchedOff(t *testing.T) {
	env := newTestEnvWith(t, testConfig(t, map[string]string{"SIGNUP_PER_IP_PER_HOUR": "3"}))
	for i := range 3 {
		rec := env.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON(fmt.Sprintf("p%d@example.org", i), "P", goodPassword))
		require.Equal(t, http.StatusAccepted, rec.Code, rec.Body.String())
	}
	requireLimited(t, env.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON("p3@example.org", "P", goodPassword)))

	off := newTestEnvWith(t, testConfig(t, map[string]string{"SIGNUP_PER_IP_PER_HOUR": "0"}))
	for i := range 15 {
		rec := off.Do(t, http.MethodPost, "/api/v1/auth/signup", "", signUpJSON(fmt.Sprintf("q%d@example.org", i), "Q", goodPassword))
		require.Equal(t, http.StatusAccepted, rec.Code, rec.Body.String())
	}
	require.EqualValues(t, 15, pgtest.Count(t, off.DB, "users", ""))
}

func TestLoginLimitPerIPCanBeSwitchedOff(t *testing.T) {
	env := newTestEnvWith(t, testConfig(t, map[string]string{"LOGIN_PER_IP_PER_MINUTE": "0"}))
	for i := range 15 {
		rec := env.loginFrom(t, "198.51.100.7", "", fmt.Sprintf("user%d@example.org", i), "wrong password!")
		require.Equal(t, http.StatusUnauthorized, rec.Code, "attempt %d", i)
	}
	for range 10 { // the per-address limit still holds
		env.loginFrom(t, "198.51.100.7", "", "same@example.org", "wrong password!")
	}
	requireLimited(t, env.loginFrom(t, "198.51.100.7", "", "same@example.org", "wrong password!"))
}
