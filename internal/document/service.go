package document

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
	"gorm.io/gorm"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/event"
	"cocreate/internal/process"
)

// Service holds the rules for documents and their versions.
type Service struct {
	db     *gorm.DB
	store  *Store
	procs  *process.Service
	events *event.Bus
	now    func() time.Time
}

// NewService returns a service on db; publishing a version emits
// event.VersionPublished on events.
func NewService(db *gorm.DB, procs *process.Service, events *event.Bus, now func() time.Time) *Service {
	return &Service{db: db, store: NewStore(db), procs: procs, events: events, now: now}
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// CreateInput is what a new document needs.
type CreateInput struct {
	Title    string
	Language string
}

// Create adds a document to the process with slug; its owners and administrators may.
func (s *Service) Create(ctx context.Context, actor auth.Principal, slug string, in CreateInput) (Document, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return Document{}, err
	}
	if err := s.require(ctx, actor, p); err != nil {
		return Document{}, err
	}
	var f apperr.Fields
	title := strings.TrimSpace(in.Title)
	if n := utf8.RuneCountInString(title); n < 1 || n > 200 {
		f.Add("title", "length", "1 to 200 characters")
	}
	tag, err := language.Parse(in.Language)
	if err != nil {
		f.Add("language", "language", "a BCP 47 language tag such as en or fr-CA")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Document{}, err
	}
	d := Document{ProcessID: p.ID, Title: title, Language: tag.String()}
	if actor.UserID > 0 {
		d.CreatedBy = &actor.UserID
	}
	if err := s.store.Insert(ctx, &d); err != nil {
		return Document{}, err
	}
	return d, nil
}

// Summary is a document with the number of its latest published version.
type Summary struct {
	Document
	LatestNumber *int `gorm:"column:latest_number"`
}

// ListForProcess returns the documents of the process with slug, oldest
// first, when actor may read the process.
func (s *Service) ListForProcess(ctx context.Context, actor auth.Principal, slug string) ([]Summary, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	return s.store.ListForProcess(ctx, p.ID)
}

// Get returns a document, its process and its versions, oldest first; drafts
// are included only for those who manage the process.
func (s *Service) Get(ctx context.Context, actor auth.Principal, id int64) (Document, process.Process, []Version, error) {
	d, p, err := s.load(ctx, actor, id)
	if err != nil {
		return Document{}, process.Process{}, nil, err
	}
	a, err := s.procs.Access(ctx, actor, p.ID)
	if err != nil {
		return Document{}, process.Process{}, nil, err
	}
	vs, err := s.store.Versions(ctx, id, !a.Can(process.Manage))
	if err != nil {
		return Document{}, process.Process{}, nil, err
	}
	return d, p, vs, nil
}

// load returns a document and its process, when actor may read the process
// (ErrNotFound otherwise: a draft of an unpublished process does not show).
func (s *Service) load(ctx context.Context, actor auth.Principal, id int64) (Document, process.Process, error) {
	d, err := s.store.ByID(ctx, id)
	if err != nil {
		return Document{}, process.Process{}, err
	}
	p, err := s.procs.GetByID(ctx, d.ProcessID)
	if err != nil {
		return Document{}, process.Process{}, err
	}
	if err := s.procs.Readable(ctx, actor, p); errors.Is(err, process.ErrNotFound) {
		return Document{}, process.Process{}, ErrNotFound
	} else if err != nil {
		return Document{}, process.Process{}, err
	}
	return d, p, nil
}

// Check returns nil when actor may read the document, and says whether it
// is public (whether its answers may be cached for everyone); ErrNotFound
// when it does not exist or its process is hidden from actor. One query for
// a public document.
func (s *Service) Check(ctx context.Context, actor auth.Principal, docID int64) (public bool, err error) {
	processID, public, err := s.store.ProcessOf(ctx, docID)
	if err != nil || public {
		return public, err
	}
	if _, err := s.procs.Require(ctx, actor, processID, process.Manage, ErrNotFound); err != nil {
		return false, err
	}
	return false, nil
}

// Version returns version number of a document with its blocks; an
// unpublished one only to those who manage the process. number 0 means the
// latest published version.
func (s *Service) Version(ctx context.Context, actor auth.Principal, docID int64, number int) (Document, Version, []Block, error) {
	d, p, err := s.load(ctx, actor, docID)
	if err != nil {
		return Document{}, Version{}, nil, err
	}
	var v Version
	if number == 0 {
		latest, err := s.store.Latest(ctx, docID)
		if err != nil {
			return Document{}, Version{}, nil, err
		}
		if latest == nil {
			return Document{}, Version{}, nil, ErrNoPublished
		}
		v = *latest
	} else if v, err = s.store.VersionByNumber(ctx, docID, number); err != nil {
		return Document{}, Version{}, nil, err
	}
	if !v.Published() {
		if a, err := s.procs.Access(ctx, actor, p.ID); err != nil {
			return Document{}, Version{}, nil, err
		} else if !a.Can(process.Manage) {
			return Document{}, Version{}, nil, ErrVersionNotFound
		}
	}
	blocks, err := s.store.Blocks(ctx, v.ID)
	return d, v, blocks, err
}

// Exists returns ErrNotFound unless the document exists.
func (s *Service) Exists(ctx context.Context, docID int64) error {
	ok, err := s.store.Exists(ctx, docID)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNotFound
	}
	return nil
}

// LatestNumber returns the number of the latest published version (0 for none).
func (s *Service) LatestNumber(ctx context.Context, docID int64) (int, error) {
	return s.store.LatestNumber(ctx, docID)
}
