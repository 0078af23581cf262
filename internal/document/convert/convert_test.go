package convert_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apperr"
	"cocreate/internal/apptest"
	"cocreate/internal/document/convert"
)

const sample = "# Plan\n\nThe city will *publish* budgets.\n\n| Goal | Date |\n|---|---|\n| Open data | 2027 |\n"

// requireCode fails unless err is the apperr with code.
func requireCode(t *testing.T, err error, code string) {
	t.Helper()
	e, ok := apperr.As(err)
	require.True(t, ok, "want %s, got %v", code, err)
	require.Equal(t, code, e.Code, e.Message)
}

// privateTmp gives the test a temporary folder of its own for the converter's
// work folders, and checks at the end that none is left behind.
func privateTmp(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	t.Cleanup(func() {
		left, err := os.ReadDir(dir)
		require.NoError(t, err)
		require.Empty(t, left, "the converter left its work folder behind")
	})
}

func convertBytes(c *convert.Converter, kind convert.Kind, b []byte) (string, error) {
	return c.ToHTML(context.Background(), kind, bytes.NewReader(b), int64(len(b)))
}

func TestConvertsWordAndOpenDocument(t *testing.T) {
	privateTmp(t)
	c := convert.New("pandoc", convert.Limits{})
	for _, kind := range []convert.Kind{convert.Docx, convert.ODT} {
		html, err := convertBytes(c, kind, apptest.PandocFile(t, sample, string(kind)))
		require.NoError(t, err, kind)
		require.Contains(t, html, "Plan</h1>", kind)
		require.Contains(t, html, "<em>publish</em>", kind)
		// The table's heading row survives (for ODT, only thanks to the rewrite of its header rows).
		require.Contains(t, html, "Goal", kind)
		require.Contains(t, html, "Open data", kind)
	}
}

func TestMissingPandocIsNamed(t *testing.T) {
	c := convert.New("/nonexistent/bin/pandoc", convert.Limits{})
	require.Equal(t, convert.ErrMissing, c.Available())
	_, err := convertBytes(c, convert.Docx, []byte("anything"))
	requireCode(t, err, "document.converter_missing")
	require.Contains(t, err.Error(), "pandoc")
}

// zipOf writes a zip of the named entries.
func zipOf(t *testing.T, entries map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range entries {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(body)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestZipBombsAreRefusedBeforePandoc(t *testing.T) {
	privateTmp(t)
	c := convert.New("pandoc", convert.Limits{})

	t.Run("unpacks beyond the limit", func(t *testing.T) {
		// 201 MiB of zeros deflate to a few hundred kilobytes.
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.Create("word/document.xml")
		require.NoError(t, err)
		zero := make([]byte, 1<<20)
		for range 201 {
			_, err = w.Write(zero)
			require.NoError(t, err)
		}
		require.NoError(t, zw.Close())
		require.Less(t, buf.Len(), 1<<20)
		_, err = convertBytes(c, convert.Docx, buf.Bytes())
		requireCode(t, err, "document.archive_refused")
		require.Contains(t, err.Error(), "unpacks to more than 200 MiB")
	})

	t.Run("sizes that lie", func(t *testing.T) {
		// The header says 1 KiB; the data inflates to 8 MiB.
		var raw bytes.Buffer
		fw, err := flate.NewWriter(&raw, flate.BestCompression)
		require.NoError(t, err)
		_, err = fw.Write(make([]byte, 8<<20))
		require.NoError(t, err)
		require.NoError(t, fw.Close())
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate,
			CRC32: crc32.ChecksumIEEE(make([]byte, 1024)), CompressedSize64: uint64(raw.Len()), UncompressedSize64: 1024})
		require.NoError(t, err)
		_, err = io.Copy(w, &raw)
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		_, err = convertBytes(c, convert.Docx, buf.Bytes())
		requireCode(t, err, "document.archive_refused")
		require.Contains(t, err.Error(), "larger than it says")
	})

	t.Run("too many entries", func(t *testing.T) {
		small := convert.New("pandoc", convert.Limits{MaxEntries: 10})
		entries := map[string][]byte{"word/document.xml": []byte("<x/>")}
		for i := range 10 {
			entries[strings.Repeat("a", i+1)] = nil
		}
		_, err := convertBytes(small, convert.Docx, zipOf(t, entries))
		requireCode(t, err, "document.archive_refused")
		require.Contains(t, err.Error(), "11 parts")
	})
}

func TestDamagedFilesAreRefused(t *testing.T) {
	privateTmp(t)
	c := convert.New("pandoc", convert.Limits{})
	_, err := convertBytes(c, convert.Docx, []byte("PK\x03\x04 not really a zip"))
	requireCode(t, err, "document.archive_refused")

	_, err = convertBytes(c, convert.ODT, zipOf(t, map[string][]byte{"mimetype": []byte("application/vnd.oasis.opendocument.text")}))
	requireCode(t, err, "document.archive_refused")
	require.Contains(t, err.Error(), "no content.xml")

	// A zip with the right parts whose XML is not Word's: pandoc refuses it.
	_, err = convertBytes(c, convert.Docx, zipOf(t, map[string][]byte{"word/document.xml": []byte("<<<not xml")}))
	requireCode(t, err, "document.convert_failed")
}

func TestLimitsOnPandocItself(t *testing.T) {
	privateTmp(t)
	docx := apptest.PandocFile(t, sample, "docx")

	_, err := convertBytes(convert.New("pandoc", convert.Limits{Timeout: time.Millisecond}), convert.Docx, docx)
	requireCode(t, err, "document.convert_timeout")

	_, err = convertBytes(convert.New("pandoc", convert.Limits{MaxOutput: 64}), convert.Docx, docx)
	requireCode(t, err, "document.convert_failed")
	require.Contains(t, err.Error(), "larger than")

	// A request that goes away stops pandoc; that is not the file's fault.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = convert.New("pandoc", convert.Limits{}).ToHTML(ctx, convert.Docx, bytes.NewReader(docx), int64(len(docx)))
	require.True(t, errors.Is(err, context.Canceled), "got %v", err)
}

func TestConversionsWaitForTheirTurn(t *testing.T) {
	privateTmp(t)
	c := convert.New("pandoc", convert.Limits{Concurrent: 1})
	docx := apptest.PandocFile(t, sample, "docx")
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			html, err := convertBytes(c, convert.Docx, docx)
			if err == nil && !strings.Contains(html, "Plan</h1>") {
				err = errors.New("no heading in " + html)
			}
			errs <- err
		}()
	}
	for range 4 {
		require.NoError(t, <-errs)
	}

	// One waiting past its request's end gives up without running pandoc.
	c.Hold(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.ToHTML(ctx, convert.Docx, bytes.NewReader(docx), int64(len(docx)))
	require.ErrorIs(t, err, context.DeadlineExceeded)
}
