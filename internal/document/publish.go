package document

// A document's versions: importing a draft version, publishing it, and what
// re-anchoring needs to know about a publication.

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

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

// ImportInput is one new version's source.
type ImportInput struct {
	Format   Format
	Source   string
	Note     string
	OpensAt  *time.Time
	ClosesAt *time.Time
}

// Import parses the source into a new unpublished version aligned with the
// latest published one, and returns it with its document. An earlier
// unpublished version is replaced, so an owner can correct an import before
// publishing it.
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
	checkVersionFields(&f, in.Note, in.OpensAt, in.ClosesAt)
	if err := f.Err(CodeInvalid); err != nil {
		return Document{}, Version{}, nil, err
	}
	parsed, dropped, err := parseChecked(in.Format, in.Source, "source")
	if err != nil {
		return Document{}, Version{}, nil, err
	}
	return s.addVersion(ctx, actor, docID, in, parsed, dropped)
}

// checkVersionFields checks what a version carries beside its text: its note
// and its own comment window.
func checkVersionFields(f *apperr.Fields, note string, opens, closes *time.Time) {
	if utf8.RuneCountInString(note) > 2000 {
		f.Add("note", "length", "at most 2000 characters")
	}
	if opens != nil && closes != nil && !closes.After(*opens) {
		f.Add("closes_at", "order", "after opens_at")
	}
}

// parseChecked parses src and checks the result against the import limits;
// its errors name field (the pasted source or the uploaded file). It returns
// the blocks and the lines dropped as page furniture.
func parseChecked(format Format, src, field string) ([]Parsed, []Dropped, error) {
	parsed, dropped, err := ParseWithDropped(format, src)
	if err != nil {
		return nil, nil, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: field, Code: "parse", Message: err.Error()})
	}
	if len(parsed) == 0 {
		return nil, nil, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: field, Code: "empty", Message: "the source has no text"})
	}
	if len(parsed) > MaxBlocks {
		return nil, nil, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: field, Code: "blocks", Message: fmt.Sprintf("at most %d blocks", MaxBlocks)})
	}
	for i, b := range parsed {
		if utf8.RuneCountInString(b.Text) > MaxBlockChars {
			return nil, nil, apperr.Invalid(CodeInvalid, apperr.FieldError{Field: field, Code: "block_length",
				Message: fmt.Sprintf("block %d is longer than %d characters", i+1, MaxBlockChars)})
		}
	}
	return parsed, dropped, nil
}

// addVersion stores parsed as the document's new unpublished version, aligned
// with its latest published one, with the lines the importer dropped, in one
// transaction; in gives its format, note and window (its source is not read).
func (s *Service) addVersion(ctx context.Context, actor auth.Principal, docID int64, in ImportInput, parsed []Parsed, dropped []Dropped) (Document, Version, []Block, error) {
	var d Document
	var v Version
	var blocks []Block
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		var p process.Process
		var err error
		d, p, err = s.lockDocument(ctx, docID)
		if err != nil {
			return err
		}
		if err := s.require(ctx, actor, p); err != nil {
			return err
		}
		if err := s.store.DropDrafts(ctx, d.ID); err != nil {
			return err
		}
		_, prevBlocks, err := s.latestPublished(ctx, d.ID)
		if err != nil {
			return err
		}
		used, err := s.store.UsedKeys(ctx, d.ID)
		if err != nil {
			return err
		}
		aligned := Align(prevBlocks, parsed, used)
		number, err := s.store.NextNumber(ctx, d.ID)
		if err != nil {
			return err
		}
		v = Version{DocumentID: d.ID, Number: number, SourceFormat: in.Format, Note: in.Note, OpensAt: in.OpensAt, ClosesAt: in.ClosesAt,
			Dropped: DroppedLines(dropped)}
		if err := s.store.InsertVersion(ctx, &v); err != nil {
			return err
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
		return s.store.InsertBlocks(ctx, blocks)
	})
	return d, v, blocks, err
}

// Window is a version's own comment window; a nil side is not bounded.
type Window struct {
	OpensAt  *time.Time
	ClosesAt *time.Time
}

// Publish makes the newest unpublished version public and emits
// event.VersionPublished in the same transaction (comments re-anchor there).
func (s *Service) Publish(ctx context.Context, actor auth.Principal, docID int64, number int) (Version, error) {
	return s.PublishWith(ctx, actor, docID, number, nil)
}

