package comment

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"cocreate/internal/auth"
	"cocreate/internal/database"
)

// selectComment is the column list of every read: the comment with its
// versions' numbers, the text it was written on, its author's public name and
// its vote counts (sums of the shards) and the latest published response
// that answered it.
const selectComment = `SELECT c.id, coalesce(c.document_id, 0), c.idea_id, coalesce(c.version_id, 0), coalesce(c.paragraph_key, ''),
	c.parent_id, c.root_id, c.depth, c.author_id,
	c.body, c.body_html, c.status, c.revision, c.quote_exact, c.quote_prefix, c.quote_suffix, c.quote_start, c.quote_end,
	coalesce(c.anchor_version_id, 0), c.anchor_key, c.anchor_status, c.anchor_confidence, c.anchor_start, c.anchor_end,
	c.created_at, c.edited_at, c.deleted_at, coalesce(v.number, 0) AS version_number, coalesce(av.number, 0) AS anchor_version_number,
	CASE WHEN c.anchor_status <> 'exact' OR c.anchor_version_id <> c.version_id THEN b.text END AS written_on, coalesce(u.display_name, u.pseudonym) AS author_name, u.pseudonym AS author_pseudonym,
	coalesce(k.agree, 0) AS agree, coalesce(k.disagree, 0) AS disagree,
	(SELECT max(a.response_id) FROM contribution_answers a WHERE a.comment_id = c.id) AS response_id
FROM comments c
LEFT JOIN document_versions v ON v.id = c.version_id
LEFT JOIN document_versions av ON av.id = c.anchor_version_id
JOIN users u ON u.id = c.author_id
LEFT JOIN blocks b ON b.version_id = c.version_id AND b.key = c.paragraph_key
LEFT JOIN LATERAL (SELECT sum(agree)::int AS agree, sum(disagree)::int AS disagree FROM comment_vote_counts WHERE comment_id = c.id) k ON true
`

