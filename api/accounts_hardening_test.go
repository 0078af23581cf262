package api_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/pgtest"
)

// rateLimitKeys returns the keys of every stored rate-limit counter.
func rateLimitKeys(t *testing.T, e *testEnv) []string {
	t.Helper()
	var keys []string
	require.NoError(t, e.DB.Raw("SELECT key FROM rate_limit_hits ORDER BY key").Scan(&keys).Error)
	return keys
}

// TestRateLimitKeysAreKeyedHashes: a stored counter's key cannot be matched
// against a guessed address by hashing the guess (issue "Hardening", 7b).
func TestRateLimitKeysAreKeyedHashes(t *testing.T) {
	env := newTestEnv(t)
	const addr = "ana@example.org"
	rec := env.Do(t, http.MethodPost, "/api/v1/auth/login", "", fmt.Sprintf(`{"email":%q,"password":"wrong password!"}`, addr))
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	require.Equal(t, http.StatusAccepted, env.Do(t, http.MethodPost, "/api/v1/auth/password-reset", "", fmt.Sprintf(`{"email":%q}`, addr)).Code)

	keys := rateLimitKeys(t, env)
	require.NotEmpty(t, keys)
	// What anyone could compute from a guessed address without the server's secret.
	var guesses []string
	for _, rule := range []string{"login:account", "login:failures", "reset:address"} {
		for _, subject := range []string{rule + "\x00" + addr, addr, rule + ":" + addr} {
			sum := sha256.Sum256([]byte(subject))
			guesses = append(guesses, hex.EncodeToString(sum[:])[:16])
		}
	}
	for _, k := range keys {
		require.NotContains(t, strings.ToLower(k), "ana")
		for _, g := range guesses {
			require.NotContains(t, k, g, "key %q is an unkeyed hash of the address", k)
		}
	}
}

// TestErasureDropsRateLimitCounters: deleting an account drops the counters
// kept for its address and its id; those of other accounts and of client IPs stay.
func TestErasureDropsRateLimitCounters(t *testing.T) {
	env := newTestEnv(t)
	const email = "erase.me@example.org"
	access, _ := env.signUpAndLogin(t, email)                                                      // login:account, login:ip
	env.signUpAndLogin(t, "bob@example.org")                                                       // another account's counters
	require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodPost, "/api/v1/auth/login", "", // login:failures
		fmt.Sprintf(`{"email":%q,"password":"wrong password!"}`, strings.ToUpper(email))).Code)
	require.Equal(t, http.StatusAccepted, env.Do(t, http.MethodPost, "/api/v1/auth/password-reset", "", fmt.Sprintf(`{"email":%q}`, email)).Code)
	require.Equal(t, http.StatusConflict, env.Do(t, http.MethodPost, "/api/v1/me/verification-email", access, "").Code) // verify-mail:account
	count := func(prefix string) int64 {
		return pgtest.Count(t, env.DB, "rate_limit_hits", "key LIKE ?", prefix+":%")
	}
	before := map[string]int64{}
	for _, rule := range []string{"login:account", "login:failures", "reset:address", "verify-mail:account", "login:ip", "reset:ip"} {
		before[rule] = count(rule)
	}
	require.EqualValues(t, 2, before["login:account"], "ana's and bob's")
	require.EqualValues(t, 1, before["login:failures"])
	require.EqualValues(t, 1, before["reset:address"])
	require.EqualValues(t, 1, before["verify-mail:account"])

	rec := env.Do(t, http.MethodDelete, "/api/v1/me", access, fmt.Sprintf(`{"password":%q}`, goodPassword))
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())

	require.EqualValues(t, 1, count("login:account"), "bob's counter stays; the erased account's goes")
	require.Zero(t, count("login:failures"))
	require.Zero(t, count("reset:address"))
	require.Zero(t, count("verify-mail:account"))
	require.Equal(t, before["login:ip"], count("login:ip"), "counters of client IPs are not the account's")
	require.Equal(t, before["reset:ip"], count("reset:ip"))

	// The limits still hold for bob.
	for range 9 {
		env.Do(t, http.MethodPost, "/api/v1/auth/login", "", `{"email":"bob@example.org","password":"wrong password!"}`)
	}
	requireLimited(t, env.Do(t, http.MethodPost, "/api/v1/auth/login", "", `{"email":"bob@example.org","password":"wrong password!"}`))
}
