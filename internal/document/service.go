package document

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/event"
	"cocreate/internal/process"
)

// PublishEvent is what the comment engine needs to re-anchor comments when a
// version is published (Publication loads it).
type PublishEvent struct {
	Document Document
	Previous *Version // the version published before; nil for the first
	PrevBlks []Block
	Version  Version
	Blocks   []Aligned
}

// Service holds the rules for documents and their versions.
type Service struct {
	db     *gorm.DB
	procs  *process.Service
	events *event.Bus
	now    func() time.Time
}

// NewService returns a service on db; publishing a version emits
// event.VersionPublished on events.
func NewService(db *gorm.DB, procs *process.Service, events *event.Bus, now func() time.Time) *Service {
	return &Service{db: db, procs: procs, events: events, now: now}
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
	if _, err := s.procs.Require(ctx, actor, p.ID, process.Manage, ErrForbidden); err != nil {
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
	if err := database.Conn(ctx, s.db).Select("process_id", "title", "language", "created_by").Create(&d).Error; err != nil {
		return Document{}, fmt.Errorf("document: create: %w", err)
	}
	return d, nil
}

// Summary is a document with the number of its latest published version.
type Summary struct {
	Document
	LatestNumber *int `gorm:"column:latest_number"`
}

// ListForProcess returns the documents of the process with slug, oldest first.
func (s *Service) ListForProcess(ctx context.Context, slug string) ([]Summary, error) {
	p, err := s.procs.Get(ctx, slug)
	if err != nil {
		return nil, err
	}
	var out []Summary
	err = database.Conn(ctx, s.db).Raw(`SELECT d.*, (SELECT max(number) FROM document_versions v
		WHERE v.document_id = d.id AND v.published_at IS NOT NULL) AS latest_number
		FROM documents d WHERE d.process_id = ? ORDER BY d.id`, p.ID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("document: list: %w", err)
	}
	return out, nil
}

// Get returns a document, its process and its versions, oldest first; drafts
// are included only for those who manage the process.
func (s *Service) Get(ctx context.Context, actor auth.Principal, id int64) (Document, process.Process, []Version, error) {
	d, p, err := s.load(ctx, id)
	if err != nil {
		return Document{}, process.Process{}, nil, err
	}
	q := database.Conn(ctx, s.db).Where("document_id = ?", id).Order("number")
	if a, err := s.procs.Access(ctx, actor, p.ID); err != nil {
		return Document{}, process.Process{}, nil, err
	} else if !a.Can(process.Manage) {
		q = q.Where("published_at IS NOT NULL")
	}
	var vs []Version
	if err := q.Find(&vs).Error; err != nil {
		return Document{}, process.Process{}, nil, fmt.Errorf("document: versions: %w", err)
	}
	return d, p, vs, nil
}

func (s *Service) load(ctx context.Context, id int64) (Document, process.Process, error) {
	var d Document
	err := database.Conn(ctx, s.db).Where("id = ?", id).Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Document{}, process.Process{}, ErrNotFound
	}
	if err != nil {
		return Document{}, process.Process{}, fmt.Errorf("document: load %d: %w", id, err)
	}
	p, err := s.procs.GetByID(ctx, d.ProcessID)
	return d, p, err
}

// ImportInput is one new version's source.
type ImportInput struct {
	Format   Format
	Source   string
	Note     string
	OpensAt  *time.Time
	ClosesAt *time.Time
}

