package document

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Format is the source format of an imported version.
type Format string

// The formats the importer reads.
const (
	FormatMarkdown Format = "markdown"
	FormatText     Format = "text"
	FormatHTML     Format = "html"
	// Word and OpenDocument files arrive converted to HTML (package convert);
	// a version records the format of the file it came from.
	FormatDocx Format = "docx"
	FormatODT  Format = "odt"
)

// Kind is the sort of a block.
type Kind string

// The block kinds.
const (
	KindHeading   Kind = "heading"
	KindParagraph Kind = "paragraph"
	KindListItem  Kind = "list_item"
	KindTableRow  Kind = "table_row"
	KindQuote     Kind = "quote"
)

// Parsed is one block as the importer found it, before keys are assigned.
// Table rows keep their cells separated by tabs, empty cells included.
type Parsed struct {
	Kind    Kind
	Level   int    // heading level 1–6; 0 for other kinds
	Section string // a heading's own number as the document wrote it ("2.3", "A.", "Part II", "一、"); empty when it has none
	Text    string
}

// Parse splits src into blocks according to its format, as ParseWithDropped
// does, without saying what it dropped.
func Parse(format Format, src string) ([]Parsed, error) {
	blocks, _, err := ParseWithDropped(format, src)
	return blocks, err
}

// ParseWithDropped splits src into blocks according to its format and says
// which lines it left out as page furniture (running headers and footers,
// page numbers, table-of-contents and leader lines). Whitespace inside a
// block is collapsed to single spaces (tabs separate table cells); empty
// blocks are dropped. Every row of a table has as many cells as its widest
// row; heading levels never skip one; a heading's section is the number it
// wrote, if any.
func ParseWithDropped(format Format, src string) ([]Parsed, []Dropped, error) {
	if !utf8.ValidString(src) {
		return nil, nil, fmt.Errorf("document: source is not valid UTF-8")
	}
	// Editors on Windows start UTF-8 files with a byte-order mark.
	src = strings.TrimPrefix(src, "\ufeff")
	src = strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
	var out []Parsed
	var dropped []Dropped
	switch format {
	case FormatMarkdown:
		out, dropped = dropFurnitureBlocks(parseMarkdown([]byte(src)))
	case FormatText:
		out, dropped = parseText(src)
	case FormatHTML:
		blocks, err := parseHTML(src)
		if err != nil {
			return nil, nil, err
		}
		out, dropped = dropFurnitureBlocks(blocks)
	default:
		return nil, nil, fmt.Errorf("document: unknown format %q", format)
	}
	if format != FormatText {
		labelHeadings(out)
	}
	evenTables(out)
	evenLevels(out)
	return out, dropped, nil
}

// collapse trims s and turns every run of whitespace into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// cells collapses each tab-separated cell of a table row; empty cells stay.
func cells(parts []string) string {
	for i, p := range parts {
		parts[i] = collapse(p)
	}
	return strings.Join(parts, "\t")
}

func appendBlock(out []Parsed, b Parsed) []Parsed {
	if b.Kind == KindTableRow {
		if strings.TrimSpace(strings.ReplaceAll(b.Text, "\t", "")) == "" {
			return out
		}
	} else if b.Text = collapse(b.Text); b.Text == "" {
		return out
	}
	return append(out, b)
}

// evenTables gives every row of a table (a run of table rows) as many cells
// as the table has columns: as many as its widest row, not counting empty
// cells at the end of a row. Short rows are padded with empty cells at the
// end; empty cells past the last column are dropped. Nothing else changes,
// so a value stays under its header.
func evenTables(blocks []Parsed) {
	for start := 0; start < len(blocks); {
		if blocks[start].Kind != KindTableRow {
			start++
			continue
		}
		end := start
		width := 1
		for ; end < len(blocks) && blocks[end].Kind == KindTableRow; end++ {
			parts := strings.Split(blocks[end].Text, "\t")
			last := len(parts)
			for last > 1 && parts[last-1] == "" {
				last--
			}
			width = max(width, last)
		}
		for i := start; i < end; i++ {
			parts := strings.Split(blocks[i].Text, "\t")
			if len(parts) > width {
				parts = parts[:width] // only empty cells are past the last column
			}
			for len(parts) < width {
				parts = append(parts, "")
			}
			blocks[i].Text = strings.Join(parts, "\t")
		}
		start = end
	}
}

// evenLevels renumbers heading levels so that none skips one: the first
// heading is level 1 and each heading is at most one level below the one
// before it, while headings keep their order of depth (a heading between two
// deeper ones and a shallower one sits between them).
func evenLevels(blocks []Parsed) {
	var open []int // the source levels of the headings the current one sits under
	for i := range blocks {
		b := &blocks[i]
		if b.Kind != KindHeading {
			continue
		}
		n := len(open)
		for n > 0 && open[n-1] >= b.Level {
			n--
		}
		open = append(open[:n], b.Level)
		b.Level = min(len(open), 6)
	}
}

// labelHeadings gives headings of marked-up sources (Markdown, HTML) the
// number their text starts with, if it starts with one.
func labelHeadings(blocks []Parsed) {
	for i := range blocks {
		if blocks[i].Kind == KindHeading {
			if l, ok := headingLabel(blocks[i].Text, true); ok {
				blocks[i].Section = l.text
			}
		}
	}
}
