package idea

import (
	"context"
	"fmt"
	"strings"

	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/mail"
	"cocreate/internal/process"
)

// Merge merges idea b into idea a (same process): b becomes merged, pointing to
// a; b's supports move to a, once per person, so a person who supported both
// gets their spare support back; b's comments stay on b; b's author is told by
// e-mail. The process's moderators, forum members and owners, and
// administrators, may merge.
func (s *Service) Merge(ctx context.Context, actor auth.Principal, b, a int64) (Idea, error) {
	if !actor.Can(auth.PermContribute) {
		return Idea{}, ErrForbidden
	}
	if a == b {
		return Idea{}, ErrMergeInvalid.WithMessage("an idea cannot be merged into itself")
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		// Lock both in id order, so two merges of the same pair cannot deadlock.
		first, second := min(a, b), max(a, b)
		r1, err := s.lockIdea(ctx, first, true)
		if err != nil {
			return err
		}
		r2, err := s.lockIdea(ctx, second, true)
		if err != nil {
			return err
		}
		into, from := r1, r2
		if from.ID != b {
			into, from = r2, r1
		}
		if _, err := s.procs.Require(ctx, actor, from.ProcessID, process.MergeIdeas,
			ErrForbidden.WithMessage("only the process's moderators, forum members and owners merge ideas")); err != nil {
			return err
		}
		switch {
		case into.ProcessID != from.ProcessID:
			return ErrMergeInvalid.WithMessage("both ideas must belong to the same process")
		case from.Status == StatusMerged || from.Status == StatusWithdrawn:
			return ErrMergeInvalid.WithMessage("the idea is already %s", from.Status)
		case into.Status == StatusMerged || into.Status == StatusWithdrawn:
			return ErrMergeInvalid.WithMessage("the idea to merge into is %s", into.Status)
		}
		// Both ideas' locks are held, so no support is in flight while their
		// counters are set from the rows.
		if err := s.store.MergeSupports(ctx, from.ID, into.ID, into.ThemeID); err != nil {
			return err
		}
		if err := s.setStatus(ctx, from.ID, StatusMerged, &into.ID, nil); err != nil {
			return err
		}
		return s.tellMerged(ctx, from, into)
	})
	if err != nil {
		return Idea{}, err
	}
	return s.get(ctx, actor, b)
}

// tellMerged queues the e-mail telling an idea's author it was merged.
func (s *Service) tellMerged(ctx context.Context, from, into ideaRow) error {
	to, ok, err := s.store.Recipient(ctx, from.AuthorID)
	if err != nil {
		return err
	}
	if !ok || to.Email == nil {
		return nil // an erased account is told nothing
	}
	name := "there"
	if to.DisplayName != nil {
		name = *to.DisplayName
	}
	link := strings.TrimRight(s.opt.PublicURL, "/") + fmt.Sprintf("/ideas/%d", into.ID)
	body := fmt.Sprintf("Hello %s,\n\nYour idea \"%s\" says much the same as another idea, \"%s\", so the two were merged. "+
		"Your idea and its discussion stay readable; its supporters now count toward the other idea, once each.\n\n"+
		"Follow the idea it joined: %s\n", name, from.Title, into.Title, link)
	return mail.Enqueue(ctx, s.db, mail.Message{UserID: &from.AuthorID, Kind: "idea_merged", To: *to.Email,
		Subject: "Your idea was merged with a similar one", Body: body})
}
