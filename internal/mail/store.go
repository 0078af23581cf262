package mail

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"cocreate/internal/database"
)

// Store reads and writes the outbox.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// outboxColumns are the columns a delivery reads.
var outboxColumns = []string{"id", "user_id", "kind", "recipient", "subject", "body", "attempts", "created_at", "unsubscribe_url"}

// Insert writes row to the outbox, in the transaction carried by ctx if any.
func (s *Store) Insert(ctx context.Context, row *outboxRow) error {
	if err := database.Conn(ctx, s.db).Select("user_id", "kind", "recipient", "subject", "body", "unsubscribe_url").Create(row).Error; err != nil {
		return fmt.Errorf("mail store: insert %s: %w", row.Kind, err)
	}
	return nil
}

// InsertAll writes rows to the outbox, 500 to a statement, in the
// transaction carried by ctx if any.
func (s *Store) InsertAll(ctx context.Context, rows []*outboxRow) error {
	err := database.Conn(ctx, s.db).Select("user_id", "kind", "recipient", "subject", "body", "unsubscribe_url").CreateInBatches(rows, 500).Error
	if err != nil {
		return fmt.Errorf("mail store: insert %d: %w", len(rows), err)
	}
	return nil
}

// ClaimDue locks and returns up to limit unsent messages whose next attempt is
// due, oldest first, skipping rows another transaction holds.
func (s *Store) ClaimDue(ctx context.Context, limit int) ([]outboxRow, error) {
	var rows []outboxRow
	err := database.Conn(ctx, s.db).Select(outboxColumns).
		Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
		Where("sent_at IS NULL AND next_attempt_at <= now()").Order("id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("mail store: claim due: %w", err)
	}
	return rows, nil
}

// MarkFailed records a failed attempt at message id and puts the next one
// delay from now.
func (s *Store) MarkFailed(ctx context.Context, id int64, attempts int, lastErr string, delay time.Duration) error {
	err := database.Conn(ctx, s.db).Model(&outboxRow{}).Where("id = ?", id).Updates(map[string]any{
		"attempts": attempts, "last_error": lastErr, "next_attempt_at": gorm.Expr("now() + ?::interval", delay.String()),
	}).Error
	if err != nil {
		return fmt.Errorf("mail store: mark %d failed: %w", id, err)
	}
	return nil
}

// MarkSent records that message id went out and erases its body, which may
// hold a secret link.
func (s *Store) MarkSent(ctx context.Context, id int64, attempts int) error {
	err := database.Conn(ctx, s.db).Model(&outboxRow{}).Where("id = ?", id).
		Updates(map[string]any{"sent_at": gorm.Expr("now()"), "body": "", "attempts": attempts}).Error
	if err != nil {
		return fmt.Errorf("mail store: mark %d sent: %w", id, err)
	}
	return nil
}
