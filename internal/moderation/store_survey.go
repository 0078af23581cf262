package moderation

import (
	"context"
	"fmt"

	"cocreate/internal/database"
)

// A free-text answer to a survey lives only through moderation, like agenda
// input: held, then published or rejected, perhaps redacted. The time-box
// never publishes it (only a moderator's approval does). These are its
// statements; the survey package writes and counts it.

// setSurveyTextStatusSQL moves survey text to a moderation status; it returns nothing.
const setSurveyTextStatusSQL = "UPDATE survey_texts SET status = ? WHERE id = ?"

// surveyTextBodySQL returns survey text.
const surveyTextBodySQL = "SELECT body FROM survey_texts WHERE id = ?"

// redactSurveyTextSQL replaces survey text and its HTML; it returns nothing.
const redactSurveyTextSQL = "UPDATE survey_texts SET body = ?, body_html = ? WHERE id = ?"

// surveyTextContextSQL returns what survey text answers: the phase's survey.
const surveyTextContextSQL = "SELECT 'Survey on the ' || replace(phase, '_', ' ') || ' phase' FROM survey_texts WHERE id = ?"

// SetSurveyTextStatus moves survey text id to status (published, pending, hidden or rejected).
func (s *Store) SetSurveyTextStatus(ctx context.Context, id int64, status string) error {
	if err := database.Conn(ctx, s.db).Exec(setSurveyTextStatusSQL, status, id).Error; err != nil {
		return fmt.Errorf("moderation store: status of survey text %d: %w", id, err)
	}
	return nil
}

// RedactSurveyText replaces survey text id with body, rendered as html.
func (s *Store) RedactSurveyText(ctx context.Context, id int64, body, html string) error {
	if err := database.Conn(ctx, s.db).Exec(redactSurveyTextSQL, body, html, id).Error; err != nil {
		return fmt.Errorf("moderation store: redact survey text %d: %w", id, err)
	}
	return nil
}
