package comment

// The store's reads of comments and of the paragraph counters.

import (
	"context"
	"fmt"

	"cocreate/internal/database"
)

// selectComment is the column list of every read: the comment with its
// versions' numbers, the text it was written on, its author's public name and
// its vote counts (sums of the shards), the latest published response that
// answered it, and the edit waiting for a moderator (which public answers
// never show: they say only that one waits).
const selectComment = `SELECT c.id, coalesce(c.document_id, 0), c.idea_id, c.progress_update_id, coalesce(c.version_id, 0), coalesce(c.paragraph_key, ''),
	c.parent_id, c.root_id, c.depth, c.author_id,
	c.body, c.body_html, c.status, c.revision, c.quote_exact, c.quote_prefix, c.quote_suffix, c.quote_start, c.quote_end,
	coalesce(c.anchor_version_id, 0), c.anchor_key, c.anchor_status, c.anchor_confidence, c.anchor_start, c.anchor_end,
	c.created_at, c.edited_at, c.deleted_at, coalesce(v.number, 0) AS version_number, coalesce(av.number, 0) AS anchor_version_number,
	CASE WHEN c.anchor_status <> 'exact' THEN b.text END AS written_on, coalesce(u.display_name, u.pseudonym) AS author_name, u.pseudonym AS author_pseudonym,
	coalesce(k.agree, 0) AS agree, coalesce(k.disagree, 0) AS disagree,
	(SELECT max(a.response_id) FROM contribution_answers a WHERE a.comment_id = c.id) AS response_id,
	c.channel, c.contributor, c.received_on, c.pending_body
FROM comments c
LEFT JOIN document_versions v ON v.id = c.version_id
LEFT JOIN document_versions av ON av.id = c.anchor_version_id
JOIN users u ON u.id = c.author_id
LEFT JOIN blocks b ON b.version_id = c.version_id AND b.key = c.paragraph_key
LEFT JOIN LATERAL (SELECT sum(agree)::int AS agree, sum(disagree)::int AS disagree FROM comment_vote_counts WHERE comment_id = c.id) k ON true
`

// visible is who sees a comment in public reads: published ones, and
// tombstones of deleted ones (whatever their status) so threads stay readable.
const visible = "(c.status = 'published' OR c.deleted_at IS NOT NULL)"

// byIDSQL returns one comment.
const byIDSQL = selectComment + "WHERE c.id = ?"

// threadSQL returns the visible comments of one paragraph's thread after a
// (root id, id) position, in thread order; it walks one index range, so its
// cost does not depend on comments elsewhere in the table.
const threadSQL = selectComment + `WHERE c.document_id = ? AND c.anchor_key = ? AND (c.root_id, c.id) > (?, ?)
		AND ` + visible + ` ORDER BY c.root_id, c.id LIMIT ?`

// ideaThreadSQL returns the visible comments of an idea after a (root id, id)
// position, in thread order.
const ideaThreadSQL = selectComment + `WHERE c.idea_id = ? AND (c.root_id, c.id) > (?, ?)
		AND ` + visible + ` ORDER BY c.root_id, c.id LIMIT ?`

// updateThreadSQL returns the visible comments of a progress update after a
// (root id, id) position, in thread order.
const updateThreadSQL = selectComment + `WHERE c.progress_update_id = ? AND (c.root_id, c.id) > (?, ?)
		AND ` + visible + ` ORDER BY c.root_id, c.id LIMIT ?`

// orphanedSQL returns the visible comments of a document's orphaned threads
// after a (root id, id) position, in thread order.
const orphanedSQL = selectComment + `WHERE c.document_id = ? AND c.anchor_status = 'orphaned' AND (c.root_id, c.id) > (?, ?)
		AND ` + visible + ` ORDER BY c.root_id, c.id LIMIT ?`

// mineSQL returns an author's undeleted comments below an id, newest first.
const mineSQL = selectComment + "WHERE c.author_id = ? AND c.id < ? AND c.deleted_at IS NULL ORDER BY c.id DESC LIMIT ?"

// publishedSQL returns a document's published, undeleted comments in id order.
const publishedSQL = selectComment + "WHERE c.document_id = ? AND c.status = 'published' AND c.deleted_at IS NULL ORDER BY c.id"

