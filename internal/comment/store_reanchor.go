package comment

// The store's side of re-anchoring: the threads to move, their new anchors,
// the rebuilt paragraph counters and the commenters to tell.

import (
	"context"
	"fmt"

	"cocreate/internal/database"
)

// anchoredRootsSQL returns the thread roots of a document still attached to a version, in id order.
const anchoredRootsSQL = `SELECT id, author_id, anchor_key, anchor_status, anchor_confidence, anchor_start, anchor_end
		FROM comments WHERE document_id = ? AND depth = 0 AND anchor_version_id = ? AND anchor_status <> 'orphaned' ORDER BY id`

// AnchoredRoots returns the roots of the threads of a document attached to
// version versionID (their anchor columns and author only).
func (s *Store) AnchoredRoots(ctx context.Context, docID, versionID int64) ([]Comment, error) {
	var roots []Comment
	if err := database.Conn(ctx, s.db).Raw(anchoredRootsSQL, docID, versionID).Scan(&roots).Error; err != nil {
		return nil, fmt.Errorf("comment store: reanchor load: %w", err)
	}
	return roots, nil
}

// anchoredThreadsSQL returns what anchoredRootsSQL does, with the number of
// visible comments (published, not deleted) in each root's thread.
const anchoredThreadsSQL = `SELECT r.id, r.author_id, r.anchor_key, r.anchor_status, r.anchor_confidence, r.anchor_start, r.anchor_end,
		coalesce(v.visible, 0) AS visible
		FROM comments r
		LEFT JOIN (SELECT root_id, count(*) AS visible FROM comments
			WHERE document_id = ? AND status = 'published' AND deleted_at IS NULL GROUP BY root_id) v ON v.root_id = r.id
		WHERE r.document_id = ? AND r.depth = 0 AND r.anchor_version_id = ? AND r.anchor_status <> 'orphaned' ORDER BY r.id`

// anchoredThread is a thread root with the number of visible comments in its thread.
type anchoredThread struct {
	Comment
	Visible int `gorm:"column:visible"`
}

// AnchoredThreads returns the roots AnchoredRoots does, each with the number
// of visible comments in its thread.
func (s *Store) AnchoredThreads(ctx context.Context, docID, versionID int64) ([]anchoredThread, error) {
	var out []anchoredThread
	if err := database.Conn(ctx, s.db).Raw(anchoredThreadsSQL, docID, docID, versionID).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("comment store: threads to re-anchor: %w", err)
	}
	return out, nil
}

// anchorMove is a thread root's anchor in a new version; Key is nil for an
// orphaned thread, Start and End nil when no phrase is anchored.
type anchorMove struct {
	ID         int64
	Key        *string
	Status     string
	Confidence float64
	Start, End *int
}

// moveAnchorsSQL sets the anchors of many roots at once from parallel arrays.
const moveAnchorsSQL = `UPDATE comments c SET anchor_version_id = ?, anchor_key = u.key, anchor_status = u.status,
			anchor_confidence = u.conf, anchor_start = u.s, anchor_end = u.e
			FROM unnest(?::bigint[], ?::text[], ?::text[], ?::real[], ?::int[], ?::int[]) AS u(id, key, status, conf, s, e)
			WHERE c.id = u.id`

// MoveAnchors attaches thread roots to version versionID, in one statement;
// no moves, no statement.
func (s *Store) MoveAnchors(ctx context.Context, versionID int64, moves []anchorMove) error {
	n := len(moves)
	if n == 0 {
		return nil
	}
	ids := make([]int64, 0, n)
	keys := make([]*string, 0, n)
	statuses := make([]string, 0, n)
	confs := make([]float64, 0, n)
	starts := make([]*int, 0, n)
	ends := make([]*int, 0, n)
	for _, m := range moves {
		ids, keys, statuses = append(ids, m.ID), append(keys, m.Key), append(statuses, m.Status)
		confs, starts, ends = append(confs, m.Confidence), append(starts, m.Start), append(ends, m.End)
	}
	err := database.Conn(ctx, s.db).Exec(moveAnchorsSQL, versionID, database.Array{Type: "_int8", Values: ids}, database.Array{Type: "_text", Values: keys},
		database.Array{Type: "_text", Values: statuses}, database.Array{Type: "_float8", Values: confs},
		database.Array{Type: "_int4", Values: starts}, database.Array{Type: "_int4", Values: ends}).Error
	if err != nil {
		return fmt.Errorf("comment store: reanchor update: %w", err)
	}
	return nil
}

