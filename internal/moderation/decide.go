package moderation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/comment"
	"cocreate/internal/contribution"
	"cocreate/internal/database"
	"cocreate/internal/event"
	"cocreate/internal/idea"
	"cocreate/internal/mail"
	"cocreate/internal/process"
)

// DecisionInput is a moderator's decision on an item, made on Version.
type DecisionInput struct {
	Outcome       Outcome
	Reason        Reason // required to reject; defaults to personal_data for redact
	Explanation   string // what the author is told; required to reject
	RedactedBody  string // for redact
	RedactedTitle string // for redact of an idea; "" keeps the title
	Version       int
}

func (in *DecisionInput) validate() error {
	var f apperr.Fields
	in.Explanation = strings.TrimSpace(in.Explanation)
	switch in.Outcome {
	case OutcomeApprove, OutcomeEscalate:
	case OutcomeReject:
		if in.Reason == "" {
			f.Add("reason", "required", "a rejection cites a house rule")
		}
		if in.Explanation == "" {
			f.Add("explanation", "required", "tell the author why")
		}
	case OutcomeRedact:
		if in.Reason == "" {
			in.Reason = ReasonPersonalData
		}
		if strings.TrimSpace(in.RedactedBody) == "" {
			f.Add("redacted_body", "required", "the text with the personal data replaced")
		}
	default:
		f.Add("outcome", "enum", "approve, reject, redact or escalate")
	}
	if in.Reason != "" && !in.Reason.Valid() {
		f.Add("reason", "enum", "one of the house rules")
	}
	if utf8.RuneCountInString(in.Explanation) > 2000 {
		f.Add("explanation", "length", "at most 2000 characters")
	}
	return f.Err(CodeInvalid)
}

// Decide records a moderator's decision on an item and applies it: approve
// publishes the contribution, reject hides it with the reason and explanation
// the author sees, redact replaces its text (the original stays visible to
// moderators only) and publishes it, escalate hands it to the process's
// owners. The decision must name the item's current version and the item must
// not be leased to another moderator, or it is refused with ErrStale. The
// author is told the outcome by e-mail.
func (s *Service) Decide(ctx context.Context, actor auth.Principal, id int64, in DecisionInput) (Item, error) {
	if err := in.validate(); err != nil {
		return Item{}, err
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		return s.decide(ctx, actor, id, in)
	})
	if err != nil {
		return Item{}, err
	}
	return s.item(ctx, id)
}

func (s *Service) decide(ctx context.Context, actor auth.Principal, id int64, in DecisionInput) error {
	var it Item
	if err := database.Conn(ctx, s.db).Raw("SELECT * FROM moderation_items WHERE id = ? FOR UPDATE", id).Scan(&it).Error; err != nil {
		return fmt.Errorf("moderation: load %d: %w", id, err)
	}
	if it.ID == 0 {
		return ErrNotFound
	}
	a, err := s.procs.Require(ctx, actor, it.ProcessID, process.Moderate, ErrForbidden)
	if err != nil {
		return err
	}
	own := a.Can(process.DecideEscalated)
	now := s.opt.Now().UTC()
	switch {
	case it.State == stateEscalated && !own:
		return ErrForbidden.WithMessage("an escalated item is decided by the process's owners")
	case it.State == stateAppealed && it.ExcludedModerator != nil && *it.ExcludedModerator == actor.UserID:
		return ErrSameModerator
	case it.Version != in.Version:
		return ErrStale
	case it.ClaimedBy != nil && *it.ClaimedBy != actor.UserID && it.LeaseUntil != nil && it.LeaseUntil.After(now):
		return ErrStale.WithMessage("another moderator holds this item")
	}
	return s.apply(ctx, it, &actor.UserID, in, now)
}