// Import parses the source into a new unpublished version aligned with the
// latest published one, and returns it with its document. An earlier unpublished version is replaced, so an
// owner can correct an import before publishing it.
func (s *Service) Import(ctx context.Context, actor auth.Principal, docID int64, in ImportInput) (Document, Version, []Block, error) {
	var f apperr.Fields
	switch in.Format {
	case FormatMarkdown, FormatText, FormatHTML:
	default:
		f.Add("format", "format", "markdown, text or html")
	}
	if len(in.Source) > MaxSourceBytes {
		f.Add("source", "size", "at most 2 MiB")
	}
	if utf8.RuneCountInString(in.Note) > 2000 {
		f.Add("note", "length", "at most 2000 characters")
	}
	if in.OpensAt != nil && in.ClosesAt != nil && !in.ClosesAt.After(*in.OpensAt) {
		f.Add("closes_at", "order", "after opens_at")
	}
	if err := f.Err(CodeInvalid); err != nil {
		return Document{}, Version{}, nil, err
	}
	parsed, err := Parse(in.Format, in.Source)
	if err != nil {
		return Document{}, Version{}, nil, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "source", Code: "parse", Message: err.Error()})
	}
	if len(parsed) == 0 {
		return Document{}, Version{}, nil, ErrEmpty
	}
	if len(parsed) > MaxBlocks {
		return Document{}, Version{}, nil, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "source", Code: "blocks", Message: fmt.Sprintf("at most %d blocks", MaxBlocks)})
	}
	for i, b := range parsed {
		if utf8.RuneCountInString(b.Text) > MaxBlockChars {
			return Document{}, Version{}, nil, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: "source", Code: "block_length",
				Message: fmt.Sprintf("block %d is longer than %d characters", i+1, MaxBlockChars)})
		}
	}
	var d Document
	var v Version
	var blocks []Block
	err = database.InTx(ctx, s.db, func(ctx context.Context) error {
		var p process.Process
		d, p, err = s.lockDocument(ctx, docID)
		if err != nil {
			return err
		}
		if _, err := s.procs.Require(ctx, actor, p.ID, process.Manage, ErrForbidden); err != nil {
			return err
		}
		conn := database.Conn(ctx, s.db)
		if err := conn.Exec("DELETE FROM document_versions WHERE document_id = ? AND published_at IS NULL", d.ID).Error; err != nil {
			return fmt.Errorf("document: drop draft: %w", err)
		}
		_, prevBlocks, err := s.latestPublished(ctx, d.ID)
		if err != nil {
			return err
		}
		used, err := s.usedKeys(ctx, d.ID)
		if err != nil {
			return err
		}
		aligned := Align(prevBlocks, parsed, used)
		var number int
		if err := conn.Raw("SELECT coalesce(max(number), 0) + 1 FROM document_versions WHERE document_id = ?", d.ID).Scan(&number).Error; err != nil {
			return fmt.Errorf("document: number: %w", err)
		}
		v = Version{DocumentID: d.ID, Number: number, SourceFormat: in.Format, Note: in.Note, OpensAt: in.OpensAt, ClosesAt: in.ClosesAt}
		if err := conn.Select("document_id", "number", "source_format", "note", "opens_at", "closes_at").Create(&v).Error; err != nil {
			return fmt.Errorf("document: insert version: %w", err)
		}
		blocks = make([]Block, len(aligned))
		for i, a := range aligned {
			blocks[i] = Block{VersionID: v.ID, Position: i, Key: a.Key, Kind: a.Kind, Level: a.Level, Section: a.Section,
				Text: a.Text, Hash: a.Hash, Change: a.Change}
			if a.Change == ChangeEdited {
				sim := a.Similarity
				blocks[i].Similarity = &sim
			}
		}
		if err := conn.CreateInBatches(blocks, 500).Error; err != nil {
			return fmt.Errorf("document: insert blocks: %w", err)
		}
		return nil
	})
	return d, v, blocks, err
}

// Publish makes the newest unpublished version public and emits
// event.VersionPublished in the same transaction (comments re-anchor there).
func (s *Service) Publish(ctx context.Context, actor auth.Principal, docID int64, number int) (Version, error) {
	var v Version
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		d, p, err := s.lockDocument(ctx, docID)
		if err != nil {
			return err
		}
		if _, err := s.procs.Require(ctx, actor, p.ID, process.Manage, ErrForbidden); err != nil {
			return err
		}
		conn := database.Conn(ctx, s.db)
		// Comment writers hold this lock shared; waiting for it means no comment
		// is being written on the old version while we re-anchor.
		if err := conn.Exec("SELECT pg_advisory_xact_lock(?, ?)", database.LockDocument, int32(docID)).Error; err != nil {
			return fmt.Errorf("document: lock: %w", err)
		}
		err = conn.Where("document_id = ? AND number = ?", docID, number).Take(&v).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrVersionNotFound
		} else if err != nil {
			return fmt.Errorf("document: version: %w", err)
		}
		if v.Published() {
			return ErrAlreadyPublic
		}
		prev, err := s.latestVersion(ctx, docID)
		if err != nil {
			return err
		}
		if prev != nil && prev.Number > v.Number {
			return ErrNotLatestDraft
		}
		now := s.now().UTC()
		if err := conn.Model(&v).Update("published_at", now).Error; err != nil {
			return fmt.Errorf("document: publish: %w", err)
		}
		v.PublishedAt = &now
		ev := event.VersionPublished{ProcessID: p.ID, DocumentID: d.ID, VersionID: v.ID, Number: v.Number}
		if prev != nil {
			ev.PreviousVersionID = &prev.ID
		}
		return s.events.Emit(ctx, ev)
	})
	return v, err
}

