package ratelimit

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// Store reads and writes the per-window hit counters.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// hitSQL counts one hit of key in the window starting at start and returns the
// window's count so far; one statement, so concurrent hits never lose a count.
const hitSQL = `
		INSERT INTO rate_limit_hits (key, window_start, hits) VALUES (?, ?, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1
		RETURNING hits`

// hitsSQL returns the count of key in the window starting at start (0 when none).
const hitsSQL = `SELECT coalesce(max(hits), 0) FROM rate_limit_hits WHERE key = ? AND window_start = ?`

// pruneSQL deletes the counters of windows that started before a time.
const pruneSQL = `DELETE FROM rate_limit_hits WHERE window_start < ?`

// forgetSQL deletes the counters, under any rule, whose key ends with one of
// the given subject digests (keys are "<rule name>:<digest>"). It reads the
// whole table, which pruning keeps to a day of counters; erasures are rare.
const forgetSQL = `DELETE FROM rate_limit_hits WHERE split_part(key, ':', -1) = ANY(?::text[])`

// Hit counts one hit of key in the window starting at start and returns the
// window's count including it; name says which rule, for the error.
func (s *Store) Hit(ctx context.Context, name, key string, start time.Time) (int, error) {
	var hits int
	if err := database.Conn(ctx, s.db).Raw(hitSQL, key, start).Scan(&hits).Error; err != nil {
		return 0, fmt.Errorf("ratelimit store: hit %s: %w", name, err)
	}
	return hits, nil
}

// Hits returns the count of key in the window starting at start, without counting.
func (s *Store) Hits(ctx context.Context, name, key string, start time.Time) (int, error) {
	var hits int
	if err := database.Conn(ctx, s.db).Raw(hitsSQL, key, start).Scan(&hits).Error; err != nil {
		return 0, fmt.Errorf("ratelimit store: check %s: %w", name, err)
	}
	return hits, nil
}

// Prune deletes the counters of windows that started before before.
func (s *Store) Prune(ctx context.Context, before time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(pruneSQL, before).Error; err != nil {
		return fmt.Errorf("ratelimit store: prune: %w", err)
	}
	return nil
}

// Forget deletes every counter whose key ends with one of digests.
func (s *Store) Forget(ctx context.Context, digests []string) error {
	if len(digests) == 0 {
		return nil
	}
	if err := database.Conn(ctx, s.db).Exec(forgetSQL, database.TextArray(digests)).Error; err != nil {
		return fmt.Errorf("ratelimit store: forget: %w", err)
	}
	return nil
}
