package report

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// The figures are named SQL over the forum's contributions view (published
// comments and ideas, withdrawn and merged ideas excluded): every count is an
// aggregate in PostgreSQL, so a process of a million comments returns a few
// hundred rows. @p is the process, [@from, @until) the scope's window.

// inScope is the condition on a contributions row k for the report's scope.
const inScope = `k.process_id = @p AND k.created_at >= @from AND k.created_at < @until`

// kindsSQL returns published contributions in scope by kind, channel and
// whether a comment is a reply.
const kindsSQL = `SELECT k.kind, coalesce(c.channel, i.channel) AS channel, coalesce(c.parent_id IS NOT NULL, false) AS reply,
		count(*) AS n
	FROM contributions k
	LEFT JOIN comments c ON k.kind = 'comment' AND c.id = k.id
	LEFT JOIN ideas i ON k.kind = 'idea' AND i.id = k.id
	WHERE ` + inScope + `
	GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`

// votesSQL returns the votes on published comments in scope, and the
// supports given in scope to published ideas of the process.
const votesSQL = `SELECT
	(SELECT count(*) FROM comment_votes v JOIN contributions k ON k.kind = 'comment' AND k.id = v.comment_id
		WHERE k.process_id = @p AND v.voted_at >= @from AND v.voted_at < @until) AS votes,
	(SELECT count(*) FROM idea_supports s JOIN contributions k ON k.kind = 'idea' AND k.id = s.idea_id
		WHERE s.process_id = @p AND s.created_at >= @from AND s.created_at < @until) AS supports`

// participantsSQL returns how many accounts took part online in scope: wrote
// a published comment or idea, voted on one or supported one. Contributions
// received offline are entered by an owner's account and do not count here.
const participantsSQL = `SELECT count(*) FROM (
	SELECT k.author_id FROM contributions k
		LEFT JOIN comments c ON k.kind = 'comment' AND c.id = k.id
		LEFT JOIN ideas i ON k.kind = 'idea' AND i.id = k.id
		WHERE ` + inScope + ` AND coalesce(c.channel, i.channel) = 'online'
	UNION
	SELECT v.user_id FROM comment_votes v JOIN contributions k ON k.kind = 'comment' AND k.id = v.comment_id
		WHERE k.process_id = @p AND v.voted_at >= @from AND v.voted_at < @until
	UNION
	SELECT s.user_id FROM idea_supports s JOIN contributions k ON k.kind = 'idea' AND k.id = s.idea_id
		WHERE s.process_id = @p AND s.created_at >= @from AND s.created_at < @until) people`

// weeksSQL returns published contributions in scope per ISO week (its Monday, UTC).
const weeksSQL = `SELECT to_char(date_trunc('week', k.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week, count(*) AS n
	FROM contributions k WHERE ` + inScope + ` GROUP BY 1 ORDER BY 1`

// themesSQL returns each idea theme of the process with its published ideas in scope.
const themesSQL = `SELECT t.name AS theme, count(k.id) AS n
	FROM idea_themes t
	LEFT JOIN contributions k ON k.kind = 'idea' AND k.theme_id = t.id AND ` + inScope + `
	WHERE t.process_id = @p GROUP BY t.id, t.name, t.position ORDER BY t.position, t.id`

// paragraphsSQL returns the ten paragraphs with the most published comments
// in scope, with their text in their document's latest published version.
const paragraphsSQL = `SELECT top.document_id AS document, top.paragraph_key AS key, coalesce(b.text, '') AS text, top.n
	FROM (SELECT k.document_id, k.paragraph_key, count(*) AS n FROM contributions k
		WHERE ` + inScope + ` AND k.kind = 'comment' AND k.paragraph_key IS NOT NULL
		GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 10) top
	LEFT JOIN LATERAL (SELECT b.text FROM document_versions v JOIN blocks b ON b.version_id = v.id AND b.key = top.paragraph_key
		WHERE v.document_id = top.document_id AND v.published_at IS NOT NULL ORDER BY v.number DESC LIMIT 1) b ON true
	ORDER BY top.n DESC, 1, 2`

