package forum

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/ledger"
	"cocreate/internal/process"
)

// The kinds of a member's word on a draft.
const (
	kindSign    = "sign"
	kindDissent = "dissent"
	kindRecuse  = "recuse"
)

// Sign adds the member's signature to the revision they read. When the
// response's decision rule then holds, the response is published in the same
// transaction (publish).
func (s *Service) Sign(ctx context.Context, actor auth.Principal, id int64, revision int) (Response, error) {
	return s.speak(ctx, actor, id, revision, kindSign, nil)
}

// Dissent attaches the member's dissenting note instead of a signature; it is
// published with the response. Under consensus, dissent closes at the
// draft's deadline.
func (s *Service) Dissent(ctx context.Context, actor auth.Principal, id int64, revision int, note string) (Response, error) {
	n, err := checkNote(note, true)
	if err != nil {
		return Response{}, err
	}
	return s.speak(ctx, actor, id, revision, kindDissent, n)
}

// Recuse records that the member takes no part in the response (a conflict
// of interest), with an optional reason: shown with the response, and left
// out of the rule's count, which may then hold.
func (s *Service) Recuse(ctx context.Context, actor auth.Principal, id int64, revision int, reason string) (Response, error) {
	n, err := checkNote(reason, false)
	if err != nil {
		return Response{}, err
	}
	return s.speak(ctx, actor, id, revision, kindRecuse, n)
}

// checkNote normalises a dissent's note (required) or a recusal's reason
// (optional: nil when empty).
func checkNote(note string, required bool) (*string, error) {
	note = strings.TrimSpace(ledger.Normalize(note))
	n := utf8.RuneCountInString(note)
	if n == 0 && !required {
		return nil, nil
	}
	if n == 0 || n > MaxNoteChars || strings.ContainsRune(note, 0) {
		return nil, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "note", Code: "length",
			Message: fmt.Sprintf("between 1 and %d characters", MaxNoteChars)})
	}
	return &note, nil
}

// speak records a member's signature, dissent or recusal on the revision
// they read and, unless it was a dissent, publishes the response when its
// rule then holds: all under the draft's row lock, so concurrent members are
// counted one after the other and the response is published at most once.
func (s *Service) speak(ctx context.Context, actor auth.Principal, id int64, revision int, kind string, note *string) (Response, error) {
	if revision < 1 {
		return Response{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "revision", Code: "required", Message: "the revision you read"})
	}
	var pub published
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		r, a, err := s.lockDraft(ctx, actor, id, revision)
		if err != nil {
			return err
		}
		now := s.opt.Now().UTC()
		if kind == kindDissent && r.DecideBy != nil && !now.Before(*r.DecideBy) {
			return ErrDeadlinePassed
		}
		ref, err := s.pseudonym(ctx, r.ProcessID, actor.UserID)
		if err != nil {
			return err
		}
		seat, org := a.Seat()
		signed, err := s.store.InsertSignature(ctx, signatureRow{ResponseID: id, UserID: actor.UserID, Kind: kind, Seat: seat,
			Organisation: ledger.Normalize(org), MemberRef: ref, Note: note, SignedAt: now})
		if err != nil {
			return err
		}
		if !signed {
			return ErrAlreadySigned
		}
		if kind == kindDissent {
			return nil // a dissent never publishes
		}
		pub, err = s.publishIfMet(ctx, r)
		return err
	})
	if err != nil {
		return Response{}, err
	}
	s.logPublished(ctx, pub, id, actor.UserID)
	return s.GetResponse(ctx, actor, id)
}

