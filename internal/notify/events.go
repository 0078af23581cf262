package notify

// Reactions to the system's events, run inside the transaction of the change
// (event.Within): they follow subjects automatically and write the
// notification events, so an event exists exactly when its change commits.

import (
	"context"
	"fmt"
	"strconv"

	"cocreate/internal/database"
	"cocreate/internal/event"
)

// OnCommentPosted follows the draft or idea a person commented on, and tells
// the author of the comment replied to when the reply is published (a held
// reply tells them when a moderator approves it: OnContributionDecided).
func (s *Service) OnCommentPosted(ctx context.Context, e event.CommentPosted) error {
	if !e.OnBehalf && e.AuthorID > 0 {
		switch {
		case e.DocumentID != nil:
			if err := s.store.Follow(ctx, e.AuthorID, TargetDocument, *e.DocumentID, true, s.now()); err != nil {
				return err
			}
		case e.IdeaID != nil:
			if err := s.store.Follow(ctx, e.AuthorID, TargetIdea, *e.IdeaID, true, s.now()); err != nil {
				return err
			}
		}
	}
	if e.ParentID == nil || e.Status != "published" {
		return nil
	}
	return s.replyEvent(ctx, e.CommentID)
}

// OnContributionDecided tells the author of the comment replied to once a
// held reply is approved.
func (s *Service) OnContributionDecided(ctx context.Context, e event.ContributionDecided) error {
	if e.Kind != "comment" || e.Edit || (e.Outcome != "approve" && e.Outcome != "auto_publish") {
		return nil
	}
	return s.replyEvent(ctx, e.ID)
}

// replySQL returns what a reply's notification says and to whom: the parent's
// author, unless the reply is their own, the reply is not published, or
// either is deleted.
const replySQL = `
SELECT r.author_id AS actor_id, p.author_id AS recipient, pr.id AS process_id, pr.slug AS process_slug, pr.title AS process_title,
       coalesce(d.title, i.title, '') AS title, coalesce(r.document_id, 0) AS document_id, coalesce(r.idea_id, 0) AS idea_id,
       coalesce(r.progress_update_id, 0) AS progress_update_id
FROM comments r
JOIN comments p ON p.id = r.parent_id
LEFT JOIN documents d ON d.id = r.document_id
LEFT JOIN ideas i ON i.id = r.idea_id
LEFT JOIN progress_updates u ON u.id = r.progress_update_id
LEFT JOIN commitments c ON c.id = u.commitment_id
JOIN processes pr ON pr.id = coalesce(d.process_id, i.process_id, c.process_id)
WHERE r.id = ? AND r.status = 'published' AND r.deleted_at IS NULL AND p.deleted_at IS NULL AND p.author_id <> r.author_id`

type replyFacts struct {
	ActorID      int64  `gorm:"column:actor_id"`
	Recipient    int64  `gorm:"column:recipient"`
	ProcessID    int64  `gorm:"column:process_id"`
	ProcessSlug  string `gorm:"column:process_slug"`
	ProcessTitle string `gorm:"column:process_title"`
	Title        string `gorm:"column:title"`
	DocumentID   int64  `gorm:"column:document_id"`
	IdeaID       int64  `gorm:"column:idea_id"`
	ProgressID   int64  `gorm:"column:progress_update_id"`
}

// replyEvent writes the comment_reply event of reply commentID, once.
func (s *Service) replyEvent(ctx context.Context, commentID int64) error {
	var rows []replyFacts
	if err := database.Conn(ctx, s.db).Raw(replySQL, commentID).Scan(&rows).Error; err != nil {
		return fmt.Errorf("notify: reply %d: %w", commentID, err)
	}
	if len(rows) == 0 {
		return nil
	}
	r := rows[0]
	key := "comment_reply:" + strconv.FormatInt(commentID, 10)
	return s.store.InsertEvent(ctx, newEvent{Kind: KindCommentReply, ProcessID: r.ProcessID, TargetKind: "comment", TargetID: commentID,
		ActorID: &r.ActorID, Recipients: []int64{r.Recipient}, DedupKey: &key,
		Facts: Facts{ProcessSlug: r.ProcessSlug, ProcessTitle: r.ProcessTitle, Title: r.Title, DocumentID: r.DocumentID,
			IdeaID: r.IdeaID, ProgressID: r.ProgressID, CommentID: commentID}}, s.now())
}

// OnIdeaProposed follows the idea for its author.
func (s *Service) OnIdeaProposed(ctx context.Context, e event.IdeaProposed) error {
	if e.OnBehalf || e.AuthorID <= 0 {
		return nil
	}
	return s.store.Follow(ctx, e.AuthorID, TargetIdea, e.IdeaID, true, s.now())
}

