package idea

import (
	"context"
	"fmt"
	"strings"

	"cocreate/internal/database"
)

// selectIdea is the column list of every read: the idea with its theme, its
// author's public name, its counts (sums of the shards), whether the reader
// (@viewer, 0 for anonymous) supports it, and the edit waiting for a moderator
// (Store.query keeps its text for its author only). @sk is the sort key of lists.
const selectIdea = `SELECT i.id, i.process_id, i.theme_id, t.name AS theme_name, t.description AS theme_description,
	t.position AS theme_position, i.author_id, coalesce(u.display_name, u.pseudonym) AS author_name, u.pseudonym AS author_pseudonym,
	i.channel, i.contributor, i.received_on, i.title, i.body, i.body_html, i.document_id, i.paragraph_key, i.status, i.merged_into,
	i.status_changed_at, i.status_response_id, i.moderation, i.revision, i.created_at, i.edited_at,
	i.pending_body IS NOT NULL AS edit_pending, i.pending_title, i.pending_body,
	coalesce(k.supports, 0) AS supports, coalesce(k.comments, 0) AS comments,
	CASE WHEN CAST(@viewer AS bigint) > 0 THEN EXISTS (SELECT 1 FROM idea_supports s WHERE s.idea_id = i.id AND s.user_id = CAST(@viewer AS bigint)) END AS supported`

// fromIdea joins an idea (i) to its theme (t), its author (u) and its summed counters (k).
const fromIdea = `
FROM ideas i
JOIN idea_themes t ON t.id = i.theme_id
JOIN users u ON u.id = i.author_id
LEFT JOIN LATERAL (SELECT sum(supports)::int AS supports, sum(comments)::int AS comments FROM idea_counts WHERE idea_id = i.id) k ON true`

// ideaByIDSQL returns one idea by @id.
const ideaByIDSQL = selectIdea + fromIdea + " WHERE i.id = @id"

// publishedSQL returns every published idea of process @p, in id order.
const publishedSQL = selectIdea + fromIdea + " WHERE i.process_id = @p AND i.moderation = 'published' ORDER BY i.id"

// similarSQL returns up to @n published, open ideas of process @p matching the
// web-search query @q in any of the configurations @cfgs, best match first.
const similarSQL = selectIdea + fromIdea + `, search_query(CAST(@cfgs AS regconfig[]), @q) tq
		WHERE i.process_id = @p AND i.moderation = 'published' AND i.status NOT IN ('withdrawn', 'merged') AND i.search @@ tq
		ORDER BY ts_rank(i.search, tq) DESC, i.id DESC LIMIT @n`

// listOuterSQL wraps a list's inner query (selectIdea with its sort key sk,
// named x): it repeats the column list by name so the scan order holds, and
// is followed by the cursor condition and listOrderSQL.
const listOuterSQL = `SELECT x.id, x.process_id, x.theme_id, x.theme_name, x.theme_description, x.theme_position, x.author_id, x.author_name,
		x.author_pseudonym, x.channel, x.contributor, x.received_on, x.title, x.body, x.body_html, x.document_id, x.paragraph_key, x.status,
		x.merged_into, x.status_changed_at, x.status_response_id, x.moderation, x.revision, x.created_at, x.edited_at,
		x.edit_pending, x.pending_title, x.pending_body, x.supports, x.comments, x.supported, x.sk
		FROM (`

// listOrderSQL orders a list by its sort key, ties broken by id, and limits it to @limit.
const listOrderSQL = ` ORDER BY x.sk DESC, x.id DESC LIMIT @limit`

// sortKeys are the only SQL fragments a sort can add (an allow-list).
var sortKeys = map[Sort]string{
	SortSupported: "coalesce(k.supports, 0)::bigint",
	SortNewest:    "i.id",
	SortDiscussed: "coalesce(k.comments, 0)::bigint",
	SortRandom:    "hashtextextended(i.id::text, CAST(@seed AS bigint))",
	// The rank in millionths (cursors carry whole numbers); without a search, newest first.
	SortRelevant: "i.id",
}

// relevantKey is SortRelevant's key when there is a search (tq, see List).
const relevantKey = "(ts_rank(i.search, tq.tq) * 1000000)::bigint"

// listQuery is one page of a list as the store runs it; the service has
// checked the sort and decoded the cursor.
type listQuery struct {
	ProcessID int64
	Configs   []string // the process's text search configurations
	Viewer    int64    // the reader's account id
	Filter
	After    bool // the page starts after (AfterKey, AfterID)
	AfterKey int64
	AfterID  int64
}

// ByID returns one idea as viewer (an account id, 0 for anonymous) reads it,
// or ErrNotFound.
func (s *Store) ByID(ctx context.Context, viewer, id int64) (Idea, error) {
	ideas, err := s.query(ctx, viewer, ideaByIDSQL, map[string]any{"id": id}, nil)
	if err != nil {
		return Idea{}, fmt.Errorf("idea store: get %d: %w", id, err)
	}
	if len(ideas) == 0 {
		return Idea{}, ErrNotFound
	}
	return ideas[0], nil
}

