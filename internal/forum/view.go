package forum

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"cocreate/internal/ledger"
	"cocreate/internal/markdown"
	"cocreate/internal/process"
)

// complete adds what a response shows beyond its row.
func (s *Service) complete(ctx context.Context, p process.Process, r Response) (Response, error) {
	r.Process = p.Slug
	r.SigningRule = r.RuleName
	r.MissingSeats = []process.Seat{}
	if err := s.loadCovers(ctx, p.ID, &r); err != nil {
		return Response{}, err
	}
	if r.Published() {
		hash, fields, found, err := s.store.LedgerEntry(ctx, p.ID, *r.LedgerSeq)
		if err != nil {
			return Response{}, err
		}
		if found {
			r.LedgerHash = hash
			var f ledger.Fields
			if err := json.Unmarshal([]byte(fields), &f); err != nil {
				return Response{}, fmt.Errorf("forum: ledger entry: %w", err)
			}
			// The ledger records who signed, not when: the response's date is its publication.
			for _, m := range f.Signers {
				r.Signatures = append(r.Signatures, Signature{Kind: "sign", MemberRef: m.Member, Seat: m.Seat, Organisation: m.Organisation})
			}
			for _, m := range f.Dissents {
				note := m.Note
				r.Signatures = append(r.Signatures, Signature{Kind: kindDissent, MemberRef: m.Member, Seat: m.Seat, Organisation: m.Organisation, Note: &note})
			}
			for _, m := range f.Recusals {
				g := Signature{Kind: kindRecuse, MemberRef: m.Member, Seat: m.Seat, Organisation: m.Organisation}
				if m.Note != "" {
					note := m.Note
					g.Note = &note
				}
				r.Signatures = append(r.Signatures, g)
			}
		}
		if r.SupersededBy, err = s.store.SupersededBy(ctx, r.ID); err != nil {
			return Response{}, err
		}
		if r.Answered, err = s.store.AnsweredCount(ctx, r.ID); err != nil {
			return Response{}, err
		}
	} else {
		sigs, err := s.store.DraftSignatures(ctx, r.ID)
		if err != nil {
			return Response{}, err
		}
		for _, g := range sigs {
			name, at := g.Name, g.SignedAt.UTC()
			r.Signatures = append(r.Signatures, Signature{Kind: g.Kind, MemberRef: g.MemberRef, Name: &name, Seat: g.Seat,
				Organisation: g.Organisation, Note: g.Note, SignedAt: &at})
		}
		v, err := s.verdict(ctx, r)
		if err != nil {
			return Response{}, err
		}
		r.Verdict, r.MissingSeats = &v, v.MissingSeats
		answers, err := s.answers(ctx, p.ID, r.ID)
		if err != nil {
			return Response{}, err
		}
		r.Answered = len(answers)
	}
	if r.Signatures == nil {
		r.Signatures = []Signature{}
	}
	return r, nil
}

// loadCovers reads a response's covers with their labels and counts.
func (s *Service) loadCovers(ctx context.Context, processID int64, r *Response) error {
	rows, err := s.store.Covers(ctx, r.ID)
	if err != nil {
		return err
	}
	r.Covers = toCovers(rows)
	return nil
}

// toCovers is covers as they are shown, quoting only the public's.
func toCovers(rows []coverRow) []Cover {
	out := make([]Cover, 0, len(rows))
	for _, row := range rows {
		c := Cover{Count: row.Count, Visible: true}
		switch {
		case row.CommentID != nil:
			c.Kind, c.ID, c.Visible = "comment", row.CommentID, row.Visible
			if row.Visible {
				c.IdeaID, c.DocumentID, c.ParagraphKey, c.ProgressUpdateID = row.CommentIdea, row.CommentDoc, row.CommentKey, row.CommentOn
				c.Excerpt = excerpt(markdown.Excerpt(deref(row.Text), ExcerptChars))
			}
		case row.IdeaID != nil:
			c.Kind, c.ID, c.Visible = "idea", row.IdeaID, row.Visible
			if row.Visible {
				c.Excerpt = excerpt(markdown.Clip(deref(row.Text), ExcerptChars))
			}
		case row.ClusterID != nil:
			c.Kind, c.ID, c.Label = "cluster", row.ClusterID, deref(row.ClusterTitle)
		default:
			c.Kind, c.DocumentID, c.ParagraphKey, c.Label = "paragraph", row.DocumentID, row.ParagraphKey, deref(row.ParagraphKey)
		}
		if c.Excerpt != nil {
			c.Label = *c.Excerpt
		}
		out = append(out, c)
	}
	return out
}

func excerpt(s string) *string { return &s }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// LedgerCovers resolves the covers ledger entries record ("comment:12",
// "idea:3", "cluster:4", "paragraph:7:p-3") into covers as a response shows
// them, by the text the ledger records; a text it cannot read is left out.
func (s *Service) LedgerCovers(ctx context.Context, refs []string) (map[string]Cover, error) {
	var in []CoverInput
	seen := map[string]bool{}
	for _, ref := range refs {
		c, ok := parseLedgerCover(ref)
		if !ok || seen[ref] {
			continue
		}
		seen[ref] = true
		in = append(in, c)
	}
	out := make(map[string]Cover, len(in))
	if len(in) == 0 {
		return out, nil
	}
	rows, err := s.store.CoversOf(ctx, in)
	if err != nil {
		return nil, err
	}
	for _, c := range toCovers(rows) {
		out[c.LedgerRef()] = c
	}
	return out, nil
}

// LedgerRef is the cover as the ledger records it.
func (c Cover) LedgerRef() string {
	if c.Kind == "paragraph" {
		return fmt.Sprintf("paragraph:%d:%s", deref64(c.DocumentID), deref(c.ParagraphKey))
	}
	return c.Kind + ":" + strconv.FormatInt(deref64(c.ID), 10)
}

// parseLedgerCover reads a cover as the ledger records it.
func parseLedgerCover(ref string) (CoverInput, bool) {
	kind, rest, _ := strings.Cut(ref, ":")
	switch kind {
	case "comment", "idea", "cluster":
		id, err := strconv.ParseInt(rest, 10, 64)
		return CoverInput{Kind: kind, ID: id}, err == nil && id > 0
	case "paragraph":
		doc, key, ok := strings.Cut(rest, ":")
		id, err := strconv.ParseInt(doc, 10, 64)
		return CoverInput{Kind: kind, DocumentID: id, ParagraphKey: key}, ok && err == nil && id > 0 && key != ""
	}
	return CoverInput{}, false
}

func deref64(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}
