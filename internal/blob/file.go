package blob

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
)

// Types maps the content types an upload may have (as detected from its
// bytes, never as claimed) to the file name extensions that claim them.
var Types = map[string][]string{
	"application/pdf": {".pdf"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   {".docx"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         {".xlsx"},
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
	"application/vnd.oasis.opendocument.text":                                   {".odt"},
	"application/vnd.oasis.opendocument.spreadsheet":                            {".ods"},
	"application/vnd.oasis.opendocument.presentation":                           {".odp"},
	"application/msword":       {".doc"},
	"application/vnd.ms-excel": {".xls"},
	"text/csv":                 {".csv"},
	"text/plain":               {".txt", ".md", ".csv"},
	"image/png":                {".png"},
	"image/jpeg":               {".jpg", ".jpeg"},
	"image/webp":               {".webp"},
	"image/gif":                {".gif"},
	"image/tiff":               {".tif", ".tiff"},
}

// Sniff returns the content type of a file from its first bytes, without
// parameters (e.g. "application/pdf"); r is read from its start.
func Sniff(r io.Reader) (string, error) {
	m, err := mimetype.DetectReader(r)
	if err != nil {
		return "", err
	}
	// The most specific type: HTML is also text, but never "text/plain" here.
	mt, _, _ := strings.Cut(m.String(), ";")
	return mt, nil
}

// Claims reports whether name's extension claims the content type ct.
func Claims(name, ct string) bool {
	ext := strings.ToLower(path.Ext(name))
	for _, e := range Types[ct] {
		if e == ext {
			return true
		}
	}
	return false
}

// SafeName returns a file name fit to store and to send in a
// Content-Disposition header: the last path element, printable characters
// only, at most 200 characters, never empty, never starting with a dot.
func SafeName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), r == '"', r == '/', r == ':', r == '*', r == '?', r == '<', r == '>', r == '|':
			b.WriteRune('_')
		case unicode.IsSpace(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	out := strings.TrimLeft(strings.TrimSpace(b.String()), ".")
	if r := []rune(out); len(r) > 200 {
		ext := []rune(path.Ext(out))
		if len(ext) > 10 {
			ext = nil
		}
		out = string(r[:200-len(ext)]) + string(ext)
	}
	if out == "" {
		out = "file"
	}
	return out
}

// NewKey returns a fresh random key under prefix (e.g. "repository").
func NewKey(prefix string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return prefix + "/" + hex.EncodeToString(b[:])
}
