// Package idempotency stores the answers of writes sent with an
// Idempotency-Key, so a retried request gets the first answer instead of
// running twice (QUALITY.md R3). The HTTP middleware in api/ runs the request
// and this store in one transaction.
package idempotency

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// TTL is how long a stored answer is replayed.
const TTL = 24 * time.Hour

// Answer is a stored response and the hash of the request that produced it.
type Answer struct {
	RequestHash []byte `gorm:"column:request_hash"`
	Status      int    `gorm:"column:status"`
	ContentType string `gorm:"column:content_type"`
	Body        []byte `gorm:"column:body"`
}

// Store reads and writes idempotency_keys.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// claimSQL takes the key's lock for the transaction, or says another request holds it.
const claimSQL = `SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))`

// previousSQL returns the answer stored for a key of a user within the TTL.
const previousSQL = `SELECT request_hash, status, content_type, body FROM idempotency_keys
WHERE user_id = ? AND key = ? AND created_at > now() - ?::interval`

// saveSQL stores an answer, replacing an expired one under the same key.
const saveSQL = `INSERT INTO idempotency_keys (user_id, key, request_hash, status, content_type, body)
VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
status = EXCLUDED.status, content_type = EXCLUDED.content_type, body = EXCLUDED.body, created_at = now()`

// Claim marks the user's key as running until the transaction in ctx ends;
// false when another request with it is still running.
func (s *Store) Claim(ctx context.Context, userID int64, key string) (bool, error) {
	var got bool
	name := database.LockIdempotencyPrefix + strconv.FormatInt(userID, 10) + ":" + key
	if err := database.Conn(ctx, s.db).Raw(claimSQL, name).Scan(&got).Error; err != nil {
		return false, fmt.Errorf("idempotency: claim: %w", err)
	}
	return got, nil
}

// Previous returns the answer stored for the user's key, if any.
func (s *Store) Previous(ctx context.Context, userID int64, key string) (*Answer, error) {
	var prev []Answer
	if err := database.Conn(ctx, s.db).Raw(previousSQL, userID, key, TTL.String()).Scan(&prev).Error; err != nil {
		return nil, fmt.Errorf("idempotency: previous answer: %w", err)
	}
	if len(prev) == 0 {
		return nil, nil
	}
	return &prev[0], nil
}

// Save stores the answer under the user's key.
func (s *Store) Save(ctx context.Context, userID int64, key string, a Answer) error {
	body := a.Body
	if body == nil {
		body = []byte{} // a 204 has no body, and the column takes no NULL
	}
	if err := database.Conn(ctx, s.db).Exec(saveSQL, userID, key, a.RequestHash, a.Status, a.ContentType, body).Error; err != nil {
		return fmt.Errorf("idempotency: save: %w", err)
	}
	return nil
}
