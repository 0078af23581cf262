package ledger

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// Store reads and writes ledger entries and checkpoints. Entries are only
// ever inserted: the database refuses anything else.
type Store struct {
	db *gorm.DB
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// lockLedgerSQL takes the transaction-scoped lock that serialises appends to
// one ledger; it returns nothing worth reading.
const lockLedgerSQL = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))"

// lockLedger holds the process's ledger lock until the transaction in ctx ends.
func (s *Store) lockLedger(ctx context.Context, processID int64) error {
	if err := database.Conn(ctx, s.db).Exec(lockLedgerSQL, database.LockLedgerPrefix+strconv.FormatInt(processID, 10)).Error; err != nil {
		return fmt.Errorf("ledger store: lock %d: %w", processID, err)
	}
	return nil
}

// headSQL returns the seq and hash of the process's latest entry (no row when empty).
const headSQL = "SELECT seq, hash FROM ledger_entries WHERE process_id = ? ORDER BY seq DESC LIMIT 1"

// Head returns the latest entry's seq and hash; seq 0 and "" when the ledger is empty.
func (s *Store) Head(ctx context.Context, processID int64) (int64, string, error) {
	var head struct {
		Seq  int64
		Hash string
	}
	if err := database.Conn(ctx, s.db).Raw(headSQL, processID).Scan(&head).Error; err != nil {
		return 0, "", fmt.Errorf("ledger store: head of %d: %w", processID, err)
	}
	return head.Seq, head.Hash, nil
}

// insertEntrySQL appends one entry; it returns nothing.
const insertEntrySQL = "INSERT INTO ledger_entries (process_id, seq, fields, prev_hash, hash) VALUES (?, ?, ?, ?, ?)"

// Insert writes entry e of the process.
func (s *Store) Insert(ctx context.Context, processID int64, e Entry) error {
	if err := database.Conn(ctx, s.db).Exec(insertEntrySQL, processID, e.Seq, string(e.Fields), e.PrevHash, e.Hash).Error; err != nil {
		return fmt.Errorf("ledger store: append to %d: %w", processID, err)
	}
	return nil
}

// entryRow is an entry as it is read, its fields as text.
type entryRow struct {
	Seq      int64
	PrevHash string
	Hash     string
	Fields   string
}

func (r entryRow) entry() Entry {
	return Entry{Seq: r.Seq, PrevHash: r.PrevHash, Hash: r.Hash, Fields: json.RawMessage(r.Fields)}
}

func entries(rows []entryRow) []Entry {
	out := make([]Entry, len(rows))
	for i, r := range rows {
		out[i] = r.entry()
	}
	return out
}

// Page returns up to limit entries of the process matching f, newest first.
func (s *Store) Page(ctx context.Context, processID int64, f Filter, limit int) ([]Entry, error) {
	q := database.Conn(ctx, s.db).Table("ledger_entries").Select("seq, prev_hash, hash, fields").
		Where("process_id = ?", processID)
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Disposition != "" {
		q = q.Where("disposition = ?", f.Disposition)
	}
	if f.Before > 0 {
		q = q.Where("seq < ?", f.Before)
	}
	var rows []entryRow
	if err := q.Order("seq DESC").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("ledger store: list %d: %w", processID, err)
	}
	return entries(rows), nil
}

// entriesAfterSQL returns up to a limit of the process's entries after a seq, oldest first.
const entriesAfterSQL = `SELECT seq, prev_hash, hash, fields FROM ledger_entries
			WHERE process_id = ? AND seq > ? ORDER BY seq LIMIT ?`

// After returns up to limit entries of the process after seq, oldest first.
func (s *Store) After(ctx context.Context, processID, seq int64, limit int) ([]Entry, error) {
	var rows []entryRow
	if err := database.Conn(ctx, s.db).Raw(entriesAfterSQL, processID, seq, limit).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("ledger store: read %d after %d: %w", processID, seq, err)
	}
	return entries(rows), nil
}

// latestCheckpointSQL returns the process's newest checkpoint with its slug.
const latestCheckpointSQL = `SELECT p.slug, c.seq, c.hash, c.signed_at, c.key_id, c.public_key, c.signature
		FROM ledger_checkpoints c JOIN processes p ON p.id = c.process_id
		WHERE c.process_id = ? ORDER BY c.seq DESC LIMIT 1`

type checkpointRow struct {
	Slug      string
	Seq       int64
	Hash      string
	SignedAt  time.Time
	KeyID     string
	PublicKey string
	Signature string
}

func (r checkpointRow) checkpoint() Checkpoint {
	return Checkpoint{Process: r.Slug, Seq: r.Seq, Hash: r.Hash, SignedAt: r.SignedAt.UTC(), KeyID: r.KeyID, PublicKey: r.PublicKey, Signature: r.Signature}
}

