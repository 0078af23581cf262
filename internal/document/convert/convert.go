// Package convert turns Word (.docx) and OpenDocument (.odt) drafts into HTML
// that the document importer reads. The work is pandoc's, run as a
// subprocess under limits: the file's zip is checked first (entry count,
// uncompressed size, sizes that lie), then pandoc runs in a temporary folder
// of its own, in its sandbox (no network, no files but its input), with a
// heap cap, a time limit and a cap on what it may write.
package convert

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"cocreate/internal/apperr"
)

// Kind is a file format the converter reads.
type Kind string

// The formats pandoc converts for the importer.
const (
	Docx Kind = "docx"
	ODT  Kind = "odt"
)

// Limits bound one conversion.
type Limits struct {
	MaxEntries  int           // files inside the zip
	MaxUnzipped int64         // their total size once uncompressed
	MaxOutput   int64         // bytes of HTML pandoc may write
	MaxHeapMiB  int           // pandoc's heap (its runtime's -M)
	Timeout     time.Duration // the whole run, from start to exit
	Concurrent  int           // conversions at once (others wait); half the CPUs when 0
}

// DefaultLimits fit any real draft: a Word file holds a few dozen entries and
// its XML rarely reaches tens of megabytes once uncompressed.
var DefaultLimits = Limits{
	MaxEntries:  1000,
	MaxUnzipped: 200 << 20,
	MaxOutput:   16 << 20,
	MaxHeapMiB:  1024,
	Timeout:     60 * time.Second,
}

// Errors of a conversion; each names the form's file field.
var (
	ErrMissing = apperr.Invalid("document.converter_missing", apperr.FieldError{Field: "file", Code: "converter_missing",
		Message: "pandoc is not installed"}).
		WithMessage("importing Word and OpenDocument files needs pandoc, which is not installed on this server (PANDOC_PATH)")
	ErrArchive = apperr.Invalid("document.archive_refused", apperr.FieldError{Field: "file", Code: "archive",
		Message: "not a readable Word or OpenDocument file within the limits"}).
		WithMessage("the file is not a readable Word or OpenDocument file within the size limits")
	ErrFailed = apperr.Invalid("document.convert_failed", apperr.FieldError{Field: "file", Code: "convert",
		Message: "pandoc could not convert the file"}).
		WithMessage("the file could not be converted")
	ErrTimeout = apperr.Invalid("document.convert_timeout", apperr.FieldError{Field: "file", Code: "timeout",
		Message: "the conversion took too long"}).
		WithMessage("converting the file took longer than this server allows (IMPORT_TIMEOUT)")
)

// Converter runs pandoc, a few conversions at a time: each may take a
// heap of MaxHeapMiB, so a burst of uploads waits its turn instead of
// exhausting the machine's memory.
type Converter struct {
	pandoc string
	limits Limits
	slots  chan struct{}
}

