package document

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// rowsOf returns the texts of the table rows among blocks, cells shown with "|".
func rowsOf(blocks []Parsed) []string {
	var out []string
	for _, b := range blocks {
		if b.Kind == KindTableRow {
			out = append(out, strings.ReplaceAll(b.Text, "\t", "|"))
		}
	}
	return out
}

// TestParseTextTablesKeepTheirColumns: an empty first (or middle, or last)
// cell stays a cell, so every value stays under its header, and every row
// has the header's number of cells.
func TestParseTextTablesKeepTheirColumns(t *testing.T) {
	src := "Commitments and leads:\n\n" +
		"Commitment\tLead\tDue\n" +
		"\tTreasury\t2027\n" + // a row with an empty first cell
		"Open data\t\t2028\n" +
		"Public register\tCabinet Office\n" + // a ragged row
		"Total\t2\t3\t\t\n" + // trailing tabs beyond the header
		"\n" +
		"\t2026\t2027\n" + // a header whose corner cell is empty
		"Budget\t10\t20\n"
	blocks, err := Parse(FormatText, src)
	require.NoError(t, err)
	require.Equal(t, []string{
		"Commitment|Lead|Due",
		"|Treasury|2027",
		"Open data||2028",
		"Public register|Cabinet Office|",
		"Total|2|3",
		"|2026|2027",
		"Budget|10|20",
	}, rowsOf(blocks))
	require.Equal(t, KindParagraph, blocks[0].Kind)
}

// TestParseTextIndentedProseIsNotATable: a line indented with a tab is a
// paragraph's line; a whole table indented by a tab keeps its columns.
func TestParseTextIndentedProseIsNotATable(t *testing.T) {
	src := "\tThe ministry will publish the budget every month.\n\n" +
		"The plan has three parts.\n\tFirst, it opens the data.\n\n" +
		"\tGoal\tDate\n\tOpen data\t2027\n"
	blocks, err := Parse(FormatText, src)
	require.NoError(t, err)
	require.Equal(t, []Parsed{
		{Kind: KindParagraph, Text: "The ministry will publish the budget every month."},
		{Kind: KindParagraph, Text: "The plan has three parts. First, it opens the data."},
		{Kind: KindTableRow, Text: "Goal\tDate"},
		{Kind: KindTableRow, Text: "Open data\t2027"},
	}, blocks)
}

// TestParseHTMLTablesKeepTheirColumns: Word tables as pandoc writes them,
// with empty, merged (colspan) and spanning (rowspan) cells and ragged rows.
func TestParseHTMLTablesKeepTheirColumns(t *testing.T) {
	src := `<table><caption>Leads</caption><thead><tr><th>Commitment</th><th>Lead</th><th>Due</th></tr></thead><tbody>
<tr><td></td><td>Treasury</td><td>2027</td></tr>
<tr><td rowspan="2">Open data</td><td>Cabinet</td><td>2028</td></tr>
<tr><td>Statistics office</td><td>2029</td></tr>
<tr><td colspan="2">Total</td><td>3</td></tr>
<tr><td>Short row</td></tr>
</tbody></table><p>After.</p>`
	blocks, err := Parse(FormatHTML, src)
	require.NoError(t, err)
	require.Equal(t, []string{
		"Commitment|Lead|Due",
		"|Treasury|2027",
		"Open data|Cabinet|2028",
		"|Statistics office|2029",
		"Total||3",
		"Short row||",
	}, rowsOf(blocks))
	require.Equal(t, Parsed{Kind: KindParagraph, Text: "Leads"}, blocks[0])
	require.Equal(t, Parsed{Kind: KindParagraph, Text: "After."}, blocks[len(blocks)-1])
}

// TestParseMarkdownTablesKeepTheirColumns: GitHub tables with empty and
// missing cells.
func TestParseMarkdownTablesKeepTheirColumns(t *testing.T) {
	src := "| Commitment | Lead | Due |\n|---|---|---|\n| | Treasury | 2027 |\n| Open data | | 2028 |\n| Short row |\n"
	blocks, err := Parse(FormatMarkdown, src)
	require.NoError(t, err)
	require.Equal(t, []string{"Commitment|Lead|Due", "|Treasury|2027", "Open data||2028", "Short row||"}, rowsOf(blocks))
}

// TestHeadingLevelsNeverSkip: in every format a heading is at most one level
// below the one before it, and the first heading is level 1; numbers are the
// document's own.
func TestHeadingLevelsNeverSkip(t *testing.T) {
	type h struct {
		Level   int
		Section string
		Text    string
	}
	headings := func(blocks []Parsed) []h {
		var out []h
		for _, b := range blocks {
			if b.Kind == KindHeading {
				out = append(out, h{b.Level, b.Section, b.Text})
			}
		}
		return out
	}
	want := []h{{1, "", "Plan"}, {2, "1.", "1. Goals"}, {2, "2.", "2. Means"}, {3, "2.1", "2.1 Money"}, {1, "", "Annex"}}
	md := "# Plan\n\n### 1. Goals\n\n### 2. Means\n\n###### 2.1 Money\n\n# Annex\n"
	blocks, err := Parse(FormatMarkdown, md)
	require.NoError(t, err)
	require.Equal(t, want, headings(blocks))

	html := "<h2>Plan</h2><h4>1. Goals</h4><p>x</p><h4>2. Means</h4><h6>2.1 Money</h6><h2>Annex</h2>"
	blocks, err = Parse(FormatHTML, html)
	require.NoError(t, err)
	require.Equal(t, want, headings(blocks))

	// A shallower heading after deeper ones takes the level of its peers.
	blocks, err = Parse(FormatMarkdown, "## A\n\n#### B\n\n### C\n\n#### D\n")
	require.NoError(t, err)
	require.Equal(t, []h{{1, "", "A"}, {2, "", "B"}, {2, "", "C"}, {3, "", "D"}}, headings(blocks))
}
