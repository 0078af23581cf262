package document

// Paragraph diffs between two versions, and the word diff of one paragraph.

import (
	"context"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"cocreate/internal/auth"
	"cocreate/internal/process"
)

// ParagraphDiff is one paragraph's change between two versions.
type ParagraphDiff struct {
	Key    string   `json:"key"`
	Change string   `json:"change"` // same, moved, edited, new, deleted
	Before *string  `json:"before"`
	After  *string  `json:"after"`
	Ops    []DiffOp `json:"ops"`
}

// Diff compares two published versions paragraph by paragraph, in the order of
// the newer one, with deleted paragraphs where they stood; it returns the
// document's process too (whether the answer is public).
func (s *Service) Diff(ctx context.Context, actor auth.Principal, docID int64, from, to int) ([]ParagraphDiff, process.Process, error) {
	_, p, err := s.load(ctx, actor, docID)
	if err != nil {
		return nil, process.Process{}, err
	}
	a, err := s.publishedBlocks(ctx, docID, from)
	if err != nil {
		return nil, process.Process{}, err
	}
	b, err := s.publishedBlocks(ctx, docID, to)
	if err != nil {
		return nil, process.Process{}, err
	}
	return DiffBlocks(a, b), p, nil
}

// publishedBlocks returns the blocks of a published version of a document.
func (s *Service) publishedBlocks(ctx context.Context, docID int64, number int) ([]Block, error) {
	v, err := s.store.VersionByNumber(ctx, docID, number)
	if err != nil {
		return nil, err
	}
	if !v.Published() {
		return nil, ErrVersionNotFound
	}
	return s.store.Blocks(ctx, v.ID)
}

// DiffBlocks pairs blocks by key.
func DiffBlocks(a, b []Block) []ParagraphDiff {
	old := make(map[string]int, len(a))
	for i, x := range a {
		old[x.Key] = i
	}
	inNew := make(map[string]bool, len(b))
	for _, y := range b {
		inNew[y.Key] = true
	}
	var out []ParagraphDiff
	nextOld := 0
	emitDeleted := func(upTo int) {
		for ; nextOld < upTo; nextOld++ {
			x := a[nextOld]
			if !inNew[x.Key] {
				t := x.Text
				out = append(out, ParagraphDiff{Key: x.Key, Change: "deleted", Before: &t, Ops: []DiffOp{{Op: "delete", Text: t}}})
			}
		}
	}
	for _, y := range b {
		after := y.Text
		i, ok := old[y.Key]
		if !ok {
			out = append(out, ParagraphDiff{Key: y.Key, Change: "new", After: &after, Ops: []DiffOp{{Op: "insert", Text: after}}})
			continue
		}
		if i >= nextOld {
			emitDeleted(i)
			nextOld = i + 1
		}
		before := a[i].Text
		d := ParagraphDiff{Key: y.Key, Before: &before, After: &after}
		if before == after {
			d.Change, d.Ops = "same", []DiffOp{{Op: "equal", Text: after}}
			if y.Change == ChangeMoved {
				d.Change = "moved"
			}
		} else {
			d.Change, d.Ops = "edited", TextDiff(before, after)
		}
		out = append(out, d)
	}
	emitDeleted(len(a))
	return out
}

// DiffOp is one piece of a paragraph's text diff.
type DiffOp struct {
	Op   string `json:"op"` // "equal", "insert" or "delete"
	Text string `json:"text"`
}

// TextDiff compares two texts word by word and returns the pieces in order.
func TextDiff(before, after string) []DiffOp {
	a, b, lines := dmp.DiffLinesToRunes(tokensAsLines(before), tokensAsLines(after))
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(a, b, false), lines)
	diffs = dmp.DiffCleanupSemantic(diffs)
	out := make([]DiffOp, 0, len(diffs))
	for _, d := range diffs {
		op := "equal"
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = "insert"
		case diffmatchpatch.DiffDelete:
			op = "delete"
		}
		t := strings.ReplaceAll(d.Text, "\n", "")
		if len(out) > 0 && out[len(out)-1].Op == op {
			out[len(out)-1].Text += t
			continue
		}
		out = append(out, DiffOp{Op: op, Text: t})
	}
	return out
}

// tokensAsLines puts each word and each run of other characters on a line of
// its own, so the line-mode diff works on words.
func tokensAsLines(s string) string {
	var b strings.Builder
	r := []rune(s)
	for i, c := range r {
		b.WriteRune(c)
		if i == len(r)-1 || isWord(c) != isWord(r[i+1]) {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
