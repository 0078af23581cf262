package cachesync_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/cachesync"
	"cocreate/internal/database"
	"cocreate/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// Announcements reach the other instances when their transaction commits,
// never after a rollback, and never the instance that made them; every
// connection of the listener starts with a drop of everything.
func TestAnnouncementsReachOtherInstancesAtCommit(t *testing.T) {
	pg := pgtest.New(t)
	ctx := context.Background()
	a, b := cachesync.New(nil), cachesync.New(nil)
	got := make(chan cachesync.Stale, 10)
	b.Receive(func(st cachesync.Stale) { got <- st })
	listenCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- b.Listen(listenCtx, pg.DSN) }()
	defer func() {
		stop()
		require.NoError(t, <-done)
		require.False(t, b.Stats().Up)
	}()
	next := func() cachesync.Stale {
		select {
		case st := <-got:
			return st
		case <-time.After(5 * time.Second):
			t.Fatal("nothing received")
			return cachesync.Stale{}
		}
	}
	require.Equal(t, cachesync.Stale{All: true}, next(), "a new connection may have missed announcements")

	err := database.InTx(ctx, pg.DB, func(ctx context.Context) error {
		require.NoError(t, a.Announce(ctx, pg.DB, cachesync.Stale{Document: 1}))
		return errors.New("the write fails")
	})
	require.Error(t, err)
	require.NoError(t, b.Announce(ctx, pg.DB, cachesync.Stale{Document: 2}))
	require.NoError(t, database.InTx(ctx, pg.DB, func(ctx context.Context) error {
		require.NoError(t, a.Announce(ctx, pg.DB, cachesync.Stale{Document: 3}))
		return a.Announce(ctx, pg.DB, cachesync.Stale{Document: 3})
	}))
	require.NoError(t, a.Announce(ctx, pg.DB, cachesync.Stale{Process: 4}))
	require.NoError(t, a.Announce(ctx, pg.DB, cachesync.Stale{All: true}))
	// Notifications arrive in commit order: had the rolled-back one or b's own
	// come through, they would be first.
	require.Equal(t, cachesync.Stale{Document: 3}, next())
	require.Equal(t, cachesync.Stale{Process: 4}, next(), "one transaction's identical announcements arrive once")
	require.Equal(t, cachesync.Stale{All: true}, next())
	require.Equal(t, cachesync.Stats{Received: 3, Reconnects: 0, Up: true}, b.Stats())
}

// A listener that cannot connect keeps trying until it is stopped.
func TestListenStopsWhileRetrying(t *testing.T) {
	s := cachesync.New(nil)
	ctx, stop := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer stop()
	// Port 1 on the loopback refuses at once.
	require.NoError(t, s.Listen(ctx, "postgres://nobody@127.0.0.1:1/none?connect_timeout=1"))
	require.False(t, s.Stats().Up)
	require.Error(t, s.Listen(ctx, "mysql://x"), "a bad connection string is an error, not a retry")
}
