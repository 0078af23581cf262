package moderation

import (
	"context"
	"fmt"

	"cocreate/internal/database"
)

// commentContextSQL returns the text a comment is on: its paragraph, its
// idea's title, or the title of the commitment whose progress update it is on.
const commentContextSQL = `SELECT coalesce(b.text, i.title, k.title, '') FROM comments c
			LEFT JOIN blocks b ON b.version_id = c.version_id AND b.key = c.paragraph_key
			LEFT JOIN ideas i ON i.id = c.idea_id
			LEFT JOIN progress_updates u ON u.id = c.progress_update_id LEFT JOIN commitments k ON k.id = u.commitment_id
			WHERE c.id = ?`

// ideaContextSQL returns the name of an idea's theme.
const ideaContextSQL = `SELECT t.name FROM ideas i JOIN idea_themes t ON t.id = i.theme_id WHERE i.id = ?`

// flagsOfSQL returns the flags on a comment or an idea, oldest first, without who gave them.
const flagsOfSQL = `SELECT reason, note, weight, created_at FROM moderation_flags WHERE comment_id = ? OR idea_id = ? ORDER BY id`

// decisionsOfSQL returns an item's decisions, oldest first.
const decisionsOfSQL = "SELECT * FROM moderation_decisions WHERE item_id = ? ORDER BY id"

// originalBodySQL returns the text an item had before its first redaction.
const originalBodySQL = "SELECT original_body FROM moderation_redactions WHERE item_id = ? ORDER BY decision_id LIMIT 1"

// historyCountsSQL returns how many of an author's items in a process were
// last decided approved (or published by the time-box) and how many rejected.
const historyCountsSQL = `SELECT count(*) FILTER (WHERE d.outcome IN ('approve', 'auto_publish')) AS approved,
		count(*) FILTER (WHERE d.outcome = 'reject') AS rejected
		FROM moderation_items m JOIN LATERAL (SELECT outcome FROM moderation_decisions WHERE item_id = m.id AND outcome <> 'escalate'
			ORDER BY id DESC LIMIT 1) d ON true
		WHERE m.author_id = ? AND m.process_id = ?`

// recentSQL returns an author's five latest ideas, live comments and agenda
// inputs in a process.
const recentSQL = `SELECT * FROM (
			SELECT 'idea' AS type, id, left(title, 140) AS excerpt, moderation AS status, created_at FROM ideas
			WHERE author_id = @a AND process_id = @p
			UNION ALL
			SELECT 'comment', c.id, left(c.body, 140), c.status, c.created_at FROM comments c
			LEFT JOIN documents d ON d.id = c.document_id LEFT JOIN ideas i ON i.id = c.idea_id
			LEFT JOIN progress_updates u ON u.id = c.progress_update_id
			WHERE c.author_id = @a AND coalesce(d.process_id, i.process_id, u.process_id) = @p AND c.deleted_at IS NULL
			UNION ALL
			SELECT 'agenda_input', x.id, left(x.body, 140), x.status, x.created_at FROM meeting_inputs x
			JOIN meetings mt ON mt.id = x.meeting_id WHERE x.author_id = @a AND mt.process_id = @p) x
		ORDER BY created_at DESC LIMIT 5`

// Context returns what an item's contribution is on: the paragraph or idea
// title of a comment, the theme of an idea, the meeting of agenda input.
func (s *Store) Context(ctx context.Context, it Item) (string, error) {
	var out string
	conn := database.Conn(ctx, s.db)
	var err error
	switch {
	case it.CommentID != nil:
		err = conn.Raw(commentContextSQL, *it.CommentID).Scan(&out).Error
	case it.MeetingInputID != nil:
		err = conn.Raw(inputContextSQL, *it.MeetingInputID).Scan(&out).Error
	case it.SurveyTextID != nil:
		err = conn.Raw(surveyTextContextSQL, *it.SurveyTextID).Scan(&out).Error
	default:
		err = conn.Raw(ideaContextSQL, *it.IdeaID).Scan(&out).Error
	}
	if err != nil {
		return "", fmt.Errorf("moderation store: context: %w", err)
	}
	return out, nil
}

// FlagsOf returns the flags on an item's contribution, oldest first.
func (s *Store) FlagsOf(ctx context.Context, it Item) ([]Flag, error) {
	var out []Flag
	if err := database.Conn(ctx, s.db).Raw(flagsOfSQL, it.CommentID, it.IdeaID).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("moderation store: flags: %w", err)
	}
	return out, nil
}

// DecisionsOf returns an item's decisions, oldest first.
func (s *Store) DecisionsOf(ctx context.Context, itemID int64) ([]Decision, error) {
	var out []Decision
	if err := database.Conn(ctx, s.db).Raw(decisionsOfSQL, itemID).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("moderation store: decisions: %w", err)
	}
	return out, nil
}

// OriginalBody returns the text an item had before it was first redacted, or
// nil when it never was.
func (s *Store) OriginalBody(ctx context.Context, itemID int64) (*string, error) {
	var originals []string
	if err := database.Conn(ctx, s.db).Raw(originalBodySQL, itemID).Scan(&originals).Error; err != nil {
		return nil, fmt.Errorf("moderation store: redaction: %w", err)
	}
	if len(originals) == 0 {
		return nil, nil
	}
	return &originals[0], nil
}

// History counts the author's decided items in the process by their latest
// outcome and lists their five latest contributions there.
func (s *Store) History(ctx context.Context, author, processID int64) (History, error) {
	var h History
	conn := database.Conn(ctx, s.db)
	if err := conn.Raw(historyCountsSQL, author, processID).Scan(&h).Error; err != nil {
		return History{}, fmt.Errorf("moderation store: history: %w", err)
	}
	if err := conn.Raw(recentSQL, map[string]any{"a": author, "p": processID}).Scan(&h.Recent).Error; err != nil {
		return History{}, fmt.Errorf("moderation store: recent: %w", err)
	}
	return h, nil
}
