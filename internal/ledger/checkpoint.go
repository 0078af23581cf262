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
// its latest checkpoint, or is empty, or another instance is signing it or
// signed its head first.
var ErrNothingNew = errors.New("ledger: no new entries since the latest checkpoint")

// Checkpoint signs the head of the process's ledger with the current key and
// records it. Several instances may try at once: one signs, the others get
// ErrNothingNew.
func (s *Service) Checkpoint(ctx context.Context, processID int64, now time.Time) (Checkpoint, error) {
	var cp Checkpoint
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		mine, err := s.store.TryLockCheckpoint(ctx, processID)
		if err != nil {
			return err
		}
		if !mine {
			return ErrNothingNew
		}
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
		inserted, err := s.store.InsertCheckpoint(ctx, processID, cp)
		if err == nil && !inserted {
			return ErrNothingNew
		}
		return err
	})
	return cp, err
}

// CheckpointAll signs the head of every ledger that moved since its latest
// checkpoint with the current key; serve runs it periodically, on every
// instance. It returns how many this call signed: a ledger another instance
// signs at the same time is left to it and not counted.
func (s *Service) CheckpointAll(ctx context.Context, now time.Time) (int, error) {
	ids, err := s.store.MovedSinceCheckpoint(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		_, err := s.Checkpoint(ctx, id, now)
		switch {
		case errors.Is(err, ErrNothingNew):
			continue
		case err != nil:
			return n, err
		}
		n++
	}
	return n, nil
}
