package blob_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/blob"
)

func TestLocalPutOpenDelete(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := blob.NewLocal(filepath.Join(dir, "blobs"))
	storeContract(t, s)

	t.Run("a failed put leaves no temporary file", func(t *testing.T) {
		require.Error(t, s.Put(ctx, blob.NewKey("repository"), strings.NewReader("short"), 10, ""))
		entries, err := os.ReadDir(filepath.Join(dir, "blobs", "repository"))
		require.NoError(t, err)
		for _, e := range entries {
			require.False(t, strings.HasPrefix(e.Name(), ".put-"), "no temporary file left: %s", e.Name())
		}
	})
}

// storeContract checks what every Store promises (blob.go): the bytes come
// back as stored, a missing key is ErrNotFound, deleting twice is fine, a
// body of the wrong size stores nothing and keys cannot leave their place.
func storeContract(t *testing.T, s blob.Store) {
	t.Helper()
	ctx := context.Background()
	key := blob.NewKey("repository")
	require.NoError(t, s.Put(ctx, key, strings.NewReader("minutes of the forum"), 20, "text/plain"))
	r, err := s.Open(ctx, key)
	require.NoError(t, err)
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	require.Equal(t, "minutes of the forum", string(b))

	t.Run("a put under the same key replaces the object", func(t *testing.T) {
		require.NoError(t, s.Put(ctx, key, strings.NewReader("second"), 6, "text/plain"))
		r, err := s.Open(ctx, key)
		require.NoError(t, err)
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		require.NoError(t, r.Close())
		require.Equal(t, "second", string(b))
	})

	require.NoError(t, s.Delete(ctx, key))
	_, err = s.Open(ctx, key)
	require.ErrorIs(t, err, blob.ErrNotFound)
	require.NoError(t, s.Delete(ctx, key), "deleting twice is fine")

	t.Run("a short or long body stores nothing", func(t *testing.T) {
		k := blob.NewKey("repository")
		require.Error(t, s.Put(ctx, k, strings.NewReader("short"), 10, ""))
		_, err := s.Open(ctx, k)
		require.ErrorIs(t, err, blob.ErrNotFound)
		require.Error(t, s.Put(ctx, k, strings.NewReader("longer than said"), 3, ""))
		_, err = s.Open(ctx, k)
		require.ErrorIs(t, err, blob.ErrNotFound)
	})
	t.Run("a large object comes back whole", func(t *testing.T) {
		// Larger than the S3 client's part size (16 MiB), where it would
		// otherwise switch to a multipart upload.
		data := bytes.Repeat([]byte("0123456789abcdef"), 17<<16)
		k := blob.NewKey("repository")
		require.NoError(t, s.Put(ctx, k, bytes.NewReader(data), int64(len(data)), "application/pdf"))
		r, err := s.Open(ctx, k)
		require.NoError(t, err)
		got, err := io.ReadAll(r)
		require.NoError(t, err)
		require.NoError(t, r.Close())
		require.True(t, bytes.Equal(data, got), "got %d bytes back of %d", len(got), len(data))
		require.NoError(t, s.Delete(ctx, k))
	})
	t.Run("keys cannot leave their place", func(t *testing.T) {
		for _, k := range []string{"../etc/passwd", "/abs", "a/../../b", "", "A", "x.y"} {
			require.Error(t, s.Put(ctx, k, strings.NewReader("x"), 1, ""), k)
			_, err := s.Open(ctx, k)
			require.Error(t, err, k)
			require.False(t, errors.Is(err, blob.ErrNotFound), k)
			require.Error(t, s.Delete(ctx, k), k)
		}
	})
}

func TestSniffTrustsBytesNotNames(t *testing.T) {
	var docx bytes.Buffer
	zw := zip.NewWriter(&docx)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte("<x/>"))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj\n"), "application/pdf"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "image/png"},
		{"docx", docx.Bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"text", []byte("Minutes of the meeting of 3 May.\n"), "text/plain"},
		{"html posing as text", []byte("<html><script>alert(1)</script></html>"), "text/html"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := blob.Sniff(bytes.NewReader(tt.data))
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	require.True(t, blob.Claims("Minutes.PDF", "application/pdf"))
	require.False(t, blob.Claims("minutes.pdf", "image/png"), "a PNG named .pdf is a mismatch")
	_, known := blob.Types["text/html"]
	require.False(t, known, "HTML is never accepted as an upload")
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"minutes.pdf":                     "minutes.pdf",
		"../../etc/passwd":                "passwd",
		`C:\Users\ana\report "final".pdf`: "report _final_.pdf",
		"..hidden":                        "hidden",
		"":                                "file",
		"a\x00b\nc.txt":                   "a_b_c.txt",
		"réunion du forum.odt":            "réunion du forum.odt",
	} {
		require.Equal(t, want, blob.SafeName(in), in)
	}
	long := strings.Repeat("x", 300) + ".pdf"
	got := blob.SafeName(long)
	require.LessOrEqual(t, len([]rune(got)), 200)
	require.True(t, strings.HasSuffix(got, ".pdf"))
}
