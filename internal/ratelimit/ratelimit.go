// Package ratelimit counts requests per key in fixed time windows held in
// PostgreSQL, so a limit holds across every API instance. A fixed window lets a
// client spend up to twice its limit across a window boundary; for the login,
// sign-up and reset limits that is an acceptable price for one statement per
// check.
package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	store *Store
	now   func() time.Time
}

// New returns a limiter on db with clock now.
func New(db *gorm.DB, now func() time.Time) *Limiter { return &Limiter{store: NewStore(db), now: now} }

// key names a subject without storing it: the rule name and a hash of the subject.
func key(rule Rule, subject string) string {
	sum := sha256.Sum256([]byte(rule.Name + "\x00" + subject))
	return rule.Name + ":" + hex.EncodeToString(sum[:12])
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
	hits, err := l.store.Hit(ctx, rule.Name, key(rule, subject), start)
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
	hits, err := l.store.Hits(ctx, rule.Name, key(rule, subject), start)
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
