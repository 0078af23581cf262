package forum

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"cocreate/internal/database"
)

// responseColumns are the columns of a Response read from responses.
const responseColumns = `id, process_id, state, disposition, reasoning, reasoning_html, led_to, supersedes, correction_reason,
	revision, created_at, published_at, ledger_seq, rule, rule_num, rule_den, rule_hours, decide_by`

// responseSQL returns one response by id.
const responseSQL = "SELECT " + responseColumns + " FROM responses WHERE id = ?"

// responseForUpdateSQL returns one response by id, locked until the transaction ends.
const responseForUpdateSQL = responseSQL + " FOR UPDATE"

// Response returns the response with id, or ErrResponseNotFound. With
// forUpdate it locks the row until the transaction in ctx ends.
func (s *Store) Response(ctx context.Context, id int64, forUpdate bool) (Response, error) {
	q := responseSQL
	if forUpdate {
		q = responseForUpdateSQL
	}
	var rows []Response
	if err := database.Conn(ctx, s.db).Raw(q, id).Scan(&rows).Error; err != nil {
		return Response{}, fmt.Errorf("forum store: response %d: %w", id, err)
	}
	if len(rows) == 0 {
		return Response{}, ErrResponseNotFound
	}
	return rows[0], nil
}

// draftsSQL returns a process's 200 newest drafts, newest first.
const draftsSQL = "SELECT " + responseColumns + " FROM responses WHERE process_id = ? AND state = 'draft' ORDER BY id DESC LIMIT 200"

// Drafts returns the process's newest drafts.
func (s *Store) Drafts(ctx context.Context, processID int64) ([]Response, error) {
	var rows []Response
	if err := database.Conn(ctx, s.db).Raw(draftsSQL, processID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("forum store: drafts of %d: %w", processID, err)
	}
	return rows, nil
}