// clustersSQL returns the process's clusters holding published
// contributions in scope, with how many each holds, largest first.
const clustersSQL = `SELECT cl.id, cl.title, count(*) AS n
	FROM clusters cl
	JOIN cluster_members m ON m.cluster_id = cl.id
	JOIN contributions k ON k.kind = CASE WHEN m.comment_id IS NOT NULL THEN 'comment' ELSE 'idea' END
		AND k.id = coalesce(m.comment_id, m.idea_id)
	WHERE cl.process_id = @p AND ` + inScope + `
	GROUP BY cl.id, cl.title ORDER BY n DESC, cl.id`

// answersSQL returns published contributions in scope grouped by the UTC day
// they were made and the UTC day of their first published answer (NULL when
// none): coverage and response times are computed from these few rows.
const answersSQL = `WITH first AS (
		SELECT 'comment' AS kind, a.comment_id AS id, min(a.answered_at) AS at FROM contribution_answers a
			JOIN responses r ON r.id = a.response_id AND r.process_id = @p WHERE a.comment_id IS NOT NULL GROUP BY a.comment_id
		UNION ALL
		SELECT 'idea', a.idea_id, min(a.answered_at) FROM contribution_answers a
			JOIN responses r ON r.id = a.response_id AND r.process_id = @p WHERE a.idea_id IS NOT NULL GROUP BY a.idea_id)
	SELECT (k.created_at AT TIME ZONE 'UTC')::date AS made, (f.at AT TIME ZONE 'UTC')::date AS answered, count(*) AS n
	FROM contributions k LEFT JOIN first f ON f.kind = k.kind AND f.id = k.id
	WHERE ` + inScope + ` GROUP BY 1, 2 ORDER BY 1, 2`

// dispositionsSQL returns the process's published responses in force (not
// corrected by a later one) by disposition; for a phase, those that answered
// a contribution made in it.
const dispositionsSQL = `SELECT r.disposition, count(*) AS n FROM responses r
	WHERE r.process_id = @p AND r.state = 'published'
	  AND NOT EXISTS (SELECT 1 FROM responses s WHERE s.supersedes = r.id AND s.state = 'published')
	  AND (@whole OR EXISTS (SELECT 1 FROM contribution_answers a JOIN contributions k
			ON (k.kind = 'comment' AND k.id = a.comment_id) OR (k.kind = 'idea' AND k.id = a.idea_id)
			WHERE a.response_id = r.id AND ` + inScope + `))
	GROUP BY 1 ORDER BY 1`

// draftChangesSQL counts, for each document of the process with a published
// version, the paragraphs (by key) unchanged, edited, added and removed
// between its first and final published versions.
const draftChangesSQL = `SELECT d.id AS document, d.title, f.number AS first_version, l.number AS final_version,
		count(*) FILTER (WHERE x.a_key IS NOT NULL AND x.b_key IS NOT NULL AND x.a_hash = x.b_hash) AS unchanged,
		count(*) FILTER (WHERE x.a_key IS NOT NULL AND x.b_key IS NOT NULL AND x.a_hash <> x.b_hash) AS edited,
		count(*) FILTER (WHERE x.a_key IS NULL) AS added,
		count(*) FILTER (WHERE x.b_key IS NULL) AS removed
	FROM documents d
	JOIN LATERAL (SELECT id, number FROM document_versions WHERE document_id = d.id AND published_at IS NOT NULL ORDER BY number LIMIT 1) f ON true
	JOIN LATERAL (SELECT id, number FROM document_versions WHERE document_id = d.id AND published_at IS NOT NULL ORDER BY number DESC LIMIT 1) l ON true
	JOIN LATERAL (SELECT a.key AS a_key, a.hash AS a_hash, b.key AS b_key, b.hash AS b_hash
		FROM (SELECT key, hash FROM blocks WHERE version_id = f.id) a
		FULL JOIN (SELECT key, hash FROM blocks WHERE version_id = l.id) b ON a.key = b.key) x ON true
	WHERE d.process_id = @p
	GROUP BY d.id, d.title, f.number, l.number ORDER BY d.id`

// documentsSQL returns the process's documents and their published versions.
const documentsSQL = `SELECT d.id, d.title, v.number, v.published_at, v.opens_at, v.closes_at
	FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.published_at IS NOT NULL
	WHERE d.process_id = @p ORDER BY d.id, v.number`

