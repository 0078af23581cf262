package idea

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"cocreate/internal/auth"
)

// Sort is an order of idea lists.
type Sort string

// The sorts; each breaks ties by id.
const (
	SortSupported Sort = "supported" // most supports first
	SortNewest    Sort = "newest"
	SortDiscussed Sort = "discussed" // most comments first
	SortRandom    Sort = "random"    // a shuffle fixed by the visitor's seed
	SortRelevant  Sort = "relevant"  // best match of the search first (newest first without one)
)

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
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return Page{}, err
	}
	if f.Sort == "" {
		f.Sort = SortNewest
	}
	if _, ok := sortKeys[f.Sort]; !ok {
		return Page{}, fmt.Errorf("idea: unknown sort %q", f.Sort)
	}
	l := listQuery{ProcessID: p.ID, Configs: searchConfigs(p), Viewer: actor.UserID, Filter: f}
	if f.Cursor != "" {
		if l.AfterKey, l.AfterID, err = decodeCursor(f.Sort, f.Cursor); err != nil {
			return Page{}, err
		}
		l.After = true
	}
	ideas, keys, err := s.store.List(ctx, l)
	if err != nil {
		return Page{}, err
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
	words := similarWords(text)
	var keep []string
	for _, w := range words {
		if (len([]rune(w)) < 2 && !isCJK([]rune(w)[0])) || strings.EqualFold(w, "or") {
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
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	q := similarQuery(text)
	if q == "" {
		return []Idea{}, nil
	}
	return s.store.Similar(ctx, actor.UserID, p.ID, searchConfigs(p), q, MaxSimilar)
}
