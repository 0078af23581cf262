package comment

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"cocreate/internal/document"
	"cocreate/internal/opendata"
)

// Published returns every published, undeleted comment of a document, in id
// order, for the open-data export, each with its author's participant id.
func (s *Service) Published(ctx context.Context, docID int64) ([]Comment, error) {
	cs, err := s.store.Published(ctx, docID)
	if err != nil {
		return nil, err
	}
	name, err := s.opt.Participants.Namer(ctx)
	if err != nil {
		return nil, err
	}
	for n := range cs {
		cs[n].Participant = name(cs[n].AuthorID)
	}
	return cs, nil
}

// Annotations builds a W3C Web Annotation collection (JSON-LD) of comments on
// doc: comments target their paragraph (with TextQuoteSelector and
// TextPositionSelector for phrases), replies target the comment they answer.
// base is the instance's public URL.
func Annotations(base string, doc document.Document, cs []Comment) map[string]any {
	base = strings.TrimRight(base, "/")
	docURL := fmt.Sprintf("%s/api/v1/documents/%d", base, doc.ID)
	items := make([]map[string]any, 0, len(cs))
	for _, c := range cs {
		a := map[string]any{
			"@context": "http://www.w3.org/ns/anno.jsonld",
			"id":       fmt.Sprintf("%s/api/v1/comments/%d", base, c.ID),
			"type":     "Annotation",
			"created":  c.CreatedAt.UTC().Format(time.RFC3339),
			"creator":  map[string]any{"id": c.Participant, "type": "Person"},
			"body": map[string]any{
				"type": "TextualBody", "value": c.Body, "format": "text/markdown", "language": doc.Language,
			},
		}
		if c.EditedAt != nil {
			a["modified"] = c.EditedAt.UTC().Format(time.RFC3339)
		}
		if c.ParentID != nil {
			a["motivation"] = "replying"
			a["target"] = fmt.Sprintf("%s/api/v1/comments/%d", base, *c.ParentID)
		} else {
			a["motivation"] = "commenting"
			target := map[string]any{
				"type":   "SpecificResource",
				"source": fmt.Sprintf("%s/versions/%d#p-%s", docURL, c.VersionNumber, c.ParagraphKey),
			}
			if c.QuoteExact != nil {
				target["selector"] = []map[string]any{
					{"type": "TextQuoteSelector", "exact": *c.QuoteExact, "prefix": deref(c.QuotePrefix), "suffix": deref(c.QuoteSuffix)},
					{"type": "TextPositionSelector", "start": *c.QuoteStart, "end": *c.QuoteEnd},
				}
			}
			a["target"] = target
		}
		items = append(items, a)
	}
	coll := map[string]any{
		"@context": "http://www.w3.org/ns/anno.jsonld",
		"id":       docURL + "/annotations",
		"type":     "AnnotationCollection",
		"label":    "Comments on " + doc.Title,
		"total":    len(items),
	}
	if len(items) > 0 {
		coll["first"] = map[string]any{
			"id":         docURL + "/annotations?page=1",
			"type":       "AnnotationPage",
			"partOf":     docURL + "/annotations",
			"startIndex": 0,
			"items":      items,
		}
	}
	return coll
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// CSVHeader is the first line of the CSV export.
var CSVHeader = []string{"comment_id", "parent_id", "document_id", "version", "paragraph_key", "quote", "quote_start", "quote_end",
	"anchor_version", "anchor_key", "anchor_status", "participant", "created_at", "edited_at", "agree", "disagree", "body"}

// WriteCSV writes comments as CSV. Cells that a spreadsheet would run as a
// formula are prefixed with an apostrophe.
func WriteCSV(w io.Writer, cs []Comment) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	opt := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	optInt := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	for _, c := range cs {
		edited := ""
		if c.EditedAt != nil {
			edited = c.EditedAt.UTC().Format(time.RFC3339)
		}
		row := []string{strconv.FormatInt(c.ID, 10), opt(c.ParentID), strconv.FormatInt(c.DocumentID, 10), strconv.Itoa(c.VersionNumber),
			c.ParagraphKey, opendata.SafeCell(deref(c.QuoteExact)), optInt(c.QuoteStart), optInt(c.QuoteEnd), strconv.Itoa(c.AnchorVersionNumber),
			deref(c.AnchorKey), c.AnchorStatus, c.Participant, c.CreatedAt.UTC().Format(time.RFC3339), edited,
			strconv.Itoa(c.Agree), strconv.Itoa(c.Disagree), opendata.SafeCell(c.Body)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
