package offline

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/blob"
	"cocreate/internal/comment"
	"cocreate/internal/contribution"
	"cocreate/internal/database"
	"cocreate/internal/document"
	"cocreate/internal/idea"
	"cocreate/internal/process"
)

// Service enters contributions received offline and keeps their scans.
type Service struct {
	db       *gorm.DB
	store    *Store
	procs    *process.Service
	docs     *document.Service
	ideas    *idea.Service
	comments *comment.Service
	blobs    blob.Store
	log      *slog.Logger
}

// NewService returns the service; the ideas and comments it enters go through
// their own services, the scans into blobs.
func NewService(db *gorm.DB, procs *process.Service, docs *document.Service, ideas *idea.Service, comments *comment.Service,
	blobs blob.Store, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, store: NewStore(db), procs: procs, docs: docs, ideas: ideas, comments: comments, blobs: blobs, log: log}
}

// Scan is the scan of an original as uploaded: its safe file name, its
// content type as detected from its bytes, its size and its bytes.
type Scan struct {
	Name        string
	ContentType string
	Size        int64
	Content     io.Reader
}

// IdeaInput is an idea received offline.
type IdeaInput struct {
	Received contribution.Provenance
	Title    string
	Body     string
	ThemeID  int64
}

// CommentInput is a comment on a paragraph received offline: the paragraph's
// key in the version of the draft the contributor read (the latest published).
type CommentInput struct {
	Received     contribution.Provenance
	DocumentID   int64
	ParagraphKey string
	Version      int
	Body         string
}

// manage returns the process with slug when actor may enter contributions in
// it: its owners and administrators (others do not see an unpublished process).
func (s *Service) manage(ctx context.Context, actor auth.Principal, slug string) (process.Process, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return process.Process{}, err
	}
	if err := s.procs.Readable(ctx, actor, p); err != nil {
		return process.Process{}, err
	}
	_, err = s.procs.Require(ctx, actor, p.ID, process.Manage, ErrForbidden)
	return p, err
}

// checkEntry adds what is wrong with an entry's channel and scan to f.
func checkEntry(f *apperr.Fields, received contribution.Provenance, scan *Scan) {
	if !received.Channel.Offline() {
		f.Add("channel", "enum", "paper, phone, email or workshop")
	}
	if scan != nil {
		switch {
		case !ScanTypes[scan.ContentType]:
			f.Add("file", "type", "a scan is a PDF or an image")
		case scan.Size <= 0:
			f.Add("file", "required", "the file is empty")
		}
	}
}

// EnterIdea stores an idea received offline on its contributor's behalf, with
// the scan of the original when given, all or nothing. The idea's own rules
// apply (its phase open, its theme, the screen).
func (s *Service) EnterIdea(ctx context.Context, actor auth.Principal, slug string, in IdeaInput, scan *Scan) (idea.Idea, *Attachment, error) {
	if _, err := s.manage(ctx, actor, slug); err != nil {
		return idea.Idea{}, nil, err
	}
	var f apperr.Fields
	checkEntry(&f, in.Received, scan)
	if err := f.Err(CodeInvalid); err != nil {
		return idea.Idea{}, nil, err
	}
	var out idea.Idea
	var att *Attachment
	err := s.withScan(ctx, actor, scan, func(ctx context.Context) (*int64, *int64, error) {
		var err error
		out, err = s.ideas.Create(ctx, actor, slug, idea.CreateInput{Title: in.Title, Body: in.Body, ThemeID: in.ThemeID,
			Channel: in.Received.Channel, Contributor: in.Received.Contributor, ReceivedOn: in.Received.ReceivedOn})
		return nil, &out.ID, err
	}, &att)
	if err != nil {
		return idea.Idea{}, nil, err
	}
	return out, att, nil
}

// EnterComment stores a comment received offline on a paragraph of one of the
// process's drafts, on its contributor's behalf, with the scan of the original
// when given, all or nothing. The comment's own rules apply (the comment
// window open, the paragraph in the latest version, the screen).
func (s *Service) EnterComment(ctx context.Context, actor auth.Principal, slug string, in CommentInput, scan *Scan) (comment.Comment, *Attachment, error) {
	p, err := s.manage(ctx, actor, slug)
	if err != nil {
		return comment.Comment{}, nil, err
	}
	var f apperr.Fields
	checkEntry(&f, in.Received, scan)
	d, _, _, err := s.docs.Get(ctx, actor, in.DocumentID)
	switch {
	case errors.Is(err, document.ErrNotFound) || (err == nil && d.ProcessID != p.ID):
		f.Add("document_id", "unknown", "no such draft in this process")
	case err != nil:
		return comment.Comment{}, nil, err
	}
	if err := f.Err(CodeInvalid); err != nil {
		return comment.Comment{}, nil, err
	}
	received := in.Received
	var out comment.Comment
	var att *Attachment
	err = s.withScan(ctx, actor, scan, func(ctx context.Context) (*int64, *int64, error) {
		var err error
		out, err = s.comments.Create(ctx, actor, in.DocumentID, comment.CreateInput{Key: in.ParagraphKey, Version: in.Version,
			Body: in.Body, Received: &received})
		return &out.ID, nil, err
	}, &att)
	if err != nil {
		return comment.Comment{}, nil, err
	}
	return out, att, nil
}

