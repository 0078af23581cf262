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
	blocks, dropped, err := ParseWithDropped(FormatText, src)
	require.NoError(t, err)
	require.Empty(t, dropped, "the toolkit has no page furniture: its repeated labels are text")

	// Nothing lost, nothing added, order kept: the text without whitespace is
	// identical, but for the bullets ("- ") that start its list lines.
	lines := strings.Split(src, "\n")
	var unbulleted strings.Builder
	for _, line := range lines {
		unbulleted.WriteString(strings.TrimPrefix(line, "- ") + "\n")
	}
	var joined strings.Builder
	for _, b := range blocks {
		joined.WriteString(b.Text)
	}
	want, got := squeeze(unbulleted.String()), squeeze(joined.String())
	if want != got {
		i := 0
		for i < len(want) && i < len(got) && want[i] == got[i] {
			i++
		}
		t.Fatalf("the text differs at byte %d: want …%q…, got …%q…", i, want[max(0, i-80):min(len(want), i+80)], got[max(0, i-80):min(len(got), i+80)])
	}

	// Nothing merged across the blank lines that separate the source's blocks:
	// every block lies inside one source chunk.
	var chunks []string
	for _, c := range splitChunks(lines) {
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
	headings := map[string]bool{}
	for _, b := range blocks {
		counts[b.Kind]++
		if b.Kind == KindHeading {
			headings[b.Text] = true
			require.True(t, strings.HasPrefix(b.Text, b.Section), "%q's section %q is its own", b.Text, b.Section)
		}
	}
	listRE := regexp.MustCompile(`^(?:- |\d{1,3}[.)]\s|[a-z][.)]\s)`)
	tabLines, listLines := 0, 0
	for _, chunk := range splitChunks(lines) {
		if len(chunk) == 1 && headings[collapse(chunk[0])] {
			continue
		}
		for _, line := range chunk {
			if strings.Contains(line, "\t") {
				tabLines++
			} else if listRE.MatchString(line) {
				listLines++
			}
		}
	}
	assert.Equal(t, tabLines, counts[KindTableRow], "one table row per tabbed line")
	assert.Equal(t, listLines, counts[KindListItem], "one list item per bulleted or numbered line")
	assert.Greater(t, counts[KindHeading], 20)
	assert.Greater(t, counts[KindParagraph], 500)
	t.Logf("toolkit: %d blocks %v", len(blocks), counts)

	// The IAP2 table's header starts with its empty corner cell, and its rows
	// have as many cells as it has.
	for i, b := range blocks {
		if strings.HasPrefix(b.Text, "\tINFORM\tCONSULT") {
			require.Equal(t, "\tINFORM\tCONSULT\tINVOLVE\tCOLLABORATE\tEMPOWER", b.Text)
			require.Equal(t, KindTableRow, blocks[i+1].Kind)
			require.True(t, strings.HasPrefix(blocks[i+1].Text, "PUBLIC PARTICIPATION GOAL\t"), blocks[i+1].Text)
			require.Len(t, strings.Split(blocks[i+1].Text, "\t"), 6)
		}
	}

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
		{Kind: KindHeading, Level: 1, Text: "Plan"},
		{Kind: KindParagraph, Text: "Intro with emphasis and a link."},
		{Kind: KindHeading, Level: 2, Text: "Commitments"},
		{Kind: KindListItem, Text: "First item"},
		{Kind: KindListItem, Text: "Second item"},
		{Kind: KindListItem, Text: "nested item"},
		{Kind: KindQuote, Text: "A quoted line."},
		{Kind: KindTableRow, Text: "Goal\tDate"},
		{Kind: KindTableRow, Text: "Open data\t2027"},
		{Kind: KindHeading, Level: 3, Text: "Detail"},
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
		{Kind: KindHeading, Level: 1, Text: "Open data"},
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

func TestParseHTMLKeepsAChecklistsBoxes(t *testing.T) {
	// A Word checklist's ☐ comes back from pandoc as a task list's checkbox.
	src := `<ul class="task-list">
<li><input type="checkbox" disabled="" />
Make the website engaging.</li>
<li><input type="checkbox" disabled="" checked="" />
Keep a document repository.</li>
<li><input type="text" value="x" />Nothing else to tick.</li>
</ul>`
	blocks, err := Parse(FormatHTML, src)
	require.NoError(t, err)
	require.Equal(t, []Parsed{
		{Kind: KindListItem, Text: "☐ Make the website engaging."},
		{Kind: KindListItem, Text: "☒ Keep a document repository."},
		{Kind: KindListItem, Text: "Nothing else to tick."},
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
