package idea

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/opendata"
)

// Exported is one idea in open data: no account id, no moderation detail.
type Exported struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	Theme      *string   `json:"theme"`
	Status     Status    `json:"status"`
	MergedInto *int64    `json:"merged_into"`
	Author     string    `json:"author"`
	Channel    Channel   `json:"channel"`
	Supports   int       `json:"supports"`
	Comments   int       `json:"comments"`
	CreatedAt  time.Time `json:"created_at"`
}

// Export returns every published idea of a process (held, hidden and rejected
// ones left out), in id order, with pseudonymous author ids.
func (s *Service) Export(ctx context.Context, actor auth.Principal, slug string) ([]Exported, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	ideas, err := s.store.Published(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	participant, err := s.opt.Participants.Namer(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Exported, len(ideas))
	for n, i := range ideas {
		theme := i.ThemeName
		out[n] = Exported{ID: i.ID, Title: i.Title, Body: i.Body, Theme: &theme, Status: i.Status, MergedInto: i.MergedInto,
			Author: participant(i.AuthorID), Channel: i.Channel, Supports: i.Supports, Comments: i.Comments,
			CreatedAt: i.CreatedAt.UTC()}
	}
	return out, nil
}

// CSVHeader is the first row of the CSV export.
var CSVHeader = []string{"id", "title", "theme", "status", "merged_into", "participant", "channel", "supports", "comments", "created_at", "body"}

// WriteCSV writes exported ideas as CSV, formula-like cells defused.
func WriteCSV(w io.Writer, ideas []Exported) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, i := range ideas {
		merged := ""
		if i.MergedInto != nil {
			merged = strconv.FormatInt(*i.MergedInto, 10)
		}
		theme := ""
		if i.Theme != nil {
			theme = *i.Theme
		}
		row := []string{strconv.FormatInt(i.ID, 10), opendata.SafeCell(i.Title), opendata.SafeCell(theme), string(i.Status), merged,
			i.Author, string(i.Channel), strconv.Itoa(i.Supports), strconv.Itoa(i.Comments), i.CreatedAt.Format(time.RFC3339),
			opendata.SafeCell(i.Body)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
