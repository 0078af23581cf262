package forum

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/opendata"
)

// Coverage is how much of a process's contributions the forum has answered.
type Coverage struct {
	Process     string
	TargetDays  int
	Total       int
	Answered    int
	PastTarget  int
	ByKind      []KindCoverage
	MedianDays  *float64 // age of the unanswered
	OldestDays  *int
	Under7      int
	From7To20   int
	Over20      int
	Unanswered  int
	GeneratedAt time.Time
}

// KindCoverage is coverage for one kind of contribution.
type KindCoverage struct {
	Kind     Kind
	Total    int
	Answered int
}

// CoverageRow is one contribution in the coverage spreadsheet.
type CoverageRow struct {
	Kind         Kind       `gorm:"column:kind"`
	ID           int64      `gorm:"column:id"`
	CreatedAt    time.Time  `gorm:"column:created_at"`
	Excerpt      string     `gorm:"column:excerpt"`
	DocumentID   *int64     `gorm:"column:document_id"`
	ParagraphKey *string    `gorm:"column:paragraph_key"`
	IdeaID       *int64     `gorm:"column:idea_id"`
	ClusterID    *int64     `gorm:"column:cluster_id"`
	DueAt        time.Time  `gorm:"column:due_at"`
	ResponseID   *int64     `gorm:"column:response_id"`
	Disposition  *string    `gorm:"column:disposition"`
	AnsweredAt   *time.Time `gorm:"column:answered_at"`
}

// Coverage computes the process's coverage figures, and the rows behind them:
// every published contribution with its latest answer and its due date,
// target days after the close of the phase it was made in (after it was
// made, outside any phase).
func (s *Service) Coverage(ctx context.Context, actor auth.Principal, slug string) (Coverage, []CoverageRow, error) {
	p, err := s.procs.GetReadable(ctx, actor, slug)
	if err != nil {
		return Coverage{}, nil, err
	}
	st, err := s.settings(ctx, p.ID)
	if err != nil {
		return Coverage{}, nil, err
	}
	rows, err := s.store.CoverageRows(ctx, p.ID, st.TargetDays)
	if err != nil {
		return Coverage{}, nil, err
	}
	now := s.opt.Now().UTC()
	c := Coverage{Process: p.Slug, TargetDays: st.TargetDays, GeneratedAt: now}
	kinds := map[Kind]*KindCoverage{KindComment: {Kind: KindComment}, KindIdea: {Kind: KindIdea}}
	var ages []float64
	for _, r := range rows {
		c.Total++
		kinds[r.Kind].Total++
		if r.ResponseID != nil {
			c.Answered++
			kinds[r.Kind].Answered++
			continue
		}
		c.Unanswered++
		if now.After(r.DueAt) {
			c.PastTarget++
		}
		days := now.Sub(r.CreatedAt).Hours() / 24
		ages = append(ages, days)
		switch {
		case days < 7:
			c.Under7++
		case days <= 20:
			c.From7To20++
		default:
			c.Over20++
		}
	}
	c.ByKind = []KindCoverage{*kinds[KindComment], *kinds[KindIdea]}
	if n := len(ages); n > 0 {
		// rows are oldest first, so ages are in descending order
		oldest := int(ages[0])
		c.OldestDays = &oldest
		var med float64
		if n%2 == 1 {
			med = ages[n/2]
		} else {
			med = (ages[n/2-1] + ages[n/2]) / 2
		}
		med = float64(int(med*10+0.5)) / 10
		c.MedianDays = &med
	}
	return c, rows, nil
}

// WriteCoverageCSV writes the coverage spreadsheet: one row per published
// contribution with its response, disposition and due date.
func WriteCoverageCSV(w io.Writer, rows []CoverageRow, publicURL string, now time.Time) error {
	cw := csv.NewWriter(w)
	base := strings.TrimRight(publicURL, "/")
	if err := cw.Write([]string{"kind", "id", "created_at", "document_id", "paragraph_key", "idea_id", "cluster_id", "excerpt",
		"answered", "disposition", "response_id", "response_url", "answered_at", "due_at", "past_target"}); err != nil {
		return err
	}
	id := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	for _, r := range rows {
		rec := []string{string(r.Kind), strconv.FormatInt(r.ID, 10), r.CreatedAt.UTC().Format(time.RFC3339), id(r.DocumentID), "", id(r.IdeaID),
			id(r.ClusterID), opendata.SafeCell(r.Excerpt), "no", "", "", "", "", r.DueAt.UTC().Format(time.RFC3339), "no"}
		if r.ParagraphKey != nil {
			rec[4] = opendata.SafeCell(*r.ParagraphKey)
		}
		if r.ResponseID != nil {
			rec[8], rec[10], rec[11] = "yes", id(r.ResponseID), fmt.Sprintf("%s/responses/%d", base, *r.ResponseID)
			if r.Disposition != nil {
				rec[9] = *r.Disposition
			}
			if r.AnsweredAt != nil {
				rec[12] = r.AnsweredAt.UTC().Format(time.RFC3339)
			}
		} else if now.After(r.DueAt) {
			rec[14] = "yes"
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
