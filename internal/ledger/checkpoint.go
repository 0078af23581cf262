package ledger

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"cocreate/internal/auth"
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

// SignatureValid checks the signature against the checkpoint's own public key.
func (c Checkpoint) SignatureValid() bool {
	pub, err1 := base64.StdEncoding.DecodeString(c.PublicKey)
	sig, err2 := base64.StdEncoding.DecodeString(c.Signature)
	if err1 != nil || err2 != nil || len(pub) != ed25519.PublicKeySize {
		return false
	}
	return ed25519.Verify(pub, c.Message(), sig)
}

// LatestCheckpoint returns the process's newest checkpoint, or nil.
func (s *Service) LatestCheckpoint(ctx context.Context, processID int64) (*Checkpoint, error) {
	return s.store.LatestCheckpoint(ctx, processID)
}

// ErrNothingNew is returned by Checkpoint when the ledger has not moved since
// its latest checkpoint, or is empty.
var ErrNothingNew = errors.New("ledger: no new entries since the latest checkpoint")

// Checkpoint signs the head of the process's ledger with key and records it.
func (s *Service) Checkpoint(ctx context.Context, processID int64, key ed25519.PrivateKey, now time.Time) (Checkpoint, error) {
	var cp Checkpoint
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		head, ok, err := s.store.SignableHead(ctx, processID)
		if err != nil {
			return err
		}
		if !ok || head.Last != nil && *head.Last >= head.Seq {
			return ErrNothingNew
		}
		pub := key.Public().(ed25519.PublicKey)
		cp = Checkpoint{Process: head.Slug, Seq: head.Seq, Hash: head.Hash, SignedAt: now.UTC().Truncate(time.Second),
			KeyID: auth.KeyID(pub), PublicKey: base64.StdEncoding.EncodeToString(pub)}
		cp.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, cp.Message()))
		return s.store.InsertCheckpoint(ctx, processID, cp)
	})
	return cp, err
}

// CheckpointAll signs the head of every ledger that moved since its latest
// checkpoint; serve runs it periodically. It returns how many it signed.
func (s *Service) CheckpointAll(ctx context.Context, key ed25519.PrivateKey, now time.Time) (int, error) {
	ids, err := s.store.MovedSinceCheckpoint(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if _, err := s.Checkpoint(ctx, id, key, now); err != nil && !errors.Is(err, ErrNothingNew) {
			return n, err
		}
		n++
	}
	return n, nil
}