// followRootsSQL gives every reply of a document its root's anchor.
const followRootsSQL = `UPDATE comments r SET anchor_version_id = t.anchor_version_id, anchor_key = t.anchor_key,
		anchor_status = t.anchor_status, anchor_confidence = t.anchor_confidence
		FROM comments t WHERE t.id = r.root_id AND r.depth > 0 AND r.document_id = ? AND t.document_id = ?`

// FollowRoots moves the replies of a document's threads to their root's anchor.
func (s *Store) FollowRoots(ctx context.Context, docID int64) error {
	if err := database.Conn(ctx, s.db).Exec(followRootsSQL, docID, docID).Error; err != nil {
		return fmt.Errorf("comment store: reanchor replies: %w", err)
	}
	return nil
}

// stragglersSQL counts a document's comments still attached, unorphaned, to a version.
const stragglersSQL = "SELECT count(*) FROM comments WHERE document_id = ? AND anchor_version_id = ? AND anchor_status <> 'orphaned'"

// Stragglers returns how many comments of a document are still attached to
// version versionID.
func (s *Store) Stragglers(ctx context.Context, docID, versionID int64) (int64, error) {
	var n int64
	if err := database.Conn(ctx, s.db).Raw(stragglersSQL, docID, versionID).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("comment store: stragglers: %w", err)
	}
	return n, nil
}

// recountSQL rebuilds a document's paragraph counters, on shard 0, from its
// published comments and their vote counters.
const recountSQL = `INSERT INTO paragraph_counts (document_id, paragraph_key, shard, comments, agree, disagree)
		SELECT c.document_id, c.anchor_key, 0, count(*), coalesce(sum(k.agree), 0), coalesce(sum(k.disagree), 0)
		FROM comments c
		LEFT JOIN LATERAL (SELECT sum(agree) AS agree, sum(disagree) AS disagree FROM comment_vote_counts WHERE comment_id = c.id) k ON true
		WHERE c.document_id = ? AND c.anchor_key IS NOT NULL AND c.status = 'published' AND c.deleted_at IS NULL
		GROUP BY c.document_id, c.anchor_key`

// Recount rebuilds a document's paragraph counters from the comments and their
// vote counters (after re-anchoring moved threads between paragraphs).
func (s *Store) Recount(ctx context.Context, docID int64) error {
	conn := database.Conn(ctx, s.db)
	if err := conn.Exec("DELETE FROM paragraph_counts WHERE document_id = ?", docID).Error; err != nil {
		return fmt.Errorf("comment store: recount %d: %w", docID, err)
	}
	if err := conn.Exec(recountSQL, docID).Error; err != nil {
		return fmt.Errorf("comment store: recount %d: %w", docID, err)
	}
	return nil
}

// commenter is an account to e-mail about a changed paragraph.
type commenter struct {
	ID    int64
	Email string
	Name  string
}

// commentersSQL returns the address and public name of the accounts among ids that have an address.
const commentersSQL = `SELECT id, email, coalesce(display_name, pseudonym) AS name FROM users
		WHERE id = ANY(?) AND email IS NOT NULL`

// Commenters returns the accounts among ids that can be e-mailed.
func (s *Store) Commenters(ctx context.Context, ids []int64) ([]commenter, error) {
	var rows []commenter
	if err := database.Conn(ctx, s.db).Raw(commentersSQL, database.Array{Type: "_int8", Values: ids}).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("comment store: commenters: %w", err)
	}
	return rows, nil
}
