package ratelimit_test

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/pgtest"
	"cocreate/internal/ratelimit"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

func TestConcurrentHitsAllowExactlyTheLimit(t *testing.T) {
	db := pgtest.New(t).DB
	now := time.Date(2027, 1, 1, 10, 0, 30, 0, time.UTC)
	l := ratelimit.New(db, func() time.Time { return now })
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
