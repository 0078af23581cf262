package commitment

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/ledger"
	"cocreate/internal/markdown"
	"cocreate/internal/process"
	"cocreate/internal/workdays"
)

// The kinds of progress updates.
const (
	KindGovernment = "government" // by the government alone: published by an owner or a government writer
	KindJoint      = "joint"      // jointly by government and civil society: published by the forum's signatures
)

// The states a progress update gives each milestone.
const (
	StateNotStarted = "not_started"
	StateInProgress = "in_progress"
	StateAtRisk     = "at_risk"
	StateCompleted  = "completed"
)

// MilestoneStates lists the states in the order forms offer them.
var MilestoneStates = []string{StateNotStarted, StateInProgress, StateAtRisk, StateCompleted}

// Limits of a progress update.
const (
	MaxProgressChars  = 20000
	MaxStepsChars     = 10000
	MaxEvidence       = 10
	MaxNoteChars      = 5000
	AnswerTargetDays  = 20 // working days; OGP asks for an answer within 20 days
	MaxPauseDays      = 60 // calendar days an answer clock may be paused
	MaxQuestionChars  = 5000
	MaxAnswerChars    = 10000
	MaxPauseReasonLen = 1000
)

// MilestoneState is a milestone as an update reports it.
type MilestoneState struct {
	UpdateID    int64          `gorm:"column:update_id"`
	MilestoneID int64          `gorm:"column:milestone_id"`
	Title       string         `gorm:"column:title"`
	DueOn       workdays.Date  `gorm:"column:due_on"`
	State       string         `gorm:"column:state"`
	CompletedOn *workdays.Date `gorm:"column:completed_on"`
}

// Evidence is a link or a repository item an update cites.
type Evidence struct {
	UpdateID  int64   `gorm:"column:update_id"`
	URL       *string `gorm:"column:url"`
	ItemID    *int64  `gorm:"column:item_id"`
	ItemTitle *string `gorm:"column:item_title"`
}

// Signature is a forum member's signature or dissent on a joint update.
type Signature struct {
	UpdateID     int64     `gorm:"column:update_id"`
	Kind         string    `gorm:"column:kind"` // sign or dissent
	MemberRef    string    `gorm:"column:member_ref"`
	Name         *string   `gorm:"column:name"` // shown on drafts only
	Seat         string    `gorm:"column:seat"`
	Organisation string    `gorm:"column:organisation"`
	Note         *string   `gorm:"column:note"`
	SignedAt     time.Time `gorm:"column:signed_at"`
}

// Update is a progress update: a draft, or published and frozen.
type Update struct {
	ID               int64      `gorm:"column:id"`
	CommitmentID     int64      `gorm:"column:commitment_id"`
	ProcessID        int64      `gorm:"column:process_id"`
	Kind             string     `gorm:"column:kind"`
	State            string     `gorm:"column:state"`
	Progress         string     `gorm:"column:progress"`
	ProgressHTML     string     `gorm:"column:progress_html"`
	DelayReasons     string     `gorm:"column:delay_reasons"`
	DelayHTML        string     `gorm:"column:delay_html"`
	NextSteps        string     `gorm:"column:next_steps"`
	NextStepsHTML    string     `gorm:"column:next_steps_html"`
	Supersedes       *int64     `gorm:"column:supersedes"`
	CorrectionReason *string    `gorm:"column:correction_reason"`
	Revision         int        `gorm:"column:revision"`
	CreatedAt        time.Time  `gorm:"column:created_at"`
	PublishedAt      *time.Time `gorm:"column:published_at"`
	LedgerSeq        *int64     `gorm:"column:ledger_seq"`
	SupersededBy     *int64     `gorm:"column:superseded_by"`
	LedgerHash       *string    `gorm:"column:ledger_hash"`

	Process         string           `gorm:"-"` // the process's slug
	CommitmentTitle string           `gorm:"-"`
	Milestones      []MilestoneState `gorm:"-"`
	Evidence        []Evidence       `gorm:"-"`
	Signatures      []Signature      `gorm:"-"`
	SigningRule     string           `gorm:"-"` // the forum's rule, for a joint update
	MissingSeats    []process.Seat   `gorm:"-"` // a joint draft's seats still to sign
	Comments        int              `gorm:"-"`
	Viewer          Viewer           `gorm:"-"`
}

