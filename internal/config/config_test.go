package config

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDefaultsAreValid(t *testing.T) {
	c, err := LoadFrom(map[string]string{})
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:8080", c.Addr)
	require.True(t, c.Embedded())
	require.Equal(t, "./var", c.DataDir)
	require.Equal(t, 20, c.DBMaxOpenConns)
	require.Equal(t, int64(1<<20), c.MaxBodyBytes)
	require.Equal(t, 5*time.Second, c.ReadHeaderTimeout)
	require.Empty(t, c.TrustedProxies, "no proxy is trusted unless configured")
}

func TestEveryProblemIsListedAtOnce(t *testing.T) {
	_, err := LoadFrom(map[string]string{
		"ADDR":              "nowhere",
		"DB_MAX_OPEN_CONNS": "0",
		"LOG_LEVEL":         "loud",
		"TRUSTED_PROXIES":   "10.0.0.1,not-an-ip",
		"READ_TIMEOUT":      "soon",
		"MAX_BODY_BYTES":    "10",
		"PUBLIC_URL":        "ftp://x",
		"DATABASE_URL":      "mysql://x",
	})
	require.Error(t, err)
	msg := err.Error()
	for _, want := range []string{"ADDR", "DB_MAX_OPEN_CONNS", "LOG_LEVEL", `"not-an-ip"`, "READ_TIMEOUT", "MAX_BODY_BYTES", "PUBLIC_URL", "DATABASE_URL"} {
		require.Contains(t, msg, want)
	}
	require.NotContains(t, msg, `"10.0.0.1"`, "valid entries are not reported")
	require.Equal(t, 8, strings.Count(msg, "\n  - "), msg)
}

func TestSettingsAreRead(t *testing.T) {
	c, err := LoadFrom(map[string]string{
		"ADDR":              "0.0.0.0:9000",
		"DATABASE_URL":      "postgres://app@db.internal:5432/cocreate?sslmode=require",
		"DB_MAX_OPEN_CONNS": "40",
		"TRUSTED_PROXIES":   "10.0.0.0/8, 192.0.2.1",
		"SHUTDOWN_TIMEOUT":  "45s",
	})
	require.NoError(t, err)
	require.False(t, c.Embedded())
	require.Equal(t, 40, c.DBMaxOpenConns)
	require.Equal(t, 45*time.Second, c.ShutdownTimeout)
	require.Len(t, c.TrustedProxies, 2)
}

// The cache listener connects past the pooler when told to, and otherwise
// where the pool does.
func TestListenURLFallsBackToTheDatabaseURL(t *testing.T) {
	pooled := "postgres://app@pgbouncer:6432/cocreate"
	c, err := LoadFrom(map[string]string{"DATABASE_URL": pooled})
	require.NoError(t, err)
	require.Equal(t, pooled, c.ListenURL())
	direct := "postgres://app@db.internal:5432/cocreate"
	c, err = LoadFrom(map[string]string{"DATABASE_URL": pooled, "DATABASE_LISTEN_URL": direct})
	require.NoError(t, err)
	require.Equal(t, direct, c.ListenURL())
	_, err = LoadFrom(map[string]string{"DATABASE_URL": pooled, "DATABASE_LISTEN_URL": "mysql://x"})
	require.ErrorContains(t, err, "DATABASE_LISTEN_URL is not")
	_, err = LoadFrom(map[string]string{"DATABASE_LISTEN_URL": direct})
	require.ErrorContains(t, err, "DATABASE_LISTEN_URL needs DATABASE_URL")
}

func TestIdleConnsCannotExceedOpen(t *testing.T) {
	_, err := LoadFrom(map[string]string{"DB_MAX_OPEN_CONNS": "5", "DB_MAX_IDLE_CONNS": "6"})
	require.ErrorContains(t, err, "DB_MAX_IDLE_CONNS")
}