// Withdraw takes back the member's own signature, dissent or recusal on a
// draft; the rule is then counted again, and a withdrawn dissent (an equal
// veto lifted, a consensus no longer blocked) may publish the response.
func (s *Service) Withdraw(ctx context.Context, actor auth.Principal, id int64) (Response, error) {
	var pub published
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		r, _, err := s.lockDraft(ctx, actor, id, 0)
		if err != nil {
			return err
		}
		deleted, err := s.store.DeleteSignature(ctx, id, actor.UserID)
		if err != nil {
			return err
		}
		if !deleted {
			return ErrNotSigned
		}
		pub, err = s.publishIfMet(ctx, r)
		return err
	})
	if err != nil {
		return Response{}, err
	}
	s.logPublished(ctx, pub, id, actor.UserID)
	return s.GetResponse(ctx, actor, id)
}

// publishIfMet publishes the locked draft r when its rule holds now.
func (s *Service) publishIfMet(ctx context.Context, r Response) (published, error) {
	v, err := s.verdict(ctx, r)
	if err != nil || !v.Met {
		return published{}, err
	}
	return s.publish(ctx, r)
}

// verdict is what the draft's rule says of its signatures, dissents and
// recusals now.
func (s *Service) verdict(ctx context.Context, r Response) (Verdict, error) {
	t, err := s.store.Tally(ctx, r.ProcessID, r.ID)
	if err != nil {
		return Verdict{}, err
	}
	t.Now = s.opt.Now().UTC()
	if r.DecideBy != nil {
		t.Deadline = *r.DecideBy
	}
	return r.Rule().Decide(t), nil
}

// logPublished logs a publication once its transaction committed.
func (s *Service) logPublished(ctx context.Context, pub published, id, by int64) {
	if pub.process != "" {
		s.opt.Log.InfoContext(ctx, "ledger append", "process", pub.process, "seq", pub.entry.Seq, "hash", pub.entry.Hash,
			"response", id, "by", by, "answered", pub.answered)
	}
}

// PublishDue publishes the consensus drafts whose deadline has passed with a
// signature and no dissent (serve runs it every minute); it returns how many
// it published. Every instance runs it: it walks the due drafts in deadline
// order with a cursor, one draft per transaction, so two runs never lock
// several drafts (and their ledgers) in different orders; a draft another run
// or a member holds is skipped, and one whose rule does not hold yet is
// passed over until the next run.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	total := 0
	var after DueCursor
	for {
		var pub published
		found := false
		err := database.InTx(ctx, s.db, func(ctx context.Context) error {
			r, ok, err := s.store.LockNextDueConsensus(ctx, s.opt.Now().UTC(), after)
			if err != nil || !ok {
				return err
			}
			found = true
			after = DueCursor{At: *r.DecideBy, ID: r.ID}
			pub, err = s.publishIfMet(ctx, r)
			return err
		})
		if err != nil || !found {
			return total, err
		}
		if pub.process != "" {
			s.logPublished(ctx, pub, pub.response, 0)
			total++
		}
	}
}

// SigningRule is the name of the process's forum's decision rule.
func (s *Service) SigningRule(ctx context.Context, processID int64) (Rule, error) {
	st, err := s.settings(ctx, processID)
	return st.SigningRule, err
}

// DecideOn applies the process's decision rule to what the forum's members
// said on something the forum signs besides a response (a joint progress
// update): signatures and dissents of current members per seat, counted
// against the forum's current members. Nothing there is waited for: under
// consensus it is met once someone signed and nobody dissented.
func (s *Service) DecideOn(ctx context.Context, processID int64, signed, dissented map[process.Seat]int) (Verdict, error) {
	st, err := s.settings(ctx, processID)
	if err != nil {
		return Verdict{}, err
	}
	members, err := s.store.MemberCounts(ctx, processID)
	if err != nil {
		return Verdict{}, err
	}
	t := Tally{Members: members, Signed: signed, Dissented: dissented, Recused: map[process.Seat]int{}, Now: s.opt.Now().UTC()}
	return st.Rule().Decide(t), nil
}

// MemberRef is a forum member's pseudonymous id in the process, as the ledger
// names them (made on first use).
func (s *Service) MemberRef(ctx context.Context, processID, userID int64) (string, error) {
	return s.pseudonym(ctx, processID, userID)
}
