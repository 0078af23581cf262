// Package cachesync keeps the read caches of several instances in step over
// PostgreSQL: what a committed write made stale is announced on a channel
// (NOTIFY), and every serving instance listens on a dedicated connection and
// drops what another instance's write touched. The caches' TTL stays as the
// safety net for what a lost connection, or a crash between a commit and its
// announcement, missed.
//
// Announcements are sent after the commit, several to a notification, by one
// sender per instance, rather than inside each writing transaction:
// PostgreSQL serialises the commits of transactions that notify (a lock held
// through the commit's WAL flush), which cut concurrent small writes to a
// third of their rate when every one of them notified.
package cachesync

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// Channel is the PostgreSQL notification channel of the announcements.
const Channel = "cocreate_cache"

// ApplicationName names the listener's connection in pg_stat_activity.
const ApplicationName = "cocreate cache listener"

// Reconnection and resending wait double from minBackoff up to maxBackoff
// while the database cannot be reached, so a restart of PostgreSQL is not
// hammered.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// maxPending bounds the announcements queued while they cannot be sent;
// past it they become one announcement of everything.
const maxPending = 10000

// maxPayload keeps a notification under PostgreSQL's limit of 8000 bytes.
const maxPayload = 7000

// Stale names the cached reads a write made stale: one document's, one
// paragraph's thread of a document (with the document's counts), the vote
// counts of one thread's comments, one process's, or every one (All).
type Stale struct {
	Document int64
	// Thread, with Document, is the paragraph key whose thread the write
	// touched; "" for the whole document.
	Thread string
	// Votes, with Thread, says only the thread's vote counts changed.
	Votes   bool
	Process int64
	All     bool
}

// maxThreadKey is the longest paragraph key announced as a thread; a longer
// one is announced as its whole document, so one announcement always fits
// in a notification.
const maxThreadKey = 200

// String is the announcement in a notification: d:<id>, t:<id>:<key> (a
// thread), v:<id>:<key> (a thread's votes), p:<id> or all; the key is
// path-escaped, so it holds no space and parses back whatever it contains.
// A notification is the sender's instance id and its announcements,
// separated by spaces.
func (s Stale) String() string {
	switch {
	case s.All:
		return "all"
	case s.Process != 0:
		return "p:" + strconv.FormatInt(s.Process, 10)
	case s.Thread != "" && s.Votes:
		return "v:" + strconv.FormatInt(s.Document, 10) + ":" + url.PathEscape(s.Thread)
	case s.Thread != "":
		return "t:" + strconv.FormatInt(s.Document, 10) + ":" + url.PathEscape(s.Thread)
	default:
		return "d:" + strconv.FormatInt(s.Document, 10)
	}
}

// parseStale reads a payload written by String; anything else is refused.
func parseStale(s string) (Stale, bool) {
	if s == "all" {
		return Stale{All: true}, true
	}
	kind, rest, ok := strings.Cut(s, ":")
	if !ok {
		return Stale{}, false
	}
	id, key, keyed := rest, "", kind == "t" || kind == "v"
	if keyed {
		var escaped string
		if id, escaped, ok = strings.Cut(rest, ":"); !ok {
			return Stale{}, false
		}
		var err error
		if key, err = url.PathUnescape(escaped); err != nil || key == "" || len(key) > maxThreadKey {
			return Stale{}, false
		}
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return Stale{}, false
	}
	switch kind {
	case "d":
		return Stale{Document: n}, true
	case "p":
		return Stale{Process: n}, true
	case "t":
		return Stale{Document: n, Thread: key}, true
	case "v":
		return Stale{Document: n, Thread: key, Votes: true}, true
	}
	return Stale{}, false
}

