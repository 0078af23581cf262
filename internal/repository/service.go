package repository

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"gorm.io/gorm"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/blob"
	"cocreate/internal/database"
	"cocreate/internal/process"
)

// Options configure the service.
type Options struct {
	Now func() time.Time
	Log *slog.Logger
}

// Service holds the rules of the repository: who may change it, what an
// item must say, and that a row and its blob come and go together.
type Service struct {
	db    *gorm.DB
	store *Store
	procs *process.Service
	blobs blob.Store
	opt   Options
}

// NewService returns the repository service.
func NewService(db *gorm.DB, procs *process.Service, blobs blob.Store, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, store: NewStore(db), procs: procs, blobs: blobs, opt: opt}
}

// Meta is what the owner says of a document: its kind, title, date and language.
type Meta struct {
	Kind     Kind
	Title    string
	Date     string // YYYY-MM-DD
	Language string // BCP 47
}

// FileInput is an uploaded file, already checked at the boundary (its name
// made safe, its content type detected from its bytes and allowed, its size
// within UPLOAD_MAX_BYTES).
type FileInput struct {
	Name        string
	ContentType string
	Size        int64
	Body        io.Reader
}

// Dates outside these bounds are typing mistakes.
var (
	earliestDate = time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	latestDate   = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// validateMeta checks m into f and returns it cleaned: the title trimmed,
// the language in canonical form.
func validateMeta(f *apperr.Fields, m Meta) Meta {
	switch {
	case m.Kind == "":
		f.Add("kind", "required", "the kind of document is required")
	case !m.Kind.Valid():
		f.Add("kind", "choose", "one of: terms_of_reference, minutes, self_assessment, review_report, evidence, other")
	}
	m.Title = strings.TrimSpace(m.Title)
	switch {
	case m.Title == "":
		f.Add("title", "required", "a title is required")
	case utf8.RuneCountInString(m.Title) > MaxTitle:
		f.Add("title", "max", fmt.Sprintf("a title has at most %d characters", MaxTitle))
	case !utf8.ValidString(m.Title) || strings.IndexFunc(m.Title, unicode.IsControl) >= 0:
		f.Add("title", "characters", "a title is one line without control characters")
	}
	m.Date = strings.TrimSpace(m.Date)
	if m.Date == "" {
		f.Add("date", "required", "the document's date is required")
	} else if d, err := time.Parse(time.DateOnly, m.Date); err != nil || d.Before(earliestDate) || !d.Before(latestDate) {
		f.Add("date", "date", "a date such as 2027-03-01, from 1950 to 2099")
	}
	m.Language = strings.TrimSpace(m.Language)
	if m.Language == "" {
		f.Add("language", "required", "the document's language is required")
	} else if tag, err := language.Parse(m.Language); err != nil || len(m.Language) > 35 || tag == language.Und {
		f.Add("language", "language", "a BCP 47 language tag such as en or fr-CA")
	} else {
		m.Language = tag.String()
	}
	return m
}

// validateURL checks a link to a document elsewhere: an absolute http or
// https address with a host, on one line, without credentials in it.
func validateURL(f *apperr.Fields, raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		f.Add("url", "required", "the address of the document is required")
		return ""
	}
	if len(raw) > MaxURL {
		f.Add("url", "max", fmt.Sprintf("an address has at most %d characters", MaxURL))
		return ""
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || strings.IndexFunc(raw, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0:
		f.Add("url", "url", "not a web address")
	case u.Scheme != "http" && u.Scheme != "https":
		f.Add("url", "url", "a link starts with http:// or https://")
	case u.Host == "" || u.Hostname() == "":
		f.Add("url", "url", "a web address names a site, as in https://example.org/report.pdf")
	case u.User != nil:
		f.Add("url", "url", "a link may not carry a user name or password")
	default:
		return u.String()
	}
	return ""
}

// manageable returns the process of slug when actor may change its
// repository: an unpublished process is not found by others, a public one
// is forbidden to them.
func (s *Service) manageable(ctx context.Context, actor auth.Principal, slug string) (process.Process, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return process.Process{}, err
	}
	if err := s.procs.Readable(ctx, actor, p); err != nil {
		return process.Process{}, err
	}
	if _, err := s.procs.Require(ctx, actor, p.ID, process.Manage, ErrForbidden); err != nil {
		return process.Process{}, err
	}
	return p, nil
}

