package forum

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/ledger"
	"cocreate/internal/process"
)

// Sign adds the member's signature to the revision they read. When the
// signing rule is then met, the response is published in the same
// transaction (publish).
func (s *Service) Sign(ctx context.Context, actor auth.Principal, id int64, revision int) (Response, error) {
	return s.signOrDissent(ctx, actor, id, revision, nil)
}

// Dissent attaches the member's dissenting note instead of a signature; it is
// published with the response.
func (s *Service) Dissent(ctx context.Context, actor auth.Principal, id int64, revision int, note string) (Response, error) {
	note = strings.TrimSpace(ledger.Normalize(note))
	if n := utf8.RuneCountInString(note); n == 0 || n > MaxNoteChars || strings.ContainsRune(note, 0) {
		return Response{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "note", Code: "length",
			Message: fmt.Sprintf("between 1 and %d characters", MaxNoteChars)})
	}
	return s.signOrDissent(ctx, actor, id, revision, &note)
}

func (s *Service) signOrDissent(ctx context.Context, actor auth.Principal, id int64, revision int, note *string) (Response, error) {
	if revision < 1 {
		return Response{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "revision", Code: "required", Message: "the revision you read"})
	}
	var pub published
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		r, a, err := s.lockDraft(ctx, actor, id, revision)
		if err != nil {
			return err
		}
		ref, err := s.pseudonym(ctx, r.ProcessID, actor.UserID)
		if err != nil {
			return err
		}
		seat, org := a.Seat()
		kind := "sign"
		if note != nil {
			kind = "dissent"
		}
		signed, err := s.store.InsertSignature(ctx, signatureRow{ResponseID: id, UserID: actor.UserID, Kind: kind, Seat: seat,
			Organisation: ledger.Normalize(org), MemberRef: ref, Note: note, SignedAt: s.opt.Now().UTC()})
		if err != nil {
			return err
		}
		if !signed {
			return ErrAlreadySigned
		}
		if kind == "dissent" {
			return nil
		}
		settings, err := s.settings(ctx, r.ProcessID)
		if err != nil {
			return err
		}
		met, _, err := s.ruleMet(ctx, id, settings.SigningRule)
		if err != nil || !met {
			return err
		}
		pub, err = s.publish(ctx, r)
		return err
	})
	if err != nil {
		return Response{}, err
	}
	if pub.process != "" {
		s.opt.Log.InfoContext(ctx, "ledger append", "process", pub.process, "seq", pub.entry.Seq, "hash", pub.entry.Hash,
			"response", id, "by", actor.UserID, "answered", pub.answered)
	}
	return s.GetResponse(ctx, actor, id)
}

// ruleMet reports whether the signatures meet the rule, and for the joint
// rule the seats whose signature it still needs.
func (s *Service) ruleMet(ctx context.Context, responseID int64, rule Rule) (bool, []process.Seat, error) {
	seats, err := s.store.SignedSeats(ctx, responseID)
	if err != nil {
		return false, nil, err
	}
	return rule.Met(seats), rule.Missing(seats), nil
}

// Missing returns the seats whose signature the rule still needs, given the
// seats of the members who signed: for the joint rule, government and civil
// society; for the single rule, none (any signature meets it).
func (r Rule) Missing(signed []process.Seat) []process.Seat {
	missing := []process.Seat{}
	if r == RuleJoint {
		for _, need := range []process.Seat{process.SeatGovernment, process.SeatCivilSociety} {
			if !slices.Contains(signed, need) {
				missing = append(missing, need)
			}
		}
	}
	return missing
}

// Met reports whether signatures from members of the given seats meet the
// rule: any one for the single rule, a government and a civil-society one
// for the joint rule. Whatever else the forum signs (responses, joint
// progress updates) publishes under this one rule.
func (r Rule) Met(signed []process.Seat) bool {
	return len(signed) > 0 && len(r.Missing(signed)) == 0
}

// SigningRule is the signing rule of the process's forum.
func (s *Service) SigningRule(ctx context.Context, processID int64) (Rule, error) {
	st, err := s.settings(ctx, processID)
	return st.SigningRule, err
}

// MemberRef is a forum member's pseudonymous id in the process, as the ledger
// names them (made on first use).
func (s *Service) MemberRef(ctx context.Context, processID, userID int64) (string, error) {
	return s.pseudonym(ctx, processID, userID)
}
