package moderation

import (
	"context"
	"fmt"
	"time"

	"cocreate/internal/database"
)

// lockItemSQL returns an item's row and locks it until the transaction ends.
const lockItemSQL = "SELECT *, coalesce(author_id, 0) AS author_id FROM moderation_items WHERE id = ? FOR UPDATE"

// insertDecisionSQL records a decision and returns its id.
const insertDecisionSQL = `INSERT INTO moderation_decisions (item_id, moderator_id, outcome, reason, explanation, cause, on_appeal, item_version, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

// settleItemSQL moves a decided item to its new state, releases its lease and
// bumps its version; it returns nothing.
const settleItemSQL = `UPDATE moderation_items SET state = ?, version = version + 1, claimed_by = NULL, lease_until = NULL,
		last_moderator = coalesce(?, last_moderator), decided_at = CASE WHEN ? = 'decided' THEN ?::timestamptz ELSE decided_at END,
		queued_at = CASE WHEN ? = 'escalated' THEN ?::timestamptz ELSE queued_at END WHERE id = ?`

// settleFlagsSQL gives the open flags of a comment or idea their outcome; it returns nothing.
const settleFlagsSQL = `UPDATE moderation_flags SET outcome = ? WHERE outcome IS NULL AND (comment_id = ? OR idea_id = ?)`

// commentBodySQL returns a comment's body: the edit waiting for a moderator
// when one does (the text the moderator decides on), else the published one.
const commentBodySQL = "SELECT coalesce(pending_body, body) FROM comments WHERE id = ?"

// ideaTextSQL returns an idea's title, a blank line and its body: the
// waiting edit's when one waits.
const ideaTextSQL = "SELECT coalesce(pending_title, title) || E'\n\n' || coalesce(pending_body, body) FROM ideas WHERE id = ?"

// The target statements return a contribution's moderation status and
// whether an edit of it waits for a moderator.
const (
	commentTargetSQL = "SELECT status, pending_body IS NOT NULL AS edit_pending FROM comments WHERE id = ?"
	ideaTargetSQL    = "SELECT moderation AS status, pending_body IS NOT NULL AS edit_pending FROM ideas WHERE id = ?"
	inputTargetSQL   = "SELECT status, false AS edit_pending FROM meeting_inputs WHERE id = ?"
	surveyTargetSQL  = "SELECT status, false AS edit_pending FROM survey_texts WHERE id = ?"
)

// keepOriginalSQL stores the text a redaction replaced; it returns nothing.
const keepOriginalSQL = "INSERT INTO moderation_redactions (decision_id, item_id, original_body) VALUES (?, ?, ?)"

// recipientSQL returns a live account's address and name.
const recipientSQL = "SELECT email, display_name FROM users WHERE id = ? AND deleted_at IS NULL"

// processOfItemSQL returns the process of an item.
const processOfItemSQL = "SELECT process_id FROM moderation_items WHERE id = ?"

// lastDecisionSQL returns an item's latest decision.
const lastDecisionSQL = `SELECT * FROM moderation_decisions WHERE item_id = ? ORDER BY id DESC LIMIT 1`

// appealSQL returns a rejected item to the queue as appealed, away from the
// moderator who decided it; it returns nothing.
const appealSQL = `UPDATE moderation_items SET state = 'appealed', excluded_moderator = ?, appeal_note = ?,
			appealed_at = ?, queued_at = ?, version = version + 1, claimed_by = NULL, lease_until = NULL WHERE id = ?`

// overdueSQL returns and locks the oldest held item past its process's
// time-box, skipping rows another run (on this instance or another) holds.
const overdueSQL = `SELECT m.* FROM moderation_items m JOIN moderation_settings st ON st.process_id = m.process_id
				WHERE m.state = 'open' AND m.cause IN ('mode', 'new_account', 'screen') AND m.survey_text_id IS NULL AND st.timebox_hours IS NOT NULL
				AND m.queued_at <= ?::timestamptz - make_interval(hours => st.timebox_hours)
				ORDER BY m.queued_at, m.id LIMIT 1 FOR UPDATE OF m SKIP LOCKED`

// LockItem returns the item's row, locked until the transaction in ctx ends,
// or ErrNotFound.
func (s *Store) LockItem(ctx context.Context, id int64) (Item, error) {
	var it Item
	if err := database.Conn(ctx, s.db).Raw(lockItemSQL, id).Scan(&it).Error; err != nil {
		return Item{}, fmt.Errorf("moderation store: load %d: %w", id, err)
	}
	if it.ID == 0 {
		return Item{}, ErrNotFound
	}
	return it, nil
}

// InsertDecision records a decision on it (moderator nil for the time-box) and
// returns its id.
func (s *Store) InsertDecision(ctx context.Context, it Item, moderator *int64, in DecisionInput, now time.Time) (int64, error) {
	var reason *Reason
	if in.Reason != "" {
		reason = &in.Reason
	}
	var id int64
	err := database.Conn(ctx, s.db).Raw(insertDecisionSQL, it.ID, moderator, in.Outcome, reason, in.Explanation, it.ShownCause(),
		it.State == stateAppealed, it.Version, now).Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("moderation store: record decision: %w", err)
	}
	return id, nil
}

// SettleItem moves a decided item to state, releases its lease and records
// moderator (when not nil) as the last to decide it.
func (s *Store) SettleItem(ctx context.Context, id int64, state string, moderator *int64, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(settleItemSQL, state, moderator, state, now, state, now, id).Error; err != nil {
		return fmt.Errorf("moderation store: update item: %w", err)
	}
	return nil
}

// SettleFlags gives the open flags on an item's contribution outcome (upheld or rejected).
func (s *Store) SettleFlags(ctx context.Context, it Item, outcome string) error {
	if err := database.Conn(ctx, s.db).Exec(settleFlagsSQL, outcome, it.CommentID, it.IdeaID).Error; err != nil {
		return fmt.Errorf("moderation store: settle flags: %w", err)
	}
	return nil
}

// KeepOriginal stores the current text of an item's contribution (an idea's
// with its title on the first line) under the redacting decision.
func (s *Store) KeepOriginal(ctx context.Context, it Item, decisionID int64) error {
	var original string
	q, target := commentBodySQL, it.CommentID
	switch {
	case it.IdeaID != nil:
		q, target = ideaTextSQL, it.IdeaID
	case it.MeetingInputID != nil:
		q, target = inputBodySQL, it.MeetingInputID
	case it.SurveyTextID != nil:
		q, target = surveyTextBodySQL, it.SurveyTextID
	}
	conn := database.Conn(ctx, s.db)
	if err := conn.Raw(q, *target).Scan(&original).Error; err != nil {
		return fmt.Errorf("moderation store: original: %w", err)
	}
	if err := conn.Exec(keepOriginalSQL, decisionID, it.ID, original).Error; err != nil {
		return fmt.Errorf("moderation store: keep original: %w", err)
	}
	return nil
}

// decidedTarget is the contribution of an item, as a decision finds it.
type decidedTarget struct {
	Status      string
	EditPending bool
}

// TargetOf returns the status of an item's contribution and whether an edit
// of it waits.
func (s *Store) TargetOf(ctx context.Context, it Item) (decidedTarget, error) {
	q, id := commentTargetSQL, it.CommentID
	switch {
	case it.IdeaID != nil:
		q, id = ideaTargetSQL, it.IdeaID
	case it.MeetingInputID != nil:
		q, id = inputTargetSQL, it.MeetingInputID
	case it.SurveyTextID != nil:
		q, id = surveyTargetSQL, it.SurveyTextID
	}
	var t decidedTarget
	if err := database.Conn(ctx, s.db).Raw(q, *id).Scan(&t).Error; err != nil {
		return decidedTarget{}, fmt.Errorf("moderation store: target of item %d: %w", it.ID, err)
	}
	return t, nil
}

// recipient is where an author's e-mail goes.
type recipient struct {
	Email       *string
	DisplayName *string
}

// Recipient returns a live account's address and name; false when the account
// is gone.
func (s *Store) Recipient(ctx context.Context, userID int64) (recipient, bool, error) {
	var to []recipient
	if err := database.Conn(ctx, s.db).Raw(recipientSQL, userID).Scan(&to).Error; err != nil {
		return recipient{}, false, fmt.Errorf("moderation store: author: %w", err)
	}
	if len(to) == 0 {
		return recipient{}, false, nil
	}
	return to[0], true, nil
}

// ProcessOfItem returns the process of an item, 0 when there is no such item.
func (s *Store) ProcessOfItem(ctx context.Context, id int64) (int64, error) {
	var pid int64
	if err := database.Conn(ctx, s.db).Raw(processOfItemSQL, id).Scan(&pid).Error; err != nil {
		return 0, fmt.Errorf("moderation store: process of %d: %w", id, err)
	}
	return pid, nil
}

// LastDecision returns an item's latest decision; false when it has none.
func (s *Store) LastDecision(ctx context.Context, itemID int64) (Decision, bool, error) {
	var last []Decision
	if err := database.Conn(ctx, s.db).Raw(lastDecisionSQL, itemID).Scan(&last).Error; err != nil {
		return Decision{}, false, fmt.Errorf("moderation store: last decision: %w", err)
	}
	if len(last) == 0 {
		return Decision{}, false, nil
	}
	return last[0], true, nil
}

// MarkAppealed returns an item to the queue as appealed with the author's
// note, excluding the moderator who decided it.
func (s *Store) MarkAppealed(ctx context.Context, id int64, excluded *int64, note string, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(appealSQL, excluded, note, now, now, id).Error; err != nil {
		return fmt.Errorf("moderation store: appeal %d: %w", id, err)
	}
	return nil
}

// LockNextOverdue returns and locks the oldest held item past its process's
// time-box at now that no other transaction holds; ok is false when there
// is none.
func (s *Store) LockNextOverdue(ctx context.Context, now time.Time) (it Item, ok bool, err error) {
	var due []Item
	if err := database.Conn(ctx, s.db).Raw(overdueSQL, now).Scan(&due).Error; err != nil {
		return Item{}, false, fmt.Errorf("moderation store: overdue: %w", err)
	}
	if len(due) == 0 {
		return Item{}, false, nil
	}
	return due[0], true, nil
}
