package report

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// Published is a published report's row: its content is the report's JSON,
// byte for byte as hashed.
type Published struct {
	ID          int64     `gorm:"column:id;primaryKey"`
	ProcessID   int64     `gorm:"column:process_id"`
	Number      int       `gorm:"column:number"`
	Phase       *string   `gorm:"column:phase"`
	Content     string    `gorm:"column:content"`
	ContentHash string    `gorm:"column:content_hash"`
	Supersedes  *int64    `gorm:"column:supersedes"`
	LedgerSeq   int64     `gorm:"column:ledger_seq"`
	PublishedBy *int64    `gorm:"column:published_by"`
	PublishedAt time.Time `gorm:"column:published_at"`
	// SupersededBy is the number of the report that revised this one (read only).
	SupersededBy *int `gorm:"column:superseded_by;->"`
	// SupersedesNumber is the number of the report this one revises (read only).
	SupersedesNumber *int `gorm:"column:supersedes_number;->"`
}

// TableName maps Published to its table.
func (Published) TableName() string { return "reports" }

// Store reads and writes published reports.
type Store struct {
	db *gorm.DB
}

// lockSQL serialises the publications of a process's reports.
const lockSQL = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))"

// lock holds the process's report lock until the transaction in ctx ends.
func (s *Store) lock(ctx context.Context, processID int64) error {
	if err := database.Conn(ctx, s.db).Exec(lockSQL, "report:"+strconv.FormatInt(processID, 10)).Error; err != nil {
		return fmt.Errorf("report store: lock %d: %w", processID, err)
	}
	return nil
}

// latestSQL returns the process's latest report number, and the id and
// number of the latest report of a scope (phase, or the whole process when NULL).
const latestSQL = `SELECT coalesce((SELECT max(number) FROM reports WHERE process_id = @p), 0) AS number,
		(SELECT id FROM reports WHERE process_id = @p AND phase IS NOT DISTINCT FROM @phase ORDER BY number DESC LIMIT 1) AS scope_id,
		(SELECT number FROM reports WHERE process_id = @p AND phase IS NOT DISTINCT FROM @phase ORDER BY number DESC LIMIT 1) AS scope_number`

type latest struct {
	Number      int
	ScopeID     *int64
	ScopeNumber *int
}

// Latest returns the process's last report number and the last report of the scope.
func (s *Store) Latest(ctx context.Context, processID int64, phase *string) (latest, error) {
	var l latest
	if err := database.Conn(ctx, s.db).Raw(latestSQL, map[string]any{"p": processID, "phase": phase}).Scan(&l).Error; err != nil {
		return latest{}, fmt.Errorf("report store: latest of %d: %w", processID, err)
	}
	return l, nil
}

// Insert stores a published report.
func (s *Store) Insert(ctx context.Context, r *Published) error {
	if err := database.Conn(ctx, s.db).Create(r).Error; err != nil {
		return fmt.Errorf("report store: insert: %w", err)
	}
	return nil
}

// publishedSQL reads a process's reports with the numbers of the reports they
// revise and that revised them.
const publishedSQL = `SELECT r.id, r.process_id, r.number, r.phase, r.content, r.content_hash, r.supersedes, r.ledger_seq,
		r.published_by, r.published_at, n.number AS superseded_by, o.number AS supersedes_number
	FROM reports r LEFT JOIN reports n ON n.supersedes = r.id LEFT JOIN reports o ON o.id = r.supersedes
	WHERE r.process_id = @p AND (@number = 0 OR r.number = @number) ORDER BY r.number DESC`

// List returns the process's reports, newest first (number 0), or the one numbered number.
func (s *Store) List(ctx context.Context, processID int64, number int) ([]Published, error) {
	var out []Published
	if err := database.Conn(ctx, s.db).Raw(publishedSQL, map[string]any{"p": processID, "number": number}).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("report store: reports of %d: %w", processID, err)
	}
	return out, nil
}

// One returns the report numbered number, or ErrNotFound.
func (s *Store) One(ctx context.Context, processID int64, number int) (Published, error) {
	if number < 1 {
		return Published{}, ErrNotFound
	}
	rows, err := s.List(ctx, processID, number)
	switch {
	case err != nil:
		return Published{}, err
	case len(rows) == 0:
		return Published{}, ErrNotFound
	}
	return rows[0], nil
}
