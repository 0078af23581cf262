package document

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var spaceRE = regexp.MustCompile(`\s+`)

func squeeze(s string) string { return spaceRE.ReplaceAllString(s, "") }

// toolkit reads the shared real-world draft, or skips when it is absent.
func toolkit(t *testing.T) string {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "fixtures", "drafts", "ogp-participation-cocreation-toolkit.txt")
	src, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("fixture %s is absent (it lives beside the project, not in it)", path)
	}
	require.NoError(t, err)
	return string(src)
}

func TestParseToolkitKeepsEveryWordInOrder(t *testing.T) {
	src := toolkit(t)
	blocks, err := Parse(FormatText, src)
	require.NoError(t, err)

	// Nothing lost, nothing added, order kept: the text without whitespace is identical.
	var joined strings.Builder
	for _, b := range blocks {
		joined.WriteString(b.Text)
	}
	require.Equal(t, squeeze(src), squeeze(joined.String()))

	// Nothing merged across the blank lines that separate the source's blocks:
	// every block lies inside one source chunk.
	var chunks []string
	for _, c := range splitChunks(strings.ReplaceAll(src, "\r\n", "\n")) {
		chunks = append(chunks, squeeze(strings.Join(c, " ")))
	}
	ci := 0
	for _, b := range blocks {
		s := squeeze(b.Text)
		for ci < len(chunks) && !strings.Contains(chunks[ci], s) {
			ci++
		}
		require.Less(t, ci, len(chunks), "block %q spans source chunks", b.Text)
	}

	counts := map[Kind]int{}
	for _, b := range blocks {
		counts[b.Kind]++
	}
	tabLines, listLines := 0, 0
	for _, chunk := range splitChunks(src) {
		if _, heading := textHeading(chunk[0]); heading && len(chunk) == 1 {
			continue
		}
		for _, line := range chunk {
			if strings.Contains(line, "\t") {
				tabLines++
			} else if listLineRE.MatchString(line) {
				listLines++
			}
		}
	}
	assert.Equal(t, tabLines, counts[KindTableRow], "one table row per tabbed line")
	assert.Equal(t, listLines, counts[KindListItem], "one list item per bulleted or numbered line")
	assert.Greater(t, counts[KindHeading], 20)
	assert.Greater(t, counts[KindParagraph], 500)
	t.Logf("toolkit: %d blocks %v", len(blocks), counts)

	// Keys are unique and URL-safe.
	aligned := Align(nil, blocks, map[string]bool{})
	seen := map[string]bool{}
	for _, a := range aligned {
		require.Regexp(t, `^[a-z0-9-]{1,40}$`, a.Key)
		require.False(t, seen[a.Key], "duplicate key %s", a.Key)
		seen[a.Key] = true
	}
}

func TestParseMarkdown(t *testing.T) {
	src := "# Plan\n\nIntro with *emphasis* and a [link](https://example.org).\n\n## Commitments\n\n" +
		"- First item\n- Second item\n  - nested item\n\n> A quoted\n> line.\n\n| Goal | Date |\n|---|---|\n| Open data | 2027 |\n\n### Detail\n\nLast words.\n"
	blocks, err := Parse(FormatMarkdown, src)
	require.NoError(t, err)
	want := []Parsed{
		{Kind: KindHeading, Level: 1, Section: "1", Text: "Plan"},
		{Kind: KindParagraph, Text: "Intro with emphasis and a link."},
		{Kind: KindHeading, Level: 2, Section: "1.1", Text: "Commitments"},
		{Kind: KindListItem, Text: "First item"},
		{Kind: KindListItem, Text: "Second item"},
		{Kind: KindListItem, Text: "nested item"},
		{Kind: KindQuote, Text: "A quoted line."},
		{Kind: KindTableRow, Text: "Goal\tDate"},
		{Kind: KindTableRow, Text: "Open data\t2027"},
		{Kind: KindHeading, Level: 3, Section: "1.1.1", Text: "Detail"},
		{Kind: KindParagraph, Text: "Last words."},
	}
	require.Equal(t, want, blocks)
}

func TestParseHTML(t *testing.T) {
	src := `<html><head><title>x</title><style>p{}</style></head><body><h2>Open data</h2>
<p>We will <b>publish</b> budgets.</p><ul><li>Monthly<ul><li>by ward</li></ul></li><li>Yearly</li></ul>
<blockquote><p>Quoted.</p></blockquote><table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>
<div>Loose text<script>alert(1)</script></div></body></html>`
	blocks, err := Parse(FormatHTML, src)
	require.NoError(t, err)
	want := []Parsed{
		{Kind: KindHeading, Level: 2, Section: "1", Text: "Open data"},
		{Kind: KindParagraph, Text: "We will publish budgets."},
		{Kind: KindListItem, Text: "Monthly"},
		{Kind: KindListItem, Text: "by ward"},
		{Kind: KindListItem, Text: "Yearly"},
		{Kind: KindQuote, Text: "Quoted."},
		{Kind: KindTableRow, Text: "A\tB"},
		{Kind: KindTableRow, Text: "1\t2"},
		{Kind: KindParagraph, Text: "Loose text"},
	}
	require.Equal(t, want, blocks)
}

func TestParseRejectsBadInput(t *testing.T) {
	_, err := Parse(FormatText, "ok\xff")
	require.Error(t, err)
	_, err = Parse("docx", "x")
	require.Error(t, err)
	blocks, err := Parse(FormatText, " \n\n\t\n")
	require.NoError(t, err)
	require.Empty(t, blocks)
}

func TestParseHTMLJoinsInlineWordsAndReadsFootnotes(t *testing.T) {
	// As pandoc writes a Word file's text: inline markup inside words and
	// before punctuation, a footnote reference and the note with its way back.
	src := `<p>The city will publish <em>every</em> contract in the <a href="https://example.org">Standard</a>, <strong>monthly</strong>.<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a></p>
<p>Un<b>break</b>able and <code>EUR</code>.</p>
<section class="footnotes footnotes-end-of-document" role="doc-endnotes"><hr /><ol><li id="fn1"><p>From the 2026 review. <a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li></ol></section>`
	blocks, err := Parse(FormatHTML, "\ufeff"+src)
	require.NoError(t, err)
	require.Equal(t, []Parsed{
		{Kind: KindParagraph, Text: "The city will publish every contract in the Standard, monthly.[1]"},
		{Kind: KindParagraph, Text: "Unbreakable and EUR."},
		{Kind: KindListItem, Text: "From the 2026 review."},
	}, blocks)
}

func TestParseMarkdownReadsTextAsWritten(t *testing.T) {
	blocks, err := Parse(FormatMarkdown, "Designed by \\[Richard Scott\\](\\#), 1\\. not a list, R&amp;D &#169; and `a\\b &amp;`.\n\n"+
		"1\\. Heading-like line, see www.example.org or <https://example.org/a>\n")
	require.NoError(t, err)
	require.Equal(t, []Parsed{
		{Kind: KindParagraph, Text: "Designed by [Richard Scott](#), 1. not a list, R&D © and a\\b &amp;."},
		{Kind: KindParagraph, Text: "1. Heading-like line, see www.example.org or https://example.org/a"},
	}, blocks)
}