// PublishWith publishes like Publish; a window, when given, first becomes the
// version's own comment window, in the same transaction.
func (s *Service) PublishWith(ctx context.Context, actor auth.Principal, docID int64, number int, w *Window) (Version, error) {
	if w != nil {
		var f apperr.Fields
		checkVersionFields(&f, "", w.OpensAt, w.ClosesAt)
		if err := f.Err(CodeInvalid); err != nil {
			return Version{}, err
		}
	}
	var v Version
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		d, p, err := s.lockDocument(ctx, docID)
		if err != nil {
			return err
		}
		if err := s.require(ctx, actor, p); err != nil {
			return err
		}
		// No comment is being written on the old version while we re-anchor.
		if err := s.store.LockAgainstComments(ctx, docID); err != nil {
			return err
		}
		if v, err = s.store.VersionByNumber(ctx, docID, number); err != nil {
			return err
		}
		if v.Published() {
			return ErrAlreadyPublic
		}
		prev, err := s.store.Latest(ctx, docID)
		if err != nil {
			return err
		}
		if prev != nil && prev.Number > v.Number {
			return ErrNotLatestDraft
		}
		if w != nil {
			if err := s.store.SetWindow(ctx, &v, w.OpensAt, w.ClosesAt); err != nil {
				return err
			}
		}
		if err := s.store.MarkPublished(ctx, &v, s.now().UTC()); err != nil {
			return err
		}
		ev := event.VersionPublished{ProcessID: p.ID, DocumentID: d.ID, VersionID: v.ID, Number: v.Number}
		if prev != nil {
			ev.PreviousVersionID = &prev.ID
		}
		return s.events.Emit(ctx, ev)
	})
	return v, err
}

// require returns nil when actor manages the process p (its owners and
// administrators), ErrForbidden otherwise.
func (s *Service) require(ctx context.Context, actor auth.Principal, p process.Process) error {
	_, err := s.procs.Require(ctx, actor, p.ID, process.Manage, ErrForbidden)
	return err
}

// lockDocument returns a document, locked until the transaction in ctx ends,
// and its process.
func (s *Service) lockDocument(ctx context.Context, id int64) (Document, process.Process, error) {
	d, err := s.store.ForUpdate(ctx, id)
	if err != nil {
		return Document{}, process.Process{}, err
	}
	p, err := s.procs.GetByID(ctx, d.ProcessID)
	return d, p, err
}

// Publication loads what re-anchoring needs about a published version: the
// document, the version and the one published before it, with their blocks.
func (s *Service) Publication(ctx context.Context, ev event.VersionPublished) (PublishEvent, error) {
	var out PublishEvent
	var err error
	if out.Document, err = s.store.ByID(ctx, ev.DocumentID); err != nil {
		return PublishEvent{}, fmt.Errorf("document: publication %d: %w", ev.VersionID, err)
	}
	if out.Version, err = s.store.VersionByID(ctx, ev.VersionID); err != nil {
		return PublishEvent{}, fmt.Errorf("document: publication %d: %w", ev.VersionID, err)
	}
	blocks, err := s.store.Blocks(ctx, ev.VersionID)
	if err != nil {
		return PublishEvent{}, err
	}
	out.Blocks = alignedOf(blocks)
	if ev.PreviousVersionID == nil {
		return out, nil
	}
	prev, err := s.store.VersionByID(ctx, *ev.PreviousVersionID)
	if err != nil {
		return PublishEvent{}, fmt.Errorf("document: publication %d: previous: %w", ev.VersionID, err)
	}
	out.Previous = &prev
	out.PrevBlks, err = s.store.Blocks(ctx, prev.ID)
	return out, err
}

// alignedOf turns stored blocks back into the alignment they were stored from.
func alignedOf(blocks []Block) []Aligned {
	out := make([]Aligned, len(blocks))
	for i, b := range blocks {
		out[i] = Aligned{Parsed: Parsed{Kind: b.Kind, Level: b.Level, Section: b.Section, Text: b.Text},
			Key: b.Key, Hash: b.Hash, Change: b.Change, Similarity: 1}
		if b.Similarity != nil {
			out[i].Similarity = *b.Similarity
		}
	}
	return out
}

// latestPublished returns the latest published version of a document and its
// blocks, or nil and no blocks.
func (s *Service) latestPublished(ctx context.Context, docID int64) (*Version, []Block, error) {
	v, err := s.store.Latest(ctx, docID)
	if err != nil || v == nil {
		return nil, nil, err
	}
	blocks, err := s.store.Blocks(ctx, v.ID)
	return v, blocks, err
}
