package update

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/event"
	"cocreate/internal/markdown"
	"cocreate/internal/process"
)

// Service holds the rules of updates: owners and administrators write them,
// whoever may read the process reads them.
type Service struct {
	db     *gorm.DB
	store  *Store
	procs  *process.Service
	events *event.Bus
	now    func() time.Time
}

// NewService returns a service on db; now is the clock that dates new
// updates, and a new update emits event.UpdatePublished on events.
func NewService(db *gorm.DB, procs *process.Service, events *event.Bus, now func() time.Time) *Service {
	return &Service{db: db, store: NewStore(db), procs: procs, events: events, now: now}
}

// Input is an update as its author writes it.
type Input struct {
	Title string
	Body  string // Markdown
}

// EditInput is an edit of an update, made on the version the editor read.
type EditInput struct {
	Input
	// EditedAt is the update's edited_at as read (nil when it was never
	// edited): an update edited since is not overwritten (process.ErrStale).
	EditedAt *time.Time
}

// Page is one page of updates and the cursor of the next ("" on the last).
type Page struct {
	Items      []Update
	NextCursor string
}

// validate checks an update's title and body and returns them with the body
// rendered to sanitised HTML.
func validate(in Input) (Update, error) {
	var f apperr.Fields
	title := strings.TrimSpace(in.Title)
	switch {
	case title == "":
		f.Add("title", "required", "a title is required")
	case !utf8.ValidString(title):
		f.Add("title", "characters", "not valid UTF-8")
	case utf8.RuneCountInString(title) > MaxTitle:
		f.Add("title", "max", fmt.Sprintf("at most %d characters", MaxTitle))
	case strings.ContainsFunc(title, unicode.IsControl):
		f.Add("title", "characters", "a single line, without control characters")
	}
	body := strings.TrimSpace(in.Body)
	switch {
	case !markdown.HasVisible(body):
		f.Add("body", "required", "write the update")
	case !utf8.ValidString(body):
		f.Add("body", "characters", "not valid UTF-8")
	case utf8.RuneCountInString(body) > MaxBody:
		f.Add("body", "max", fmt.Sprintf("at most %d characters", MaxBody))
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Update{}, err
	}
	html, err := markdown.Render(body)
	if err != nil {
		return Update{}, err
	}
	return Update{Title: title, Body: body, BodyHTML: html}, nil
}

// managed returns the process with slug when actor manages it (not found
// when they may not even read it, forbidden when they may read it only).
func (s *Service) managed(ctx context.Context, actor auth.Principal, slug string) (process.Process, error) {
	if !actor.Can(auth.PermProcessEdit) {
		return process.Process{}, process.ErrForbidden
	}
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return process.Process{}, err
	}
	return p, s.procs.RequireManage(ctx, actor, p, process.ErrForbidden)
}

// List returns a page of the updates of the process with slug, newest first,
// for whoever may read the process. limit is 1..MaxPageSize (the handler
// checks it); cursor is "" or a NextCursor of an earlier page.
func (s *Service) List(ctx context.Context, actor auth.Principal, slug, cursor string, limit int) (Page, process.Process, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return Page{}, process.Process{}, err
	}
	pos, err := parseCursor(cursor)
	if err != nil {
		return Page{}, process.Process{}, err
	}
	limit = max(1, min(limit, MaxPageSize))
	us, err := s.store.Page(ctx, p.ID, pos, limit+1)
	if err != nil {
		return Page{}, process.Process{}, err
	}
	page := Page{Items: us}
	if len(us) > limit {
		page.Items = us[:limit]
		last := us[limit-1]
		page.NextCursor = encodeCursor(position{At: last.PublishedAt, ID: last.ID})
	}
	return page, p, nil
}

// Create publishes a new update in the process with slug, dated now; its
// owners and administrators may.
func (s *Service) Create(ctx context.Context, actor auth.Principal, slug string, in Input) (Update, error) {
	p, err := s.managed(ctx, actor, slug)
	if err != nil {
		return Update{}, err
	}
	u, err := validate(in)
	if err != nil {
		return Update{}, err
	}
	u.ProcessID, u.PublishedAt = p.ID, s.now().UTC()
	if actor.UserID > 0 {
		u.CreatedBy = &actor.UserID
	}
	var out Update
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		if out, err = s.store.Insert(ctx, u); err != nil {
			return err
		}
		return s.events.Emit(ctx, event.UpdatePublished{ProcessID: p.ID, UpdateID: out.ID, AuthorID: actor.UserID, Title: out.Title})
	})
	return out, err
}

// Edit replaces an update's title and body, on the version the editor read
// (process.ErrStale when it was edited since); the date it was published stays.
func (s *Service) Edit(ctx context.Context, actor auth.Principal, slug string, id int64, in EditInput) (Update, error) {
	p, err := s.managed(ctx, actor, slug)
	if err != nil {
		return Update{}, err
	}
	next, err := validate(in.Input)
	if err != nil {
		return Update{}, err
	}
	var out Update
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		cur, err := s.store.Lock(ctx, p.ID, id)
		if err != nil {
			return err
		}
		switch {
		case cur.EditedAt == nil && in.EditedAt != nil,
			cur.EditedAt != nil && (in.EditedAt == nil || !in.EditedAt.Equal(*cur.EditedAt)):
			return process.ErrStale
		}
		next.ID = id
		out, err = s.store.Edit(ctx, next)
		return err
	})
	return out, err
}

// Delete removes an update of the process with slug; its owners and
// administrators may.
func (s *Service) Delete(ctx context.Context, actor auth.Principal, slug string, id int64) error {
	p, err := s.managed(ctx, actor, slug)
	if err != nil {
		return err
	}
	return s.store.Delete(ctx, p.ID, id)
}

// encodeCursor makes the opaque cursor of a position: "u:<unix µs>:<id>".
func encodeCursor(pos position) string {
	return base64.RawURLEncoding.EncodeToString([]byte("u:" + strconv.FormatInt(pos.At.UnixMicro(), 10) + ":" + strconv.FormatInt(pos.ID, 10)))
}

// parseCursor reads a cursor of encodeCursor ("" is the first page: nil).
func parseCursor(cursor string) (*position, error) {
	if cursor == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	parts := strings.Split(string(b), ":")
	if err != nil || len(parts) != 3 || parts[0] != "u" {
		return nil, ErrBadCursor
	}
	at, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || id < 1 {
		return nil, ErrBadCursor
	}
	return &position{At: time.UnixMicro(at).UTC(), ID: id}, nil
}
