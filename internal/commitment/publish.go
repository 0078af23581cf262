package commitment

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/event"
	"cocreate/internal/ledger"
	"cocreate/internal/process"
)

// Publish publishes a government update on the revision the writer read:
// the process's owners, and writers with a government seat (in the working
// group or the forum), may. A joint update is published by signatures (Sign).
func (s *Service) Publish(ctx context.Context, actor auth.Principal, id int64, revision int) (Update, error) {
	if revision < 1 {
		return Update{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "revision", Code: "required", Message: "the revision you read"})
	}
	var pub published
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		u, c, p, v, err := s.lockDraft(ctx, actor, id, revision)
		switch {
		case err != nil:
			return err
		case u.Kind != KindGovernment:
			return ErrWrongKind
		case !v.PublishGovernment:
			return ErrCannotPublish
		}
		pub, err = s.publish(ctx, p, c, u)
		return err
	})
	if err != nil {
		return Update{}, err
	}
	s.logPublished(ctx, pub, actor)
	return s.GetUpdate(ctx, actor, id)
}

// Sign adds a forum member's signature to the revision of a joint draft they
// read. When the forum's signing rule is then met, the update is published
// in the same transaction.
func (s *Service) Sign(ctx context.Context, actor auth.Principal, id int64, revision int) (Update, error) {
	return s.signOrDissent(ctx, actor, id, revision, nil)
}

// Dissent attaches a forum member's dissenting note instead of a signature;
// it is published with the update.
func (s *Service) Dissent(ctx context.Context, actor auth.Principal, id int64, revision int, note string) (Update, error) {
	note = strings.TrimSpace(ledger.Normalize(note))
	if n := utf8.RuneCountInString(note); n == 0 || n > MaxNoteChars || strings.ContainsRune(note, 0) {
		return Update{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "note", Code: "length",
			Message: fmt.Sprintf("between 1 and %d characters", MaxNoteChars)})
	}
	return s.signOrDissent(ctx, actor, id, revision, &note)
}

func (s *Service) signOrDissent(ctx context.Context, actor auth.Principal, id int64, revision int, note *string) (Update, error) {
	if revision < 1 {
		return Update{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "revision", Code: "required", Message: "the revision you read"})
	}
	var pub published
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		u, c, p, v, err := s.lockDraft(ctx, actor, id, revision)
		switch {
		case err != nil:
			return err
		case !v.Sign:
			return ErrNotForumMember
		case u.Kind != KindJoint:
			return ErrWrongKind
		}
		a, err := s.procs.Access(ctx, actor, p.ID)
		if err != nil {
			return err
		}
		ref, err := s.forum.MemberRef(ctx, p.ID, actor.UserID)
		if err != nil {
			return err
		}
		seat, org := a.Seat()
		g := Signature{Kind: "sign", MemberRef: ref, Seat: string(seat), Organisation: ledger.Normalize(org), Note: note, SignedAt: s.opt.Now().UTC()}
		if note != nil {
			g.Kind = "dissent"
		}
		signed, err := s.store.InsertSignature(ctx, id, actor.UserID, g)
		switch {
		case err != nil:
			return err
		case !signed:
			return ErrAlreadySigned
		case note != nil:
			return nil
		}
		signedBy, dissentedBy, err := s.store.SeatTally(ctx, id)
		if err != nil {
			return err
		}
		// The forum's decision rule decides, as it does for its responses.
		verdict, err := s.forum.DecideOn(ctx, p.ID, signedBy, dissentedBy)
		if err != nil || !verdict.Met {
			return err
		}
		pub, err = s.publish(ctx, p, c, u)
		return err
	})
	if err != nil {
		return Update{}, err
	}
	s.logPublished(ctx, pub, actor)
	return s.GetUpdate(ctx, actor, id)
}

// published is what a publication appended, for the log once it commits.
type published struct {
	process    string
	commitment int64
	update     int64
	entry      ledger.Entry
}

func (s *Service) logPublished(ctx context.Context, pub published, actor auth.Principal) {
	if pub.process == "" {
		return
	}
	s.opt.Log.InfoContext(ctx, "ledger append", "process", pub.process, "seq", pub.entry.Seq, "hash", pub.entry.Hash,
		"commitment", pub.commitment, "progress_update", pub.update, "by", actor.UserID)
}

