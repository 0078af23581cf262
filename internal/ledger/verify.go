package ledger

import (
	"context"
	"fmt"
	"runtime"
	"sync"
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
