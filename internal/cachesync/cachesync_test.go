package cachesync_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/cachesync"
	"cocreate/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// run runs s's sender on db and, when dsn is set, its listener, until the
// test ends.
func run(t *testing.T, s *cachesync.Sync, db *gorm.DB, dsn string) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { s.Send(ctx, db) })
	if dsn != "" {
		wg.Go(func() { require.NoError(t, s.Listen(ctx, dsn)) })
	}
	t.Cleanup(func() {
		stop()
		wg.Wait()
		require.False(t, s.Stats().Up)
	})
	if dsn != "" {
		require.Eventually(t, func() bool { return s.Stats().Up }, 10*time.Second, time.Millisecond)
	}
}

// receiver collects what s receives.
type receiver struct {
	mu  sync.Mutex
	got []cachesync.Stale
}

func (r *receiver) receive(st cachesync.Stale) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, st)
}

// until waits until the announcements received include every one of want
// and returns all received so far.
func (r *receiver) until(t *testing.T, want ...cachesync.Stale) []cachesync.Stale {
	t.Helper()
	var got []cachesync.Stale
	require.Eventually(t, func() bool {
		r.mu.Lock()
		got = append([]cachesync.Stale(nil), r.got...)
		r.mu.Unlock()
		for _, w := range want {
			if !containsStale(got, w) {
				return false
			}
		}
		return true
	}, 5*time.Second, time.Millisecond, "received %v", got)
	return got
}

func containsStale(list []cachesync.Stale, st cachesync.Stale) bool {
	for _, s := range list {
		if s == st {
			return true
		}
	}
	return false
}

// Announcements reach the other instances, never the one that made them;
// every connection of the listener starts with a drop of everything.
func TestAnnouncementsReachTheOtherInstances(t *testing.T) {
	pg := pgtest.New(t)
	a, b := cachesync.New(nil), cachesync.New(nil)
	var onB receiver
	b.Receive(onB.receive)
	run(t, a, pg.DB, "")
	run(t, b, pg.DB, pg.DSN)
	require.Equal(t, []cachesync.Stale{{All: true}}, onB.until(t, cachesync.Stale{All: true}),
		"a new connection may have missed announcements")

	b.Announce(cachesync.Stale{Document: 2})
	require.Eventually(t, func() bool { return b.Stats().Sent == 1 }, 5*time.Second, time.Millisecond)
	a.Announce(cachesync.Stale{Document: 3})
	a.Announce(cachesync.Stale{Process: 4})
	got := onB.until(t, cachesync.Stale{Document: 3}, cachesync.Stale{Process: 4})
	require.False(t, containsStale(got, cachesync.Stale{Document: 2}), "b skips its own, sent before a's")
	a.Announce(cachesync.Stale{All: true})
	require.Eventually(t, func() bool { return len(onB.until(t)) == 4 }, 5*time.Second, time.Millisecond)
	require.Equal(t, cachesync.Stale{All: true}, onB.until(t)[3])
	require.Zero(t, a.Stats().Received, "a does not listen")
}

// Announcements queued together go in a few notifications, each under
// PostgreSQL's payload limit; a queue too long becomes one drop of
// everything.
func TestAnnouncementsAreSentTogether(t *testing.T) {
	pg := pgtest.New(t)
	a, b := cachesync.New(nil), cachesync.New(nil)
	var onB receiver
	b.Receive(onB.receive)
	run(t, b, pg.DB, pg.DSN)
	onB.until(t, cachesync.Stale{All: true})

	const docs = 3000
	var want []cachesync.Stale
	for d := range int64(docs) {
		a.Announce(cachesync.Stale{Document: d + 1})
		a.Announce(cachesync.Stale{Document: d + 1}) // once is enough
		want = append(want, cachesync.Stale{Document: d + 1})
	}
	run(t, a, pg.DB, "")
	got := onB.until(t, want...)
	require.Len(t, got, 1+docs)
	require.Less(t, a.Stats().Sent, uint64(10), "%d announcements in a few notifications", docs)
	require.Equal(t, a.Stats().Sent, b.Stats().Received)

	c := cachesync.New(nil)
	for d := range int64(20000) {
		c.Announce(cachesync.Stale{Document: d + 1})
	}
	before := b.Stats().Received
	run(t, c, pg.DB, "")
	require.Eventually(t, func() bool { return b.Stats().Received == before+1 }, 5*time.Second, time.Millisecond)
	require.Equal(t, uint64(1), c.Stats().Sent, "too many to keep: one drop of everything")
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

// Thread and vote announcements reach the other instance with their keys
// intact whatever the keys hold (spaces, colons, percent signs, newlines,
// non-ASCII); a key too long for a notification is announced as its whole
// document; malformed announcements in a notification are skipped and the
// well-formed ones beside them still apply.
func TestThreadAnnouncementsKeepTheirKeys(t *testing.T) {
	pg := pgtest.New(t)
	a, b := cachesync.New(nil), cachesync.New(nil)
	var onB receiver
	b.Receive(onB.receive)
	run(t, a, pg.DB, "")
	run(t, b, pg.DB, pg.DSN)
	onB.until(t, cachesync.Stale{All: true})

	keys := []string{"p3", "a b", "x:y:z", "100%", "%41", "t:9:p1", "new\nline\ttab", "élan", "/slash;semi,comma?q", "d:7 all", "+&=@$"}
	var want []cachesync.Stale
	for i, k := range keys {
		thread := cachesync.Stale{Document: int64(i + 1), Thread: k}
		votes := cachesync.Stale{Document: int64(i + 1), Thread: k, Votes: true}
		a.Announce(thread)
		a.Announce(votes)
		want = append(want, thread, votes)
	}
	long := strings.Repeat("k", 201)
	a.Announce(cachesync.Stale{Document: 99, Thread: long, Votes: true})
	want = append(want, cachesync.Stale{Document: 99})
	got := onB.until(t, want...)
	require.Len(t, got, 1+len(want), "each exactly once, nothing else: %v", got)

	// Another sender's notification with malformed announcements among good ones.
	before := len(got)
	bad := []string{"t:1", "t:1:", "t:0:p1", "t:-2:p1", "t:x:p1", "v:3:%zz", "t:4:" + strings.Repeat("k", 201), "q:5:p1", "d:5:p1", "d:", "p:", "all:1", ":"}
	payload := "intruder " + strings.Join(bad, " ") + " t:6:ok%20key v:7:a%3Ab"
	require.NoError(t, pg.DB.Exec("SELECT pg_notify(?, ?)", cachesync.Channel, payload).Error)
	got = onB.until(t, cachesync.Stale{Document: 6, Thread: "ok key"}, cachesync.Stale{Document: 7, Thread: "a:b", Votes: true})
	require.Len(t, got, before+2, "the malformed ones are skipped: %v", got[before:])
}