// New returns a converter that runs the pandoc named by path (a name looked up
// in PATH, or a path) within limits; zero fields take DefaultLimits'.
func New(path string, l Limits) *Converter {
	d := DefaultLimits
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxUnzipped <= 0 {
		l.MaxUnzipped = d.MaxUnzipped
	}
	if l.MaxOutput <= 0 {
		l.MaxOutput = d.MaxOutput
	}
	if l.MaxHeapMiB <= 0 {
		l.MaxHeapMiB = d.MaxHeapMiB
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	if l.Concurrent <= 0 {
		l.Concurrent = max(1, runtime.NumCPU()/2)
	}
	return &Converter{pandoc: path, limits: l, slots: make(chan struct{}, l.Concurrent)}
}

// Limits returns the converter's limits.
func (c *Converter) Limits() Limits { return c.limits }

// Available returns ErrMissing unless pandoc can be found.
func (c *Converter) Available() error {
	if _, err := exec.LookPath(c.pandoc); err != nil {
		return ErrMissing
	}
	return nil
}

// ToHTML converts the file of kind in r (size bytes) to HTML.
func (c *Converter) ToHTML(ctx context.Context, kind Kind, r io.ReaderAt, size int64) (string, error) {
	bin, err := exec.LookPath(c.pandoc)
	if err != nil {
		return "", ErrMissing
	}
	if kind != Docx && kind != ODT {
		return "", fmt.Errorf("convert: unknown kind %q", kind)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return "", ErrArchive.WithMessage("the file is not a readable zip archive, as Word and OpenDocument files are")
	}
	if err := c.checkArchive(zr, kind); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "cocreate-convert-")
	if err != nil {
		return "", fmt.Errorf("convert: %w", err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	input := filepath.Join(dir, "input."+string(kind))
	if err := writeInput(input, kind, zr, r, size); err != nil {
		return "", err
	}
	select {
	case c.slots <- struct{}{}:
		defer func() { <-c.slots }()
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return c.run(ctx, bin, dir, kind, input)
}

// checkArchive refuses a zip bomb before pandoc sees it: too many entries, a
// total uncompressed size over the limit, or entries whose data inflates
// beyond the size their headers declare (archive/zip checks each entry's
// declared size and checksum as it reads, so reading them all proves the sum).
func (c *Converter) checkArchive(zr *zip.Reader, kind Kind) error {
	if len(zr.File) > c.limits.MaxEntries {
		return ErrArchive.WithMessage("the file holds %d parts; at most %d are accepted", len(zr.File), c.limits.MaxEntries)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(c.limits.MaxUnzipped) {
			return ErrArchive.WithMessage("the file unpacks to more than %d MiB", c.limits.MaxUnzipped>>20)
		}
	}
	main := map[Kind]string{Docx: "word/document.xml", ODT: "content.xml"}[kind]
	found := false
	for _, f := range zr.File {
		found = found || f.Name == main
		if err := drain(f); err != nil {
			return ErrArchive.WithMessage("part %q of the file is damaged or larger than it says", f.Name)
		}
	}
	if !found {
		return ErrArchive.WithMessage("the file has no %s: it is not a %s document", main, kind)
	}
	return nil
}

// drain reads an entry to its end through archive/zip's checks.
func drain(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// writeInput writes the file pandoc reads. An OpenDocument file is rewritten
// with its table header rows as ordinary rows: pandoc's ODT reader drops
// the rows inside <table:table-header-rows> (jgm/pandoc#9327), which is how
// LibreOffice stores a table's heading row.
func writeInput(path string, kind Kind, zr *zip.Reader, r io.ReaderAt, size int64) error {
	out, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("convert: %w", err)
	}
	if kind == ODT {
		err = rewriteODT(out, zr)
	} else {
		_, err = io.Copy(out, io.NewSectionReader(r, 0, size))
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil && !isArchiveErr(err) {
		return fmt.Errorf("convert: write input: %w", err)
	}
	return err
}

func isArchiveErr(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.Code == ErrArchive.Code
}

// headerRowTags are the tags that wrap an ODT table's header rows.
var headerRowTags = [][]byte{[]byte("<table:table-header-rows>"), []byte("</table:table-header-rows>"), []byte("<table:table-header-rows/>")}

// rewriteODT copies the archive entry by entry (raw, so nothing is inflated
// twice) with content.xml's header-row wrappers removed.
func rewriteODT(w io.Writer, zr *zip.Reader) error {
	zw := zip.NewWriter(w)
	for _, f := range zr.File {
		if f.Name != "content.xml" {
			if err := zw.Copy(f); err != nil {
				return err
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return ErrArchive
		}
		content, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			return ErrArchive
		}
		for _, tag := range headerRowTags {
			content = bytes.ReplaceAll(content, tag, nil)
		}
		hdr := f.FileHeader
		hdr.CompressedSize64, hdr.UncompressedSize64, hdr.CRC32 = 0, 0, 0
		hdr.Method = zip.Deflate
		fw, err := zw.CreateHeader(&hdr)
		if err != nil {
			return err
		}
		if _, err := fw.Write(content); err != nil {
			return err
		}
	}
	return zw.Close()
}

// run converts input with pandoc in dir and returns its HTML.
func (c *Converter) run(ctx context.Context, bin, dir string, kind Kind, input string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.limits.Timeout)
	defer cancel()
	// +RTS -M caps the Haskell heap (pandoc's manual advises it for untrusted
	// input); --sandbox keeps pandoc from the network and from any file but
	// its input; --data-dir and HOME keep the server's own pandoc settings out.
	cmd := exec.CommandContext(ctx, bin,
		"+RTS", fmt.Sprintf("-M%dm", c.limits.MaxHeapMiB), "-RTS",
		"--sandbox", "--data-dir="+dir, "--from="+string(kind), "--to=html5", "--wrap=none", filepath.Base(input))
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + dir, "TMPDIR=" + dir, "LANG=C.UTF-8"}
	cmd.WaitDelay = 2 * time.Second
	var stderr tailBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", fmt.Errorf("convert: %w", err)
	}
	if err := cmd.Start(); err != nil {
		switch {
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			return "", ErrTimeout.WithMessage("converting the file took longer than %s (IMPORT_TIMEOUT)", c.limits.Timeout)
		case errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist):
			return "", ErrMissing
		}
		return "", fmt.Errorf("convert: start pandoc: %w", err)
	}
	out, readErr := io.ReadAll(io.LimitReader(stdout, c.limits.MaxOutput+1))
	tooLarge := int64(len(out)) > c.limits.MaxOutput
	if tooLarge {
		cancel() // stop pandoc; what it would write next is not wanted
	}
	waitErr := cmd.Wait()
	switch {
	case tooLarge:
		return "", ErrFailed.WithMessage("the converted text is larger than %d MiB", c.limits.MaxOutput>>20)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return "", ErrTimeout.WithMessage("converting the file took longer than %s (IMPORT_TIMEOUT)", c.limits.Timeout)
	case ctx.Err() != nil:
		return "", ctx.Err() // the request went away
	case waitErr != nil:
		return "", ErrFailed.WithMessage("pandoc could not read the file: %s", stderr.firstLine())
	case readErr != nil:
		return "", fmt.Errorf("convert: read pandoc's output: %w", readErr)
	}
	return string(out), nil
}

// tailBuffer keeps the first 4 KiB written to it: enough of pandoc's error.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	if room := 4096 - len(t.b); room > 0 {
		t.b = append(t.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// firstLine is the first line of pandoc's messages that is not a warning.
func (t *tailBuffer) firstLine() string {
	for _, l := range strings.Split(string(t.b), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "[WARNING]") && !strings.HasPrefix(l, "data file") {
			return truncate(l, 200)
		}
	}
	return "no message"
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
