package document

// The plain-text reader of the importer.

import (
	"regexp"
	"strings"
)

var (
	// bulletRE is a line starting with one or more bullets (as word
	// processors and PDF copies write them: "•", "-", "▪", Symbol-font
	// private-use bullets, "• -"); group 1 is the text after them. A lone "o"
	// is a bullet only among other list items (oListRE).
	bulletRE = regexp.MustCompile(`^\s*(?:(?:[•‣◦▪▫●○■□◆◇►▸➢➤·\x{f0b7}\x{f0a7}\x{f076}\x{f0d8}\x{f0fc}]\s*)|(?:[-*–]\s+))+(\S.*)$`)
	oListRE  = regexp.MustCompile(`^\s*o\s+(\S.*)$`)
	// numberedRE is a numbered or lettered list line; its number is the
	// document's and stays in the text.
	numberedRE = regexp.MustCompile(`^\s*(?:\d{1,3}[.)]|[a-z][.)])\s+\S`)
)

// listLine returns the text of a list item and true when line is one: a
// bulleted line without its bullets, a numbered line as it is. afterItem
// says whether the line before it in its block was a list item.
func listLine(line string, first, afterItem bool) (string, bool) {
	if m := bulletRE.FindStringSubmatch(line); m != nil {
		return m[1], true
	}
	if m := oListRE.FindStringSubmatch(line); m != nil && (first || afterItem) {
		return m[1], true
	}
	if numberedRE.MatchString(line) {
		return line, true
	}
	return "", false
}

// parseText reads plain text: page furniture is dropped first
// (dropFurnitureLines); then blank lines separate blocks; lines with tabs
// between their words are table rows (with a line whose only tabs are at
// its start or end among them); a line starting with a bullet or a number
// and a separator is a list item (indented or unmarked lines that follow
// continue it); a block of one line shaped like a heading is one
// (textHeadings); everything else is a paragraph whose lines are joined.
func parseText(src string) ([]Parsed, []Dropped) {
	lines, dropped := dropFurnitureLines(src)
	chunks := splitChunks(lines)
	var out []Parsed
	var headings textHeadings
	for i, chunk := range chunks {
		var next []string
		if i+1 < len(chunks) {
			next = chunks[i+1]
		}
		if h, ok := headings.heading(chunk, next); ok {
			out = appendBlock(out, h)
			continue
		}
		out = appendChunk(out, chunk)
	}
	return out, dropped
}

// appendChunk appends the blocks of one chunk that is not a heading.
func appendChunk(out []Parsed, chunk []string) []Parsed {
	rows := tableRows(chunk)
	var cur *Parsed
	flush := func() {
		if cur != nil {
			out = appendBlock(out, *cur)
			cur = nil
		}
	}
	afterItem := false
	for i, line := range chunk {
		if rows[i] != nil {
			flush()
			out = appendBlock(out, Parsed{Kind: KindTableRow, Text: cells(rows[i])})
			afterItem = false
			continue
		}
		if text, ok := listLine(line, i == 0, afterItem); ok {
			flush()
			cur = &Parsed{Kind: KindListItem, Text: text}
			afterItem = true
			continue
		}
		if cur == nil {
			cur = &Parsed{Kind: KindParagraph}
			afterItem = false
		}
		cur.Text += " " + line
	}
	flush()
	return out
}

// tableRows returns the cells of the chunk's lines that are table rows (nil
// for the others). A line with a tab between two words is a row; a line
// whose tabs are only at its start or end is a row beside another row (its
// first or last cells are empty) and an indented line of prose elsewhere.
// Empty cells stay, so values stay in their columns; a table indented as a
// whole loses its common indentation.
func tableRows(chunk []string) [][]string {
	rows := make([][]string, len(chunk))
	tabbed := make([]bool, len(chunk))
	for i, line := range chunk {
		if !strings.Contains(line, "\t") {
			continue
		}
		tabbed[i] = true
		if t := strings.TrimSpace(line); strings.Contains(t, "\t") {
			rows[i] = strings.Split(strings.TrimRight(line, " \n"), "\t")
		}
	}
	// Weak lines join the rows next to them, down a run then up it.
	for i := 1; i < len(chunk); i++ {
		if rows[i] == nil && tabbed[i] && rows[i-1] != nil {
			rows[i] = strings.Split(strings.TrimRight(chunk[i], " \n"), "\t")
		}
	}
	for i := len(chunk) - 2; i >= 0; i-- {
		if rows[i] == nil && tabbed[i] && rows[i+1] != nil {
			rows[i] = strings.Split(strings.TrimRight(chunk[i], " \n"), "\t")
		}
	}
	// Each run of rows drops the empty cells that all its rows start with
	// (a lone row keeps them: its first cell is the empty corner of a header).
	for start := 0; start < len(rows); {
		if rows[start] == nil {
			start++
			continue
		}
		end, indent := start, -1
		for ; end < len(rows) && rows[end] != nil; end++ {
			lead := 0
			for lead < len(rows[end])-1 && strings.TrimSpace(rows[end][lead]) == "" {
				lead++
			}
			if indent < 0 || lead < indent {
				indent = lead
			}
		}
		for i := start; i < end && end-start > 1; i++ {
			rows[i] = rows[i][indent:]
		}
		start = end
	}
	return rows
}

func splitChunks(lines []string) [][]string {
	var chunks [][]string
	var cur []string
	for _, line := range lines {
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				chunks = append(chunks, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		chunks = append(chunks, cur)
	}
	return chunks
}
