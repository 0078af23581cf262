package ledger

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/database"
)

// Report is the result of recomputing a process's chain.
type Report struct {
	OK             bool
	Entries        int64
	HeadSeq        int64
	HeadHash       string
	FirstBrokenSeq *int64 // the first seq whose hash, link or place is wrong
	Problem        string
	Checkpoint     *Checkpoint
	// CheckpointValid: the latest checkpoint's signature is good and its hash
	// is the chain's at its seq; nil without a checkpoint.
	CheckpointValid *bool
}

func (r *Report) broken(seq int64, format string, args ...any) {
	if r.FirstBrokenSeq == nil {
		r.FirstBrokenSeq = &seq
		r.Problem = fmt.Sprintf(format, args...)
	}
}

// Verify recomputes every entry's hash and checks each links to the one before
// and that seq runs 1, 2, 3, ... without gaps; then it checks the latest
// checkpoint. Hashes are computed on every core while the rows stream in.
func (s *Service) Verify(ctx context.Context, processID int64) (Report, error) {
	cp, err := s.LatestCheckpoint(ctx, processID)
	if err != nil {
		return Report{}, err
	}
	var rep Report
	workers := max(1, runtime.GOMAXPROCS(0))
	type job struct {
		e   Entry
		got string
		err error
	}
	const window = 512
	var (
		expect     int64  = 1
		prev              = Genesis
		checkpoint string // the chain's hash at the checkpoint's seq
	)
	check := func(j *job) {
		e := j.e
		rep.Entries++
		rep.HeadSeq, rep.HeadHash = e.Seq, e.Hash
		if cp != nil && e.Seq == cp.Seq {
			checkpoint = e.Hash
		}
		switch {
		case e.Seq != expect:
			rep.broken(expect, "entry %d is missing (the next entry is %d)", expect, e.Seq)
		case e.PrevHash != prev:
			rep.broken(e.Seq, "entry %d does not link to the entry before it (prev_hash %s, expected %s)", e.Seq, e.PrevHash, prev)
		case j.err != nil:
			rep.broken(e.Seq, "entry %d cannot be encoded: %v", e.Seq, j.err)
		case j.got != e.Hash:
			rep.broken(e.Seq, "entry %d's content does not match its hash (recomputed %s, recorded %s)", e.Seq, j.got, e.Hash)
		}
		expect = e.Seq + 1
		prev = e.Hash
	}
	batch := make([]*job, 0, window)
	flush := func() {
		var wg sync.WaitGroup
		per := (len(batch) + workers - 1) / workers
		for w := 0; w < len(batch); w += per {
			part := batch[w:min(w+per, len(batch))]
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, j := range part {
					j.got, j.err = Hash(j.e.Seq, j.e.PrevHash, j.e.Fields)
				}
			}()
		}
		wg.Wait()
		for _, j := range batch {
			check(j)
		}
		batch = batch[:0]
	}
	err = s.Each(ctx, processID, func(e Entry) error {
		batch = append(batch, &job{e: e})
		if len(batch) == window {
			flush()
		}
		return nil
	})
	if err != nil {
		return Report{}, err
	}
	flush()
	if cp != nil && cp.Seq > rep.HeadSeq {
		rep.broken(rep.HeadSeq+1, "entries %d to %d are missing: the ledger ends at %d, but a checkpoint signed entry %d", rep.HeadSeq+1, cp.Seq, rep.HeadSeq, cp.Seq)
	}
	rep.OK = rep.FirstBrokenSeq == nil
	if cp != nil {
		rep.Checkpoint = cp
		valid := checkpoint == cp.Hash && cp.SignatureValid()
		rep.CheckpointValid = &valid
		if !valid && rep.OK {
			rep.OK = false
			rep.Problem = fmt.Sprintf("the checkpoint at entry %d does not match the chain or its signature", cp.Seq)
		}
	}
	return rep, nil
}

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

type checkpointRow struct {
	Slug      string
	Seq       int64
	Hash      string
	SignedAt  time.Time
	KeyID     string
	PublicKey string
	Signature string
}

// LatestCheckpoint returns the process's newest checkpoint, or nil.
func (s *Service) LatestCheckpoint(ctx context.Context, processID int64) (*Checkpoint, error) {
	var rows []checkpointRow
	err := database.Conn(ctx, s.db).Raw(`SELECT p.slug, c.seq, c.hash, c.signed_at, c.key_id, c.public_key, c.signature
		FROM ledger_checkpoints c JOIN processes p ON p.id = c.process_id
		WHERE c.process_id = ? ORDER BY c.seq DESC LIMIT 1`, processID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("ledger: checkpoint: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	r := rows[0]
	return &Checkpoint{Process: r.Slug, Seq: r.Seq, Hash: r.Hash, SignedAt: r.SignedAt.UTC(), KeyID: r.KeyID, PublicKey: r.PublicKey, Signature: r.Signature}, nil
}

// ErrNothingNew is returned by Checkpoint when the ledger has not moved since
// its latest checkpoint, or is empty.
var ErrNothingNew = errors.New("ledger: no new entries since the latest checkpoint")

// Checkpoint signs the head of the process's ledger with key and records it.
func (s *Service) Checkpoint(ctx context.Context, processID int64, key ed25519.PrivateKey, now time.Time) (Checkpoint, error) {
	var cp Checkpoint
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		tx := database.Conn(ctx, s.db)
		var head []struct {
			Slug string
			Seq  int64
			Hash string
			Last *int64
		}
		err := tx.Raw(`SELECT p.slug, e.seq, e.hash, (SELECT max(seq) FROM ledger_checkpoints c WHERE c.process_id = p.id) AS last
			FROM processes p JOIN ledger_entries e ON e.process_id = p.id
			WHERE p.id = ? ORDER BY e.seq DESC LIMIT 1`, processID).Scan(&head).Error
		if err != nil {
			return fmt.Errorf("ledger: head: %w", err)
		}
		if len(head) == 0 || head[0].Last != nil && *head[0].Last >= head[0].Seq {
			return ErrNothingNew
		}
		pub := key.Public().(ed25519.PublicKey)
		cp = Checkpoint{Process: head[0].Slug, Seq: head[0].Seq, Hash: head[0].Hash, SignedAt: now.UTC().Truncate(time.Second),
			KeyID: auth.KeyID(pub), PublicKey: base64.StdEncoding.EncodeToString(pub)}
		cp.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, cp.Message()))
		return tx.Exec(`INSERT INTO ledger_checkpoints (process_id, seq, hash, signed_at, key_id, public_key, signature)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			processID, cp.Seq, cp.Hash, cp.SignedAt, cp.KeyID, cp.PublicKey, cp.Signature).Error
	})
	return cp, err
}

// CheckpointAll signs the head of every ledger that moved since its latest
// checkpoint; serve runs it periodically. It returns how many it signed.
func (s *Service) CheckpointAll(ctx context.Context, key ed25519.PrivateKey, now time.Time) (int, error) {
	var ids []int64
	err := database.Conn(ctx, s.db).Raw(`SELECT DISTINCT e.process_id FROM ledger_entries e
		WHERE e.seq > coalesce((SELECT max(seq) FROM ledger_checkpoints c WHERE c.process_id = e.process_id), 0)`).Scan(&ids).Error
	if err != nil {
		return 0, fmt.Errorf("ledger: checkpoint: %w", err)
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
