package forum

import (
	"context"
	"fmt"
	"slices"

	"cocreate/internal/event"
	"cocreate/internal/idea"
	"cocreate/internal/ledger"
)

// ideaStatus is the status a disposition gives the ideas it answers.
var ideaStatus = map[Disposition]idea.Status{
	"adopted":      idea.StatusAccepted,
	"amended":      idea.StatusAmended,
	"merged":       idea.StatusAmended, // taken in, combined with others
	"rejected":     idea.StatusRejected,
	"out_of_scope": idea.StatusOutOfScope,
	"noted":        idea.StatusUnderReview,
}

// answer is one contribution a response answers, and its author.
type answer struct {
	Kind     Kind  `gorm:"column:kind"`
	ID       int64 `gorm:"column:id"`
	AuthorID int64 `gorm:"column:author_id"`
}

// answers resolves what a response covers into published contributions:
// those named, the members of the clusters named, and the comments on the
// paragraphs named.
func (s *Service) answers(ctx context.Context, processID, responseID int64) ([]answer, error) {
	return s.store.Answers(ctx, processID, responseID)
}

// publish puts a draft whose decision rule holds into the ledger, in the
// caller's transaction: the ledger entry, the response's state, the answered
// contributions and the answered ideas' statuses; then it emits
// event.ResponsePublished, whose subscribers (the authors' e-mail) run in the
// same transaction. Anything failing rolls all of it back.
func (s *Service) publish(ctx context.Context, r Response) (published, error) {
	p, err := s.procs.GetByID(ctx, r.ProcessID)
	if err != nil {
		return published{}, err
	}
	now := s.opt.Now().UTC()
	f := ledger.Fields{
		Process: p.Slug, RecordedAt: ledger.Timestamp(now), Response: r.ID, Disposition: string(r.Disposition),
		Reasoning: r.Reasoning, LedTo: r.LedTo, CorrectionReason: r.CorrectionReason,
	}
	if r.Supersedes != nil {
		seq, taken, err := s.store.Superseded(ctx, *r.Supersedes)
		switch {
		case err != nil:
			return published{}, err
		case seq == nil:
			return published{}, ErrResponseNotFound
		case taken:
			return published{}, ErrSuperseded
		}
		f.Supersedes = seq
	}

	// What it covers, as the ledger names it.
	if err := s.loadCovers(ctx, p.ID, &r); err != nil {
		return published{}, err
	}
	for _, c := range r.Covers {
		f.Covers = append(f.Covers, c.LedgerRef())
		if c.Kind == "cluster" {
			cl, err := s.store.Cluster(ctx, *c.ID)
			if err != nil {
				return published{}, err
			}
			members, err := s.store.ClusterMemberRefs(ctx, cl.ID)
			if err != nil {
				return published{}, err
			}
			lc := ledger.Cluster{ID: cl.ID, Title: ledger.Normalize(cl.Title), Members: make([]string, len(members))}
			for i, m := range members {
				lc.Members[i] = m.String()
			}
			f.Clusters = append(f.Clusters, lc)
		}
	}
	slices.Sort(f.Covers)

	// The rule it was decided under; who signed, dissented or recused
	// themselves: member ids, seats and organisations only.
	rule := r.Rule().Ledger()
	f.Rule = &rule
	sigs, err := s.store.LedgerSignatures(ctx, r.ID)
	if err != nil {
		return published{}, err
	}
	for _, g := range sigs {
		m := ledger.Member{Member: g.MemberRef, Seat: g.Seat, Organisation: g.Organisation}
		if g.Note != nil {
			m.Note = *g.Note
		}
		switch g.Kind {
		case kindDissent:
			f.Dissents = append(f.Dissents, m)
		case kindRecuse:
			f.Recusals = append(f.Recusals, m)
		default:
			f.Signers = append(f.Signers, m)
		}
	}

	entry, err := s.ledger.Append(ctx, p.ID, f)
	if err != nil {
		return published{}, err
	}
	if err := s.store.MarkPublished(ctx, r.ID, now, entry.Seq); err != nil {
		return published{}, err
	}

	answered, err := s.answers(ctx, p.ID, r.ID)
	if err != nil {
		return published{}, err
	}
	ev := event.ResponsePublished{ProcessID: p.ID, ResponseID: r.ID, Seq: entry.Seq, Disposition: string(r.Disposition),
		Answered: make([]event.Answered, 0, len(answered))}
	for _, a := range answered {
		if err := s.store.InsertAnswer(ctx, r.ID, Ref{Kind: a.Kind, ID: a.ID}, now); err != nil {
			return published{}, err
		}
		if a.Kind == KindIdea {
			if err := s.ideas.SetStatus(ctx, a.ID, ideaStatus[r.Disposition], r.ID); err != nil {
				return published{}, fmt.Errorf("forum: idea %d status: %w", a.ID, err)
			}
		}
		ev.Answered = append(ev.Answered, event.Answered{Kind: string(a.Kind), ID: a.ID, AuthorID: a.AuthorID})
	}
	if err := s.events.Emit(ctx, ev); err != nil {
		return published{}, err
	}
	return published{process: p.Slug, response: r.ID, entry: entry, answered: len(answered)}, nil
}

// published is what a publication appended, for the log once it commits.
type published struct {
	process  string
	response int64
	entry    ledger.Entry
	answered int
}