// CheckManage returns nil when actor may change the repository of the
// process slug: the upload route asks before it reads a file.
func (s *Service) CheckManage(ctx context.Context, actor auth.Principal, slug string) error {
	_, err := s.manageable(ctx, actor, slug)
	return err
}

// AddFile stores an uploaded file in the blob store and its item in the
// database. The blob is written first and removed again if the row cannot
// be, so no item ever points to a missing file; bad input stores nothing.
func (s *Service) AddFile(ctx context.Context, actor auth.Principal, slug string, m Meta, file FileInput) (Item, error) {
	var f apperr.Fields
	m = validateMeta(&f, m)
	if file.Body == nil || file.Size < 0 || file.Name == "" || file.ContentType == "" {
		f.Add("file", "required", "attach a file")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Item{}, err
	}
	p, err := s.manageable(ctx, actor, slug)
	if err != nil {
		return Item{}, err
	}
	key := blob.NewKey("repository")
	sum := sha256.New()
	if err := s.blobs.Put(ctx, key, io.TeeReader(file.Body, sum), file.Size, file.ContentType); err != nil {
		return Item{}, fmt.Errorf("repository: store the file of process %s: %w", slug, err)
	}
	it, err := s.store.Insert(ctx, Item{ProcessID: p.ID, Kind: m.Kind, Title: m.Title, Date: m.Date, Language: m.Language,
		CreatedAt: s.opt.Now(), File: &File{Key: key, Name: file.Name, ContentType: file.ContentType, Size: file.Size, SHA256: sum.Sum(nil)}}, actor.UserID)
	if err != nil {
		if derr := s.blobs.Delete(context.WithoutCancel(ctx), key); derr != nil {
			s.opt.Log.WarnContext(ctx, "repository: a blob outlives its failed insert", "key", key, "error", derr.Error())
		}
		return Item{}, err
	}
	return it, nil
}

// AddLink stores an item that links to a document published elsewhere.
func (s *Service) AddLink(ctx context.Context, actor auth.Principal, slug string, m Meta, rawURL string) (Item, error) {
	var f apperr.Fields
	m = validateMeta(&f, m)
	u := validateURL(&f, rawURL)
	if err := f.Err(CodeInvalid); err != nil {
		return Item{}, err
	}
	p, err := s.manageable(ctx, actor, slug)
	if err != nil {
		return Item{}, err
	}
	return s.store.Insert(ctx, Item{ProcessID: p.ID, Kind: m.Kind, Title: m.Title, Date: m.Date, Language: m.Language, URL: &u,
		CreatedAt: s.opt.Now()}, actor.UserID)
}

// Delete removes an item and then its file. The row goes first, in its own
// transaction: once it is gone nobody is offered the file, and a blob left
// behind by a failure is only wasted space, never a broken link.
func (s *Service) Delete(ctx context.Context, actor auth.Principal, id int64) error {
	it, err := s.store.ByID(ctx, id)
	if err != nil {
		return err
	}
	p, err := s.procs.GetByID(ctx, it.ProcessID)
	if err != nil {
		return err
	}
	if err := s.procs.Readable(ctx, actor, p); err != nil {
		return ErrNotFound
	}
	if _, err := s.procs.Require(ctx, actor, p.ID, process.Manage, ErrForbidden); err != nil {
		return err
	}
	var gone Item
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		gone, err = s.store.Delete(ctx, id)
		return err
	})
	if err != nil {
		return err
	}
	if gone.File != nil {
		if err := s.blobs.Delete(context.WithoutCancel(ctx), gone.File.Key); err != nil {
			s.opt.Log.WarnContext(ctx, "repository: the file of a deleted item could not be removed", "key", gone.File.Key, "error", err.Error())
		}
	}
	return nil
}

