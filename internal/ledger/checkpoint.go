package ledger

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cocreate/internal/database"
)

// Checkpoint is a signed statement of a ledger's head at a moment.
type Checkpoint struct {
	Process   string
	Seq       int64
	Hash      string
	SignedAt  time.Time
	KeyID     string
	PublicKey string // base64
	Signature string // base64
}

// Message is the exact byte string a checkpoint's signature covers.
func (c Checkpoint) Message() []byte {
	return fmt.Appendf(nil, "cocreate-ledger-checkpoint-v1\n%s\n%d\n%s\n%s\n", c.Process, c.Seq, c.Hash, Timestamp(c.SignedAt))
}

// Keys are the ledger's configured checkpoint keys, as published.
func (s *Service) Keys() []Key { return s.keys.All() }

// Checkpoints returns every checkpoint of the process, oldest first.
func (s *Service) Checkpoints(ctx context.Context, processID int64) ([]Checkpoint, error) {
	return s.store.Checkpoints(ctx, processID)
}

// LatestCheckpoint returns the process's newest checkpoint, or nil.
func (s *Service) LatestCheckpoint(ctx context.Context, processID int64) (*Checkpoint, error) {
	return s.store.LatestCheckpoint(ctx, processID)
}

// ErrNothingNew is returned by Checkpoint when the ledger has not moved since
// its latest checkpoint, or is empty.
var ErrNothingNew = errors.New("ledger: no new entries since the latest checkpoint")

// Checkpoint signs the head of the process's ledger with the current key and
// records it.
func (s *Service) Checkpoint(ctx context.Context, processID int64, now time.Time) (Checkpoint, error) {
	var cp Checkpoint
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		head, ok, err := s.store.SignableHead(ctx, processID)
		if err != nil {
			return err
		}
		if !ok || head.Last != nil && *head.Last >= head.Seq {
			return ErrNothingNew
		}
		cp = Checkpoint{Process: head.Slug, Seq: head.Seq, Hash: head.Hash, SignedAt: now.UTC().Truncate(time.Second)}
		if err := s.keys.sign(&cp); err != nil {
			return err
		}
		return s.store.InsertCheckpoint(ctx, processID, cp)
	})
	return cp, err
}

// CheckpointAll signs the head of every ledger that moved since its latest
// checkpoint with the current key; serve runs it periodically. It returns how
// many it signed.
func (s *Service) CheckpointAll(ctx context.Context, now time.Time) (int, error) {
	ids, err := s.store.MovedSinceCheckpoint(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if _, err := s.Checkpoint(ctx, id, now); err != nil && !errors.Is(err, ErrNothingNew) {
			return n, err
		}
		n++
	}
	return n, nil
}