// Published reports whether the update is in the ledger.
func (u Update) Published() bool { return u.State == "published" }

// StateInput is an update's state of one milestone; CompletedOn (YYYY-MM-DD)
// for a completed one only.
type StateInput struct {
	MilestoneID int64
	State       string
	CompletedOn string
}

// EvidenceInput is one piece of evidence: a link, or a repository item (ItemID).
type EvidenceInput struct {
	URL    string
	ItemID int64
}

// UpdateInput drafts an update, or edits a draft on the revision read
// (Revision, edits only). Supersedes names the published update of the same
// commitment a correction corrects, with its reason.
type UpdateInput struct {
	Revision         int
	Kind             string
	Progress         string
	DelayReasons     string
	NextSteps        string
	Milestones       []StateInput
	Evidence         []EvidenceInput
	Supersedes       *int64
	CorrectionReason *string
}

// checkedUpdate is an update that passed every check, ready to store.
type checkedUpdate struct {
	u        Update
	states   []MilestoneState
	evidence []Evidence
}

// lateWithoutReason reports whether a milestone the update leaves open is
// past its due date on day today while the update gives no reason for delay.
func lateWithoutReason(states []MilestoneState, delay string, today workdays.Date) bool {
	if strings.TrimSpace(delay) != "" {
		return false
	}
	for _, st := range states {
		if st.State != StateCompleted && st.DueOn < today {
			return true
		}
	}
	return false
}

// markdownField validates and renders a Markdown field.
func markdownField(f *apperr.Fields, field, s string, required bool, maxChars int) (string, string) {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case required && (n == 0 || !markdown.HasVisible(s)):
		f.Add(field, "required", "required")
		return s, ""
	case n > maxChars:
		f.Add(field, "length", fmt.Sprintf("at most %d characters", maxChars))
		return s, ""
	case strings.ContainsRune(s, 0):
		f.Add(field, "characters", "no NUL characters")
		return s, ""
	case n == 0:
		return "", ""
	}
	html, err := markdown.Render(s)
	if err != nil {
		f.Add(field, "markdown", "cannot be rendered")
	}
	return s, html
}

