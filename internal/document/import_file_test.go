package document_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apptest"
	"cocreate/internal/document"
	"cocreate/internal/document/convert"
)

// shortDraft is the Markdown fixture the Word and OpenDocument files are made of.
func shortDraft(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/draft-short.md")
	require.NoError(t, err)
	return string(b)
}

// TestWordAndOpenDocumentGiveTheMarkdownBlocks converts real .docx and .odt
// files, made by pandoc from the Markdown fixture, and parses the result as
// the importer does: the blocks are those of the Markdown itself.
func TestWordAndOpenDocumentGiveTheMarkdownBlocks(t *testing.T) {
	md := shortDraft(t)
	want, err := document.Parse(document.FormatMarkdown, md)
	require.NoError(t, err)
	require.Len(t, want, 24, "the fixture's blocks")
	conv := convert.New("pandoc", convert.Limits{})
	for _, kind := range []convert.Kind{convert.Docx, convert.ODT} {
		t.Run(string(kind), func(t *testing.T) {
			file := apptest.PandocFile(t, md, string(kind))
			html, err := conv.ToHTML(context.Background(), kind, bytes.NewReader(file), int64(len(file)))
			require.NoError(t, err)
			got, err := document.Parse(document.FormatHTML, html)
			require.NoError(t, err)
			expected := want
			if kind == convert.ODT {
				// pandoc's OpenDocument reader reads a quotation (the
				// "Quotations" paragraph style) as a paragraph: the words
				// are kept, the kind is not.
				expected = append([]document.Parsed(nil), want...)
				for i := range expected {
					if expected[i].Kind == document.KindQuote {
						expected[i].Kind = document.KindParagraph
					}
				}
			}
			require.Equal(t, expected, got)
		})
	}
}
