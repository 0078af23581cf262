package forum

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"cocreate/internal/apperr"
	"cocreate/internal/ledger"
	"cocreate/internal/markdown"
	"cocreate/internal/process"
)

// validated is a checked ResponseInput.
type validated struct {
	ResponseInput
	html string
}

func (s *Service) validate(ctx context.Context, p process.Process, in ResponseInput, editing bool) (validated, error) {
	var f apperr.Fields
	if !slices.Contains(Dispositions, in.Disposition) {
		f.Add("disposition", "oneof", "adopted, amended, merged, rejected, out_of_scope or noted")
	}
	in.Reasoning = strings.TrimSpace(ledger.Normalize(in.Reasoning))
	switch n := utf8.RuneCountInString(in.Reasoning); {
	case n == 0 || !markdown.HasVisible(in.Reasoning):
		f.Add("reasoning", "required", "explain the response")
	case n > MaxReasoningChars:
		f.Add("reasoning", "length", fmt.Sprintf("at most %d characters", MaxReasoningChars))
	case strings.ContainsRune(in.Reasoning, 0):
		f.Add("reasoning", "characters", "no NUL characters")
	}
	in.LedTo = strings.TrimSpace(ledger.Normalize(in.LedTo))
	if utf8.RuneCountInString(in.LedTo) > MaxLedToChars || strings.ContainsAny(in.LedTo, "\n\x00") {
		f.Add("led_to", "length", fmt.Sprintf("one line of at most %d characters", MaxLedToChars))
	}
	if in.CorrectionReason != nil {
		r := strings.TrimSpace(ledger.Normalize(*in.CorrectionReason))
		in.CorrectionReason = &r
		if r == "" {
			in.CorrectionReason = nil
		} else if utf8.RuneCountInString(r) > MaxCorrectionChars || strings.ContainsRune(r, 0) {
			f.Add("correction_reason", "length", fmt.Sprintf("at most %d characters", MaxCorrectionChars))
		}
	}
	if !editing && in.Supersedes != nil {
		old, err := s.store.Response(ctx, *in.Supersedes, false)
		switch {
		case errors.Is(err, ErrResponseNotFound) || err == nil && (old.ProcessID != p.ID || !old.Published()):
			f.Add("supersedes", "not_found", "not a published response of this process")
		case err != nil:
			return validated{}, err
		}
	}
	if (in.Supersedes != nil) != (in.CorrectionReason != nil) {
		f.Add("correction_reason", "required", "a correction says why, and only a correction has a reason")
	}
	if len(in.Covers) == 0 || len(in.Covers) > MaxCovers {
		f.Add("covers", "count", fmt.Sprintf("between 1 and %d", MaxCovers))
	} else if c, twice := repeatedCover(in.Covers); twice {
		f.Add("covers", "duplicate", fmt.Sprintf("each cover once: %s is listed more than once", c))
	}
	if err := f.Err(CodeInvalid); err != nil {
		return validated{}, err
	}
	if err := s.checkCovers(ctx, p.ID, in.Covers); err != nil {
		return validated{}, err
	}
	html, err := markdown.Render(in.Reasoning)
	if err != nil {
		return validated{}, fmt.Errorf("forum: reasoning: %w", err)
	}
	return validated{ResponseInput: in, html: html}, nil
}

// repeatedCover returns the first cover listed twice, as the editor names it
// ("idea 12", "paragraph p-3 of draft 4"). Only the fields of a cover's kind
// tell covers apart.
func repeatedCover(covers []CoverInput) (string, bool) {
	seen := make(map[CoverInput]bool, len(covers))
	for _, c := range covers {
		k := CoverInput{Kind: c.Kind, ID: c.ID}
		name := fmt.Sprintf("%s %d", c.Kind, c.ID)
		if c.Kind == "paragraph" {
			k = CoverInput{Kind: c.Kind, DocumentID: c.DocumentID, ParagraphKey: c.ParagraphKey}
			name = fmt.Sprintf("paragraph %s of draft %d", c.ParagraphKey, c.DocumentID)
		}
		if seen[k] {
			return name, true
		}
		seen[k] = true
	}
	return "", false
}

// checkCovers refuses covers that are not this process's published
// contributions, clusters or draft paragraphs.
func (s *Service) checkCovers(ctx context.Context, processID int64, covers []CoverInput) error {
	var refs []Ref
	var f apperr.Fields
	for _, c := range covers {
		switch c.Kind {
		case "comment", "idea":
			if c.ID <= 0 {
				f.Add("covers", "id", "a comment or an idea needs its id")
			}
			refs = append(refs, Ref{Kind: Kind(c.Kind), ID: c.ID})
		case "cluster":
			ok, err := s.store.ClusterInProcess(ctx, c.ID, processID)
			if err != nil {
				return err
			}
			if !ok {
				f.Add("covers", "not_found", fmt.Sprintf("cluster %d is not a cluster of this process", c.ID))
			}
		case "paragraph":
			ok, err := s.store.ParagraphInProcess(ctx, c.DocumentID, processID, c.ParagraphKey)
			if err != nil {
				return err
			}
			if !ok {
				f.Add("covers", "not_found", fmt.Sprintf("paragraph %q is not in a draft of this process", c.ParagraphKey))
			}
		default:
			f.Add("covers", "kind", "comment, idea, cluster or paragraph")
		}
	}
	if err := f.Err(CodeInvalid); err != nil {
		return err
	}
	if len(refs) > 0 {
		if _, err := s.checkRefs(ctx, processID, refs, "covers"); err != nil {
			return err
		}
	}
	return nil
}
