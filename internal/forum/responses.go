package forum

import (
	"context"
	"errors"
	"time"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/process"
)

// Disposition is what became of the contributions a response answers.
type Disposition string

// The dispositions.
var Dispositions = []Disposition{"adopted", "amended", "merged", "rejected", "out_of_scope", "noted"}

// Limits of a response's text.
const (
	MaxReasoningChars  = 20000
	MaxLedToChars      = 500
	MaxCorrectionChars = 2000
	MaxNoteChars       = 5000
	MaxCovers          = 500 // each once; a larger group is a cluster
)

// CoverInput is one thing a response covers: a comment, an idea or a cluster
// by ID, or a draft paragraph by DocumentID and ParagraphKey.
type CoverInput struct {
	Kind         string
	ID           int64
	DocumentID   int64
	ParagraphKey string
}

// ResponseInput drafts or edits a response.
type ResponseInput struct {
	Revision         int // edits only: the revision read
	Disposition      Disposition
	Reasoning        string
	LedTo            string
	Covers           []CoverInput
	Supersedes       *int64
	CorrectionReason *string
}

// ExcerptChars is the length of a covered contribution's excerpt.
const ExcerptChars = 120

// Cover is one thing a response covers, for display. A comment or an idea
// the public may read (Visible) carries the start of its text as plain text
// (Excerpt; an idea's title) and, for a comment, where it sits: its draft
// and paragraph, its idea or its progress update; one the public may not read
// carries its kind and id alone.
type Cover struct {
	Kind             string
	ID               *int64
	IdeaID           *int64 // for a comment on an idea, the idea
	DocumentID       *int64
	ParagraphKey     *string
	ProgressUpdateID *int64 // for a comment on a progress update, the update
	Label            string // a cluster's title, a paragraph's key, or the excerpt
	Excerpt          *string
	Visible          bool
	Count            int
}

// Signature is a signature, dissent or recusal on a response.
type Signature struct {
	Kind         string // sign, dissent or recuse
	MemberRef    string
	Name         *string // drafts only
	Seat         string
	Organisation string
	Note         *string // a dissent's note, or why a member recused themselves
	SignedAt     *time.Time
}

// Response is a draft or published response.
type Response struct {
	ID               int64       `gorm:"column:id"`
	ProcessID        int64       `gorm:"column:process_id"`
	State            string      `gorm:"column:state"`
	Disposition      Disposition `gorm:"column:disposition"`
	Reasoning        string      `gorm:"column:reasoning"`
	ReasoningHTML    string      `gorm:"column:reasoning_html"`
	LedTo            string      `gorm:"column:led_to"`
	Supersedes       *int64      `gorm:"column:supersedes"`
	CorrectionReason *string     `gorm:"column:correction_reason"`
	Revision         int         `gorm:"column:revision"`
	CreatedAt        time.Time   `gorm:"column:created_at"`
	PublishedAt      *time.Time  `gorm:"column:published_at"`
	LedgerSeq        *int64      `gorm:"column:ledger_seq"`
	// The rule the response is decided under, and its parameters.
	RuleName  Rule       `gorm:"column:rule"`
	RuleNum   *int       `gorm:"column:rule_num"`
	RuleDen   *int       `gorm:"column:rule_den"`
	RuleHours *int       `gorm:"column:rule_hours"`
	DecideBy  *time.Time `gorm:"column:decide_by"` // a consensus draft's deadline

	Process      string         `gorm:"-"`
	Covers       []Cover        `gorm:"-"`
	Signatures   []Signature    `gorm:"-"`
	SigningRule  Rule           `gorm:"-"`
	MissingSeats []process.Seat `gorm:"-"`
	Verdict      *Verdict       `gorm:"-"` // a draft's: what its rule says now
	SupersededBy *int64         `gorm:"-"`
	LedgerHash   string         `gorm:"-"`
	Answered     int            `gorm:"-"`
}

// Published reports whether the response is in the ledger.
func (r Response) Published() bool { return r.State == "published" }

// Rule is the decision rule the response is decided under.
func (r Response) Rule() DecisionRule {
	d := DecisionRule{Name: r.RuleName}
	if r.RuleNum != nil && r.RuleDen != nil {
		d.Num, d.Den = *r.RuleNum, *r.RuleDen
	}
	if r.RuleHours != nil {
		d.ConsensusHours = *r.RuleHours
	}
	return d
}

// deadline is when a draft under rule, written at now, stops taking dissents:
// nil but for consensus.
func deadline(rule DecisionRule, now time.Time) *time.Time {
	if rule.Name != RuleConsensus {
		return nil
	}
	at := now.Add(time.Duration(rule.ConsensusHours) * time.Hour)
	return &at
}