// Stats are the sender's and the listener's counts, for metrics and tests.
type Stats struct {
	Sent       uint64 // notifications sent
	Received   uint64 // other instances' notifications received and applied
	Reconnects uint64 // listener connections made after the first
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

	pendingMu sync.Mutex
	pending   map[Stale]struct{} // announcements not sent yet
	wake      chan struct{}      // a send is due

	received, sent, connects atomic.Uint64
	up                       atomic.Bool
}

// New returns a Sync with a fresh instance id; log receives the sender's and
// the listener's connection problems (nil discards them).
func New(log *slog.Logger) *Sync {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	return &Sync{instance: hex.EncodeToString(id), log: log, pending: map[Stale]struct{}{}, wake: make(chan struct{}, 1)}
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

// Announce queues st for the other instances once the write that made it
// stale has committed; Send sends it. It never blocks the write.
func (s *Sync) Announce(st Stale) {
	if st.Thread == "" || len(st.Thread) > maxThreadKey {
		st.Thread, st.Votes = "", false // the whole document
	}
	s.pendingMu.Lock()
	_, all := s.pending[Stale{All: true}]
	switch {
	case all:
	case st.All || len(s.pending) >= maxPending:
		s.pending = map[Stale]struct{}{{All: true}: {}}
	default:
		s.pending[st] = struct{}{}
	}
	s.pendingMu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default: // a send is due already and will carry st
	}
}

// Send sends the queued announcements on db until ctx ends, and what is
// queued then. Those that queue during one send go together in the next,
// so a burst of writes costs a few notifications, not one each. A failed
// send is retried with backoff.
func (s *Sync) Send(ctx context.Context, db *gorm.DB) {
	backoff := minBackoff
	for {
		select {
		case <-ctx.Done():
			// The last writes of a stopping instance are still announced.
			flushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			err := s.sendPending(flushCtx, db)
			cancel()
			if err != nil {
				s.log.WarnContext(ctx, "cache announcements: last send failed", "error", err.Error())
			}
			return
		case <-s.wake:
		}
		if err := s.sendPending(ctx, db); err != nil {
			if ctx.Err() != nil {
				continue
			}
			s.log.WarnContext(ctx, "cache announcements: send failed, retrying", "error", err.Error(), "after", backoff.String())
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, maxBackoff)
			select {
			case s.wake <- struct{}{}:
			default:
			}
			continue
		}
		backoff = minBackoff
	}
}

// sendPending sends what is queued, in notifications under maxPayload; what
// fails to go is queued again.
func (s *Sync) sendPending(ctx context.Context, db *gorm.DB) error {
	s.pendingMu.Lock()
	batch := s.pending
	s.pending = map[Stale]struct{}{}
	s.pendingMu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	var payloads []string
	var b strings.Builder
	for st := range batch {
		if b.Len() > maxPayload {
			payloads = append(payloads, b.String())
			b.Reset()
		}
		if b.Len() == 0 {
			b.WriteString(s.instance)
		}
		b.WriteByte(' ')
		b.WriteString(st.String())
	}
	payloads = append(payloads, b.String())
	for _, p := range payloads {
		if err := db.WithContext(ctx).Exec("SELECT pg_notify(?, ?)", Channel, p).Error; err != nil {
			for st := range batch {
				s.Announce(st)
			}
			return fmt.Errorf("cachesync: send: %w", err)
		}
	}
	s.sent.Add(uint64(len(payloads)))
	return nil
}

// Stats returns the sender's and the listener's counts.
func (s *Sync) Stats() Stats {
	return Stats{Sent: s.sent.Load(), Received: s.received.Load(), Reconnects: max(s.connects.Load(), 1) - 1, Up: s.up.Load()}
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
		from, list, _ := strings.Cut(n.Payload, " ")
		if from == s.instance {
			continue
		}
		s.received.Add(1)
		for _, item := range strings.Fields(list) {
			st, ok := parseStale(item)
			if !ok {
				s.log.WarnContext(ctx, "cache listener: unknown announcement", "payload", item)
				continue
			}
			s.deliver(st)
		}
	}
}