// OnVersionPublished tells the followers of a draft that a new version is out.
func (s *Service) OnVersionPublished(ctx context.Context, e event.VersionPublished) error {
	if e.PreviousVersionID == nil {
		// Nobody can follow a draft before its first version is public.
		return nil
	}
	t, err := s.store.Target(ctx, TargetDocument, e.DocumentID)
	if err == ErrTargetNotFound {
		return nil // a draft of an unpublished process has no followers
	}
	if err != nil {
		return err
	}
	audience := TargetDocument
	key := "version_published:" + strconv.FormatInt(e.VersionID, 10)
	return s.store.InsertEvent(ctx, newEvent{Kind: KindVersionPublished, ProcessID: e.ProcessID, TargetKind: "version", TargetID: e.VersionID,
		AudienceKind: &audience, AudienceID: &e.DocumentID, DedupKey: &key,
		Facts: Facts{ProcessSlug: t.ProcessSlug, ProcessTitle: t.ProcessTitle, Title: t.Title, DocumentID: e.DocumentID, Number: e.Number}}, s.now())
}

// OnUpdatePublished tells the followers of a process of its new update.
func (s *Service) OnUpdatePublished(ctx context.Context, e event.UpdatePublished) error {
	t, err := s.store.Target(ctx, TargetProcess, e.ProcessID)
	if err == ErrTargetNotFound {
		return nil // an unpublished process has no followers
	}
	if err != nil {
		return err
	}
	audience := TargetProcess
	ev := newEvent{Kind: KindUpdatePublished, ProcessID: e.ProcessID, TargetKind: "update", TargetID: e.UpdateID,
		AudienceKind: &audience, AudienceID: &e.ProcessID,
		Facts: Facts{ProcessSlug: t.ProcessSlug, ProcessTitle: t.ProcessTitle, Title: e.Title, UpdateID: e.UpdateID}}
	if e.AuthorID > 0 {
		ev.ActorID = &e.AuthorID
	}
	return s.store.InsertEvent(ctx, ev, s.now())
}

// OnResponsePublished tells the authors of the contributions a published
// response answered, with its disposition.
func (s *Service) OnResponsePublished(ctx context.Context, e event.ResponsePublished) error {
	seen := map[int64]bool{}
	var recipients []int64
	for _, a := range e.Answered {
		if a.AuthorID > 0 && !seen[a.AuthorID] {
			seen[a.AuthorID] = true
			recipients = append(recipients, a.AuthorID)
		}
	}
	if len(recipients) == 0 {
		return nil
	}
	var p target
	if err := database.Conn(ctx, s.db).Raw("SELECT id AS process_id, slug AS process_slug, title AS process_title FROM processes WHERE id = ?",
		e.ProcessID).Scan(&p).Error; err != nil {
		return fmt.Errorf("notify: response %d: %w", e.ResponseID, err)
	}
	key := "response_published:" + strconv.FormatInt(e.ResponseID, 10)
	return s.store.InsertEvent(ctx, newEvent{Kind: KindResponsePublished, ProcessID: e.ProcessID, TargetKind: "response", TargetID: e.ResponseID,
		Recipients: recipients, DedupKey: &key,
		Facts: Facts{ProcessSlug: p.ProcessSlug, ProcessTitle: p.ProcessTitle, ResponseID: e.ResponseID, Disposition: e.Disposition}}, s.now())
}

// phasesSQL writes a phase_opened event for each phase of a published process
// that opened in the last day and has not closed, once per phase and opening
// time (a phase moved to a later date is told again).
const phasesSQL = `INSERT INTO notification_events (kind, process_id, target_kind, target_id, audience_kind, audience_id, payload, dedup_key, created_at)
SELECT 'phase_opened', p.id, 'process', p.id, 'process', p.id,
       jsonb_build_object('process_slug', p.slug, 'process_title', p.title, 'phase', ph.kind),
       'phase_opened:' || p.id || ':' || ph.kind || ':' || extract(epoch FROM ph.opens_at)::bigint, @now
FROM process_phases ph JOIN processes p ON p.id = ph.process_id
WHERE p.published_at IS NOT NULL AND ph.opens_at <= CAST(@now AS timestamptz) AND ph.opens_at > CAST(@now AS timestamptz) - interval '1 day' AND ph.closes_at > CAST(@now AS timestamptz)
ON CONFLICT (dedup_key) DO NOTHING`

// SweepPhases writes the events of phases that opened since the last sweep;
// any instance may run it, each opening is written once.
func (s *Service) SweepPhases(ctx context.Context) (int64, error) {
	res := database.Conn(ctx, s.db).Exec(phasesSQL, map[string]any{"now": s.now().UTC()})
	if res.Error != nil {
		return 0, fmt.Errorf("notify: sweep phases: %w", res.Error)
	}
	return res.RowsAffected, nil
}
