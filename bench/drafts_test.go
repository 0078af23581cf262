package main

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/document"
	"cocreate/internal/document/convert"
)

// TestToolkitAsWordGivesItsMarkdownBlocks checks W15's Word file: the shared
// toolkit draft written as Markdown, then as a Word file by pandoc, imports
// as the same blocks either way (so W15 measures a real revision, not a
// conversion's noise).
func TestToolkitAsWordGivesItsMarkdownBlocks(t *testing.T) {
	raw, err := os.ReadFile("../../shared/fixtures/drafts/ogp-participation-cocreation-toolkit.txt")
	if os.IsNotExist(err) {
		t.Skip("the shared toolkit draft is absent (it lives beside the project, not in it)")
	}
	require.NoError(t, err)
	blocks, err := document.Parse(document.FormatText, string(raw))
	require.NoError(t, err)
	md := markdownOf(blocks, nil)
	want, err := document.Parse(document.FormatMarkdown, md)
	require.NoError(t, err)
	require.Len(t, want, len(blocks))
	docx, err := pandocDocx(t.TempDir(), "toolkit", md)
	require.NoError(t, err)
	html, err := convert.New("pandoc", convert.Limits{}).ToHTML(context.Background(), convert.Docx, bytes.NewReader(docx), int64(len(docx)))
	require.NoError(t, err)
	got, err := document.Parse(document.FormatHTML, html)
	require.NoError(t, err)
	require.Equal(t, want, got)
}

func TestPadDocxWeighsWhatItIsAsked(t *testing.T) {
	docx, err := pandocDocx(t.TempDir(), "small", "# Plan\n\nText.\n")
	require.NoError(t, err)
	for _, size := range []int64{200 << 10, 1 << 20, 1<<20 + 1} {
		b, err := padDocx(docx, size)
		require.NoError(t, err)
		require.EqualValues(t, size, len(b))
	}
}