// apply records a decision on a locked item and carries it out.
func (s *Service) apply(ctx context.Context, it Item, moderator *int64, in DecisionInput, now time.Time) error {
	conn := database.Conn(ctx, s.db)
	var reason *Reason
	if in.Reason != "" {
		reason = &in.Reason
	}
	var decisionID int64
	err := conn.Raw(`INSERT INTO moderation_decisions (item_id, moderator_id, outcome, reason, explanation, cause, on_appeal, item_version, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, it.ID, moderator, in.Outcome, reason, in.Explanation, it.ShownCause(),
		it.State == stateAppealed, it.Version, now).Scan(&decisionID).Error
	if err != nil {
		return fmt.Errorf("moderation: record decision: %w", err)
	}
	state := stateDecided
	switch in.Outcome {
	case OutcomeApprove, OutcomeAutoPublish:
		err = s.setStatus(ctx, it, comment.StatusPublished, "rejected")
	case OutcomeReject:
		err = s.setStatus(ctx, it, comment.StatusRejected, "upheld")
	case OutcomeRedact:
		err = s.redact(ctx, it, decisionID, in.RedactedTitle, in.RedactedBody)
		if err == nil {
			err = s.setStatus(ctx, it, comment.StatusPublished, "upheld")
		}
	case OutcomeEscalate:
		state = stateEscalated
	}
	if err != nil {
		return err
	}
	err = conn.Exec(`UPDATE moderation_items SET state = ?, version = version + 1, claimed_by = NULL, lease_until = NULL,
		last_moderator = coalesce(?, last_moderator), decided_at = CASE WHEN ? = 'decided' THEN ?::timestamptz ELSE decided_at END,
		queued_at = CASE WHEN ? = 'escalated' THEN ?::timestamptz ELSE queued_at END WHERE id = ?`,
		state, moderator, state, now, state, now, it.ID).Error
	if err != nil {
		return fmt.Errorf("moderation: update item: %w", err)
	}
	ev := event.ContributionDecided{ProcessID: it.ProcessID, ItemID: it.ID, Kind: string(contribution.KindIdea), DocumentID: it.DocumentID,
		AuthorID: it.AuthorID, Outcome: string(in.Outcome), Reason: string(in.Reason), Explanation: in.Explanation}
	if it.CommentID != nil {
		ev.Kind, ev.ID = string(contribution.KindComment), *it.CommentID
	} else {
		ev.ID = *it.IdeaID
	}
	return s.events.Emit(ctx, ev)
}

// setStatus moves the contribution to status and settles its open flags.
func (s *Service) setStatus(ctx context.Context, it Item, status comment.Status, flags string) error {
	var err error
	if it.CommentID != nil {
		err = s.comments.SetStatus(ctx, *it.CommentID, status)
	} else {
		err = s.ideas.SetModeration(ctx, *it.IdeaID, idea.Moderation(status))
	}
	if err != nil {
		return err
	}
	if err := database.Conn(ctx, s.db).Exec(`UPDATE moderation_flags SET outcome = ? WHERE outcome IS NULL AND (comment_id = ? OR idea_id = ?)`,
		flags, it.CommentID, it.IdeaID).Error; err != nil {
		return fmt.Errorf("moderation: settle flags: %w", err)
	}
	return nil
}

// redact keeps the original text for moderators and replaces it.
func (s *Service) redact(ctx context.Context, it Item, decisionID int64, title, body string) error {
	var original string
	q := "SELECT body FROM comments WHERE id = ?"
	target := it.CommentID
	if it.IdeaID != nil {
		// An idea's original keeps its title on the first line.
		q, target = "SELECT title || E'\n\n' || body FROM ideas WHERE id = ?", it.IdeaID
	}
	conn := database.Conn(ctx, s.db)
	if err := conn.Raw(q, *target).Scan(&original).Error; err != nil {
		return fmt.Errorf("moderation: original: %w", err)
	}
	if err := conn.Exec("INSERT INTO moderation_redactions (decision_id, item_id, original_body) VALUES (?, ?, ?)",
		decisionID, it.ID, original).Error; err != nil {
		return fmt.Errorf("moderation: keep original: %w", err)
	}
	if it.CommentID != nil {
		return s.comments.Redact(ctx, *it.CommentID, body)
	}
	return s.ideas.Redact(ctx, *it.IdeaID, title, body)
}

// MailAuthor is the subscriber to event.ContributionDecided that queues the
// e-mail telling the author the outcome and the reason, in the deciding
// transaction; escalations and the time-box's publications send none.
func (s *Service) MailAuthor(ctx context.Context, ev event.ContributionDecided) error {
	in := DecisionInput{Outcome: Outcome(ev.Outcome), Reason: Reason(ev.Reason), Explanation: ev.Explanation}
	if in.Outcome == OutcomeEscalate || in.Outcome == OutcomeAutoPublish {
		return nil
	}
	var to []struct {
		Email       *string
		DisplayName *string
	}
	if err := database.Conn(ctx, s.db).Raw("SELECT email, display_name FROM users WHERE id = ? AND deleted_at IS NULL", ev.AuthorID).
		Scan(&to).Error; err != nil {
		return fmt.Errorf("moderation: author: %w", err)
	}
	if len(to) == 0 || to[0].Email == nil {
		return nil
	}
	st, err := s.settingsOf(ctx, ev.ProcessID)
	if err != nil {
		return err
	}
	what := ev.Kind
	name := "there"
	if to[0].DisplayName != nil {
		name = *to[0].DisplayName
	}
	link := strings.TrimRight(s.opt.PublicURL, "/") + "/account/moderation"
	var subject, body string
	switch in.Outcome {
	case OutcomeApprove:
		subject = fmt.Sprintf("Your %s is published", what)
		body = fmt.Sprintf("Hello %s,\n\nA moderator reviewed your %s and published it.\n\n%s\n", name, what, link)
	case OutcomeRedact:
		subject = fmt.Sprintf("Your %s is published with a change", what)
		body = fmt.Sprintf("Hello %s,\n\nA moderator published your %s after removing personal information from it (%s).\n%s\n\n%s\n",
			name, what, describe(st, in.Reason), in.Explanation, link)
	case OutcomeReject:
		subject = fmt.Sprintf("Your %s was not published", what)
		body = fmt.Sprintf("Hello %s,\n\nA moderator decided not to publish your %s.\n\nReason: %s\n%s\n\n"+
			"You may appeal once within 14 days; a different moderator will review it: %s\n", name, what, describe(st, in.Reason), in.Explanation, link)
	}
	return mail.Enqueue(ctx, s.db, mail.Message{UserID: &ev.AuthorID, Kind: "moderation_" + string(in.Outcome), To: *to[0].Email,
		Subject: subject, Body: body})
}

func describe(st Settings, r Reason) string {
	for _, h := range st.HouseRuleList() {
		if h.Code == r {
			return h.Description
		}
	}
	return string(r)
}

// BulkItem is one item of a bulk decision, with the version it was seen at.
type BulkItem struct {
	ID      int64
	Version int
}

// BulkResult says what happened to one item of a bulk decision.
type BulkResult struct {
	ID     int64
	Result string // decided, stale or not_found
}

// Bulk applies one decision (approve or reject, one reason) to several items
// of a process, each on its own version; an item that changed is left alone.
func (s *Service) Bulk(ctx context.Context, actor auth.Principal, slug string, items []BulkItem, in DecisionInput) ([]BulkResult, error) {
	p, _, err := s.moderatorOf(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if in.Outcome != OutcomeApprove && in.Outcome != OutcomeReject {
		return nil, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "outcome", Code: "enum", Message: "approve or reject"})
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	out := make([]BulkResult, len(items))
	for n, b := range items {
		out[n].ID = b.ID
		one := in
		one.Version = b.Version
		err := database.InTx(ctx, s.db, func(ctx context.Context) error {
			var pid int64
			if err := database.Conn(ctx, s.db).Raw("SELECT process_id FROM moderation_items WHERE id = ?", b.ID).Scan(&pid).Error; err != nil {
				return err
			}
			if pid != p.ID {
				return ErrNotFound
			}
			return s.decide(ctx, actor, b.ID, one)
		})
		switch {
		case err == nil:
			out[n].Result = "decided"
		case errors.Is(err, ErrNotFound):
			out[n].Result = "not_found"
		case errors.Is(err, ErrStale), errors.Is(err, ErrSameModerator), errors.Is(err, ErrForbidden):
			out[n].Result = "stale"
		default:
			return nil, err
		}
	}
	return out, nil
}

// Appeal lets the author appeal a rejection once, within AppealWindow; the
// item returns to the queue for a moderator other than the one who decided.
func (s *Service) Appeal(ctx context.Context, actor auth.Principal, id int64, note string) (Mine, error) {
	if !actor.Can(auth.PermContribute) {
		return Mine{}, ErrForbidden
	}
	note = strings.TrimSpace(note)
	if n := utf8.RuneCountInString(note); n == 0 || n > 2000 {
		return Mine{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "note", Code: "length", Message: "1 to 2000 characters"})
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		var it Item
		if err := database.Conn(ctx, s.db).Raw("SELECT * FROM moderation_items WHERE id = ? FOR UPDATE", id).Scan(&it).Error; err != nil {
			return fmt.Errorf("moderation: load %d: %w", id, err)
		}
		if it.ID == 0 || it.AuthorID != actor.UserID {
			return ErrNotFound
		}
		var last []Decision
		if err := database.Conn(ctx, s.db).Raw(`SELECT * FROM moderation_decisions WHERE item_id = ? ORDER BY id DESC LIMIT 1`, id).
			Scan(&last).Error; err != nil {
			return fmt.Errorf("moderation: last decision: %w", err)
		}
		now := s.opt.Now().UTC()
		switch {
		case it.AppealedAt != nil:
			return ErrAppealUsed
		case it.State != stateDecided || len(last) == 0 || last[0].Outcome != OutcomeReject:
			return ErrNotAppealable
		case now.Sub(last[0].CreatedAt) > AppealWindow:
			return ErrAppealClosed
		}
		return database.Conn(ctx, s.db).Exec(`UPDATE moderation_items SET state = 'appealed', excluded_moderator = ?, appeal_note = ?,
			appealed_at = ?, queued_at = ?, version = version + 1, claimed_by = NULL, lease_until = NULL WHERE id = ?`,
			last[0].ModeratorID, note, now, now, id).Error
	})
	if err != nil {
		return Mine{}, err
	}
	mine, err := s.mine(ctx, actor, "m.id = ?", id)
	if err != nil || len(mine) == 0 {
		return Mine{}, errors.Join(err, ErrNotFound)
	}
	return mine[0], nil
}

// PublishOverdue is the time-box: held items of processes that set one, not
// decided within its hours, are published and recorded as auto_publish. Items
// hidden by flags are left for a person. It returns how many it published.
func (s *Service) PublishOverdue(ctx context.Context) (int, error) {
	published := 0
	for {
		n := 0
		err := database.InTx(ctx, s.db, func(ctx context.Context) error {
			now := s.opt.Now().UTC()
			var due []Item
			err := database.Conn(ctx, s.db).Raw(`SELECT m.* FROM moderation_items m JOIN moderation_settings st ON st.process_id = m.process_id
				WHERE m.state = 'open' AND m.cause IN ('mode', 'new_account', 'screen') AND st.timebox_hours IS NOT NULL
				AND m.queued_at <= ?::timestamptz - make_interval(hours => st.timebox_hours)
				ORDER BY m.queued_at LIMIT 100 FOR UPDATE OF m SKIP LOCKED`, now).Scan(&due).Error
			if err != nil {
				return fmt.Errorf("moderation: overdue: %w", err)
			}
			for _, it := range due {
				if err := s.apply(ctx, it, nil, DecisionInput{Outcome: OutcomeAutoPublish,
					Explanation: "published automatically: not decided within the process's time-box"}, now); err != nil {
					return err
				}
			}
			n = len(due)
			return nil
		})
		published += n
		if err != nil || n == 0 {
			return published, err
		}
	}
}

// Run publishes overdue items every interval until ctx ends.
func (s *Service) Run(ctx context.Context, interval time.Duration, log func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.PublishOverdue(ctx); err != nil && ctx.Err() == nil {
				log(err)
			}
		}
	}
}
