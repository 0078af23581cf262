package report

import (
	"context"
	"fmt"

	"cocreate/internal/database"
)

// tellSQL e-mails, in one statement, every account that made a published
// contribution online in the report's scope and was not told of a report of
// that scope before: it records them in report_recipients (the primary key
// makes "once" hold across retries, revisions and concurrent publications)
// and writes one outbox message each, with how many of their contributions
// were answered. Contributions entered by an owner on someone's behalf
// (offline) have no account to tell. @body is a format() template: %1$s is
// the number of contributions, %2$s how many have a published response.
const tellSQL = `WITH first AS (
		SELECT 'comment' AS kind, a.comment_id AS id FROM contribution_answers a
			JOIN responses r ON r.id = a.response_id AND r.process_id = @p WHERE a.comment_id IS NOT NULL GROUP BY a.comment_id
		UNION ALL
		SELECT 'idea', a.idea_id FROM contribution_answers a
			JOIN responses r ON r.id = a.response_id AND r.process_id = @p WHERE a.idea_id IS NOT NULL GROUP BY a.idea_id),
	people AS (
		SELECT k.author_id AS user_id, count(*) AS made, count(f.id) AS answered
		FROM contributions k
		LEFT JOIN comments c ON k.kind = 'comment' AND c.id = k.id
		LEFT JOIN ideas i ON k.kind = 'idea' AND i.id = k.id
		LEFT JOIN first f ON f.kind = k.kind AND f.id = k.id
		WHERE ` + inScope + ` AND coalesce(c.channel, i.channel) = 'online'
		GROUP BY k.author_id),
	told AS (
		INSERT INTO report_recipients (process_id, scope, user_id, report_id, told_at)
		SELECT @p, @scope, p.user_id, @report, @now FROM people p
			JOIN users u ON u.id = p.user_id AND u.email IS NOT NULL AND u.deleted_at IS NULL
		ON CONFLICT DO NOTHING RETURNING user_id)
	INSERT INTO outbox (user_id, kind, recipient, subject, body)
	SELECT u.id, 'report_published', u.email, @subject, format(@body, p.made, p.answered)
	FROM told t JOIN users u ON u.id = t.user_id JOIN people p ON p.user_id = t.user_id`

// Tell runs tellSQL for report number with its named arguments (p, from,
// until, scope, report, now, subject, body).
func (s *Store) Tell(ctx context.Context, number int, args map[string]any) error {
	if err := database.Conn(ctx, s.db).Exec(tellSQL, args).Error; err != nil {
		return fmt.Errorf("report store: tell contributors of report %d: %w", number, err)
	}
	return nil
}
