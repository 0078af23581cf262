package ledger

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
)

// Report is the result of recomputing a process's chain and checking its
// checkpoints.
type Report struct {
	OK             bool
	Entries        int64
	HeadSeq        int64
	HeadHash       string
	FirstBrokenSeq *int64 // the first seq whose hash, link or place is wrong
	Problem        string
	Checkpoint     *Checkpoint // the latest
	// CheckpointValid: the latest checkpoint is signed by a configured key
	// within its validity and its hash is the chain's at its seq; nil without
	// a checkpoint.
	CheckpointValid *bool
	// Checkpoints is how many checkpoints were checked (all of them), and
	// CheckpointsFailed how many failed; CheckpointProblems lists the first
	// maxCheckpointProblems of those, oldest first.
	Checkpoints        int
	CheckpointsFailed  int
	CheckpointProblems []CheckpointProblem
}

// CheckpointProblem is a checkpoint that failed verification, and why.
type CheckpointProblem struct {
	Seq     int64
	KeyID   string
	Reason  string // a Reason constant
	Problem string
}

// maxCheckpointProblems bounds the failed checkpoints a report lists; a
// rewrite early in a long ledger fails every later checkpoint.
const maxCheckpointProblems = 20

func (r *Report) broken(seq int64, format string, args ...any) {
	if r.FirstBrokenSeq == nil {
		r.FirstBrokenSeq = &seq
		r.Problem = fmt.Sprintf(format, args...)
	}
}

// Verify recomputes every entry's hash and checks each links to the one before
// and that seq runs 1, 2, 3, ... without gaps; then it checks every checkpoint
// against the configured keys (never the public key stored beside it) and
// against the chain's hash at its seq.
func (s *Service) Verify(ctx context.Context, processID int64) (Report, error) {
	cps, err := s.store.Checkpoints(ctx, processID)
	if err != nil {
		return Report{}, err
	}
	chainAt := make(map[int64]string, len(cps)) // the chain's hash at each checkpoint's seq
	for _, cp := range cps {
		chainAt[cp.Seq] = ""
	}
	rep, err := s.walk(ctx, processID, 0, func(e Entry) {
		if _, ok := chainAt[e.Seq]; ok {
			chainAt[e.Seq] = e.Hash
		}
	})
	if err != nil {
		return Report{}, err
	}
	if n := len(cps); n > 0 && cps[n-1].Seq > rep.HeadSeq {
		last := cps[n-1].Seq
		rep.broken(rep.HeadSeq+1, "entries %d to %d are missing: the ledger ends at %d, but a checkpoint signed entry %d", rep.HeadSeq+1, last, rep.HeadSeq, last)
	}
	rep.OK = rep.FirstBrokenSeq == nil
	for i, cp := range cps {
		reason, problem := s.keys.check(cp)
		if reason == "" {
			switch h := chainAt[cp.Seq]; {
			case h == "":
				reason, problem = ReasonBeyondHead, fmt.Sprintf("the checkpoint at entry %d signs an entry the ledger does not have", cp.Seq)
			case h != cp.Hash:
				reason, problem = ReasonHashMismatch, fmt.Sprintf("the checkpoint at entry %d signed hash %s, but that entry's hash is now %s: the ledger was rewritten after it was signed", cp.Seq, cp.Hash, h)
			}
		}
		rep.Checkpoints++
		if i == len(cps)-1 {
			latest, valid := cp, reason == ""
			rep.Checkpoint, rep.CheckpointValid = &latest, &valid
		}
		if reason == "" {
			continue
		}
		rep.CheckpointsFailed++
		if len(rep.CheckpointProblems) < maxCheckpointProblems {
			rep.CheckpointProblems = append(rep.CheckpointProblems, CheckpointProblem{Seq: cp.Seq, KeyID: cp.KeyID, Reason: reason, Problem: problem})
		}
	}
	if rep.CheckpointsFailed > 0 && rep.OK {
		rep.OK = false
		rep.Problem = rep.CheckpointProblems[0].Problem
		if more := rep.CheckpointsFailed - 1; more > 0 {
			rep.Problem += fmt.Sprintf(" (and %d more checkpoints fail)", more)
		}
	}
	return rep, nil
}