// publish puts draft u of commitment c into the process's ledger, in the
// caller's transaction: it locks the commitment (publications of one
// commitment take turns), checks again what time may have changed since the
// draft was written (every milestone stated, reasons for a delay now late,
// the corrected update not corrected meanwhile), appends the ledger entry,
// marks the update published, records the completions it reports, and
// emits event.ProgressPublished. Anything failing rolls all of it back.
func (s *Service) publish(ctx context.Context, p process.Process, c Commitment, u Update) (published, error) {
	c, err := s.store.Commitment(ctx, c.ID, true)
	if err != nil {
		return published{}, err
	}
	if c.Withdrawn() {
		return published{}, ErrWithdrawn
	}
	today := s.today()
	states, err := s.store.States(ctx, []int64{u.ID})
	if err != nil {
		return published{}, err
	}
	milestones, err := s.store.Milestones(ctx, c.ID)
	if err != nil {
		return published{}, err
	}
	var f apperr.Fields
	if len(states[u.ID]) != len(milestones) {
		f.Add("milestones", "every_milestone", "the commitment's milestones changed since the draft was written: edit it")
	}
	if lateWithoutReason(states[u.ID], u.DelayReasons, today) {
		f.Add("delay_reasons", "required_late", "a milestone is late: say why")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return published{}, err
	}
	evidence, err := s.store.EvidenceOf(ctx, []int64{u.ID})
	if err != nil {
		return published{}, err
	}
	now := s.opt.Now().UTC()
	rec := &ledger.ProgressUpdate{Header: ledger.Header{Process: p.Slug, RecordedAt: ledger.Timestamp(now)}, Commitment: c.ID, CommitmentTitle: ledger.Normalize(c.Title),
		LeadInstitution: ledger.Normalize(c.LeadInstitution), Update: u.ID, UpdateKind: u.Kind, Progress: ledger.Normalize(u.Progress),
		DelayReasons: ledger.Normalize(u.DelayReasons), NextSteps: ledger.Normalize(u.NextSteps), Evidence: evidenceRefs(evidence[u.ID])}
	if u.CorrectionReason != nil {
		reason := ledger.Normalize(*u.CorrectionReason)
		rec.CorrectionReason = &reason
	}
	if u.Supersedes != nil {
		old, err := s.store.Corrected(ctx, *u.Supersedes)
		switch {
		case err != nil:
			return published{}, err
		case old.Taken:
			return published{}, ErrSuperseded
		}
		rec.Supersedes = old.LedgerSeq
	}
	for _, st := range states[u.ID] {
		ms := ledger.MilestoneState{Milestone: st.MilestoneID, Title: ledger.Normalize(st.Title), DueOn: st.DueOn.String(), State: st.State}
		if st.CompletedOn != nil {
			on := st.CompletedOn.String()
			ms.CompletedOn = &on
		}
		rec.Milestones = append(rec.Milestones, ms)
	}
	sigs, err := s.store.Signatures(ctx, []int64{u.ID})
	if err != nil {
		return published{}, err
	}
	for _, g := range sigs[u.ID] {
		m := ledger.Member{Member: g.MemberRef, Seat: g.Seat, Organisation: g.Organisation}
		if g.Kind == "dissent" && g.Note != nil {
			m.Note = *g.Note
			rec.Dissents = append(rec.Dissents, m)
		} else {
			rec.Signers = append(rec.Signers, m)
		}
	}
	// The ledger names members in a stable order: by member id.
	sortMembers(rec.Signers)
	sortMembers(rec.Dissents)

	entry, err := s.ledger.AppendRecord(ctx, p.ID, rec)
	if err != nil {
		return published{}, err
	}
	if err := s.store.MarkPublished(ctx, u.ID, now, entry.Seq); err != nil {
		return published{}, err
	}
	for _, st := range states[u.ID] {
		if st.State == StateCompleted && st.CompletedOn != nil {
			if err := s.store.CompleteMilestone(ctx, st.MilestoneID, *st.CompletedOn); err != nil {
				return published{}, err
			}
		}
	}
	if err := s.events.Emit(ctx, event.ProgressPublished{ProcessID: p.ID, CommitmentID: c.ID, UpdateID: u.ID, Seq: entry.Seq, Kind: u.Kind}); err != nil {
		return published{}, err
	}
	if err := s.changed(ctx, p.ID, c.ID); err != nil {
		return published{}, err
	}
	return published{process: p.Slug, commitment: c.ID, update: u.ID, entry: entry}, nil
}

// sortMembers orders members by their member id.
func sortMembers(ms []ledger.Member) {
	slices.SortFunc(ms, func(a, b ledger.Member) int { return strings.Compare(a.Member, b.Member) })
}