func (s *Service) lockDocument(ctx context.Context, id int64) (Document, process.Process, error) {
	var d Document
	err := database.Conn(ctx, s.db).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Document{}, process.Process{}, ErrNotFound
	}
	if err != nil {
		return Document{}, process.Process{}, fmt.Errorf("document: lock %d: %w", id, err)
	}
	p, err := s.procs.GetByID(ctx, d.ProcessID)
	return d, p, err
}

// Publication loads what re-anchoring needs about a published version: the
// document, the version and the one published before it, with their blocks.
func (s *Service) Publication(ctx context.Context, ev event.VersionPublished) (PublishEvent, error) {
	var out PublishEvent
	conn := database.Conn(ctx, s.db)
	if err := conn.Where("id = ?", ev.DocumentID).Take(&out.Document).Error; err != nil {
		return PublishEvent{}, fmt.Errorf("document: publication %d: %w", ev.VersionID, err)
	}
	if err := conn.Where("id = ?", ev.VersionID).Take(&out.Version).Error; err != nil {
		return PublishEvent{}, fmt.Errorf("document: publication %d: %w", ev.VersionID, err)
	}
	blocks, err := s.blocks(ctx, ev.VersionID)
	if err != nil {
		return PublishEvent{}, err
	}
	out.Blocks = make([]Aligned, len(blocks))
	for i, b := range blocks {
		out.Blocks[i] = Aligned{Parsed: Parsed{Kind: b.Kind, Level: b.Level, Section: b.Section, Text: b.Text},
			Key: b.Key, Hash: b.Hash, Change: b.Change, Similarity: 1}
		if b.Similarity != nil {
			out.Blocks[i].Similarity = *b.Similarity
		}
	}
	if ev.PreviousVersionID == nil {
		return out, nil
	}
	var prev Version
	if err := conn.Where("id = ?", *ev.PreviousVersionID).Take(&prev).Error; err != nil {
		return PublishEvent{}, fmt.Errorf("document: publication %d: previous: %w", ev.VersionID, err)
	}
	out.Previous = &prev
	out.PrevBlks, err = s.blocks(ctx, prev.ID)
	return out, err
}

func (s *Service) latestPublished(ctx context.Context, docID int64) (*Version, []Block, error) {
	v, err := s.latestVersion(ctx, docID)
	if err != nil || v == nil {
		return nil, nil, err
	}
	blocks, err := s.blocks(ctx, v.ID)
	return v, blocks, err
}

// latestVersion returns the latest published version of a document, or nil.
func (s *Service) latestVersion(ctx context.Context, docID int64) (*Version, error) {
	var vs []Version
	err := database.Conn(ctx, s.db).Where("document_id = ? AND published_at IS NOT NULL", docID).
		Order("number DESC").Limit(1).Find(&vs).Error
	if err != nil {
		return nil, fmt.Errorf("document: latest: %w", err)
	}
	if len(vs) == 0 {
		return nil, nil
	}
	return &vs[0], nil
}

func (s *Service) blocks(ctx context.Context, versionID int64) ([]Block, error) {
	var bs []Block
	if err := database.Conn(ctx, s.db).Where("version_id = ?", versionID).Order("position").Find(&bs).Error; err != nil {
		return nil, fmt.Errorf("document: blocks: %w", err)
	}
	return bs, nil
}

func (s *Service) usedKeys(ctx context.Context, docID int64) (map[string]bool, error) {
	var keys []string
	err := database.Conn(ctx, s.db).Raw(`SELECT DISTINCT b.key FROM blocks b JOIN document_versions v ON v.id = b.version_id
		WHERE v.document_id = ?`, docID).Scan(&keys).Error
	if err != nil {
		return nil, fmt.Errorf("document: keys: %w", err)
	}
	used := make(map[string]bool, len(keys))
	for _, k := range keys {
		used[k] = true
	}
	return used, nil
}