// checkUpdate validates an update of commitment c on day today: its text,
// a state for every milestone of c (completion days not in the future nor
// before c's start), reasons for delay when a milestone it leaves open is
// late, its evidence (links, or items of the process's repository) and what
// it corrects.
func (s *Service) checkUpdate(ctx context.Context, c Commitment, in UpdateInput, editing *Update, today workdays.Date) (checkedUpdate, error) {
	var f apperr.Fields
	out := checkedUpdate{u: Update{CommitmentID: c.ID, ProcessID: c.ProcessID, Kind: in.Kind}}
	u := &out.u
	if in.Kind != KindGovernment && in.Kind != KindJoint {
		f.Add("kind", "enum", "government or joint")
	}
	u.Progress, u.ProgressHTML = markdownField(&f, "progress", in.Progress, true, MaxProgressChars)
	u.DelayReasons, u.DelayHTML = markdownField(&f, "delay_reasons", in.DelayReasons, false, MaxStepsChars)
	u.NextSteps, u.NextStepsHTML = markdownField(&f, "next_steps", in.NextSteps, true, MaxStepsChars)

	milestones, err := s.store.Milestones(ctx, c.ID)
	if err != nil {
		return checkedUpdate{}, err
	}
	byID := map[int64]Milestone{}
	for _, m := range milestones {
		byID[m.ID] = m
	}
	seen := map[int64]bool{}
	for i, st := range in.Milestones {
		p := fmt.Sprintf("milestones[%d].", i)
		m, ok := byID[st.MilestoneID]
		switch {
		case !ok:
			f.Add(p+"milestone_id", "unknown", "a milestone of this commitment")
			continue
		case seen[st.MilestoneID]:
			f.Add(p+"milestone_id", "duplicate", "each milestone once")
			continue
		}
		seen[st.MilestoneID] = true
		ms := MilestoneState{MilestoneID: m.ID, Title: m.Title, DueOn: m.DueOn, State: st.State}
		if !slices.Contains(MilestoneStates, st.State) {
			f.Add(p+"state", "enum", "not_started, in_progress, at_risk or completed")
		}
		hasDate := strings.TrimSpace(st.CompletedOn) != ""
		switch {
		case st.State == StateCompleted && !hasDate:
			f.Add(p+"completed_on", "required", "the day it was completed")
		case st.State != StateCompleted && hasDate:
			f.Add(p+"completed_on", "not_completed", "only a completed milestone has a completion date")
		case hasDate:
			if on, ok := date(&f, p+"completed_on", st.CompletedOn); ok {
				switch {
				case on > today:
					f.Add(p+"completed_on", "future", "not after today")
				case on < c.StartsOn:
					f.Add(p+"completed_on", "before_start", "not before the commitment's start")
				default:
					ms.CompletedOn = &on
				}
			}
		}
		out.states = append(out.states, ms)
	}
	if len(seen) < len(milestones) {
		f.Add("milestones", "every_milestone", "give the state of every milestone of the commitment")
	}
	if lateWithoutReason(out.states, u.DelayReasons, today) {
		f.Add("delay_reasons", "required_late", "a milestone is late: say why")
	}

	if len(in.Evidence) > MaxEvidence {
		f.Add("evidence", "max", fmt.Sprintf("at most %d", MaxEvidence))
	}
	for i, e := range in.Evidence {
		p := fmt.Sprintf("evidence[%d].", i)
		url := link(&f, p+"url", e.URL)
		switch {
		case url != nil && e.ItemID != 0:
			f.Add(p+"item_id", "one_evidence", "a link or a repository document, not both")
		case url != nil:
			out.evidence = append(out.evidence, Evidence{URL: url})
		case e.ItemID != 0:
			ok, err := s.store.RepositoryItemIn(ctx, e.ItemID, c.ProcessID)
			if err != nil {
				return checkedUpdate{}, err
			}
			if !ok {
				f.Add(p+"item_id", "not_in_repository", "a document of the process's repository")
			}
			id := e.ItemID
			out.evidence = append(out.evidence, Evidence{ItemID: &id})
		case strings.TrimSpace(e.URL) == "":
			f.Add(p+"url", "required", "a link or a repository document")
		}
	}

	supersedes := in.Supersedes
	if editing != nil {
		supersedes = editing.Supersedes // what a draft corrects is fixed when it is made
	}
	if supersedes != nil {
		reason := ""
		if in.CorrectionReason != nil {
			reason = *in.CorrectionReason
		}
		if reason = text(&f, "correction_reason", reason, true, MaxReasonChars); reason != "" {
			u.CorrectionReason = &reason
		}
		old, err := s.store.Corrected(ctx, *supersedes)
		switch {
		case errors.Is(err, ErrUpdateNotFound) || err == nil && (old.CommitmentID != c.ID || old.State != "published"):
			f.Add("supersedes", "unknown", "a published update of this commitment")
		case err != nil:
			return checkedUpdate{}, err
		case old.Taken:
			return checkedUpdate{}, ErrSuperseded
		}
		u.Supersedes = supersedes
	} else if in.CorrectionReason != nil {
		f.Add("correction_reason", "not_allowed", "only a correction has a reason for it")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return checkedUpdate{}, err
	}
	return out, nil
}

