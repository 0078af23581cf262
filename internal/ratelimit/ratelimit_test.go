package ratelimit_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"cocreate/internal/pgtest"
	"cocreate/internal/ratelimit"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var testSecret = []byte("a test secret of thirty-two bytes")

func TestConcurrentHitsAllowExactlyTheLimit(t *testing.T) {
	db := pgtest.New(t).DB
	now := time.Date(2027, 1, 1, 10, 0, 30, 0, time.UTC)
	l := ratelimit.New(db, func() time.Time { return now }, testSecret)
	rule := ratelimit.Rule{Name: "test", Limit: 25, Window: time.Minute}
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if l.Hit(context.Background(), rule, "203.0.113.9") == nil {
				allowed.Add(1)
			}
		}()
	}
	wg.Wait()
	require.EqualValues(t, 25, allowed.Load())
	require.Error(t, l.Check(context.Background(), rule, "203.0.113.9"))
	require.NoError(t, l.Check(context.Background(), rule, "203.0.113.10"))

	now = now.Add(25 * time.Hour)
	require.NoError(t, l.Prune(context.Background()))
	require.EqualValues(t, 0, pgtest.Count(t, db, "rate_limit_hits", ""))
}

// TestKeysAreKeyedHashes: a counter's key is the rule's name and an
// HMAC-SHA-256 of the subject under the secret, not a plain hash of it.
func TestKeysAreKeyedHashes(t *testing.T) {
	db := pgtest.New(t).DB
	now := time.Date(2027, 1, 1, 10, 0, 30, 0, time.UTC)
	l := ratelimit.New(db, func() time.Time { return now }, testSecret)
	rule := ratelimit.Rule{Name: "login:account", Limit: 5, Window: time.Minute}
	require.NoError(t, l.Hit(context.Background(), rule, ratelimit.Address(" Ana@Example.org ")))

	var key string
	require.NoError(t, db.Raw("SELECT key FROM rate_limit_hits").Scan(&key).Error)
	m := hmac.New(sha256.New, testSecret)
	m.Write([]byte("ana@example.org"))
	require.Equal(t, "login:account:"+hex.EncodeToString(m.Sum(nil)[:16]), key)
	for _, unkeyed := range []string{"login:account\x00ana@example.org", "ana@example.org"} {
		sum := sha256.Sum256([]byte(unkeyed))
		require.NotContains(t, key, hex.EncodeToString(sum[:8]))
	}
}

// TestLimitsHoldAcrossRestartWithTheSameSecret: a new limiter (a restarted
// server, or another instance) with the same secret finds the counts; one
// with another secret does not.
func TestLimitsHoldAcrossRestartWithTheSameSecret(t *testing.T) {
	db := pgtest.New(t).DB
	now := time.Date(2027, 1, 1, 10, 0, 30, 0, time.UTC)
	clock := func() time.Time { return now }
	rule := ratelimit.Rule{Name: "reset:address", Limit: 2, Window: 10 * time.Minute}
	ctx := context.Background()
	first := ratelimit.New(db, clock, testSecret)
	require.NoError(t, first.Hit(ctx, rule, "ana@example.org"))
	require.NoError(t, first.Hit(ctx, rule, "ana@example.org"))

	restarted := ratelimit.New(db, clock, append([]byte(nil), testSecret...))
	require.Error(t, restarted.Check(ctx, rule, "ana@example.org"))
	require.Error(t, restarted.Hit(ctx, rule, "ana@example.org"))

	other := ratelimit.New(db, clock, []byte("another secret, also thirty-two bytes"))
	require.NoError(t, other.Check(ctx, rule, "ana@example.org"), "another secret names other counters")
}

// TestForgetDropsEveryCounterOfASubject: under every rule, and only that subject's.
func TestForgetDropsEveryCounterOfASubject(t *testing.T) {
	db := pgtest.New(t).DB
	now := time.Date(2027, 1, 1, 10, 0, 30, 0, time.UTC)
	l := ratelimit.New(db, func() time.Time { return now }, testSecret)
	ctx := context.Background()
	for _, rule := range []string{"login:account", "login:failures", "reset:address"} {
		for _, who := range []string{"ana@example.org", "bob@example.org"} {
			require.NoError(t, l.Hit(ctx, ratelimit.Rule{Name: rule, Limit: 9, Window: time.Minute}, who))
		}
	}
	require.NoError(t, l.Hit(ctx, ratelimit.Rule{Name: "post", Limit: 9, Window: time.Minute}, ratelimit.Account(42)))
	require.NoError(t, l.Hit(ctx, ratelimit.Rule{Name: "post", Limit: 9, Window: time.Minute}, ratelimit.Account(43)))

	require.NoError(t, l.Forget(ctx, ratelimit.Address("ANA@example.org"), ratelimit.Account(42)))
	require.EqualValues(t, 4, pgtest.Count(t, db, "rate_limit_hits", ""), "bob's three and account 43's remain")
	require.NoError(t, l.Check(ctx, ratelimit.Rule{Name: "login:account", Limit: 1, Window: time.Minute}, "ana@example.org"))
	require.Error(t, l.Check(ctx, ratelimit.Rule{Name: "login:account", Limit: 1, Window: time.Minute}, "bob@example.org"))
	require.NoError(t, l.Forget(ctx))
}

// TestSecretIsCreatedOnceAndKept: the file under DATA_DIR is made on first
// use, private, and read back unchanged by every later start.
func TestSecretIsCreatedOnceAndKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "var", "rate-limit-secret")
	first, err := ratelimit.LoadOrCreateSecret(path)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(first), ratelimit.MinSecret)
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	again, err := ratelimit.LoadOrCreateSecret(path)
	require.NoError(t, err)
	require.Equal(t, first, again)

	var wg sync.WaitGroup
	got := make([][]byte, 8)
	racing := filepath.Join(t.TempDir(), "rate-limit-secret")
	for n := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := ratelimit.LoadOrCreateSecret(racing)
			assert.NoError(t, err)
			got[n] = s
		}()
	}
	wg.Wait()
	for _, s := range got {
		require.Equal(t, got[0], s, "processes starting together agree on one secret")
	}

	short := filepath.Join(t.TempDir(), "short")
	require.NoError(t, os.WriteFile(short, []byte("tiny\n"), 0o600))
	_, err = ratelimit.LoadOrCreateSecret(short)
	require.ErrorContains(t, err, "at least 32")
}