func TestLedgerKeySince(t *testing.T) {
	c, err := LoadFrom(map[string]string{"LEDGER_SIGNING_KEY_SINCE": "2027-01-01T00:00:00Z"})
	require.NoError(t, err)
	require.Equal(t, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), *c.LedgerKeySince())
	c, err = LoadFrom(map[string]string{})
	require.NoError(t, err)
	require.Nil(t, c.LedgerKeySince(), "unset: the key counts since the beginning")
	_, err = LoadFrom(map[string]string{"LEDGER_SIGNING_KEY_SINCE": "1 January 2027"})
	require.ErrorContains(t, err, "LEDGER_SIGNING_KEY_SINCE")
}

func TestRateLimitSecretIsLongEnough(t *testing.T) {
	_, err := LoadFrom(map[string]string{"RATE_LIMIT_SECRET": "too short"})
	require.ErrorContains(t, err, "RATE_LIMIT_SECRET")
	require.NotContains(t, err.Error(), "too short", "the secret is not echoed")
	c, err := LoadFrom(map[string]string{"RATE_LIMIT_SECRET": strings.Repeat("s", 32), "DATA_DIR": "/srv/cocreate"})
	require.NoError(t, err)
	require.Equal(t, strings.Repeat("s", 32), c.RateLimitSecret)
	require.Equal(t, "/srv/cocreate/rate-limit-secret", c.RateLimitSecretPath())
}

func TestAdmissionIsSizedFromThePool(t *testing.T) {
	for _, tc := range []struct {
		vars           map[string]string
		cpus           int
		writes, signIn int
	}{
		{map[string]string{}, 8, 10, 5}, // half the pool for writes, half the rest for sign-in, 5 kept for reads
		{map[string]string{}, 2, 4, 8},  // at most twice the CPUs
		{map[string]string{}, 0, 2, 9},
		{map[string]string{"DB_MAX_OPEN_CONNS": "40"}, 32, 20, 10},
		{map[string]string{"WRITE_CONCURRENCY": "4"}, 8, 4, 8},
		{map[string]string{"WRITE_CONCURRENCY": "12"}, 2, 12, 4}, // a setting is taken as it is
		{map[string]string{"WRITE_CONCURRENCY": "18"}, 8, 18, 1}, // reads keep one
		{map[string]string{"WRITE_CONCURRENCY": "0"}, 8, 0, 0},   // off
		{map[string]string{"WRITE_CONCURRENCY": ""}, 8, 10, 5},   // empty is unset
		{map[string]string{"DB_MAX_OPEN_CONNS": "3", "DB_MAX_IDLE_CONNS": "3"}, 8, 1, 1},
		{map[string]string{"DB_MAX_OPEN_CONNS": "2", "DB_MAX_IDLE_CONNS": "2"}, 8, 0, 0}, // too small to keep one for reads
	} {
		c, err := LoadFrom(tc.vars)
		require.NoError(t, err, tc.vars)
		writes, signIn := c.Admission(tc.cpus)
		require.Equal(t, [2]int{tc.writes, tc.signIn}, [2]int{writes, signIn}, "%v on %d CPUs", tc.vars, tc.cpus)
		if writes > 0 {
			require.Less(t, writes+signIn, c.DBMaxOpenConns, "reads keep a connection: %v", tc.vars)
		}
	}
	c, err := LoadFrom(map[string]string{})
	require.NoError(t, err)
	require.Equal(t, 3*time.Second, c.WriteQueueWait)

	for _, bad := range []map[string]string{
		{"WRITE_CONCURRENCY": "19"},
		{"WRITE_CONCURRENCY": "-1"},
		{"WRITE_CONCURRENCY": "many"},
		{"WRITE_QUEUE_WAIT": "-1s"},
		{"WRITE_QUEUE_WAIT": "11s"},
	} {
		_, err := LoadFrom(bad)
		for k := range bad {
			require.ErrorContains(t, err, k, bad)
		}
	}
}