// readable returns the commitment and its process when actor may read them
// (ErrNotFound otherwise: an unpublished process does not show).
func (s *Service) readable(ctx context.Context, actor auth.Principal, id int64, forUpdate bool) (Commitment, process.Process, error) {
	c, err := s.store.Commitment(ctx, id, forUpdate)
	if err != nil {
		return Commitment{}, process.Process{}, err
	}
	p, err := s.procs.GetByID(ctx, c.ProcessID)
	if err != nil {
		return Commitment{}, process.Process{}, err
	}
	if err := s.procs.Readable(ctx, actor, p); err != nil {
		return Commitment{}, process.Process{}, ErrNotFound
	}
	return c, p, nil
}

// CreateUpdate drafts a progress update of a commitment: its working group's
// members with an account, the process's owners and its forum's members may.
func (s *Service) CreateUpdate(ctx context.Context, actor auth.Principal, commitmentID int64, in UpdateInput) (Update, error) {
	var id int64
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		c, p, err := s.readable(ctx, actor, commitmentID, false)
		if err != nil {
			return err
		}
		v, err := s.viewerOf(ctx, actor, p.ID, c.ID)
		if err != nil {
			return err
		}
		switch {
		case !v.Write:
			return ErrNotWriter
		case c.Withdrawn():
			return ErrWithdrawn
		}
		ck, err := s.checkUpdate(ctx, c, in, nil, s.today())
		if err != nil {
			return err
		}
		if id, err = s.store.InsertUpdate(ctx, ck.u, actor.UserID, s.opt.Now().UTC()); err != nil {
			return err
		}
		return s.store.ReplaceParts(ctx, id, ck.states, ck.evidence)
	})
	if err != nil {
		return Update{}, err
	}
	return s.GetUpdate(ctx, actor, id)
}

// lockDraft locks a draft for a writer's change: 404 when the actor may not
// see it, 403 for one who may not write, 409 when published, withdrawn or
// when revision (unless 0) is not the one read.
func (s *Service) lockDraft(ctx context.Context, actor auth.Principal, id int64, revision int) (Update, Commitment, process.Process, Viewer, error) {
	u, err := s.store.Update(ctx, id, true)
	if err != nil {
		return Update{}, Commitment{}, process.Process{}, Viewer{}, err
	}
	c, p, err := s.readable(ctx, actor, u.CommitmentID, false)
	if err != nil {
		return Update{}, Commitment{}, process.Process{}, Viewer{}, ErrUpdateNotFound
	}
	v, err := s.viewerOf(ctx, actor, p.ID, c.ID)
	switch {
	case err != nil:
		return Update{}, Commitment{}, process.Process{}, Viewer{}, err
	case !u.Published() && !v.Write:
		return Update{}, Commitment{}, process.Process{}, Viewer{}, ErrUpdateNotFound // drafts are the writers'
	case u.Published():
		return Update{}, Commitment{}, process.Process{}, Viewer{}, ErrPublished
	case c.Withdrawn():
		return Update{}, Commitment{}, process.Process{}, Viewer{}, ErrWithdrawn
	case revision != 0 && revision != u.Revision:
		return Update{}, Commitment{}, process.Process{}, Viewer{}, ErrStale
	}
	return u, c, p, v, nil
}

// EditUpdate changes a draft on the revision the writer read; it clears the
// draft's signatures and dissents, which were given to the old text.
func (s *Service) EditUpdate(ctx context.Context, actor auth.Principal, id int64, in UpdateInput) (Update, error) {
	if in.Revision < 1 {
		return Update{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "revision", Code: "required", Message: "the revision you read"})
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		u, c, _, v, err := s.lockDraft(ctx, actor, id, in.Revision)
		if err != nil {
			return err
		}
		if !v.Write {
			return ErrNotWriter
		}
		ck, err := s.checkUpdate(ctx, c, in, &u, s.today())
		if err != nil {
			return err
		}
		ck.u.ID = id
		if err := s.store.UpdateDraft(ctx, ck.u, s.opt.Now().UTC()); err != nil {
			return err
		}
		if err := s.store.DeleteSignatures(ctx, id); err != nil {
			return err
		}
		return s.store.ReplaceParts(ctx, id, ck.states, ck.evidence)
	})
	if err != nil {
		return Update{}, err
	}
	return s.GetUpdate(ctx, actor, id)
}

