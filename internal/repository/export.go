package repository

import (
	"context"
	"encoding/csv"
	"encoding/hex"
	"io"
	"strconv"
	"strings"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/opendata"
	"cocreate/internal/process"
)

// Exported is one item in open data: what the document is and where to get
// it, never who added it.
type Exported struct {
	ID          int64     `json:"id"`
	Kind        Kind      `json:"kind"`
	Title       string    `json:"title"`
	Date        string    `json:"date"`
	Language    string    `json:"language"`
	Source      string    `json:"source"` // file or link
	URL         string    `json:"url"`    // the download address of a file, or the link
	Filename    *string   `json:"filename"`
	ContentType *string   `json:"content_type"`
	SizeBytes   *int64    `json:"size_bytes"`
	SHA256      *string   `json:"sha256"`
	AddedAt     time.Time `json:"added_at"`
}

// DownloadPath is the API path of an item's file.
func DownloadPath(id int64) string {
	return "/api/v1/repository/" + strconv.FormatInt(id, 10) + "/file"
}

// Export returns every item of the process's repository, newest document
// first, with absolute download addresses under publicURL, and the process
// (whether it is public says how long caches may keep the answer).
func (s *Service) Export(ctx context.Context, actor auth.Principal, slug, publicURL string) ([]Exported, process.Process, error) {
	p, err := s.readable(ctx, actor, slug)
	if err != nil {
		return nil, process.Process{}, err
	}
	items, err := s.store.All(ctx, p.ID)
	if err != nil {
		return nil, process.Process{}, err
	}
	base := strings.TrimRight(publicURL, "/")
	out := make([]Exported, len(items))
	for i, it := range items {
		e := Exported{ID: it.ID, Kind: it.Kind, Title: it.Title, Date: it.Date, Language: it.Language, AddedAt: it.CreatedAt.UTC()}
		if f := it.File; f != nil {
			sum := hex.EncodeToString(f.SHA256)
			e.Source, e.URL = "file", base+DownloadPath(it.ID)
			e.Filename, e.ContentType, e.SizeBytes, e.SHA256 = &f.Name, &f.ContentType, &f.Size, &sum
		} else if it.URL != nil {
			e.Source, e.URL = "link", *it.URL
		}
		out[i] = e
	}
	return out, p, nil
}

// CSVHeader is the first row of the CSV export.
var CSVHeader = []string{"id", "kind", "title", "date", "language", "source", "url", "filename", "content_type", "size_bytes", "sha256", "added_at"}

// WriteCSV writes exported items as CSV, formula-like cells defused.
func WriteCSV(w io.Writer, items []Exported) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	for _, e := range items {
		size := ""
		if e.SizeBytes != nil {
			size = strconv.FormatInt(*e.SizeBytes, 10)
		}
		row := []string{strconv.FormatInt(e.ID, 10), string(e.Kind), opendata.SafeCell(e.Title), e.Date, e.Language, e.Source,
			opendata.SafeCell(e.URL), opendata.SafeCell(str(e.Filename)), str(e.ContentType), size, str(e.SHA256),
			e.AddedAt.Format(time.RFC3339)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