// withScan stores the scan (when given) in the blob store, then, in one
// transaction, runs create (which stores the contribution and says which it
// is) and records the scan against it. When anything fails the scan is
// removed again, so a refused entry leaves nothing behind.
func (s *Service) withScan(ctx context.Context, actor auth.Principal, scan *Scan, create func(context.Context) (commentID, ideaID *int64, err error), out **Attachment) error {
	key := ""
	if scan != nil {
		key = blob.NewKey("contributions")
		if err := s.blobs.Put(ctx, key, scan.Content, scan.Size, scan.ContentType); err != nil {
			s.drop(ctx, key)
			return err
		}
	}
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		commentID, ideaID, err := create(ctx)
		if err != nil || scan == nil {
			return err
		}
		a := Attachment{CommentID: commentID, IdeaID: ideaID, BlobKey: key, Filename: scan.Name, ContentType: scan.ContentType,
			SizeBytes: scan.Size}
		if actor.UserID > 0 {
			a.CreatedBy = &actor.UserID
		}
		if err := s.store.Insert(ctx, &a); err != nil {
			return err
		}
		*out = &a
		return nil
	})
	if err != nil && key != "" {
		s.drop(ctx, key)
	}
	return err
}

// drop removes a scan whose entry failed; a failure is logged, for the object
// is private and nothing refers to it.
func (s *Service) drop(ctx context.Context, key string) {
	if err := s.blobs.Delete(context.WithoutCancel(ctx), key); err != nil {
		s.log.WarnContext(ctx, "scan of a refused entry left in the blob store", "key", key, "error", err.Error())
	}
}

// MaxPageSize bounds a page of entries.
const MaxPageSize = 100

// List returns a page of a process's contributions received offline, newest
// first, with their scans, for its owners and administrators.
func (s *Service) List(ctx context.Context, actor auth.Principal, slug, cursor string, limit int) (Page, error) {
	p, err := s.manage(ctx, actor, slug)
	if err != nil {
		return Page{}, err
	}
	after := entryCursor{At: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), Kind: "~"}
	if cursor != "" {
		var ok bool
		if after, ok = decodeEntryCursor(cursor); !ok {
			return Page{}, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "cursor", Code: "cursor", Message: "not a cursor this server issued"})
		}
	}
	limit = max(1, min(limit, MaxPageSize))
	items, err := s.store.Entries(ctx, p.ID, after, limit+1)
	if err != nil {
		return Page{}, err
	}
	page := Page{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		last := page.Items[limit-1]
		page.NextCursor = encodeEntryCursor(entryCursor{At: last.CreatedAt, Kind: string(last.Kind), ID: last.ID})
	}
	return page, nil
}

// Open returns a scan and its bytes (the caller closes them) to the owners and
// administrators of its process; to everyone else it does not exist.
func (s *Service) Open(ctx context.Context, actor auth.Principal, id int64) (Attachment, io.ReadCloser, error) {
	a, err := s.store.Attachment(ctx, id)
	if err != nil {
		return Attachment{}, nil, err
	}
	if _, err := s.procs.Require(ctx, actor, a.ProcessID, process.Manage, ErrAttachmentNotFound); err != nil {
		return Attachment{}, nil, err
	}
	r, err := s.blobs.Open(ctx, a.BlobKey)
	if errors.Is(err, blob.ErrNotFound) {
		s.log.ErrorContext(ctx, "scan missing from the blob store", "attachment", id, "key", a.BlobKey)
		return Attachment{}, nil, ErrAttachmentNotFound
	}
	if err != nil {
		return Attachment{}, nil, err
	}
	return a, r, nil
}

// entryCursor is where a page of entries ends: (created_at, kind, id), in
// the list's descending order.
type entryCursor struct {
	At   time.Time
	Kind string
	ID   int64
}

func encodeEntryCursor(c entryCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.At.UTC().Format(time.RFC3339Nano) + "|" + c.Kind + "|" + strconv.FormatInt(c.ID, 10)))
}

func decodeEntryCursor(s string) (entryCursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	parts := strings.Split(string(b), "|")
	if err != nil || len(parts) != 3 || (parts[1] != string(KindIdea) && parts[1] != string(KindComment)) {
		return entryCursor{}, false
	}
	at, err1 := time.Parse(time.RFC3339Nano, parts[0])
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || id < 1 {
		return entryCursor{}, false
	}
	return entryCursor{At: at, Kind: parts[1], ID: id}, true
}
