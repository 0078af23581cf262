// Package ratelimit counts requests per key in fixed time windows held in
// PostgreSQL, so a limit holds across every API instance. A fixed window lets a
// client spend up to twice its limit across a window boundary; for the login,
// sign-up and reset limits that is an acceptable price for one statement per
// check.
//
// A counter's key is the rule's name and an HMAC-SHA-256 of the subject (an
// address, an account id, a client IP) under a server secret, so the table
// cannot be matched against guessed addresses without that secret.
package ratelimit

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/apperr"
)

// Rule is a limit: at most Limit hits per Window for one subject.
type Rule struct {
	Name   string // e.g. "login:ip"; part of the key
	Limit  int
	Window time.Duration
}

// errLimited is the error of an exceeded rule; ErrLimited says when to retry.
var errLimited = apperr.RateLimited("rate_limited", "too many attempts; try again later")

// ErrLimited is returned when a rule is exceeded; RetryAfter says when to retry.
func ErrLimited(retryAfter time.Duration) error {
	return errLimited.WithRetryAfter(retryAfter)
}

// Limiter applies rules.
type Limiter struct {
	store  *Store
	now    func() time.Time
	secret []byte
}

// New returns a limiter on db with clock now, keying subjects with secret
// (see LoadOrCreateSecret); instances that share a database need the same one.
func New(db *gorm.DB, now func() time.Time, secret []byte) *Limiter {
	return &Limiter{store: NewStore(db), now: now, secret: secret}
}

// digest is the keyed hash of a subject. It does not depend on the rule, so
// Forget can find every counter of a subject without knowing the rules.
func (l *Limiter) digest(subject string) string {
	m := hmac.New(sha256.New, l.secret)
	m.Write([]byte(subject))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// key names a subject without storing it: the rule name and the subject's digest.
func (l *Limiter) key(rule Rule, subject string) string {
	return rule.Name + ":" + l.digest(subject)
}

// Address is the subject of an e-mail address: trimmed and lower-cased, so
// that every spelling of one address shares its counters.
func Address(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Account is the subject of an account id.
func Account(userID int64) string { return strconv.FormatInt(userID, 10) }

// Forget deletes every counter of the given subjects, under any rule: an
// erased account leaves no counter keyed by its address or its id.
func (l *Limiter) Forget(ctx context.Context, subjects ...string) error {
	digests := make([]string, len(subjects))
	for n, s := range subjects {
		digests[n] = l.digest(s)
	}
	return l.store.Forget(ctx, digests)
}

func (l *Limiter) window(rule Rule) (time.Time, time.Duration) {
	now := l.now().UTC()
	start := now.Truncate(rule.Window)
	return start, start.Add(rule.Window).Sub(now)
}

// Hit counts one request of subject against rule and returns ErrLimited when the
// count passes the limit.
func (l *Limiter) Hit(ctx context.Context, rule Rule, subject string) error {
	start, left := l.window(rule)
	hits, err := l.store.Hit(ctx, rule.Name, l.key(rule, subject), start)
	if err != nil {
		return err
	}
	if hits > rule.Limit {
		return ErrLimited(left)
	}
	return nil
}

// Check returns ErrLimited when subject has already used up rule, without counting.
func (l *Limiter) Check(ctx context.Context, rule Rule, subject string) error {
	start, left := l.window(rule)
	hits, err := l.store.Hits(ctx, rule.Name, l.key(rule, subject), start)
	if err != nil {
		return err
	}
	if hits >= rule.Limit {
		return ErrLimited(left)
	}
	return nil
}

// Prune deletes counters of windows that ended more than a day ago.
func (l *Limiter) Prune(ctx context.Context) error {
	return l.store.Prune(ctx, l.now().Add(-24*time.Hour))
}

// MinSecret is the shortest secret accepted, in bytes.
const MinSecret = 32

// LoadOrCreateSecret reads the secret kept in the file at path, creating the
// file (mode 0600, 32 random bytes written as hex) when it does not exist: the
// default when RATE_LIMIT_SECRET is unset, fine for one instance.
func LoadOrCreateSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		secret := []byte(hex.EncodeToString(raw))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("ratelimit: store secret: %w", err)
		}
		// Written aside and linked into place, so a process starting at the
		// same time never reads a half-written file: one link wins, the other
		// process reads the winner's secret.
		tmp, err := os.CreateTemp(filepath.Dir(path), ".rate-limit-secret-*")
		if err != nil {
			return nil, fmt.Errorf("ratelimit: store secret: %w", err)
		}
		defer os.Remove(tmp.Name())
		_, werr := tmp.Write(append(secret, '\n'))
		if cerr := tmp.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, fmt.Errorf("ratelimit: store secret: %w", werr)
		}
		if err := os.Link(tmp.Name(), path); errors.Is(err, os.ErrExist) {
			return LoadOrCreateSecret(path)
		} else if err != nil {
			return nil, fmt.Errorf("ratelimit: store secret: %w", err)
		}
		return secret, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ratelimit: read secret: %w", err)
	}
	secret := bytes.TrimSpace(b)
	if len(secret) < MinSecret {
		return nil, fmt.Errorf("ratelimit: the secret in %s has %d bytes; it needs at least %d", path, len(secret), MinSecret)
	}
	return secret, nil
}
