package idea

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"cocreate/internal/auth"
	"cocreate/internal/database"
)

// selectIdea is the column list of every read: the idea with its theme, its
// author's public name, its counts (sums of the shards) and whether the reader
// (@viewer, 0 for anonymous) supports it. @sk is the sort key of lists.
const selectIdea = `SELECT i.id, i.process_id, i.theme_id, t.name AS theme_name, t.description AS theme_description,
	t.position AS theme_position, i.author_id, coalesce(u.display_name, u.pseudonym) AS author_name, u.pseudonym AS author_pseudonym,
	i.channel, i.contributor, i.title, i.body, i.body_html, i.document_id, i.paragraph_key, i.status, i.merged_into,
	i.status_changed_at, i.status_response_id, i.moderation, i.revision, i.created_at, i.edited_at,
	coalesce(k.supports, 0) AS supports, coalesce(k.comments, 0) AS comments,
	CASE WHEN CAST(@viewer AS bigint) > 0 THEN EXISTS (SELECT 1 FROM idea_supports s WHERE s.idea_id = i.id AND s.user_id = CAST(@viewer AS bigint)) END AS supported`

const fromIdea = `
FROM ideas i
JOIN idea_themes t ON t.id = i.theme_id
JOIN users u ON u.id = i.author_id
LEFT JOIN LATERAL (SELECT sum(supports)::int AS supports, sum(comments)::int AS comments FROM idea_counts WHERE idea_id = i.id) k ON true`

// query runs a selectIdea query and scans the rows. When keys is not nil the
// query has one more bigint column (a list's sort key), collected in keys.
func (s *Service) query(ctx context.Context, actor auth.Principal, q string, args map[string]any, keys *[]int64) ([]Idea, error) {
	args["viewer"] = max(actor.UserID, 0)
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
			&i.AuthorName, &i.AuthorPseudonym, &i.Channel, &i.Contributor, &i.Title, &i.Body, &i.BodyHTML, &i.DocumentID,
			&i.ParagraphKey, &i.Status, &i.MergedInto, &i.StatusChangedAt, &i.StatusResponseID, &i.Moderation, &i.Revision,
			&i.CreatedAt, &i.EditedAt, &i.Supports, &i.Comments, &i.Supported}
		if keys != nil {
			dest = append(dest, &key)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out = append(out, i)
		if keys != nil {
			*keys = append(*keys, key)
		}
	}
	return out, rows.Err()
}

// Sort is an order of idea lists.
type Sort string

// The sorts; each breaks ties by id.
const (
	SortSupported Sort = "supported" // most supports first
	SortNewest    Sort = "newest"
	SortDiscussed Sort = "discussed" // most comments first
	SortRandom    Sort = "random"    // a shuffle fixed by the visitor's seed
)

// sortKeys are the only SQL fragments a sort can add (an allow-list).
var sortKeys = map[Sort]string{
	SortSupported: "coalesce(k.supports, 0)::bigint",
	SortNewest:    "i.id",
	SortDiscussed: "coalesce(k.comments, 0)::bigint",
	SortRandom:    "hashtextextended(i.id::text, CAST(@seed AS bigint))",
}

// Filter selects and orders a list of ideas.
type Filter struct {
	ThemeID   int64  // 0 for any
	Status    Status // "" for any but withdrawn and merged
	Mine      bool   // only the reader's own, whatever their moderation state
	Supported bool   // only those the reader supports
	Query     string // full-text search, web search syntax
	Sort      Sort
	Seed      int64
	Cursor    string
	Limit     int
}

// Page is one page of ideas and the cursor of the next ("" on the last).
type Page struct {
	Items      []Idea
	NextCursor string
}

func encodeCursor(s Sort, key, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("i:" + string(s) + ":" + strconv.FormatInt(key, 10) + ":" + strconv.FormatInt(id, 10)))
}

func decodeCursor(s Sort, cur string) (key, id int64, err error) {
	b, derr := base64.RawURLEncoding.DecodeString(cur)
	parts := strings.Split(string(b), ":")
	if derr != nil || len(parts) != 4 || parts[0] != "i" || parts[1] != string(s) {
		return 0, 0, ErrBadCursor
	}
	key, err1 := strconv.ParseInt(parts[2], 10, 64)
	id, err2 := strconv.ParseInt(parts[3], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, ErrBadCursor
	}
	return key, id, nil
}

