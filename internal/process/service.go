package process

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/markdown"
)

// Service holds the rules for creating, changing and reading processes.
type Service struct {
	db    *gorm.DB
	store *Store
	now   func() time.Time
}

// NewService returns a service on db; now is the clock (time.Now in production).
func NewService(db *gorm.DB, now func() time.Time) *Service {
	return &Service{db: db, store: NewStore(db), now: now}
}

// Now is the service's clock, for callers that compute states from it.
func (s *Service) Now() time.Time { return s.now() }

// PhaseInput is one phase as given by a process owner.
type PhaseInput struct {
	Kind     PhaseKind
	OpensAt  time.Time
	ClosesAt time.Time
}

// CreateInput is what a new process needs.
type CreateInput struct {
	Slug      string
	Title     string
	Summary   string
	Languages []string
	Phases    []PhaseInput
}

// UpdateInput changes the fields that are not nil; Phases replaces the whole list.
type UpdateInput struct {
	Title     *string
	Summary   *string
	Languages *[]string
	Phases    *[]PhaseInput
}

// ErrForbidden is returned to a principal who may not manage processes.
var ErrForbidden = apperr.Forbidden("process.forbidden", "only an administrator or this process's owner may do this")

// Create validates and stores a new process with its phases; administrators only.
func (s *Service) Create(ctx context.Context, actor auth.Principal, in CreateInput) (Process, error) {
	if !actor.Can(auth.PermProcessCreate) {
		return Process{}, ErrForbidden
	}
	var f apperr.Fields
	slug := strings.TrimSpace(in.Slug)
	validateSlug(&f, slug)
	title := validateTitle(&f, in.Title)
	validateSummary(&f, in.Summary)
	langs := validateLanguages(&f, in.Languages)
	phases := validatePhases(&f, in.Phases)
	if err := f.Err(CodeInvalid); err != nil {
		return Process{}, err
	}
	html, err := markdown.Render(in.Summary)
	if err != nil {
		return Process{}, err
	}
	p := Process{Slug: slug, Title: title, Summary: in.Summary, SummaryHTML: html, Languages: langs, Phases: phases}
	if err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		return s.store.Insert(ctx, &p)
	}); err != nil {
		return Process{}, err
	}
	return p, nil
}

// Update applies the given changes to the process with slug, all or nothing;
// administrators and the process's owners may.
func (s *Service) Update(ctx context.Context, actor auth.Principal, slug string, in UpdateInput) (Process, error) {
	if !actor.Can(auth.PermProcessEdit) {
		return Process{}, ErrForbidden
	}
	var f apperr.Fields
	var columns []string
	var title, html string
	var langs []string
	var phases []Phase
	if in.Title != nil {
		title = validateTitle(&f, *in.Title)
		columns = append(columns, "title")
	}
	if in.Summary != nil {
		validateSummary(&f, *in.Summary)
		columns = append(columns, "summary", "summary_html")
	}
	if in.Languages != nil {
		langs = validateLanguages(&f, *in.Languages)
		columns = append(columns, "languages")
	}
	if in.Phases != nil {
		phases = validatePhases(&f, *in.Phases)
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Process{}, err
	}
	if in.Summary != nil {
		var err error
		if html, err = markdown.Render(*in.Summary); err != nil {
			return Process{}, err
		}
	}
	var out Process
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		p, err := s.store.BySlug(ctx, slug, true)
		if err != nil {
			return err
		}
		if _, err := s.Require(ctx, actor, p.ID, Manage, ErrForbidden); err != nil {
			return err
		}
		if in.Title != nil {
			p.Title = title
		}
		if in.Summary != nil {
			p.Summary, p.SummaryHTML = *in.Summary, html
		}
		if in.Languages != nil {
			p.Languages = langs
		}
		if in.Phases != nil {
			p.Phases = phases
		}
		if len(columns) == 0 && in.Phases == nil {
			out = p // nothing to change; updated_at stays as it was
			return nil
		}
		if err := s.store.Update(ctx, &p, columns, in.Phases != nil); err != nil {
			return err
		}
		out, err = s.store.BySlug(ctx, slug, false)
		return err
	})
	return out, err
}

// Publish opens the process with slug to the public (its owners prepare it
// unpublished); administrators and its owners may. Publishing again changes
// nothing.
func (s *Service) Publish(ctx context.Context, actor auth.Principal, slug string) (Process, error) {
	p, err := s.store.BySlug(ctx, slug, false)
	if err != nil {
		return Process{}, err
	}
	if _, err := s.Require(ctx, actor, p.ID, Manage, ErrForbidden); err != nil {
		return Process{}, err
	}
	if err := s.store.Publish(ctx, p.ID, s.now().UTC()); err != nil {
		return Process{}, err
	}
	return s.store.BySlug(ctx, slug, false)
}

// Get returns the process with slug.
func (s *Service) Get(ctx context.Context, slug string) (Process, error) {
	if !slugPattern.MatchString(slug) {
		return Process{}, ErrNotFound
	}
	return s.store.BySlug(ctx, slug, false)
}

// IDOf returns the id of the process with slug, without loading it.
func (s *Service) IDOf(ctx context.Context, slug string) (int64, error) {
	if !slugPattern.MatchString(slug) {
		return 0, ErrNotFound
	}
	return s.store.IDOf(ctx, slug)
}

// GetByID returns the process with id.
func (s *Service) GetByID(ctx context.Context, id int64) (Process, error) {
	return s.store.ByID(ctx, id)
}

// CanManage reports whether actor may manage the process's content: an
// administrator or one of its owners.
func (s *Service) CanManage(ctx context.Context, actor auth.Principal, p Process) (bool, error) {
	a, err := s.Access(ctx, actor, p.ID)
	return a.Can(Manage), err
}

// MaxPageSize bounds every page of processes.
const MaxPageSize = 100

// Page is one page of processes and the cursor of the next ("" on the last).
type Page struct {
	Items      []Process
	NextCursor string
}

// List returns a page of processes, newest first. limit must be 1..MaxPageSize
// (the handler validates it); cursor is "" or a NextCursor from an earlier page.
func (s *Service) List(ctx context.Context, cursor string, limit int) (Page, error) {
	var before int64
	if cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(cursor)
		if err != nil {
			return Page{}, ErrBadCursor
		}
		id, err := strconv.ParseInt(strings.TrimPrefix(string(b), "p:"), 10, 64)
		if err != nil || id <= 0 || !strings.HasPrefix(string(b), "p:") {
			return Page{}, ErrBadCursor
		}
		before = id
	}
	limit = max(1, min(limit, MaxPageSize))
	items, more, err := s.store.Page(ctx, before, limit)
	if err != nil {
		return Page{}, err
	}
	page := Page{Items: items}
	if more {
		last := items[len(items)-1].ID
		page.NextCursor = base64.RawURLEncoding.EncodeToString([]byte("p:" + strconv.FormatInt(last, 10)))
	}
	return page, nil
}
