package moderation

import (
	"context"
	"fmt"

	"cocreate/internal/database"
)

// Written input to a meeting's agenda has no life beyond moderation's: it is
// published, held or rejected, and a moderator may redact it. These are its
// statements; the meeting package writes and lists it.

// setInputStatusSQL moves agenda input to a moderation status; it returns nothing.
const setInputStatusSQL = "UPDATE meeting_inputs SET status = ? WHERE id = ?"

// inputBodySQL returns agenda input's text.
const inputBodySQL = "SELECT body FROM meeting_inputs WHERE id = ?"

// redactInputSQL replaces agenda input's text and its HTML; it returns nothing.
const redactInputSQL = "UPDATE meeting_inputs SET body = ?, body_html = ? WHERE id = ?"

// inputContextSQL returns the title of the meeting agenda input is for.
const inputContextSQL = "SELECT mt.title FROM meeting_inputs x JOIN meetings mt ON mt.id = x.meeting_id WHERE x.id = ?"

// SetInputStatus moves agenda input id to status (published, pending, hidden or rejected).
func (s *Store) SetInputStatus(ctx context.Context, id int64, status string) error {
	if err := database.Conn(ctx, s.db).Exec(setInputStatusSQL, status, id).Error; err != nil {
		return fmt.Errorf("moderation store: status of agenda input %d: %w", id, err)
	}
	return nil
}

// RedactInput replaces agenda input id's text with body, rendered as html.
func (s *Store) RedactInput(ctx context.Context, id int64, body, html string) error {
	if err := database.Conn(ctx, s.db).Exec(redactInputSQL, body, html, id).Error; err != nil {
		return fmt.Errorf("moderation store: redact agenda input %d: %w", id, err)
	}
	return nil
}