// insertResponseSQL stores a new draft under a decision rule and returns its id.
const insertResponseSQL = `INSERT INTO responses (process_id, disposition, reasoning, reasoning_html, led_to,
				supersedes, correction_reason, created_by, created_at, updated_at, rule, rule_num, rule_den, rule_hours, decide_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

// InsertDraft stores a checked draft of the process by userID, decided under
// rule (a consensus by decideBy), and returns its id.
func (s *Store) InsertDraft(ctx context.Context, processID, userID int64, v validated, now time.Time, rule DecisionRule, decideBy *time.Time) (int64, error) {
	var id int64
	num, den, hours := ruleColumns(rule)
	err := database.Conn(ctx, s.db).Raw(insertResponseSQL,
		processID, v.Disposition, v.Reasoning, v.html, v.LedTo, v.Supersedes, v.CorrectionReason, userID, now, now,
		rule.Name, num, den, hours, decideBy).Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("forum store: insert draft in %d: %w", processID, err)
	}
	return id, nil
}

// updateDraftSQL rewrites a draft's text, bumps its revision and moves a
// consensus draft's deadline; it returns nothing.
const updateDraftSQL = `UPDATE responses SET disposition = ?, reasoning = ?, reasoning_html = ?, led_to = ?, correction_reason = ?,
			revision = revision + 1, updated_at = ?, decide_by = ? WHERE id = ?`

// UpdateDraft writes a checked edit of draft id, bumps its revision and sets
// its deadline (nil but for consensus drafts).
func (s *Store) UpdateDraft(ctx context.Context, id int64, v validated, now time.Time, decideBy *time.Time) error {
	err := database.Conn(ctx, s.db).Exec(updateDraftSQL,
		v.Disposition, v.Reasoning, v.html, v.LedTo, v.CorrectionReason, now, decideBy, id).Error
	if err != nil {
		return fmt.Errorf("forum store: edit %d: %w", id, err)
	}
	return nil
}

// ruleColumns are a rule's parameters as responses stores them: the fraction
// of a qualified majority, the hours of a consensus; NULL otherwise.
func ruleColumns(r DecisionRule) (num, den, hours *int) {
	switch r.Name {
	case RuleQualified:
		return &r.Num, &r.Den, nil
	case RuleConsensus:
		return nil, nil, &r.ConsensusHours
	}
	return nil, nil, nil
}

// dueConsensusSQL returns and locks the first consensus draft after the
// cursor (@after_at, @after_id), in deadline order, whose deadline has passed
// by @now with a signature and no dissent, skipping rows another run (or a
// member's action) holds.
const dueConsensusSQL = `SELECT ` + responseColumns + ` FROM responses r
		WHERE r.state = 'draft' AND r.rule = 'consensus' AND r.decide_by <= @now
		AND (r.decide_by, r.id) > (@after_at, @after_id)
		AND EXISTS (SELECT 1 FROM response_signatures g WHERE g.response_id = r.id AND g.kind = 'sign')
		AND NOT EXISTS (SELECT 1 FROM response_signatures g WHERE g.response_id = r.id AND g.kind = 'dissent')
		ORDER BY r.decide_by, r.id LIMIT 1 FOR UPDATE SKIP LOCKED`

// DueCursor is where a walk through the due consensus drafts stands: the
// deadline and id of the last draft it looked at.
type DueCursor struct {
	At time.Time
	ID int64
}

// LockNextDueConsensus returns and locks, until the transaction in ctx ends,
// the next consensus draft after the cursor that may be due at now; ok is
// false when there is none.
func (s *Store) LockNextDueConsensus(ctx context.Context, now time.Time, after DueCursor) (r Response, ok bool, err error) {
	var rows []Response
	args := map[string]any{"now": now, "after_at": after.At, "after_id": after.ID}
	if err := database.Conn(ctx, s.db).Raw(dueConsensusSQL, args).Scan(&rows).Error; err != nil {
		return Response{}, false, fmt.Errorf("forum store: consensus drafts due: %w", err)
	}
	if len(rows) == 0 {
		return Response{}, false, nil
	}
	return rows[0], true, nil
}

// deleteDraftSQL removes a response while it is a draft; it returns nothing.
const deleteDraftSQL = "DELETE FROM responses WHERE id = ? AND state = 'draft'"

// DeleteDraft removes draft id; a published response stays.
func (s *Store) DeleteDraft(ctx context.Context, id int64) error {
	if err := database.Conn(ctx, s.db).Exec(deleteDraftSQL, id).Error; err != nil {
		return fmt.Errorf("forum store: discard %d: %w", id, err)
	}
	return nil
}

// supersededSQL returns the ledger seq of a response and whether a published
// response already corrects it.
const supersededSQL = `SELECT ledger_seq, EXISTS (SELECT 1 FROM responses n WHERE n.supersedes = o.id AND n.state = 'published') AS taken
			FROM responses o WHERE o.id = ?`

// Superseded returns the ledger seq of response id (nil while a draft) and
// whether a published correction already supersedes it, or ErrResponseNotFound.
func (s *Store) Superseded(ctx context.Context, id int64) (seq *int64, taken bool, err error) {
	var rows []struct {
		LedgerSeq *int64
		Taken     bool
	}
	if err := database.Conn(ctx, s.db).Raw(supersededSQL, id).Scan(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("forum store: superseded entry %d: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, false, ErrResponseNotFound
	}
	return rows[0].LedgerSeq, rows[0].Taken, nil
}

// markPublishedSQL records a response's publication and its ledger seq; it returns nothing.
const markPublishedSQL = "UPDATE responses SET state = 'published', published_at = ?, ledger_seq = ? WHERE id = ?"

// MarkPublished records that response id was published at now as ledger entry seq.
func (s *Store) MarkPublished(ctx context.Context, id int64, now time.Time, seq int64) error {
	if err := database.Conn(ctx, s.db).Exec(markPublishedSQL, now, seq, id).Error; err != nil {
		return fmt.Errorf("forum store: publish %d: %w", id, err)
	}
	return nil
}

// supersededBySQL returns the published response that corrects a response, if any.
const supersededBySQL = "SELECT id FROM responses WHERE supersedes = ? AND state = 'published' ORDER BY id LIMIT 1"

// SupersededBy returns the published correction of response id, or nil.
func (s *Store) SupersededBy(ctx context.Context, id int64) (*int64, error) {
	var by []int64
	if err := database.Conn(ctx, s.db).Raw(supersededBySQL, id).Scan(&by).Error; err != nil {
		return nil, fmt.Errorf("forum store: correction of %d: %w", id, err)
	}
	if len(by) == 1 {
		return &by[0], nil
	}
	return nil, nil
}

// ledgerEntrySQL returns the hash and fields of one entry of a process's ledger.
const ledgerEntrySQL = "SELECT hash, fields FROM ledger_entries WHERE process_id = ? AND seq = ?"

// LedgerEntry returns the hash and fields of entry seq of the process's
// ledger; found is false when there is none.
func (s *Store) LedgerEntry(ctx context.Context, processID, seq int64) (hash, fields string, found bool, err error) {
	var entry []struct {
		Hash   string
		Fields string
	}
	if err := database.Conn(ctx, s.db).Raw(ledgerEntrySQL, processID, seq).Scan(&entry).Error; err != nil {
		return "", "", false, fmt.Errorf("forum store: ledger entry %d of %d: %w", seq, processID, err)
	}
	if len(entry) != 1 {
		return "", "", false, nil
	}
	return entry[0].Hash, entry[0].Fields, true, nil
}

// answersSQL returns the published contributions of a process (@p) that a
// response (@r) answers, with their authors: those it covers, the members of
// the clusters it covers and the comments on the paragraphs it covers.
const answersSQL = `SELECT k.kind, k.id, k.author_id FROM contributions k
		WHERE k.process_id = @p AND (
			EXISTS (SELECT 1 FROM response_covers rc WHERE rc.response_id = @r
				AND ((k.kind = 'comment' AND rc.comment_id = k.id) OR (k.kind = 'idea' AND rc.idea_id = k.id)))
			OR EXISTS (SELECT 1 FROM response_covers rc JOIN cluster_members m ON m.cluster_id = rc.cluster_id
				WHERE rc.response_id = @r AND ((k.kind = 'comment' AND m.comment_id = k.id) OR (k.kind = 'idea' AND m.idea_id = k.id)))
			OR (k.kind = 'comment' AND EXISTS (SELECT 1 FROM response_covers rc WHERE rc.response_id = @r
				AND rc.document_id = k.document_id AND rc.paragraph_key = k.paragraph_key)))
		ORDER BY k.kind, k.id`

// Answers returns the contributions of the process that the response answers.
func (s *Store) Answers(ctx context.Context, processID, responseID int64) ([]answer, error) {
	var out []answer
	if err := database.Conn(ctx, s.db).Raw(answersSQL, map[string]any{"p": processID, "r": responseID}).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("forum store: contributions answered by %d: %w", responseID, err)
	}
	return out, nil
}

// insertAnswerSQL records that a response answers a comment or an idea, once; it returns nothing.
var insertAnswerSQL = kindSQL{
	comment: "INSERT INTO contribution_answers (response_id, comment_id, answered_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
	idea:    "INSERT INTO contribution_answers (response_id, idea_id, answered_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
}

// InsertAnswer records that response responseID answered the contribution at now.
func (s *Store) InsertAnswer(ctx context.Context, responseID int64, to Ref, now time.Time) error {
	if err := database.Conn(ctx, s.db).Exec(insertAnswerSQL.of(to.Kind), responseID, to.ID, now).Error; err != nil {
		return fmt.Errorf("forum store: %d answers %s: %w", responseID, to, err)
	}
	return nil
}

// answeredCountSQL returns how many contributions a response answered.
const answeredCountSQL = "SELECT count(*) FROM contribution_answers WHERE response_id = ?"

// AnsweredCount returns how many contributions the published response answered.
func (s *Store) AnsweredCount(ctx context.Context, responseID int64) (int, error) {
	var n int64
	if err := database.Conn(ctx, s.db).Raw(answeredCountSQL, responseID).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("forum store: answered by %d: %w", responseID, err)
	}
	return int(n), nil
}

// clusterInProcessSQL returns 1 when a cluster belongs to a process, else 0.
const clusterInProcessSQL = "SELECT count(*) FROM clusters WHERE id = ? AND process_id = ?"

// ClusterInProcess reports whether cluster clusterID is one of the process's.
func (s *Store) ClusterInProcess(ctx context.Context, clusterID, processID int64) (bool, error) {
	var n int64
	if err := database.Conn(ctx, s.db).Raw(clusterInProcessSQL, clusterID, processID).Scan(&n).Error; err != nil {
		return false, fmt.Errorf("forum store: cluster %d: %w", clusterID, err)
	}
	return n > 0, nil
}

// paragraphInProcessSQL counts the blocks with a key in the versions of a
// document of a process.
const paragraphInProcessSQL = `SELECT count(*) FROM documents d JOIN document_versions v ON v.document_id = d.id
				JOIN blocks b ON b.version_id = v.id WHERE d.id = ? AND d.process_id = ? AND b.key = ?`

// ParagraphInProcess reports whether a version of document documentID, a
// draft of the process, has a paragraph with key.
func (s *Store) ParagraphInProcess(ctx context.Context, documentID, processID int64, key string) (bool, error) {
	var n int64
	if err := database.Conn(ctx, s.db).Raw(paragraphInProcessSQL, documentID, processID, key).Scan(&n).Error; err != nil {
		return false, fmt.Errorf("forum store: paragraph %q of %d: %w", key, documentID, err)
	}
	return n > 0, nil
}

// deleteCoversSQL removes everything a response covers; it returns nothing.
const deleteCoversSQL = "DELETE FROM response_covers WHERE response_id = ?"

// insertCoverSQL, by cover kind, records one thing a response covers, once; it returns nothing.
var insertCoverSQL = map[string]string{
	"comment":   "INSERT INTO response_covers (response_id, comment_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
	"idea":      "INSERT INTO response_covers (response_id, idea_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
	"cluster":   "INSERT INTO response_covers (response_id, cluster_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
	"paragraph": "INSERT INTO response_covers (response_id, document_id, paragraph_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
}

// ReplaceCovers replaces what draft responseID covers with covers, one
// statement per cover (a response covers few things).
func (s *Store) ReplaceCovers(ctx context.Context, responseID int64, covers []CoverInput) error {
	conn := database.Conn(ctx, s.db)
	if err := conn.Exec(deleteCoversSQL, responseID).Error; err != nil {
		return fmt.Errorf("forum store: covers of %d: %w", responseID, err)
	}
	for _, c := range covers {
		var err error
		switch c.Kind {
		case "comment", "idea", "cluster":
			err = conn.Exec(insertCoverSQL[c.Kind], responseID, c.ID).Error
		case "paragraph":
			err = conn.Exec(insertCoverSQL[c.Kind], responseID, c.DocumentID, c.ParagraphKey).Error
		}
		if err != nil {
			return fmt.Errorf("forum store: covers of %d: %w", responseID, err)
		}
	}
	return nil
}

// coverRow is one thing a response covers, as it is read. The text and the
// place of a comment or an idea are read only while it is public.
type coverRow struct {
	CommentID    *int64
	IdeaID       *int64
	ClusterID    *int64
	DocumentID   *int64
	ParagraphKey *string
	Visible      bool
	Text         *string // a public comment's start (Markdown) or a public idea's title
	CommentIdea  *int64
	CommentDoc   *int64
	CommentKey   *string
	CommentOn    *int64 // the progress update a public comment is on
	ClusterTitle *string
	Count        int
}

// coverSelect reads covers (alias rc: comment_id, idea_id, cluster_id,
// document_id, paragraph_key) with what the public may read of each: a
// comment's or an idea's text and place only through the contributions view,
// the forum's one rule of what is public (published, not deleted, for an idea
// not withdrawn or merged); a cluster's title; and how many contributions
// each stands for. The statements below name the covers' source.
const coverSelect = `SELECT rc.comment_id, rc.idea_id, rc.cluster_id, rc.document_id, rc.paragraph_key,
			(kc.id IS NOT NULL OR ki.id IS NOT NULL) AS visible, coalesce(kc.excerpt, ki.excerpt) AS text,
			kc.idea_id AS comment_idea, kc.document_id AS comment_doc, kc.paragraph_key AS comment_key,
			CASE WHEN kc.id IS NOT NULL THEN c.progress_update_id END AS comment_on, cl.title AS cluster_title,
			CASE WHEN rc.cluster_id IS NOT NULL THEN (SELECT count(*) FROM cluster_members m WHERE m.cluster_id = rc.cluster_id)
			     WHEN rc.document_id IS NOT NULL THEN (SELECT count(*) FROM contributions k WHERE k.kind = 'comment'
			          AND k.document_id = rc.document_id AND k.paragraph_key = rc.paragraph_key)
			     ELSE 1 END AS count`

// coverJoins are coverSelect's joins.
const coverJoins = `
		LEFT JOIN contributions kc ON kc.kind = 'comment' AND kc.id = rc.comment_id
		LEFT JOIN contributions ki ON ki.kind = 'idea' AND ki.id = rc.idea_id
		LEFT JOIN comments c ON c.id = rc.comment_id
		LEFT JOIN clusters cl ON cl.id = rc.cluster_id`

// coverOrder lists clusters, then ideas, comments and paragraphs.
const coverOrder = ` ORDER BY rc.cluster_id NULLS LAST, rc.idea_id NULLS LAST, rc.comment_id NULLS LAST, rc.document_id, rc.paragraph_key`

// coversSQL returns what a response covers.
const coversSQL = coverSelect + ` FROM response_covers rc` + coverJoins + ` WHERE rc.response_id = ?` + coverOrder

// Covers returns what response responseID covers: clusters, then ideas,
// comments and paragraphs.
func (s *Store) Covers(ctx context.Context, responseID int64) ([]coverRow, error) {
	var rows []coverRow
	if err := database.Conn(ctx, s.db).Raw(coversSQL, responseID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("forum store: covers of %d: %w", responseID, err)
	}
	return rows, nil
}

// coversOfSQL returns the covers given as a JSON array of objects (keys as
// response_covers' columns), for the ledger's entries.
const coversOfSQL = coverSelect + `
		FROM jsonb_to_recordset(CAST(? AS jsonb)) AS rc(comment_id bigint, idea_id bigint, cluster_id bigint, document_id bigint, paragraph_key text)` +
	coverJoins + coverOrder

// CoversOf reads covers as Covers does, from the list given.
func (s *Store) CoversOf(ctx context.Context, covers []CoverInput) ([]coverRow, error) {
	type item struct {
		CommentID    *int64  `json:"comment_id,omitempty"`
		IdeaID       *int64  `json:"idea_id,omitempty"`
		ClusterID    *int64  `json:"cluster_id,omitempty"`
		DocumentID   *int64  `json:"document_id,omitempty"`
		ParagraphKey *string `json:"paragraph_key,omitempty"`
	}
	items := make([]item, len(covers))
	for i, c := range covers {
		switch c.Kind {
		case "comment":
			items[i].CommentID = &c.ID
		case "idea":
			items[i].IdeaID = &c.ID
		case "cluster":
			items[i].ClusterID = &c.ID
		case "paragraph":
			items[i].DocumentID, items[i].ParagraphKey = &c.DocumentID, &c.ParagraphKey
		}
	}
	list, err := json.Marshal(items)
	if err != nil {
		return nil, fmt.Errorf("forum store: covers: %w", err)
	}
	var rows []coverRow
	if err := database.Conn(ctx, s.db).Raw(coversOfSQL, string(list)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("forum store: covers: %w", err)
	}
	return rows, nil
}
