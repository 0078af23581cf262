package document

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParseTextDropsListMarkers: bullets at the start of a plain-text line
// make a list item without the bullet; numbers are the document's and stay.
func TestParseTextDropsListMarkers(t *testing.T) {
	src := "The plan will:\n\n• - Publish contracts\n• Open the budget\n- Meet every quarter\no Answer every comment\n▪ Report yearly\n\uf0b7 Train officials\n" +
		"* Keep a register\n\n1. Who does the works.\n2. What they cost.\n\n" +
		"Él vendrá mañana\no bien el lunes.\n"
	blocks, err := Parse(FormatText, src)
	require.NoError(t, err)
	require.Equal(t, []Parsed{
		{Kind: KindParagraph, Text: "The plan will:"},
		{Kind: KindListItem, Text: "Publish contracts"},
		{Kind: KindListItem, Text: "Open the budget"},
		{Kind: KindListItem, Text: "Meet every quarter"},
		{Kind: KindListItem, Text: "Answer every comment"},
		{Kind: KindListItem, Text: "Report yearly"},
		{Kind: KindListItem, Text: "Train officials"},
		{Kind: KindListItem, Text: "Keep a register"},
		{Kind: KindListItem, Text: "1. Who does the works."},
		{Kind: KindListItem, Text: "2. What they cost."},
		{Kind: KindParagraph, Text: "Él vendrá mañana o bien el lunes."},
	}, blocks)
}

// furnishedPlan is a plan as text copied out of a PDF: a running header on
// every page, page numbers, a table of contents with dot leaders, a line of
// dots, and a paragraph cut in two by a page break.
const furnishedPlan = `Engagement Plan

31 March 2014

Contents
Introduction ........ 3
Commitments ..........5

.............................

Page 1 of 3

Engagement Plan

1. Introduction

The ministry will publish the plan and its budget

Page 2 of 3

Engagement Plan

every month, with the minutes of the forum.

2. Commitments

The forum meets every quarter.

Page 3 of 3
`

// TestParseTextDropsPageFurniture: running headers, page numbers and leader
// lines are dropped and reported; everything else is kept, in order, and the
// paragraph a page break cut in two is whole again.
func TestParseTextDropsPageFurniture(t *testing.T) {
	blocks, dropped, err := ParseWithDropped(FormatText, furnishedPlan)
	require.NoError(t, err)
	require.Equal(t, []Parsed{
		{Kind: KindParagraph, Text: "31 March 2014"},
		{Kind: KindHeading, Level: 1, Section: "1.", Text: "1. Introduction"},
		{Kind: KindParagraph, Text: "The ministry will publish the plan and its budget every month, with the minutes of the forum."},
		{Kind: KindHeading, Level: 1, Section: "2.", Text: "2. Commitments"},
		{Kind: KindParagraph, Text: "The forum meets every quarter."},
	}, blocks)
	require.Equal(t, []Dropped{
		{Text: "Engagement Plan", Reason: DropRunningLine, Count: 3},
		{Text: "Contents", Reason: DropContents, Count: 1},
		{Text: "Introduction ........ 3", Reason: DropContents, Count: 1},
		{Text: "Commitments ..........5", Reason: DropContents, Count: 1},
		{Text: ".............................", Reason: DropLeader, Count: 1},
		{Text: "Page 1 of 3", Reason: DropPageNumber, Count: 3},
	}, dropped)

	// Nothing else is lost: the text without the dropped lines is the blocks' text.
	var kept []string
	for _, line := range strings.Split(furnishedPlan, "\n") {
		switch strings.TrimSpace(line) {
		case "Engagement Plan", "Contents", "Introduction ........ 3", "Commitments ..........5", ".............................",
			"Page 1 of 3", "Page 2 of 3", "Page 3 of 3":
			continue
		}
		kept = append(kept, line)
	}
	var joined strings.Builder
	for _, b := range blocks {
		joined.WriteString(b.Text)
	}
	require.Equal(t, squeeze(strings.Join(kept, "\n")), squeeze(joined.String()))
}

// TestParseTextKeepsRepeatedLabels: a short line that comes back as the
// label of each example, with no page around it, is text, and so are
// numbers that are not page numbers.
func TestParseTextKeepsRepeatedLabels(t *testing.T) {
	src := "Examples from members\n\nEXAMPLE\n\nAustralia\n\nAustralia published its plan.\n\nEXAMPLE\n\nAustralia\n\nAustralia held workshops.\n\n" +
		"EXAMPLE\n\nAustralia\n\nAustralia answered every comment.\n\nPeople consulted:\n\n312\n\nOf whom were young:\n\n45\n"
	blocks, dropped, err := ParseWithDropped(FormatText, src)
	require.NoError(t, err)
	require.Empty(t, dropped)
	var joined strings.Builder
	for _, b := range blocks {
		joined.WriteString(b.Text)
	}
	require.Equal(t, squeeze(src), squeeze(joined.String()))
}

// TestParseTextDropsBarePageNumbers: lone numbers that count up through the
// document are page numbers.
func TestParseTextDropsBarePageNumbers(t *testing.T) {
	src := "First page text.\n\n1\n\nSecond page text.\n\n- 2 -\n\nThird page text.\n\n3\n"
	blocks, dropped, err := ParseWithDropped(FormatText, src)
	require.NoError(t, err)
	require.Equal(t, []Parsed{
		{Kind: KindParagraph, Text: "First page text."},
		{Kind: KindParagraph, Text: "Second page text."},
		{Kind: KindParagraph, Text: "Third page text."},
	}, blocks)
	require.Equal(t, []Dropped{{Text: "1", Reason: DropPageNumber, Count: 3}}, dropped)
}

// TestParseHTMLDropsFurnitureParagraphs: the same lines as paragraphs of a
// Word file (converted to HTML) or of Markdown are dropped too.
func TestParseHTMLDropsFurnitureParagraphs(t *testing.T) {
	html := `<h1>Plan</h1><p>Introduction ........ 3</p><p>……………</p><p>The ministry will publish the plan.</p><p>Page 2 of 9</p>`
	blocks, dropped, err := ParseWithDropped(FormatHTML, html)
	require.NoError(t, err)
	require.Equal(t, []Parsed{
		{Kind: KindHeading, Level: 1, Text: "Plan"},
		{Kind: KindParagraph, Text: "The ministry will publish the plan."},
	}, blocks)
	require.Equal(t, []Dropped{
		{Text: "Introduction ........ 3", Reason: DropContents, Count: 1},
		{Text: "……………", Reason: DropLeader, Count: 1},
		{Text: "Page 2 of 9", Reason: DropPageNumber, Count: 1},
	}, dropped)

	blocks, dropped, err = ParseWithDropped(FormatMarkdown, "# Plan\n\nIntroduction ........ 3\n\nThe ministry will publish the plan.\n")
	require.NoError(t, err)
	require.Len(t, blocks, 2)
	require.Equal(t, []Dropped{{Text: "Introduction ........ 3", Reason: DropContents, Count: 1}}, dropped)
}