// query runs a selectComment query and scans the rows by hand: reflection-based
// scanning of 200 wide rows cost more than the query itself.
func (s *Store) query(ctx context.Context, q string, args ...any) ([]Comment, error) {
	rows, err := database.Conn(ctx, s.db).Raw(q, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Comment
	for rows.Next() {
		var c Comment
		if err := rows.Scan(&c.ID, &c.DocumentID, &c.IdeaID, &c.ProgressUpdateID, &c.VersionID, &c.ParagraphKey, &c.ParentID, &c.RootID, &c.Depth, &c.AuthorID,
			&c.Body, &c.BodyHTML, &c.Status, &c.Revision, &c.QuoteExact, &c.QuotePrefix, &c.QuoteSuffix, &c.QuoteStart, &c.QuoteEnd,
			&c.AnchorVersionID, &c.AnchorKey, &c.AnchorStatus, &c.AnchorConfidence, &c.AnchorStart, &c.AnchorEnd,
			&c.CreatedAt, &c.EditedAt, &c.DeletedAt, &c.VersionNumber, &c.AnchorVersionNumber,
			&c.WrittenOn, &c.AuthorName, &c.AuthorPseudonym, &c.Agree, &c.Disagree, &c.ResponseID,
			&c.Channel, &c.Contributor, &c.ReceivedOn, &c.PendingBody); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ByID returns one comment with what reads join to it, or ErrNotFound.
func (s *Store) ByID(ctx context.Context, id int64) (Comment, error) {
	cs, err := s.query(ctx, byIDSQL, id)
	if err != nil {
		return Comment{}, fmt.Errorf("comment store: get %d: %w", id, err)
	}
	if len(cs) == 0 {
		return Comment{}, ErrNotFound
	}
	return cs[0], nil
}

// Thread returns up to n visible comments of a paragraph's thread after the
// position (root, id), in thread order.
func (s *Store) Thread(ctx context.Context, docID int64, key string, root, id int64, n int) ([]Comment, error) {
	cs, err := s.query(ctx, threadSQL, docID, key, root, id, n)
	if err != nil {
		return nil, fmt.Errorf("comment store: thread: %w", err)
	}
	return cs, nil
}

// IdeaThread returns up to n visible comments of an idea after the position
// (root, id), in thread order.
func (s *Store) IdeaThread(ctx context.Context, ideaID, root, id int64, n int) ([]Comment, error) {
	cs, err := s.query(ctx, ideaThreadSQL, ideaID, root, id, n)
	if err != nil {
		return nil, fmt.Errorf("comment store: idea thread: %w", err)
	}
	return cs, nil
}

// UpdateThread returns up to n visible comments of a progress update after
// the position (root, id), in thread order.
func (s *Store) UpdateThread(ctx context.Context, updateID, root, id int64, n int) ([]Comment, error) {
	cs, err := s.query(ctx, updateThreadSQL, updateID, root, id, n)
	if err != nil {
		return nil, fmt.Errorf("comment store: update thread: %w", err)
	}
	return cs, nil
}

// Orphaned returns up to n visible comments of a document's orphaned threads
// after the position (root, id), in thread order.
func (s *Store) Orphaned(ctx context.Context, docID, root, id int64, n int) ([]Comment, error) {
	cs, err := s.query(ctx, orphanedSQL, docID, root, id, n)
	if err != nil {
		return nil, fmt.Errorf("comment store: orphaned: %w", err)
	}
	return cs, nil
}

// Mine returns up to n of an author's undeleted comments with ids below
// before, newest first.
func (s *Store) Mine(ctx context.Context, author, before int64, n int) ([]Comment, error) {
	cs, err := s.query(ctx, mineSQL, author, before, n)
	if err != nil {
		return nil, fmt.Errorf("comment store: mine: %w", err)
	}
	return cs, nil
}

// Published returns every published, undeleted comment of a document, in id order.
func (s *Store) Published(ctx context.Context, docID int64) ([]Comment, error) {
	cs, err := s.query(ctx, publishedSQL, docID)
	if err != nil {
		return nil, fmt.Errorf("comment store: export: %w", err)
	}
	return cs, nil
}

// paragraphCountsSQL returns each paragraph's counters of a document, summed over the shards.
const paragraphCountsSQL = `SELECT paragraph_key, sum(comments)::int AS comments, sum(agree)::int AS agree,
		sum(disagree)::int AS disagree FROM paragraph_counts WHERE document_id = ? GROUP BY paragraph_key`

// ParagraphCounts returns the counts of every paragraph of a document that has any.
func (s *Store) ParagraphCounts(ctx context.Context, docID int64) (map[string]Counts, error) {
	var rows []struct {
		ParagraphKey              string
		Comments, Agree, Disagree int
	}
	if err := database.Conn(ctx, s.db).Raw(paragraphCountsSQL, docID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("comment store: paragraph counts: %w", err)
	}
	out := make(map[string]Counts, len(rows))
	for _, r := range rows {
		out[r.ParagraphKey] = Counts{r.Comments, r.Agree, r.Disagree}
	}
	return out, nil
}

// orphanedCountSQL returns how many published, undeleted comments of a document sit in orphaned threads.
const orphanedCountSQL = `SELECT count(*) FROM comments c WHERE c.document_id = ? AND c.anchor_status = 'orphaned'
		AND c.status = 'published' AND c.deleted_at IS NULL`

// OrphanedCount returns the number of published comments in a document's orphaned threads.
func (s *Store) OrphanedCount(ctx context.Context, docID int64) (int, error) {
	var n int
	if err := database.Conn(ctx, s.db).Raw(orphanedCountSQL, docID).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("comment store: orphaned count: %w", err)
	}
	return n, nil
}