// CreateResponse drafts a response; forum members only.
func (s *Service) CreateResponse(ctx context.Context, actor auth.Principal, slug string, in ResponseInput) (Response, error) {
	p, _, err := s.procs.GetFor(ctx, actor, slug, process.Respond, ErrNotMember)
	if err != nil {
		return Response{}, err
	}
	var id int64
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		v, err := s.validate(ctx, p, in, false)
		if err != nil {
			return err
		}
		// The forum's rule now is the draft's for good (a change of rule
		// applies to the responses drafted after it).
		st, err := s.settings(ctx, p.ID)
		if err != nil {
			return err
		}
		now := s.opt.Now().UTC()
		rule := st.Rule()
		if id, err = s.store.InsertDraft(ctx, p.ID, actor.UserID, v, now, rule, deadline(rule, now)); err != nil {
			return err
		}
		return s.store.ReplaceCovers(ctx, id, v.Covers)
	})
	if err != nil {
		return Response{}, err
	}
	return s.GetResponse(ctx, actor, id)
}

// lockDraft locks a draft for a member's change: 404 when the actor may not
// see it, 409 when published or when revision is stale, 403 for non-members.
func (s *Service) lockDraft(ctx context.Context, actor auth.Principal, id int64, revision int) (Response, process.Access, error) {
	r, err := s.store.Response(ctx, id, true)
	if err != nil {
		return Response{}, process.Access{}, err
	}
	a, err := s.procs.Access(ctx, actor, r.ProcessID)
	switch {
	case err != nil:
		return Response{}, process.Access{}, err
	case !a.Can(process.Respond) && !r.Published() && !a.Can(process.ReadForumWork):
		return Response{}, process.Access{}, ErrResponseNotFound // drafts are the forum's
	case !a.Can(process.Respond):
		return Response{}, process.Access{}, ErrNotMember
	case r.Published():
		return Response{}, process.Access{}, ErrPublished
	case revision != 0 && revision != r.Revision:
		return Response{}, process.Access{}, ErrStale
	}
	return r, a, nil
}

// EditResponse changes a draft on the revision the member read; it clears
// the draft's signatures, dissents and recusals, which were given to the old
// text, and starts a consensus draft's deadline again.
func (s *Service) EditResponse(ctx context.Context, actor auth.Principal, id int64, in ResponseInput) (Response, error) {
	if in.Revision < 1 {
		return Response{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "revision", Code: "required", Message: "the revision you read"})
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		r, _, err := s.lockDraft(ctx, actor, id, in.Revision)
		if err != nil {
			return err
		}
		p, err := s.procs.GetByID(ctx, r.ProcessID)
		if err != nil {
			return err
		}
		in.Supersedes = r.Supersedes // what a draft corrects is fixed when it is made
		v, err := s.validate(ctx, p, in, true)
		if err != nil {
			return err
		}
		// The members read a new text: a consensus draft's deadline starts again.
		now := s.opt.Now().UTC()
		if err := s.store.UpdateDraft(ctx, id, v, now, deadline(r.Rule(), now)); err != nil {
			return err
		}
		if err := s.store.DeleteSignatures(ctx, id); err != nil {
			return err
		}
		return s.store.ReplaceCovers(ctx, id, v.Covers)
	})
	if err != nil {
		return Response{}, err
	}
	return s.GetResponse(ctx, actor, id)
}

// DiscardResponse deletes a draft; published responses stay (ErrPublished).
func (s *Service) DiscardResponse(ctx context.Context, actor auth.Principal, id int64) error {
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		if _, _, err := s.lockDraft(ctx, actor, id, 0); err != nil {
			return err
		}
		return s.store.DeleteDraft(ctx, id)
	})
}

// GetResponse returns a response: published ones to anyone, drafts to the
// forum and the process's owners (404 for others).
func (s *Service) GetResponse(ctx context.Context, actor auth.Principal, id int64) (Response, error) {
	r, err := s.store.Response(ctx, id, false)
	if err != nil {
		return Response{}, err
	}
	p, err := s.procs.GetReadableByID(ctx, actor, r.ProcessID)
	if errors.Is(err, process.ErrNotFound) {
		return Response{}, ErrResponseNotFound
	} else if err != nil {
		return Response{}, err
	}
	if !r.Published() {
		if _, err := s.procs.Require(ctx, actor, p.ID, process.ReadForumWork, ErrResponseNotFound); err != nil {
			return Response{}, err
		}
	}
	return s.complete(ctx, p, r)
}

// Drafts lists the forum's drafts, newest first; members and owners.
func (s *Service) Drafts(ctx context.Context, actor auth.Principal, slug string) ([]Response, error) {
	p, _, err := s.procs.GetFor(ctx, actor, slug, process.ReadForumWork, ErrNotMember)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.Drafts(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		if rows[i], err = s.complete(ctx, p, rows[i]); err != nil {
			return nil, err
		}
	}
	return rows, nil
}