// Published returns every published idea of a process, in id order, as an
// anonymous reader reads them.
func (s *Store) Published(ctx context.Context, processID int64) ([]Idea, error) {
	ideas, err := s.query(ctx, 0, publishedSQL, map[string]any{"p": processID}, nil)
	if err != nil {
		return nil, fmt.Errorf("idea store: export: %w", err)
	}
	return ideas, nil
}

// Similar returns up to n published, open ideas of a process matching the
// web-search query q in any of the configurations cfgs, best match first.
func (s *Store) Similar(ctx context.Context, viewer, processID int64, cfgs []string, q string, n int) ([]Idea, error) {
	ideas, err := s.query(ctx, viewer, similarSQL, map[string]any{"p": processID, "cfgs": database.TextArray(cfgs), "q": q, "n": n}, nil)
	if err != nil {
		return nil, fmt.Errorf("idea store: similar: %w", err)
	}
	return ideas, nil
}

// List returns up to Limit+1 ideas of a list (one more tells that a page
// follows) with their sort keys. Its conditions come from fixed fragments and
// its order from sortKeys; input only ever fills parameters.
func (s *Store) List(ctx context.Context, l listQuery) ([]Idea, []int64, error) {
	sk, ok := sortKeys[l.Sort]
	if !ok {
		return nil, nil, fmt.Errorf("idea store: unknown sort %q", l.Sort)
	}
	args := map[string]any{"p": l.ProcessID, "seed": l.Seed, "limit": l.Limit + 1, "me": l.Viewer}
	where := []string{"i.process_id = @p"}
	if l.Mine {
		where = append(where, "i.author_id = @me")
	} else {
		where = append(where, "i.moderation = 'published'")
	}
	if l.Supported {
		where = append(where, "EXISTS (SELECT 1 FROM idea_supports s WHERE s.idea_id = i.id AND s.user_id = @me)")
	}
	if l.ThemeID != 0 {
		where = append(where, "i.theme_id = @theme")
		args["theme"] = l.ThemeID
	}
	if l.Status != "" {
		where = append(where, "i.status = @status")
		args["status"] = l.Status
	} else {
		where = append(where, "i.status NOT IN ('withdrawn', 'merged')")
	}
	from := fromIdea
	if strings.TrimSpace(l.Query) != "" {
		// The query is a function in FROM so it is computed once, not per row.
		from += ", search_query(CAST(@cfgs AS regconfig[]), @q) tq"
		where = append(where, "i.search @@ tq.tq")
		args["q"], args["cfgs"] = searchQuery(l.Query), database.TextArray(l.Configs)
		if l.Sort == SortRelevant {
			sk = relevantKey
		}
	}
	after := ""
	if l.After {
		after = " WHERE (x.sk, x.id) < (@ck, @cid)"
		args["ck"], args["cid"] = l.AfterKey, l.AfterID
	}
	if sk == relevantKey {
		// Rank the matches on the ideas table alone and read the page's ideas
		// only: a common word matches thousands of ideas, and their counts,
		// authors and themes are not needed to order them.
		top := "SELECT i.id FROM ideas i, search_query(CAST(@cfgs AS regconfig[]), @q) tq WHERE " + strings.Join(where, " AND ")
		if l.After {
			top += " AND (" + relevantKey + ", i.id) < (@ck, @cid)"
		}
		where = append(where, "i.id IN ("+top+" ORDER BY "+relevantKey+" DESC, i.id DESC LIMIT @limit)")
	}
	inner := selectIdea + ", " + sk + " AS sk" + from + " WHERE " + strings.Join(where, " AND ")
	q := listOuterSQL + inner + `) x` + after + listOrderSQL
	var keys []int64
	ideas, err := s.query(ctx, l.Viewer, q, args, &keys)
	if err != nil {
		return nil, nil, fmt.Errorf("idea store: list: %w", err)
	}
	return ideas, keys, nil
}

// query runs a selectIdea query and scans the rows. When keys is not nil the
// query has one more bigint column (a list's sort key), collected in keys.
func (s *Store) query(ctx context.Context, viewer int64, q string, args map[string]any, keys *[]int64) ([]Idea, error) {
	args["viewer"] = max(viewer, 0)
	rows, err := database.Conn(ctx, s.db).Raw(q, args).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Idea
	for rows.Next() {
		var i Idea
		var key int64
		dest := []any{&i.ID, &i.ProcessID, &i.ThemeID, &i.ThemeName, &i.ThemeDescription, &i.ThemePosition, &i.AuthorID,
			&i.AuthorName, &i.AuthorPseudonym, &i.Channel, &i.Contributor, &i.ReceivedOn, &i.Title, &i.Body, &i.BodyHTML, &i.DocumentID,
			&i.ParagraphKey, &i.Status, &i.MergedInto, &i.StatusChangedAt, &i.StatusResponseID, &i.Moderation, &i.Revision,
			&i.CreatedAt, &i.EditedAt, &i.EditPending, &i.PendingTitle, &i.PendingBody, &i.Supports, &i.Comments, &i.Supported}
		if keys != nil {
			dest = append(dest, &key)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if i.AuthorID != viewer || viewer <= 0 {
			// A waiting edit is its author's to read (moderators read it in the queue).
			i.PendingTitle, i.PendingBody = nil, nil
		}
		out = append(out, i)
		if keys != nil {
			*keys = append(*keys, key)
		}
	}
	return out, rows.Err()
}
