package forum

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"cocreate/internal/auth"
)

// UnansweredFilter narrows the unanswered list.
type UnansweredFilter struct {
	Kind         Kind
	DocumentID   int64
	ParagraphKey string
	ThemeID      int64
	ClusterID    int64
	Cursor       string
	Limit        int
}

// Unanswered lists published contributions no published response answers,
// oldest first; it returns the next page's cursor ("" on the last).
func (s *Service) Unanswered(ctx context.Context, actor auth.Principal, slug string, f UnansweredFilter) ([]Summary, string, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return nil, "", err
	}
	var after *cursor
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		after = &c
	}
	rows, err := s.store.Unanswered(ctx, p.ID, f, after, f.Limit+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		last := rows[len(rows)-1]
		next = encodeCursor(last.CreatedAt, last.Kind, last.ID)
	}
	return rows, next, nil
}

// encodeCursor names the place after a contribution: its time, kind and id.
func encodeCursor(at time.Time, kind Kind, id int64) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d.%s.%d", at.UnixMicro(), kind, id))
}

// decodeCursor reads a cursor encodeCursor wrote, or fails with ErrBadCursor.
func decodeCursor(cur string) (cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(cur)
	if err != nil {
		return cursor{}, ErrBadCursor
	}
	parts := strings.Split(string(b), ".")
	if len(parts) != 3 || !slices.Contains([]string{"comment", "idea"}, parts[1]) {
		return cursor{}, ErrBadCursor
	}
	us, err1 := strconv.ParseInt(parts[0], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return cursor{}, ErrBadCursor
	}
	return cursor{at: time.UnixMicro(us).UTC(), kind: parts[1], id: id}, nil
}
