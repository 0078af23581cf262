package document

// Importing a version from an uploaded file: Markdown, plain text and HTML
// are read as they are; Word and OpenDocument files are converted to HTML by
// pandoc first (package convert).

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"cocreate/internal/apperr"
	"cocreate/internal/auth"
	"cocreate/internal/document/convert"
)

// The content types of Word and OpenDocument text files.
const (
	DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	ODTType  = "application/vnd.oasis.opendocument.text"
)

// FileTypes are the content types a draft file may have (as detected from
// its bytes), with the name extensions that claim each.
var FileTypes = map[string][]string{
	"text/plain": {".md", ".markdown", ".txt", ".text"},
	"text/html":  {".html", ".htm"},
	DocxType:     {".docx"},
	ODTType:      {".odt"},
}

// FileFormat returns the format of a draft file from its detected content
// type and its name: a plain-text file is Markdown when its name says so.
func FileFormat(name, contentType string) (Format, bool) {
	ext := strings.ToLower(path.Ext(name))
	switch contentType {
	case "text/plain":
		if ext == ".md" || ext == ".markdown" {
			return FormatMarkdown, true
		}
		return FormatText, true
	case "text/html":
		return FormatHTML, true
	case DocxType:
		return FormatDocx, true
	case ODTType:
		return FormatODT, true
	}
	return "", false
}

// FileInput is a new version's source as a file, with what a version carries
// beside its text.
type FileInput struct {
	Name        string // the file's (safe) name
	ContentType string // detected from its bytes, one of FileTypes
	Size        int64
	Body        io.ReaderAt
	Note        string
	OpensAt     *time.Time
	ClosesAt    *time.Time
}

// FileImporter imports versions from files, converting Word and OpenDocument
// files with its converter.
type FileImporter struct {
	docs *Service
	conv *convert.Converter
}

// NewFileImporter returns an importer that stores versions with docs.
func NewFileImporter(docs *Service, conv *convert.Converter) *FileImporter {
	return &FileImporter{docs: docs, conv: conv}
}

// MayImport returns nil when actor may import a version of the document
// (those who manage its process), so an upload can be refused before it is
// read.
func (s *Service) MayImport(ctx context.Context, actor auth.Principal, docID int64) error {
	_, p, err := s.load(ctx, actor, docID)
	if err != nil {
		return err
	}
	return s.require(ctx, actor, p)
}

// Import reads the file into a new unpublished version of the document, as
// Service.Import does with pasted text; a file that cannot be read or
// converted stores nothing.
func (fi *FileImporter) Import(ctx context.Context, actor auth.Principal, docID int64, in FileInput) (Document, Version, []Block, error) {
	// Conversion is the expensive part: whoever may not import is refused first.
	if err := fi.docs.MayImport(ctx, actor, docID); err != nil {
		return Document{}, Version{}, nil, err
	}
	var f apperr.Fields
	format, ok := FileFormat(in.Name, in.ContentType)
	if !ok {
		f.Add("file", "type", "a Markdown, plain text, HTML, Word (.docx) or OpenDocument (.odt) file")
	}
	if ok && format != FormatDocx && format != FormatODT && in.Size > MaxSourceBytes {
		f.Add("file", "size", "at most 2 MiB of text")
	}
	checkVersionFields(&f, in.Note, in.OpensAt, in.ClosesAt)
	if err := f.Err(CodeInvalid); err != nil {
		return Document{}, Version{}, nil, err
	}
	src, parseAs, err := fi.source(ctx, format, in)
	if err != nil {
		return Document{}, Version{}, nil, err
	}
	parsed, dropped, err := parseChecked(parseAs, src, "file")
	if err != nil {
		return Document{}, Version{}, nil, err
	}
	return fi.docs.addVersion(ctx, actor, docID,
		ImportInput{Format: format, Note: in.Note, OpensAt: in.OpensAt, ClosesAt: in.ClosesAt}, parsed, dropped)
}

// source returns the text to parse and its format: the file itself, or the
// HTML pandoc made of it.
func (fi *FileImporter) source(ctx context.Context, format Format, in FileInput) (string, Format, error) {
	if format == FormatDocx || format == FormatODT {
		html, err := fi.conv.ToHTML(ctx, convert.Kind(format), in.Body, in.Size)
		return html, FormatHTML, err
	}
	b, err := io.ReadAll(io.NewSectionReader(in.Body, 0, in.Size))
	if err != nil {
		return "", "", fmt.Errorf("document: read %s: %w", in.Name, err)
	}
	return string(b), format, nil
}
