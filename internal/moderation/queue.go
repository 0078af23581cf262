package moderation

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/process"
)

// QueueFilter narrows the queue; every field maps to a fixed SQL condition.
type QueueFilter struct {
	Cause      Cause  // "" for any
	Target     string // "comment", "idea", "agenda_input" or ""
	DocumentID int64
	OlderThan  time.Duration
	Cursor     string
	Limit      int
}

// Queue is a page of items awaiting a decision and the counts per cause.
type Queue struct {
	Items      []Item
	Counts     map[Cause]int
	NextCursor string
}

// moderatorOf resolves slug for a moderator of the process, and says whether
// they also decide escalated items.
func (s *Service) moderatorOf(ctx context.Context, actor auth.Principal, slug string) (process.Process, bool, error) {
	id, err := s.procs.IDOf(ctx, slug)
	if err != nil {
		return process.Process{}, false, err
	}
	a, err := s.procs.Require(ctx, actor, id, process.Moderate, ErrForbidden)
	if err != nil {
		return process.Process{}, false, err
	}
	return process.Process{ID: id, Slug: slug}, a.Can(process.DecideEscalated), nil
}

// List returns the queue of a process, oldest first.
func (s *Service) List(ctx context.Context, actor auth.Principal, slug string, f QueueFilter) (Queue, error) {
	p, own, err := s.moderatorOf(ctx, actor, slug)
	if err != nil {
		return Queue{}, err
	}
	var after *queueCursor
	if f.Cursor != "" {
		at, id, err := parseQueueCursor(f.Cursor)
		if err != nil {
			return Queue{}, err
		}
		after = &queueCursor{QueuedAt: at, ID: id}
	}
	// One item more than the page tells whether another page follows.
	items, err := s.store.QueuePage(ctx, p.ID, own, f, s.opt.Now(), after, f.Limit+1)
	if err != nil {
		return Queue{}, err
	}
	out := Queue{Items: items}
	if len(items) > f.Limit {
		out.Items = items[:f.Limit]
		last := out.Items[f.Limit-1]
		out.NextCursor = base64.RawURLEncoding.EncodeToString([]byte("q:" + strconv.FormatInt(last.QueuedAt.UnixMicro(), 10) +
			":" + strconv.FormatInt(last.ID, 10)))
	}
	if out.Counts, err = s.store.QueueCounts(ctx, p.ID, own); err != nil {
		return Queue{}, err
	}
	return out, nil
}

func parseQueueCursor(cur string) (time.Time, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(cur)
	parts := strings.Split(string(b), ":")
	if err != nil || len(parts) != 3 || parts[0] != "q" {
		return time.Time{}, 0, ErrBadCursor
	}
	us, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return time.Time{}, 0, ErrBadCursor
	}
	return time.UnixMicro(us).UTC(), id, nil
}

// Claim hands actor the oldest unclaimed item matching f, with a lease. Rows
// another claim is looking at are skipped (FOR UPDATE SKIP LOCKED), so two
// moderators never get the same item; an expired lease returns the item to
// the queue; an appealed item never goes to the moderator who decided it. It
// returns ErrNotFound when there is nothing to claim.
func (s *Service) Claim(ctx context.Context, actor auth.Principal, slug string, f QueueFilter) (Item, error) {
	p, own, err := s.moderatorOf(ctx, actor, slug)
	if err != nil {
		return Item{}, err
	}
	now := s.opt.Now().UTC()
	id, err := s.store.Claim(ctx, p.ID, own, f, now, now.Add(s.opt.Lease), actor.UserID)
	if err != nil {
		return Item{}, err
	}
	return s.store.Item(ctx, id)
}
