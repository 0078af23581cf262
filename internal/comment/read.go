package comment

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"cocreate/internal/auth"
)

// Get returns one comment.
func (s *Service) Get(ctx context.Context, id int64) (Comment, error) {
	return s.store.ByID(ctx, id)
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

// Thread returns a page of one paragraph's thread in the latest published
// version, in thread order: roots oldest first, each followed by its replies.
// The query walks one index range, so its cost does not depend on comments
// elsewhere in the table.
func (s *Service) Thread(ctx context.Context, docID int64, key, cursor string, limit int) (Page, error) {
	root, id, err := parseThreadCursor(cursor)
	if err != nil {
		return Page{}, err
	}
	cs, err := s.store.Thread(ctx, docID, key, root, id, limit+1)
	if err != nil {
		return Page{}, err
	}
	return pageOf(cs, limit), nil
}

// IdeaThread returns a page of an idea's discussion in thread order.
func (s *Service) IdeaThread(ctx context.Context, ideaID int64, cursor string, limit int) (Page, error) {
	root, id, err := parseThreadCursor(cursor)
	if err != nil {
		return Page{}, err
	}
	cs, err := s.store.IdeaThread(ctx, ideaID, root, id, limit+1)
	if err != nil {
		return Page{}, err
	}
	return pageOf(cs, limit), nil
}

// UpdateThread returns a page of a progress update's discussion in thread order.
func (s *Service) UpdateThread(ctx context.Context, updateID int64, cursor string, limit int) (Page, error) {
	root, id, err := parseThreadCursor(cursor)
	if err != nil {
		return Page{}, err
	}
	cs, err := s.store.UpdateThread(ctx, updateID, root, id, limit+1)
	if err != nil {
		return Page{}, err
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
	cs, err := s.store.Orphaned(ctx, docID, root, id, limit+1)
	if err != nil {
		return Page{}, err
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
	cs, err := s.store.Mine(ctx, actor.UserID, before, limit+1)
	if err != nil {
		return Page{}, err
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
	counts, err := s.store.ParagraphCounts(ctx, docID)
	if err != nil {
		return nil, 0, err
	}
	orphaned, err := s.store.OrphanedCount(ctx, docID)
	if err != nil {
		return nil, 0, err
	}
	return counts, orphaned, nil
}