// LatestCheckpoint returns the process's newest checkpoint, or nil.
func (s *Store) LatestCheckpoint(ctx context.Context, processID int64) (*Checkpoint, error) {
	var rows []checkpointRow
	if err := database.Conn(ctx, s.db).Raw(latestCheckpointSQL, processID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("ledger store: checkpoint of %d: %w", processID, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	cp := rows[0].checkpoint()
	return &cp, nil
}

// checkpointsSQL returns every checkpoint of the process with its slug, oldest first.
const checkpointsSQL = `SELECT p.slug, c.seq, c.hash, c.signed_at, c.key_id, c.public_key, c.signature
		FROM ledger_checkpoints c JOIN processes p ON p.id = c.process_id
		WHERE c.process_id = ? ORDER BY c.seq`

// Checkpoints returns every checkpoint of the process, oldest first.
func (s *Store) Checkpoints(ctx context.Context, processID int64) ([]Checkpoint, error) {
	var rows []checkpointRow
	if err := database.Conn(ctx, s.db).Raw(checkpointsSQL, processID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("ledger store: checkpoints of %d: %w", processID, err)
	}
	out := make([]Checkpoint, len(rows))
	for i, r := range rows {
		out[i] = r.checkpoint()
	}
	return out, nil
}

// signableHeadSQL returns the process's slug, its latest entry's seq and hash,
// and the seq of its latest checkpoint (NULL without one); no row when the
// ledger is empty.
const signableHeadSQL = `SELECT p.slug, e.seq, e.hash, (SELECT max(seq) FROM ledger_checkpoints c WHERE c.process_id = p.id) AS last
			FROM processes p JOIN ledger_entries e ON e.process_id = p.id
			WHERE p.id = ? ORDER BY e.seq DESC LIMIT 1`

// signableHead is a ledger's head and its latest checkpoint's seq.
type signableHead struct {
	Slug string
	Seq  int64
	Hash string
	Last *int64
}

// SignableHead returns the head of the process's ledger and the seq of its
// latest checkpoint; ok is false when the ledger is empty.
func (s *Store) SignableHead(ctx context.Context, processID int64) (h signableHead, ok bool, err error) {
	var rows []signableHead
	if err := database.Conn(ctx, s.db).Raw(signableHeadSQL, processID).Scan(&rows).Error; err != nil {
		return signableHead{}, false, fmt.Errorf("ledger store: head of %d: %w", processID, err)
	}
	if len(rows) == 0 {
		return signableHead{}, false, nil
	}
	return rows[0], true, nil
}

// insertCheckpointSQL records a signed checkpoint, once per seq; it returns nothing.
const insertCheckpointSQL = `INSERT INTO ledger_checkpoints (process_id, seq, hash, signed_at, key_id, public_key, signature)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`

// InsertCheckpoint records cp for the process; false when a checkpoint of
// that seq was there already (another instance signed it first).
func (s *Store) InsertCheckpoint(ctx context.Context, processID int64, cp Checkpoint) (bool, error) {
	res := database.Conn(ctx, s.db).Exec(insertCheckpointSQL,
		processID, cp.Seq, cp.Hash, cp.SignedAt, cp.KeyID, cp.PublicKey, cp.Signature)
	if res.Error != nil {
		return false, fmt.Errorf("ledger store: insert checkpoint of %d: %w", processID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// tryLockCheckpointSQL takes the lock of signing a ledger's checkpoint for
// the transaction, or says another transaction holds it.
const tryLockCheckpointSQL = `SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))`

// TryLockCheckpoint marks this transaction as the one signing the process's
// next checkpoint until it ends; false when another one (on any instance)
// is signing it now.
func (s *Store) TryLockCheckpoint(ctx context.Context, processID int64) (bool, error) {
	var got bool
	name := database.LockCheckpointPrefix + strconv.FormatInt(processID, 10)
	if err := database.Conn(ctx, s.db).Raw(tryLockCheckpointSQL, name).Scan(&got).Error; err != nil {
		return false, fmt.Errorf("ledger store: lock checkpoint of %d: %w", processID, err)
	}
	return got, nil
}

// movedSinceCheckpointSQL returns the ids of the processes whose ledger has
// entries after its latest checkpoint.
const movedSinceCheckpointSQL = `SELECT DISTINCT e.process_id FROM ledger_entries e
		WHERE e.seq > coalesce((SELECT max(seq) FROM ledger_checkpoints c WHERE c.process_id = e.process_id), 0)`

// MovedSinceCheckpoint returns the processes whose ledger moved since its
// latest checkpoint.
func (s *Store) MovedSinceCheckpoint(ctx context.Context) ([]int64, error) {
	var ids []int64
	if err := database.Conn(ctx, s.db).Raw(movedSinceCheckpointSQL).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("ledger store: ledgers to checkpoint: %w", err)
	}
	return ids, nil
}
