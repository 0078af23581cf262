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
		conn := database.Conn(ctx, s.db)
		err = conn.Exec(`INSERT INTO idea_supports (idea_id, user_id, process_id, theme_id, merged_from, created_at)
			SELECT @a, user_id, process_id, @theme, idea_id, created_at FROM idea_supports WHERE idea_id = @b
			ON CONFLICT (idea_id, user_id) DO NOTHING`, map[string]any{"a": into.ID, "b": from.ID, "theme": into.ThemeID}).Error
		if err != nil {
			return fmt.Errorf("idea: merge supports: %w", err)
		}
		if err := conn.Exec("DELETE FROM idea_supports WHERE idea_id = ?", from.ID).Error; err != nil {
			return fmt.Errorf("idea: merge supports: %w", err)
		}
		// Both ideas' support counters are set from the rows (their locks are
		// held, so no support is in flight).
		err = conn.Exec(`WITH z AS (UPDATE idea_counts SET supports = 0 WHERE idea_id IN (@a, @b))
			INSERT INTO idea_counts AS k (idea_id, shard, supports)
			SELECT @a, 0, count(*) FROM idea_supports WHERE idea_id = @a
			ON CONFLICT (idea_id, shard) DO UPDATE SET supports = EXCLUDED.supports`,
			map[string]any{"a": into.ID, "b": from.ID}).Error
		if err != nil {
			return fmt.Errorf("idea: merge counts: %w", err)
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
	var to []struct {
		Email       *string
		DisplayName *string
	}
	if err := database.Conn(ctx, s.db).Raw("SELECT email, display_name FROM users WHERE id = ? AND deleted_at IS NULL", from.AuthorID).
		Scan(&to).Error; err != nil {
		return fmt.Errorf("idea: merge author: %w", err)
	}
	if len(to) == 0 || to[0].Email == nil {
		return nil // an erased account is told nothing
	}
	name := "there"
	if to[0].DisplayName != nil {
		name = *to[0].DisplayName
	}
	link := strings.TrimRight(s.opt.PublicURL, "/") + fmt.Sprintf("/ideas/%d", into.ID)
	body := fmt.Sprintf("Hello %s,\n\nYour idea \"%s\" says much the same as another idea, \"%s\", so the two were merged. "+
		"Your idea and its discussion stay readable; its supporters now count toward the other idea, once each.\n\n"+
		"Follow the idea it joined: %s\n", name, from.Title, into.Title, link)
	return mail.Enqueue(ctx, s.db, mail.Message{UserID: &from.AuthorID, Kind: "idea_merged", To: *to[0].Email,
		Subject: "Your idea was merged with a similar one", Body: body})
}
