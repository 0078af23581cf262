package mail_test

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/database"
	"cocreate/internal/logging"
	"cocreate/internal/mail"
	"cocreate/internal/pgtest"
)

// recorder is a mail sender that keeps every delivery, by Message-ID.
type recorder struct {
	mu   sync.Mutex
	sent map[string]int // Message-ID -> deliveries
	to   map[string]int // recipient -> deliveries
}

var messageID = regexp.MustCompile(`(?m)^Message-ID: (<[^>]+>)\r$`)

func (r *recorder) send(to string, msg []byte) error {
	m := messageID.FindSubmatch(msg)
	if m == nil {
		return fmt.Errorf("no Message-ID in %q", msg)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent[string(m[1])]++
	r.to[to]++
	return nil
}

// TestThreeInstancesDrainOneOutboxOnce is issue 24's outbox test: three
// instances, each with its own connection pool, drain one outbox of 10,000
// messages at the same time; every message is delivered exactly once, each
// instance does part of the work, and every row ends sent with its body
// erased.
func TestThreeInstancesDrainOneOutboxOnce(t *testing.T) {
	const messages, instances = 10_000, 3
	pg := pgtest.New(t)
	ctx := context.Background()
	require.NoError(t, pg.DB.Exec(`INSERT INTO outbox (kind, recipient, subject, body)
		SELECT 'test', 'person-' || g || '@example.org', 'Message ' || g, 'Body of message ' || g
		FROM generate_series(1, ?) g`, messages).Error)

	rec := &recorder{sent: map[string]int{}, to: map[string]int{}}
	counts := make([]int, instances)
	var wg sync.WaitGroup
	for i := range instances {
		db, err := database.Open(ctx, pg.DSN, database.PoolOptions{MaxOpen: 4, MaxIdle: 4})
		require.NoError(t, err)
		t.Cleanup(func() { _ = database.Close(db) })
		w := &mail.Worker{DB: db, Log: logging.New(io.Discard, "error"), From: "Cocreate <no-reply@example.org>", Send: rec.send}
		wg.Go(func() {
			// An instance finding nothing due may only mean the others
			// hold the rest: it stops once nothing is left unsent.
			for {
				n, err := w.DrainOnce(ctx)
				if err != nil {
					t.Errorf("instance %d: %v", i, err)
					return
				}
				counts[i] += n
				if n > 0 {
					continue
				}
				var left int64
				if err := db.Raw("SELECT count(*) FROM outbox WHERE sent_at IS NULL").Scan(&left).Error; err != nil {
					t.Errorf("instance %d: %v", i, err)
					return
				}
				if left == 0 {
					return
				}
			}
		})
	}
	wg.Wait()

	total := 0
	for i, n := range counts {
		require.Positive(t, n, "instance %d drained part of the outbox", i)
		total += n
	}
	t.Logf("sent per instance: %v", counts)
	require.Equal(t, messages, total, "the instances report every message once")
	require.Len(t, rec.sent, messages, "every message was delivered")
	require.Len(t, rec.to, messages)
	for id, n := range rec.sent {
		require.Equal(t, 1, n, "message %s delivered once", id)
	}
	require.EqualValues(t, messages, pgtest.Count(t, pg.DB, "outbox", "sent_at IS NOT NULL AND body = '' AND attempts = 1"))
}