// Version returns version number of a document with its blocks; an
// unpublished one only to those who manage the process. number 0 means the
// latest published version.
func (s *Service) Version(ctx context.Context, actor auth.Principal, docID int64, number int) (Document, Version, []Block, error) {
	d, p, err := s.load(ctx, docID)
	if err != nil {
		return Document{}, Version{}, nil, err
	}
	var v Version
	q := database.Conn(ctx, s.db).Where("document_id = ?", docID)
	if number == 0 {
		q = q.Where("published_at IS NOT NULL").Order("number DESC")
	} else {
		q = q.Where("number = ?", number)
	}
	err = q.Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		if number == 0 {
			return Document{}, Version{}, nil, ErrNoPublished
		}
		return Document{}, Version{}, nil, ErrVersionNotFound
	}
	if err != nil {
		return Document{}, Version{}, nil, fmt.Errorf("document: version: %w", err)
	}
	if !v.Published() {
		if a, err := s.procs.Access(ctx, actor, p.ID); err != nil {
			return Document{}, Version{}, nil, err
		} else if !a.Can(process.Manage) {
			return Document{}, Version{}, nil, ErrVersionNotFound
		}
	}
	blocks, err := s.blocks(ctx, v.ID)
	return d, v, blocks, err
}

// Exists returns ErrNotFound unless the document exists.
func (s *Service) Exists(ctx context.Context, docID int64) error {
	var n int64
	if err := database.Conn(ctx, s.db).Model(&Document{}).Where("id = ?", docID).Count(&n).Error; err != nil {
		return fmt.Errorf("document: exists: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// LatestNumber returns the number of the latest published version (0 for none).
func (s *Service) LatestNumber(ctx context.Context, docID int64) (int, error) {
	var n int
	err := database.Conn(ctx, s.db).Raw("SELECT coalesce(max(number), 0) FROM document_versions WHERE document_id = ? AND published_at IS NOT NULL", docID).
		Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("document: latest number: %w", err)
	}
	return n, nil
}

// ParagraphDiff is one paragraph's change between two versions.
type ParagraphDiff struct {
	Key    string   `json:"key"`
	Change string   `json:"change"` // same, moved, edited, new, deleted
	Before *string  `json:"before"`
	After  *string  `json:"after"`
	Ops    []DiffOp `json:"ops"`
}

// Diff compares two published versions paragraph by paragraph, in the order of
// the newer one, with deleted paragraphs where they stood.
func (s *Service) Diff(ctx context.Context, docID int64, from, to int) ([]ParagraphDiff, error) {
	_, _, a, err := s.Version(ctx, auth.Anonymous, docID, from)
	if err != nil {
		return nil, err
	}
	_, _, b, err := s.Version(ctx, auth.Anonymous, docID, to)
	if err != nil {
		return nil, err
	}
	return DiffBlocks(a, b), nil
}

// DiffBlocks pairs blocks by key.
func DiffBlocks(a, b []Block) []ParagraphDiff {
	old := make(map[string]int, len(a))
	for i, x := range a {
		old[x.Key] = i
	}
	inNew := make(map[string]bool, len(b))
	for _, y := range b {
		inNew[y.Key] = true
	}
	var out []ParagraphDiff
	nextOld := 0
	emitDeleted := func(upTo int) {
		for ; nextOld < upTo; nextOld++ {
			x := a[nextOld]
			if !inNew[x.Key] {
				t := x.Text
				out = append(out, ParagraphDiff{Key: x.Key, Change: "deleted", Before: &t, Ops: []DiffOp{{Op: "delete", Text: t}}})
			}
		}
	}
	for _, y := range b {
		after := y.Text
		i, ok := old[y.Key]
		if !ok {
			out = append(out, ParagraphDiff{Key: y.Key, Change: "new", After: &after, Ops: []DiffOp{{Op: "insert", Text: after}}})
			continue
		}
		if i >= nextOld {
			emitDeleted(i)
			nextOld = i + 1
		}
		before := a[i].Text
		d := ParagraphDiff{Key: y.Key, Before: &before, After: &after}
		switch {
		case before == after:
			d.Change, d.Ops = "same", []DiffOp{{Op: "equal", Text: after}}
			if y.Change == ChangeMoved {
				d.Change = "moved"
			}
		default:
			d.Change, d.Ops = "edited", TextDiff(before, after)
		}
		out = append(out, d)
	}
	emitDeleted(len(a))
	return out
}
