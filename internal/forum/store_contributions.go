package forum

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cocreate/internal/database"
)

// summarySelect reads contributions (alias k) with their author, cluster and
// latest answer; the statements below add their WHERE.
const summarySelect = `SELECT k.kind, k.id, k.excerpt, coalesce(u.display_name, u.pseudonym) AS author, k.created_at,
	k.document_id, k.paragraph_key, k.idea_id, k.theme_id, m.cluster_id,
	(SELECT max(a.response_id) FROM contribution_answers a
	  WHERE (k.kind = 'comment' AND a.comment_id = k.id) OR (k.kind = 'idea' AND a.idea_id = k.id)) AS response_id
	FROM contributions k
	JOIN users u ON u.id = k.author_id
	LEFT JOIN cluster_members m ON (k.kind = 'comment' AND m.comment_id = k.id) OR (k.kind = 'idea' AND m.idea_id = k.id)`

// split separates refs into comment ids and idea ids, as database arrays.
func split(refs []Ref) (comments, ideas database.Array) {
	var cs, is []int64
	for _, r := range refs {
		if r.Kind == KindIdea {
			is = append(is, r.ID)
		} else {
			cs = append(cs, r.ID)
		}
	}
	return database.Array{Type: "_int8", Values: cs}, database.Array{Type: "_int8", Values: is}
}

// summariesSQL returns the summaries of a process's published contributions
// among a list of comment ids and a list of idea ids, in no order.
const summariesSQL = summarySelect + `
		WHERE k.process_id = ? AND ((k.kind = 'comment' AND k.id = ANY(?)) OR (k.kind = 'idea' AND k.id = ANY(?)))`

// Summaries returns the published contributions of the process among refs,
// in no order.
func (s *Store) Summaries(ctx context.Context, processID int64, refs []Ref) ([]Summary, error) {
	comments, ideas := split(refs)
	var rows []Summary
	if err := database.Conn(ctx, s.db).Raw(summariesSQL, processID, comments, ideas).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("forum store: contributions of %d: %w", processID, err)
	}
	return rows, nil
}

// unansweredSQL returns the summaries of a process's (@p) published
// contributions that no response answers; Unanswered adds its filters, the
// cursor, the order and the limit.
const unansweredSQL = summarySelect + ` WHERE k.process_id = @p AND NOT EXISTS (SELECT 1 FROM contribution_answers a
		WHERE (k.kind = 'comment' AND a.comment_id = k.id) OR (k.kind = 'idea' AND a.idea_id = k.id))`

// cursor is the place after which a page of unanswered contributions starts.
type cursor struct {
	at   time.Time
	kind string
	id   int64
}

// Unanswered returns up to limit unanswered contributions of the process that
// pass f (its Cursor aside), after the cursor when there is one, oldest first.
// The filters only append fixed conditions with placeholders.
func (s *Store) Unanswered(ctx context.Context, processID int64, f UnansweredFilter, after *cursor, limit int) ([]Summary, error) {
	q := unansweredSQL
	args := map[string]any{"p": processID, "limit": limit}
	if f.Kind != "" {
		q += " AND k.kind = @kind"
		args["kind"] = string(f.Kind)
	}
	if f.DocumentID > 0 {
		q += " AND k.document_id = @doc"
		args["doc"] = f.DocumentID
	}
	if f.ParagraphKey != "" {
		q += " AND k.paragraph_key = @key"
		args["key"] = f.ParagraphKey
	}
	if f.ThemeID > 0 {
		q += " AND k.theme_id = @theme"
		args["theme"] = f.ThemeID
	}
	if f.ClusterID > 0 {
		q += " AND m.cluster_id = @cluster"
		args["cluster"] = f.ClusterID
	}
	if after != nil {
		q += " AND (k.created_at, k.kind, k.id) > (@at, @ckind, @cid)"
		args["at"], args["ckind"], args["cid"] = after.at, after.kind, after.id
	}
	q += " ORDER BY k.created_at, k.kind, k.id LIMIT @limit"
	var rows []Summary
	if err := database.Conn(ctx, s.db).Raw(q, args).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("forum store: unanswered in %d: %w", processID, err)
	}
	return rows, nil
}

// nearDupSQL returns the near-duplicate signatures (as int[] text) of the
// comments and the ideas among two lists of ids that have one.
const nearDupSQL = `SELECT 'comment' AS kind, id, near_dup::text AS sig FROM comments WHERE id = ANY(?) AND near_dup IS NOT NULL
		UNION ALL SELECT 'idea', id, near_dup::text FROM ideas WHERE id = ANY(?) AND near_dup IS NOT NULL`

type sigRow struct {
	Kind Kind   `gorm:"column:kind"`
	ID   int64  `gorm:"column:id"`
	Sig  string `gorm:"column:sig"`
}

// NearDups returns the near-duplicate signatures of the contributions among
// refs that have one.
func (s *Store) NearDups(ctx context.Context, refs []Ref) (map[Ref][]int32, error) {
	comments, ideas := split(refs)
	var rows []sigRow
	if err := database.Conn(ctx, s.db).Raw(nearDupSQL, comments, ideas).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("forum store: near-duplicate signatures: %w", err)
	}
	out := make(map[Ref][]int32, len(rows))
	for _, r := range rows {
		out[Ref{Kind: r.Kind, ID: r.ID}] = parseSig(r.Sig)
	}
	return out, nil
}

// parseSig reads PostgreSQL's text form of an int[] ("{1,-2,3}").
func parseSig(s string) []int32 {
	s = strings.Trim(s, "{}")
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]int32, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseInt(p, 10, 32)
		if err != nil {
			return nil
		}
		out[i] = int32(v)
	}
	return out
}

// candidate is a contribution that may be suggested for a cluster.
type candidate struct {
	Ref
	Sig       []int32
	ClusterID *int64
}

// candidatesSQL returns a process's published contributions that have a
// near-duplicate signature and were never dismissed, with their cluster,
// oldest first.
const candidatesSQL = `SELECT k.kind, k.id, coalesce(c.near_dup, i.near_dup)::text AS sig, m.cluster_id
		FROM contributions k
		LEFT JOIN comments c ON k.kind = 'comment' AND c.id = k.id
		LEFT JOIN ideas i ON k.kind = 'idea' AND i.id = k.id
		LEFT JOIN cluster_members m ON (k.kind = 'comment' AND m.comment_id = k.id) OR (k.kind = 'idea' AND m.idea_id = k.id)
		WHERE k.process_id = ? AND coalesce(c.near_dup, i.near_dup) IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM cluster_dismissals d WHERE (k.kind = 'comment' AND d.comment_id = k.id) OR (k.kind = 'idea' AND d.idea_id = k.id))
		ORDER BY k.created_at, k.kind, k.id`

// Candidates returns the contributions of the process that suggestions group,
// with their signatures, oldest first.
func (s *Store) Candidates(ctx context.Context, processID int64) ([]candidate, error) {
	var rows []struct {
		Kind      Kind   `gorm:"column:kind"`
		ID        int64  `gorm:"column:id"`
		Sig       string `gorm:"column:sig"`
		ClusterID *int64 `gorm:"column:cluster_id"`
	}
	if err := database.Conn(ctx, s.db).Raw(candidatesSQL, processID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("forum store: suggestion candidates in %d: %w", processID, err)
	}
	out := make([]candidate, len(rows))
	for i, r := range rows {
		out[i] = candidate{Ref: Ref{Kind: r.Kind, ID: r.ID}, Sig: parseSig(r.Sig), ClusterID: r.ClusterID}
	}
	return out, nil
}