// query runs a selectComment query and scans the rows by hand: reflection-based
// scanning of 200 wide rows cost more than the query itself.
func (s *Service) query(ctx context.Context, q string, args ...any) ([]Comment, error) {
	rows, err := database.Conn(ctx, s.db).Raw(q, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Comment
	for rows.Next() {
		var c Comment
		if err := rows.Scan(&c.ID, &c.DocumentID, &c.IdeaID, &c.VersionID, &c.ParagraphKey, &c.ParentID, &c.RootID, &c.Depth, &c.AuthorID,
			&c.Body, &c.BodyHTML, &c.Status, &c.Revision, &c.QuoteExact, &c.QuotePrefix, &c.QuoteSuffix, &c.QuoteStart, &c.QuoteEnd,
			&c.AnchorVersionID, &c.AnchorKey, &c.AnchorStatus, &c.AnchorConfidence, &c.AnchorStart, &c.AnchorEnd,
			&c.CreatedAt, &c.EditedAt, &c.DeletedAt, &c.VersionNumber, &c.AnchorVersionNumber,
			&c.WrittenOn, &c.AuthorName, &c.AuthorPseudonym, &c.Agree, &c.Disagree, &c.ResponseID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Get returns one comment.
func (s *Service) Get(ctx context.Context, id int64) (Comment, error) {
	cs, err := s.query(ctx, selectComment+"WHERE c.id = ?", id)
	if err != nil {
		return Comment{}, fmt.Errorf("comment: get %d: %w", id, err)
	}
	if len(cs) == 0 {
		return Comment{}, ErrNotFound
	}
	return cs[0], nil
}

// Page is one page of comments and the cursor of the next ("" on the last).
type Page struct {
	Items      []Comment
	NextCursor string
}

// threadCursor encodes a position in thread order (root id, id).
func threadCursor(c Comment) string {
	return base64.RawURLEncoding.EncodeToString([]byte("t:" + strconv.FormatInt(c.RootID, 10) + ":" + strconv.FormatInt(c.ID, 10)))
}

func parseThreadCursor(cur string) (root, id int64, err error) {
	if cur == "" {
		return 0, 0, nil
	}
	b, derr := base64.RawURLEncoding.DecodeString(cur)
	parts := strings.Split(string(b), ":")
	if derr != nil || len(parts) != 3 || parts[0] != "t" {
		return 0, 0, ErrBadCursor
	}
	root, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, ErrBadCursor
	}
	return root, id, nil
}

// visible is who sees a comment in public reads: published ones, and
// tombstones of deleted ones (whatever their status) so threads stay readable.
const visible = "(c.status = 'published' OR c.deleted_at IS NOT NULL)"

// Thread returns a page of one paragraph's thread in the latest published
// version, in thread order: roots oldest first, each followed by its replies.
// The query walks one index range, so its cost does not depend on comments
// elsewhere in the table.
func (s *Service) Thread(ctx context.Context, docID int64, key, cursor string, limit int) (Page, error) {
	root, id, err := parseThreadCursor(cursor)
	if err != nil {
		return Page{}, err
	}
	cs, err := s.query(ctx, selectComment+`WHERE c.document_id = ? AND c.anchor_key = ? AND (c.root_id, c.id) > (?, ?)
		AND `+visible+` ORDER BY c.root_id, c.id LIMIT ?`, docID, key, root, id, limit+1)
	if err != nil {
		return Page{}, fmt.Errorf("comment: thread: %w", err)
	}
	return pageOf(cs, limit), nil
}

// IdeaThread returns a page of an idea's discussion in thread order.
func (s *Service) IdeaThread(ctx context.Context, ideaID int64, cursor string, limit int) (Page, error) {
	root, id, err := parseThreadCursor(cursor)
	if err != nil {
		return Page{}, err
	}
	cs, err := s.query(ctx, selectComment+`WHERE c.idea_id = ? AND (c.root_id, c.id) > (?, ?)
		AND `+visible+` ORDER BY c.root_id, c.id LIMIT ?`, ideaID, root, id, limit+1)
	if err != nil {
		return Page{}, fmt.Errorf("comment: idea thread: %w", err)
	}
	return pageOf(cs, limit), nil
}

// Orphaned returns a page of the threads that could not be attached to the
// latest version, with the text they were written on.
func (s *Service) Orphaned(ctx context.Context, docID int64, cursor string, limit int) (Page, error) {
	root, id, err := parseThreadCursor(cursor)
	if err != nil {
		return Page{}, err
	}
	cs, err := s.query(ctx, selectComment+`WHERE c.document_id = ? AND c.anchor_status = 'orphaned' AND (c.root_id, c.id) > (?, ?)
		AND `+visible+` ORDER BY c.root_id, c.id LIMIT ?`, docID, root, id, limit+1)
	if err != nil {
		return Page{}, fmt.Errorf("comment: orphaned: %w", err)
	}
	return pageOf(cs, limit), nil
}

func pageOf(cs []Comment, limit int) Page {
	p := Page{Items: cs}
	if len(cs) > limit {
		p.Items = cs[:limit]
		p.NextCursor = threadCursor(cs[limit-1])
	}
	return p
}

// Mine returns a page of actor's own comments, newest first, whatever their status.
func (s *Service) Mine(ctx context.Context, actor auth.Principal, cursor string, limit int) (Page, error) {
	before := int64(1<<62 - 1)
	if cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(cursor)
		if err != nil || !strings.HasPrefix(string(b), "m:") {
			return Page{}, ErrBadCursor
		}
		if before, err = strconv.ParseInt(strings.TrimPrefix(string(b), "m:"), 10, 64); err != nil {
			return Page{}, ErrBadCursor
		}
	}
	cs, err := s.query(ctx, selectComment+"WHERE c.author_id = ? AND c.id < ? AND c.deleted_at IS NULL ORDER BY c.id DESC LIMIT ?",
		actor.UserID, before, limit+1)
	if err != nil {
		return Page{}, fmt.Errorf("comment: mine: %w", err)
	}
	p := Page{Items: cs}
	if len(cs) > limit {
		p.Items = cs[:limit]
		p.NextCursor = base64.RawURLEncoding.EncodeToString([]byte("m:" + strconv.FormatInt(cs[limit-1].ID, 10)))
	}
	return p, nil
}

// Counts is a paragraph's published comments and the votes on them.
type Counts struct {
	Comments, Agree, Disagree int
}

// ParagraphCounts returns the counts of every paragraph of a document that has
// any, summed over the counter shards, and the number of orphaned threads' comments.
func (s *Service) ParagraphCounts(ctx context.Context, docID int64) (map[string]Counts, int, error) {
	var rows []struct {
		ParagraphKey              string
		Comments, Agree, Disagree int
	}
	if err := database.Conn(ctx, s.db).Raw(`SELECT paragraph_key, sum(comments)::int AS comments, sum(agree)::int AS agree,
		sum(disagree)::int AS disagree FROM paragraph_counts WHERE document_id = ? GROUP BY paragraph_key`, docID).Scan(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("comment: paragraph counts: %w", err)
	}
	out := make(map[string]Counts, len(rows))
	for _, r := range rows {
		out[r.ParagraphKey] = Counts{r.Comments, r.Agree, r.Disagree}
	}
	var orphaned int
	if err := database.Conn(ctx, s.db).Raw(`SELECT count(*) FROM comments c WHERE c.document_id = ? AND c.anchor_status = 'orphaned'
		AND c.status = 'published' AND c.deleted_at IS NULL`, docID).Scan(&orphaned).Error; err != nil {
		return nil, 0, fmt.Errorf("comment: orphaned count: %w", err)
	}
	return out, orphaned, nil
}