// DiscardUpdate deletes a draft; a published update stays (ErrPublished).
func (s *Service) DiscardUpdate(ctx context.Context, actor auth.Principal, id int64) error {
	return database.InTx(ctx, s.db, func(ctx context.Context) error {
		_, _, _, v, err := s.lockDraft(ctx, actor, id, 0)
		if err != nil {
			return err
		}
		if !v.Write {
			return ErrNotWriter
		}
		return s.store.DeleteDraft(ctx, id)
	})
}

// GetUpdate returns an update: published ones to anyone who may read the
// process, drafts to the commitment's writers (404 for others).
func (s *Service) GetUpdate(ctx context.Context, actor auth.Principal, id int64) (Update, error) {
	u, err := s.store.Update(ctx, id, false)
	if err != nil {
		return Update{}, err
	}
	c, p, err := s.readable(ctx, actor, u.CommitmentID, false)
	if err != nil {
		return Update{}, ErrUpdateNotFound
	}
	v, err := s.viewerOf(ctx, actor, p.ID, c.ID)
	if err != nil {
		return Update{}, err
	}
	if !u.Published() && !v.Write {
		return Update{}, ErrUpdateNotFound
	}
	us := []Update{u}
	if err := s.complete(ctx, p, c, v, us); err != nil {
		return Update{}, err
	}
	return us[0], nil
}

// complete loads the parts of updates of commitment c: milestone states,
// evidence, signatures (names on drafts only), the seats a joint draft
// still needs, and the number of comments.
func (s *Service) complete(ctx context.Context, p process.Process, c Commitment, v Viewer, us []Update) error {
	if len(us) == 0 {
		return nil
	}
	ids := make([]int64, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	states, err := s.store.States(ctx, ids)
	if err != nil {
		return err
	}
	evidence, err := s.store.EvidenceOf(ctx, ids)
	if err != nil {
		return err
	}
	sigs, err := s.store.Signatures(ctx, ids)
	if err != nil {
		return err
	}
	counts, err := s.store.CommentCounts(ctx, ids)
	if err != nil {
		return err
	}
	rule, err := s.forum.SigningRule(ctx, p.ID)
	if err != nil {
		return err
	}
	for i := range us {
		u := &us[i]
		u.Process, u.CommitmentTitle, u.Viewer = p.Slug, c.Title, v
		u.Milestones, u.Evidence, u.Signatures, u.Comments = states[u.ID], evidence[u.ID], sigs[u.ID], counts[u.ID]
		u.MissingSeats = []process.Seat{}
		if u.Kind == KindJoint {
			u.SigningRule = string(rule)
			if !u.Published() {
				signed, dissented, err := s.store.SeatTally(ctx, u.ID)
				if err != nil {
					return err
				}
				v, err := s.forum.DecideOn(ctx, p.ID, signed, dissented)
				if err != nil {
					return err
				}
				u.MissingSeats = v.MissingSeats
			}
		}
		if u.Published() {
			for j := range u.Signatures {
				u.Signatures[j].Name = nil // the public record names members by id
			}
		}
	}
	return nil
}

// evidenceRefs are an update's evidence as the ledger records them: links,
// and "repository:N" for an item of the repository.
func evidenceRefs(es []Evidence) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		if e.URL != nil {
			out = append(out, ledger.Normalize(*e.URL))
		} else if e.ItemID != nil {
			out = append(out, fmt.Sprintf("repository:%d", *e.ItemID))
		}
	}
	return out
}
