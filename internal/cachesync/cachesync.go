// Package cachesync keeps the read caches of several instances in step over
// PostgreSQL: a write that makes cached reads stale is announced on a
// channel (NOTIFY) in its own transaction, and every serving instance listens
// on a dedicated connection and drops what another instance's write touched.
// The caches' TTL stays as the safety net for what a lost connection missed.
package cachesync

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"cocreate/internal/database"
)

// Channel is the PostgreSQL notification channel of the announcements.
const Channel = "cocreate_cache"

// ApplicationName names the listener's connection in pg_stat_activity.
const ApplicationName = "cocreate cache listener"

// Reconnection waits double from minBackoff up to maxBackoff while the
// database cannot be reached, so a restart of PostgreSQL is not hammered.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// Stale names the cached reads a write made stale: one document's, one
// process's, or every one (All).
type Stale struct {
	Document int64
	Process  int64
	All      bool
}

// String is the announcement's payload: d:<id>, p:<id> or all.
func (s Stale) String() string {
	switch {
	case s.All:
		return "all"
	case s.Process != 0:
		return "p:" + strconv.FormatInt(s.Process, 10)
	default:
		return "d:" + strconv.FormatInt(s.Document, 10)
	}
}

// parseStale reads a payload written by String.
func parseStale(s string) (Stale, bool) {
	if s == "all" {
		return Stale{All: true}, true
	}
	kind, id, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n <= 0 {
		return Stale{}, false
	}
	switch kind {
	case "d":
		return Stale{Document: n}, true
	case "p":
		return Stale{Process: n}, true
	}
	return Stale{}, false
}

// Stats are the listener's counts, for metrics and tests.
type Stats struct {
	Received   uint64 // announcements of other instances applied
	Reconnects uint64 // connections made after the first
	Up         bool   // listening now
}

// Sync announces this instance's stale reads and hands the other instances'
// to its receivers. One is built per instance; its random id lets the
// instance skip its own announcements, which it has applied already.
type Sync struct {
	instance string
	log      *slog.Logger

	mu        sync.RWMutex
	receivers []func(Stale)

	received, connects atomic.Uint64
	up                 atomic.Bool
}

// New returns a Sync with a fresh instance id; log receives the listener's
// connection problems (nil discards them).
func New(log *slog.Logger) *Sync {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	return &Sync{instance: hex.EncodeToString(id), log: log}
}

// Receive adds fn to the receivers of other instances' announcements. fn
// also receives All after every connection of the listener, the first
// included: announcements made while nobody listened are lost.
func (s *Sync) Receive(fn func(Stale)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.receivers = append(s.receivers, fn)
}

func (s *Sync) deliver(st Stale) {
	s.mu.RLock()
	receivers := s.receivers
	s.mu.RUnlock()
	for _, fn := range receivers {
		fn(st)
	}
}

// Announce tells the other instances that st is stale. Sent in ctx's
// transaction, PostgreSQL delivers it when that commits (never on a
// rollback), with no round trip of its own after the commit; identical
// announcements of one transaction are delivered once.
func (s *Sync) Announce(ctx context.Context, db *gorm.DB, st Stale) error {
	err := database.Conn(ctx, db).Exec("SELECT pg_notify(?, ?)", Channel, s.instance+" "+st.String()).Error
	if err != nil {
		return fmt.Errorf("cachesync: announce %s: %w", st, err)
	}
	return nil
}

// Stats returns the listener's counts.
func (s *Sync) Stats() Stats {
	return Stats{Received: s.received.Load(), Reconnects: max(s.connects.Load(), 1) - 1, Up: s.up.Load()}
}

// Listen listens on Channel over its own connection to dsn until ctx ends,
// reconnecting with backoff whenever the connection is lost. The connection
// must reach PostgreSQL itself: a pooler in transaction mode does not keep
// a LISTEN.
func (s *Sync) Listen(ctx context.Context, dsn string) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("cachesync: listen: %w", err)
	}
	cfg.RuntimeParams["application_name"] = ApplicationName
	backoff := minBackoff
	for {
		err := s.listenOnce(ctx, cfg, func() { backoff = minBackoff })
		if ctx.Err() != nil {
			return nil
		}
		s.log.WarnContext(ctx, "cache listener: not listening, retrying", "error", err.Error(), "after", backoff.String())
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// listenOnce connects, listens and applies announcements until the
// connection fails; connected runs once it listens.
func (s *Sync) listenOnce(ctx context.Context, cfg *pgx.ConnConfig, connected func()) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_ = conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return err
	}
	s.connects.Add(1)
	s.up.Store(true)
	defer s.up.Store(false)
	connected()
	s.deliver(Stale{All: true})
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		from, payload, _ := strings.Cut(n.Payload, " ")
		if from == s.instance {
			continue
		}
		st, ok := parseStale(payload)
		if !ok {
			s.log.WarnContext(ctx, "cache listener: unknown announcement", "payload", n.Payload)
			continue
		}
		s.received.Add(1)
		s.deliver(st)
	}
}