// List returns a page of a process's ideas. Public lists hold published ideas
// only; with Mine, the reader's own in any moderation state. Without a status
// filter, withdrawn and merged ideas are left out. Counts can change between
// pages, so a count-ordered list may repeat or skip an idea across pages.
func (s *Service) List(ctx context.Context, actor auth.Principal, slug string, f Filter) (Page, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Page{}, err
	}
	if f.Sort == "" {
		f.Sort = SortNewest
	}
	sk, ok := sortKeys[f.Sort]
	if !ok {
		return Page{}, fmt.Errorf("idea: unknown sort %q", f.Sort)
	}
	args := map[string]any{"p": p.ID, "seed": f.Seed, "limit": f.Limit + 1, "cfg": searchConfig(p), "me": actor.UserID}
	where := []string{"i.process_id = @p"}
	if f.Mine {
		where = append(where, "i.author_id = @me")
	} else {
		where = append(where, "i.moderation = 'published'")
	}
	if f.Supported {
		where = append(where, "EXISTS (SELECT 1 FROM idea_supports s WHERE s.idea_id = i.id AND s.user_id = @me)")
	}
	if f.ThemeID != 0 {
		where = append(where, "i.theme_id = @theme")
		args["theme"] = f.ThemeID
	}
	if f.Status != "" {
		where = append(where, "i.status = @status")
		args["status"] = f.Status
	} else {
		where = append(where, "i.status NOT IN ('withdrawn', 'merged')")
	}
	if strings.TrimSpace(f.Query) != "" {
		where = append(where, "i.search @@ websearch_to_tsquery(CAST(@cfg AS regconfig), @q)")
		args["q"] = f.Query
	}
	after := ""
	if f.Cursor != "" {
		key, id, err := decodeCursor(f.Sort, f.Cursor)
		if err != nil {
			return Page{}, err
		}
		after = " WHERE (x.sk, x.id) < (@ck, @cid)"
		args["ck"], args["cid"] = key, id
	}
	inner := selectIdea + ", " + sk + " AS sk" + fromIdea + " WHERE " + strings.Join(where, " AND ")
	// The outer query repeats the column list by name so the scan order holds.
	q := `SELECT x.id, x.process_id, x.theme_id, x.theme_name, x.theme_description, x.theme_position, x.author_id, x.author_name,
		x.author_pseudonym, x.channel, x.contributor, x.title, x.body, x.body_html, x.document_id, x.paragraph_key, x.status,
		x.merged_into, x.status_changed_at, x.status_response_id, x.moderation, x.revision, x.created_at, x.edited_at,
		x.supports, x.comments, x.supported, x.sk
		FROM (` + inner + `) x` + after + ` ORDER BY x.sk DESC, x.id DESC LIMIT @limit`
	var keys []int64
	ideas, err := s.query(ctx, actor, q, args, &keys)
	if err != nil {
		return Page{}, fmt.Errorf("idea: list: %w", err)
	}
	page := Page{Items: ideas}
	if len(ideas) > f.Limit {
		page.Items = ideas[:f.Limit]
		last := f.Limit - 1
		page.NextCursor = encodeCursor(f.Sort, keys[last], ideas[last].ID)
	}
	return page, nil
}

// maxSimilarWords bounds the words of a similar-ideas query.
const maxSimilarWords = 40

// similarQuery turns text being typed into a web-search query that matches an
// idea sharing any of its words ("a or b or c"); the search configuration then
// stems the words, ignores accents and drops stop words.
func similarQuery(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	var keep []string
	for _, w := range words {
		if len([]rune(w)) < 2 || strings.EqualFold(w, "or") {
			continue
		}
		keep = append(keep, w)
		if len(keep) == maxSimilarWords {
			break
		}
	}
	return strings.Join(keep, " or ")
}

// Similar returns up to MaxSimilar published, open ideas of a process that
// share the most words (after stemming, accents ignored) with text, title
// matches weighing more.
func (s *Service) Similar(ctx context.Context, actor auth.Principal, slug, text string) ([]Idea, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return nil, err
	}
	q := similarQuery(text)
	if q == "" {
		return []Idea{}, nil
	}
	ideas, err := s.query(ctx, actor, selectIdea+fromIdea+`, websearch_to_tsquery(CAST(@cfg AS regconfig), @q) tq
		WHERE i.process_id = @p AND i.moderation = 'published' AND i.status NOT IN ('withdrawn', 'merged') AND i.search @@ tq
		ORDER BY ts_rank(i.search, tq) DESC, i.id DESC LIMIT @n`,
		map[string]any{"p": p.ID, "cfg": searchConfig(p), "q": q, "n": MaxSimilar}, nil)
	if err != nil {
		return nil, fmt.Errorf("idea: similar: %w", err)
	}
	return ideas, nil
}