// Filter selects a page of a repository.
type Filter struct {
	Kind   Kind // "" for every kind
	Cursor string
	Limit  int // 1..MaxPageSize
}

// Page is one page of a repository and the cursor of the next ("" on the last).
type Page struct {
	Process    process.Process
	Items      []Item
	NextCursor string
}

func encodeCursor(it Item) string {
	return base64.RawURLEncoding.EncodeToString([]byte("r:" + it.Date + ":" + strconv.FormatInt(it.ID, 10)))
}

func decodeCursor(cur string) (date string, id int64, err error) {
	b, derr := base64.RawURLEncoding.DecodeString(cur)
	parts := strings.Split(string(b), ":")
	if derr != nil || len(parts) != 3 || parts[0] != "r" {
		return "", 0, ErrBadCursor
	}
	if _, err := time.Parse(time.DateOnly, parts[1]); err != nil {
		return "", 0, ErrBadCursor
	}
	id, err = strconv.ParseInt(parts[2], 10, 64)
	if err != nil || id < 1 {
		return "", 0, ErrBadCursor
	}
	return parts[1], id, nil
}

// List returns a page of the process's repository, newest document first.
// Anyone may read the repository of a public process; an unpublished one is
// not found but by its owners and administrators.
func (s *Service) List(ctx context.Context, actor auth.Principal, slug string, f Filter) (Page, error) {
	if f.Kind != "" && !f.Kind.Valid() {
		return Page{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "kind", Code: "choose",
			Message: "one of: terms_of_reference, minutes, self_assessment, review_report, evidence, other"})
	}
	p, err := s.readable(ctx, actor, slug)
	if err != nil {
		return Page{}, err
	}
	q := listQuery{ProcessID: p.ID, Kind: f.Kind, Limit: max(1, min(f.Limit, MaxPageSize)) + 1}
	if f.Cursor != "" {
		if q.AfterDate, q.AfterID, err = decodeCursor(f.Cursor); err != nil {
			return Page{}, err
		}
		q.After = true
	}
	items, err := s.store.List(ctx, q)
	if err != nil {
		return Page{}, err
	}
	page := Page{Process: p, Items: items}
	if len(items) == q.Limit {
		page.Items = items[:q.Limit-1]
		page.NextCursor = encodeCursor(page.Items[len(page.Items)-1])
	}
	return page, nil
}

// readable returns the process of slug when actor may read it.
func (s *Service) readable(ctx context.Context, actor auth.Principal, slug string) (process.Process, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return process.Process{}, err
	}
	if err := s.procs.Readable(ctx, actor, p); err != nil {
		return process.Process{}, err
	}
	return p, nil
}

// Download is an item's file, open for reading; the caller closes Body.
type Download struct {
	Item   Item // its File is set
	Public bool // the process is public: shared caches may keep the file
	Body   io.ReadCloser
}

// Open returns an item's file for download, to anyone who may read its
// process. A link has no file (ErrNoFile).
func (s *Service) Open(ctx context.Context, actor auth.Principal, id int64) (Download, error) {
	it, err := s.store.ByID(ctx, id)
	if err != nil {
		return Download{}, err
	}
	p, err := s.procs.GetByID(ctx, it.ProcessID)
	if err != nil {
		return Download{}, err
	}
	if err := s.procs.Readable(ctx, actor, p); err != nil {
		return Download{}, ErrNotFound
	}
	if it.File == nil {
		return Download{}, ErrNoFile
	}
	body, err := s.blobs.Open(ctx, it.File.Key)
	if errors.Is(err, blob.ErrNotFound) {
		return Download{}, fmt.Errorf("repository: item %d: its file %s is missing from the blob store: %w", id, it.File.Key, err)
	}
	if err != nil {
		return Download{}, err
	}
	return Download{Item: it, Public: p.Public(), Body: body}, nil
}