// walk recomputes the chain up to seq upTo (0: all of it) and calls visit
// with each entry, oldest first, as it is checked. Hashes are computed on
// every core while the rows stream in.
func (s *Service) walk(ctx context.Context, processID, upTo int64, visit func(Entry)) (Report, error) {
	var rep Report
	workers := max(1, runtime.GOMAXPROCS(0))
	type job struct {
		e   Entry
		got string
		err error
	}
	const window = 512
	var (
		expect int64 = 1
		prev         = Genesis
	)
	check := func(j *job) {
		e := j.e
		rep.Entries++
		rep.HeadSeq, rep.HeadHash = e.Seq, e.Hash
		visit(e)
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
	err := s.each(ctx, processID, upTo, func(e Entry) error {
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
	rep.OK = rep.FirstBrokenSeq == nil
	return rep, nil
}

// Point is an entry's seq and the hash someone kept for it: from an earlier
// download, a checkpoint, or the ledger page.
type Point struct {
	Seq  int64
	Hash string
}

// The answers of Extends.
const (
	ConsistencyExtends   = "extends"        // every kept hash is today's, and the chain verifies up to the last
	ConsistencyMissing   = "missing"        // today's ledger has no entry at a kept seq
	ConsistencyDifferent = "different_hash" // today's entry at a kept seq has another hash: rewritten
	ConsistencyBroken    = "chain_broken"   // the hashes match, but the chain does not verify up to the last kept seq
)

// Consistency is whether today's ledger extends what someone kept.
type Consistency struct {
	Extends  bool
	Reason   string // a Consistency constant
	Seq      int64  // the kept seq that decided: the first that failed, or the last
	Kept     string // the hash kept for Seq
	Recorded string // today's hash at Seq; "" when the ledger has no such entry
	Compared int    // how many kept hashes were compared
	HeadSeq  int64
	HeadHash string
	// FirstBrokenSeq and Problem say where and how the chain up to the last
	// kept seq is broken, if it is.
	FirstBrokenSeq *int64
	Problem        string
}

// ErrKeptConflict is returned by Extends when what was kept names two
// hashes for one seq.
var ErrKeptConflict = errors.New("ledger: the kept copy names two different hashes for one seq")

// Extends checks that today's ledger extends what someone kept (at least
// one point): the same hash at every kept seq, and a chain that verifies up
// to the last of them. Hashes are compared as given (lower-case hex).
func (s *Service) Extends(ctx context.Context, processID int64, kept []Point) (Consistency, error) {
	if len(kept) == 0 {
		return Consistency{}, errors.New("ledger: nothing kept to compare")
	}
	kept = slices.Clone(kept)
	slices.SortFunc(kept, func(a, b Point) int { return cmp.Compare(a.Seq, b.Seq) })
	want := make(map[int64]string, len(kept))
	for _, p := range kept {
		if h, ok := want[p.Seq]; ok && h != p.Hash {
			return Consistency{}, fmt.Errorf("%w: seq %d", ErrKeptConflict, p.Seq)
		}
		want[p.Seq] = p.Hash
	}
	kept = slices.CompactFunc(kept, func(a, b Point) bool { return a.Seq == b.Seq })
	last := kept[len(kept)-1]
	recorded := make(map[int64]string, len(kept))
	rep, err := s.walk(ctx, processID, last.Seq, func(e Entry) {
		if _, ok := want[e.Seq]; ok {
			recorded[e.Seq] = e.Hash
		}
	})
	if err != nil {
		return Consistency{}, err
	}
	c := Consistency{Reason: ConsistencyExtends, Seq: last.Seq, Kept: last.Hash, Recorded: recorded[last.Seq],
		FirstBrokenSeq: rep.FirstBrokenSeq, Problem: rep.Problem}
	if c.HeadSeq, c.HeadHash, err = s.store.Head(ctx, processID); err != nil {
		return Consistency{}, err
	}
	for _, p := range kept {
		c.Compared++
		got, ok := recorded[p.Seq]
		if !ok || got != p.Hash {
			c.Seq, c.Kept, c.Recorded = p.Seq, p.Hash, got
			c.Reason = ConsistencyDifferent
			if !ok {
				c.Reason = ConsistencyMissing
			}
			return c, nil
		}
	}
	if rep.FirstBrokenSeq != nil {
		c.Reason = ConsistencyBroken
		return c, nil
	}
	c.Extends = true
	return c, nil
}
