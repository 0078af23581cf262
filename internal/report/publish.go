package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/ledger"
	"cocreate/internal/process"
)

// Publish generates the report of the process with slug as Preview does and
// freezes it: the JSON is stored with its SHA-256 and recorded in the
// process's ledger, in the transaction ctx carries (or one of its own); the
// previous report of the same scope, if any, is superseded (and stays
// readable). The contributors are told by e-mail (see tell). Owners only.
func (s *Service) Publish(ctx context.Context, actor auth.Principal, slug string, in Input) (Published, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Published{}, err
	}
	if err := s.procs.RequireManage(ctx, actor, p, ErrNotOwner); err != nil {
		return Published{}, err
	}
	c, err := s.check(ctx, p, in)
	if err != nil {
		return Published{}, err
	}
	return s.publish(ctx, actor.UserID, p, c, nil, nil)
}

// publish generates the report of p for the checked input c, telling done of
// GenerationSteps+1 steps (the last is the freezing), and freezes it on
// behalf of the account by (0: the system). finish, when not nil, runs in
// the publishing transaction with the report as stored; its error undoes
// the publication.
func (s *Service) publish(ctx context.Context, by int64, p process.Process, c checked, done Progress, finish func(ctx context.Context, row Published) error) (Published, error) {
	total := GenerationSteps + 1
	r, err := s.generateWith(ctx, p, c, func(step, _ int) { done.tell(step, total) }, nil)
	if err != nil {
		return Published{}, err
	}
	content, err := json.Marshal(r)
	if err != nil {
		return Published{}, fmt.Errorf("report: encode: %w", err)
	}
	sum := sha256.Sum256(content)
	row := Published{ProcessID: p.ID, Phase: r.Scope.Phase, Content: string(content), ContentHash: hex.EncodeToString(sum[:]),
		PublishedAt: r.GeneratedAt}
	if by > 0 {
		row.PublishedBy = &by
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		if err := s.store.lock(ctx, p.ID); err != nil {
			return err
		}
		last, err := s.store.Latest(ctx, p.ID, row.Phase)
		if err != nil {
			return err
		}
		row.Number, row.Supersedes, row.SupersedesNumber = last.Number+1, last.ScopeID, last.ScopeNumber
		e, err := s.ledger.AppendRecord(ctx, p.ID, &ledger.CloseOutReport{
			Header: ledger.Header{Process: p.Slug, RecordedAt: ledger.Timestamp(row.PublishedAt)},
			Report: row.Number, Phase: row.Phase, ContentSHA256: row.ContentHash, Supersedes: last.ScopeNumber})
		if err != nil {
			return err
		}
		row.LedgerSeq = e.Seq
		if err := s.store.Insert(ctx, &row); err != nil {
			return err
		}
		if err := s.tell(ctx, p, row); err != nil {
			return err
		}
		if finish != nil {
			return finish(ctx, row)
		}
		return nil
	})
	if err != nil {
		return Published{}, err
	}
	done.tell(total, total)
	return row, nil
}

// Reports returns the published reports of the process with slug, newest
// first, to whoever may read the process.
func (s *Service) Reports(ctx context.Context, actor auth.Principal, slug string) ([]Published, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	return s.store.List(ctx, p.ID, 0)
}

// Report returns the published report numbered number of the process with
// slug, to whoever may read the process; ErrNotFound when there is none.
func (s *Service) Report(ctx context.Context, actor auth.Principal, slug string, number int) (Published, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return Published{}, err
	}
	return s.store.One(ctx, p.ID, number)
}
