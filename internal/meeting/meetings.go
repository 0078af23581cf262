package meeting

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/process"
)

// When chooses the meetings of a list: those still to end, soonest first, or
// those over, latest first.
type When string

// The lists.
const (
	Upcoming When = "upcoming"
	Past     When = "past"
)

// MaxPageSize bounds a page of meetings.
const MaxPageSize = 100

// Page is a page of meetings and the cursor of the next ("" on the last).
type Page struct {
	Items      []Meeting
	NextCursor string
	Manage     bool // the caller may create and edit the process's meetings
}

// List returns a page of a process's meetings: published ones, and drafts
// for its owners.
func (s *Service) List(ctx context.Context, actor auth.Principal, slug string, when When, cursor string, limit int) (Page, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Page{}, err
	}
	if err := s.procs.Readable(ctx, actor, p); err != nil {
		return Page{}, err
	}
	a, err := s.procs.Access(ctx, actor, p.ID)
	if err != nil {
		return Page{}, err
	}
	var after *pageCursor
	if cursor != "" {
		c, err := parseCursor(cursor)
		if err != nil {
			return Page{}, err
		}
		after = &c
	}
	limit = max(1, min(limit, MaxPageSize))
	items, err := s.store.Page(ctx, p.ID, when, a.Can(process.Manage), s.opt.Now().UTC(), after, limit+1)
	if err != nil {
		return Page{}, err
	}
	out := Page{Items: items, Manage: a.Can(process.Manage)}
	if len(items) > limit {
		out.Items = items[:limit]
		last := out.Items[limit-1]
		out.NextCursor = base64.RawURLEncoding.EncodeToString([]byte("m:" + strconv.FormatInt(last.StartsAt.UnixMicro(), 10) +
			":" + strconv.FormatInt(last.ID, 10)))
	}
	return out, nil
}

// pageCursor is where a page of meetings starts: after this meeting.
type pageCursor struct {
	StartsAt time.Time
	ID       int64
}

func parseCursor(cur string) (pageCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(cur)
	parts := strings.Split(string(b), ":")
	if err != nil || len(parts) != 3 || parts[0] != "m" {
		return pageCursor{}, ErrBadCursor
	}
	us, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || id < 1 {
		return pageCursor{}, ErrBadCursor
	}
	return pageCursor{StartsAt: time.UnixMicro(us).UTC(), ID: id}, nil
}

// Create adds a meeting to a process, as a draft its owners publish when
// ready; owners and administrators.
func (s *Service) Create(ctx context.Context, actor auth.Principal, slug string, in Input) (Meeting, error) {
	p, _, err := s.procs.GetFor(ctx, actor, slug, process.Manage, ErrForbidden)
	if err != nil {
		return Meeting{}, err
	}
	c, err := check(in)
	if err != nil {
		return Meeting{}, err
	}
	var by *int64
	if actor.UserID > 0 {
		by = &actor.UserID
	}
	id, err := s.store.Insert(ctx, p.ID, c, by, s.opt.Now().UTC())
	if err != nil {
		return Meeting{}, err
	}
	return s.Get(ctx, actor, id)
}

// Get returns a meeting with its minutes (every version, newest first) and
// what the caller is to it.
func (s *Service) Get(ctx context.Context, actor auth.Principal, id int64) (Meeting, error) {
	m, _, err := s.readable(ctx, actor, id, false)
	if err != nil {
		return Meeting{}, err
	}
	if m.Minutes, err = s.minutes(ctx, m.ID); err != nil {
		return Meeting{}, err
	}
	if actor.Authenticated() {
		reg, found, err := s.store.RegistrationOf(ctx, m.ID, actor.UserID)
		if err != nil {
			return Meeting{}, err
		}
		if found {
			m.Viewer.Registration = &reg
		}
	}
	return m, nil
}

// Update changes a meeting on the revision its owner read. An open meeting
// with registrations stays open, and its capacity stays at or above the
// places already given; a higher capacity gives places to the waiting list,
// in order.
func (s *Service) Update(ctx context.Context, actor auth.Principal, id int64, in Input) (Meeting, error) {
	if in.Revision < 1 {
		return Meeting{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "revision", Code: "required", Message: "the revision you read"})
	}
	c, err := check(in)
	if err != nil {
		return Meeting{}, err
	}
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		m, err := s.managed(ctx, actor, id)
		if err != nil {
			return err
		}
		if m.Revision != in.Revision {
			return ErrStale
		}
		var f apperr.Fields
		if m.Kind == KindOpen && c.Kind != KindOpen && m.Confirmed+m.Waiting > 0 {
			f.Add("kind", "registrations", "people have registered: the meeting stays open")
		}
		if c.Capacity != nil && *c.Capacity < m.Confirmed {
			f.Add("capacity", "below_confirmed", "at least the places already given ("+strconv.Itoa(m.Confirmed)+")")
		}
		if err := f.Err(CodeInvalid); err != nil {
			return err
		}
		now := s.opt.Now().UTC()
		if err := s.store.Update(ctx, id, c, now); err != nil {
			return err
		}
		m.Title, m.Capacity = c.Title, c.Capacity
		return s.fill(ctx, m)
	})
	if err != nil {
		return Meeting{}, err
	}
	return s.Get(ctx, actor, id)
}

// Publish shows a draft meeting, its agenda and its links to the public.
func (s *Service) Publish(ctx context.Context, actor auth.Principal, id int64) (Meeting, error) {
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		m, err := s.managed(ctx, actor, id)
		if err != nil {
			return err
		}
		if m.Published() {
			return ErrAlreadyPublished
		}
		return s.store.MarkPublished(ctx, id, s.opt.Now().UTC())
	})
	if err != nil {
		return Meeting{}, err
	}
	return s.Get(ctx, actor, id)
}
