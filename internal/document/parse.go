package document

import (
	"fmt"
	"strconv"
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
// Table rows keep their cells separated by tabs.
type Parsed struct {
	Kind    Kind
	Level   int    // heading level 1–6; 0 for other kinds
	Section string // heading number such as "2.3"; empty for other kinds
	Text    string
}

// Parse splits src into blocks according to its format. Whitespace inside a
// block is collapsed to single spaces (tabs separate table cells); empty blocks
// are dropped. Section numbers are given to headings that have none.
func Parse(format Format, src string) ([]Parsed, error) {
	if !utf8.ValidString(src) {
		return nil, fmt.Errorf("document: source is not valid UTF-8")
	}
	// Editors on Windows start UTF-8 files with a byte-order mark.
	src = strings.TrimPrefix(src, "\ufeff")
	src = strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
	var out []Parsed
	switch format {
	case FormatMarkdown:
		out = parseMarkdown([]byte(src))
	case FormatText:
		out = parseText(src)
	case FormatHTML:
		var err error
		if out, err = parseHTML(src); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("document: unknown format %q", format)
	}
	numberSections(out)
	return out, nil
}

// collapse trims s and turns every run of whitespace into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// cells collapses each tab-separated cell of a table row.
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

// numberSections gives headings without an explicit number one built from the
// heading levels (1, 1.1, 1.2, 2, ...), counted from the shallowest level used.
func numberSections(blocks []Parsed) {
	minLevel := 7
	for _, b := range blocks {
		if b.Kind == KindHeading && b.Level < minLevel {
			minLevel = b.Level
		}
	}
	var counters [7]int
	for i := range blocks {
		b := &blocks[i]
		if b.Kind != KindHeading {
			continue
		}
		counters[b.Level]++
		for l := b.Level + 1; l < len(counters); l++ {
			counters[l] = 0
		}
		if b.Section != "" {
			continue
		}
		parts := make([]string, 0, 6)
		for l := minLevel; l <= b.Level; l++ {
			parts = append(parts, strconv.Itoa(max(counters[l], 1)))
		}
		b.Section = strings.Join(parts, ".")
	}
}