// commitmentsSQL returns the process's commitments.
const commitmentsSQL = `SELECT id, title, lead_institution, withdrawn_at IS NOT NULL AS withdrawn
	FROM commitments WHERE process_id = @p ORDER BY id`

// moderationSQL returns the items moderation held or that were flagged in
// scope, by cause and by their settling decision (the last one that is not an
// escalation): its outcome and reason, and the outcome of the appeal.
const moderationSQL = `SELECT m.cause, d.outcome, d.reason, m.appealed_at IS NOT NULL AS appealed, a.outcome AS appeal_outcome,
		m.state = 'appealed' AS appeal_pending, count(*) AS n
	FROM moderation_items m
	LEFT JOIN LATERAL (SELECT outcome, reason FROM moderation_decisions WHERE item_id = m.id AND outcome <> 'escalate'
		ORDER BY id DESC LIMIT 1) d ON true
	LEFT JOIN LATERAL (SELECT outcome FROM moderation_decisions WHERE item_id = m.id AND on_appeal AND outcome <> 'escalate'
		ORDER BY id DESC LIMIT 1) a ON true
	WHERE m.process_id = @p AND m.created_at >= @from AND m.created_at < @until
	GROUP BY 1, 2, 3, 4, 5, 6`

// themeNamesSQL returns the idea themes of the process, in order.
const themeNamesSQL = `SELECT name FROM idea_themes WHERE process_id = @p ORDER BY position, id`

// targetSQL returns the forum's answer target in days (20 when unset), and
// the process's public holidays.
const targetSQL = `SELECT coalesce((SELECT target_days FROM forum_settings WHERE process_id = @p), 20)`

const holidaysSQL = `SELECT day FROM process_holidays WHERE process_id = @p ORDER BY day`

// quotesSQL returns the published contributions of the process among the
// refs asked for, with the name their author agreed to publish: the name
// given with a contribution received offline, else the account's display
// name or pseudonym, as the site shows it.
const quotesSQL = `SELECT k.kind, k.id, k.created_at, coalesce(c.channel, i.channel) AS channel,
		CASE WHEN k.kind = 'comment' THEN c.body ELSE i.title || E'\n\n' || i.body END AS text,
		CASE WHEN coalesce(c.channel, i.channel) = 'online' THEN coalesce(u.display_name, u.pseudonym)
			ELSE coalesce(c.contributor, i.contributor, '') END AS author
	FROM contributions k
	LEFT JOIN comments c ON k.kind = 'comment' AND c.id = k.id
	LEFT JOIN ideas i ON k.kind = 'idea' AND i.id = k.id
	JOIN users u ON u.id = k.author_id
	WHERE k.process_id = @p AND ((k.kind = 'comment' AND k.id = ANY(@comments)) OR (k.kind = 'idea' AND k.id = ANY(@ideas)))`

// figures reads the report's figures; every method runs on the transaction ctx carries.
type figures struct {
	db *gorm.DB
}

type kindRow struct {
	Kind    string
	Channel string
	Reply   bool
	N       int
}

type dayPair struct {
	Made     time.Time
	Answered *time.Time
	N        int
}

type modRow struct {
	Cause         string
	Outcome       *string
	Reason        *string
	Appealed      bool
	AppealOutcome *string
	AppealPending bool
	N             int
}

type docRow struct {
	ID          int64
	Title       string
	Number      int
	PublishedAt time.Time
	OpensAt     *time.Time
	ClosesAt    *time.Time
}

type quoteRow struct {
	Kind      string
	ID        int64
	CreatedAt time.Time
	Channel   string
	Text      string
	Author    string
}

type countRow struct {
	Disposition string
	Theme       string
	Week        string
	N           int
}

// scan runs one named statement into dst.
func (f figures) scan(ctx context.Context, what, sql string, args map[string]any, dst any) error {
	if err := database.Conn(ctx, f.db).Raw(sql, args).Scan(dst).Error; err != nil {
		return fmt.Errorf("report store: %s: %w", what, err)
	}
	return nil
}
