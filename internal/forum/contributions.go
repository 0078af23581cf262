package forum

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"cocreate/internal/apperr"
)

// Kind is the kind of a contribution.
type Kind string

// The kinds of contribution the forum answers.
const (
	KindComment Kind = "comment"
	KindIdea    Kind = "idea"
)

// Ref names one contribution.
type Ref struct {
	Kind Kind
	ID   int64
}

func (r Ref) String() string { return string(r.Kind) + ":" + strconv.FormatInt(r.ID, 10) }

// Summary is a published contribution as the forum sees it.
type Summary struct {
	Kind         Kind      `gorm:"column:kind"`
	ID           int64     `gorm:"column:id"`
	Excerpt      string    `gorm:"column:excerpt"`
	Author       string    `gorm:"column:author"`
	CreatedAt    time.Time `gorm:"column:created_at"`
	DocumentID   *int64    `gorm:"column:document_id"`
	ParagraphKey *string   `gorm:"column:paragraph_key"`
	IdeaID       *int64    `gorm:"column:idea_id"`
	ThemeID      *int64    `gorm:"column:theme_id"`
	ClusterID    *int64    `gorm:"column:cluster_id"`
	ResponseID   *int64    `gorm:"column:response_id"`
}

// Ref is the summary's contribution.
func (s Summary) Ref() Ref { return Ref{Kind: s.Kind, ID: s.ID} }

// summaries reads the published contributions among refs, in the order of refs.
func (s *Service) summaries(ctx context.Context, processID int64, refs []Ref) ([]Summary, error) {
	rows, err := s.store.Summaries(ctx, processID, refs)
	if err != nil {
		return nil, err
	}
	byRef := make(map[Ref]Summary, len(rows))
	for _, r := range rows {
		byRef[r.Ref()] = r
	}
	out := make([]Summary, 0, len(rows))
	for _, r := range refs {
		if sm, ok := byRef[r]; ok {
			out = append(out, sm)
			delete(byRef, r)
		}
	}
	return out, nil
}

// checkRefs refuses refs that are not published contributions of the
// process, naming the first such one; duplicates are dropped.
func (s *Service) checkRefs(ctx context.Context, processID int64, refs []Ref, field string) ([]Summary, error) {
	var f apperr.Fields
	if len(refs) == 0 || len(refs) > 1000 {
		f.Add(field, "count", "between 1 and 1000 contributions")
		return nil, f.Err(CodeInvalid)
	}
	seen := map[Ref]bool{}
	uniq := refs[:0:0]
	for _, r := range refs {
		if r.Kind != KindComment && r.Kind != KindIdea {
			f.Add(field, "kind", "comment or idea")
			return nil, f.Err(CodeInvalid)
		}
		if !seen[r] {
			seen[r] = true
			uniq = append(uniq, r)
		}
	}
	sms, err := s.summaries(ctx, processID, uniq)
	if err != nil {
		return nil, err
	}
	if len(sms) != len(uniq) {
		found := map[Ref]bool{}
		for _, sm := range sms {
			found[sm.Ref()] = true
		}
		for _, r := range uniq {
			if !found[r] {
				f.Add(field, "not_found", fmt.Sprintf("%s is not a published contribution of this process", r))
				break
			}
		}
		return nil, f.Err(CodeInvalid)
	}
	return sms, nil
}
