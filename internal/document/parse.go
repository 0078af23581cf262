package document

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Format is the source format of an imported version.
type Format string

// The formats the importer reads.
const (
	FormatMarkdown Format = "markdown"
	FormatText     Format = "text"
	FormatHTML     Format = "html"
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

// --- Markdown ---------------------------------------------------------------

var mdParser = goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser()

func parseMarkdown(src []byte) []Parsed {
	doc := mdParser.Parse(text.NewReader(src))
	var out []Parsed
	var walk func(n ast.Node, inQuote bool)
	walk = func(n ast.Node, inQuote bool) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Heading:
				out = appendBlock(out, Parsed{Kind: KindHeading, Level: c.Level, Text: inlineText(c, src)})
			case *ast.Paragraph, *ast.TextBlock:
				kind := KindParagraph
				if inQuote {
					kind = KindQuote
				}
				out = appendBlock(out, Parsed{Kind: kind, Text: inlineText(c, src)})
			case *ast.Blockquote:
				walk(c, true)
			case *ast.List:
				for item := c.FirstChild(); item != nil; item = item.NextSibling() {
					listItem(item, src, &out, walk)
				}
			case *ast.FencedCodeBlock, *ast.CodeBlock:
				out = appendBlock(out, Parsed{Kind: KindParagraph, Text: linesText(c, src)})
			case *ast.HTMLBlock:
				// Raw HTML is not rendered; keep its words so nothing is lost.
				out = appendBlock(out, Parsed{Kind: KindParagraph, Text: stripTags(linesText(c, src))})
			case *east.Table:
				for row := c.FirstChild(); row != nil; row = row.NextSibling() {
					var parts []string
					for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
						parts = append(parts, inlineText(cell, src))
					}
					out = appendBlock(out, Parsed{Kind: KindTableRow, Text: cells(parts)})
				}
			case *ast.ThematicBreak:
			default:
				walk(c, inQuote)
			}
		}
	}
	walk(doc, false)
	return out
}

// listItem makes one block of an item's own text; nested lists and other
// blocks inside the item become blocks of their own after it.
func listItem(item ast.Node, src []byte, out *[]Parsed, walk func(ast.Node, bool)) {
	var own []string
	var rest []ast.Node
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			if len(rest) == 0 {
				own = append(own, inlineText(c, src))
				continue
			}
		}
		rest = append(rest, c)
	}
	*out = appendBlock(*out, Parsed{Kind: KindListItem, Text: strings.Join(own, " ")})
	for _, n := range rest {
		if l, ok := n.(*ast.List); ok {
			for sub := l.FirstChild(); sub != nil; sub = sub.NextSibling() {
				listItem(sub, src, out, walk)
			}
			continue
		}
		wrapper := ast.NewDocument()
		wrapper.AppendChild(wrapper, detach(n))
		walk(wrapper, false)
	}
}

// detach takes n out of its parent so it can be walked under a wrapper.
func detach(n ast.Node) ast.Node {
	if p := n.Parent(); p != nil {
		p.RemoveChild(p, n)
	}
	return n
}

// inlineText is the plain text of a node's inline content: text, code spans,
// link and image text; line breaks become spaces.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.RawHTML:
			for i := 0; i < c.Segments.Len(); i++ {
				seg := c.Segments.At(i)
				b.WriteString(stripTags(string(seg.Value(src))))
			}
		case *ast.AutoLink:
			b.Write(c.URL(src))
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

func linesText(n ast.Node, src []byte) string {
	var b bytes.Buffer
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	return b.String()
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

func stripTags(s string) string { return html.UnescapeString(tagRE.ReplaceAllString(s, " ")) }

// --- Plain text ------------------------------------------------------------

var (
	listLineRE     = regexp.MustCompile(`^\s*(?:[-*•‣◦▪–]|\d{1,3}[.)]|[a-z][.)])\s+\S`)
	numberedHeadRE = regexp.MustCompile(`^(?:(Part|Chapter|Section|Annex|Appendix)\s+([IVXLC]+|\d+)[.:]?|(\d{1,2}(?:\.\d{1,2}){0,4})\.?)\s+\S`)
)

// parseText reads plain text: blank lines separate blocks; a line holding a tab
// is a table row; a line starting with a bullet or a number and a separator is
// a list item (indented or unmarked lines that follow continue it); a block of
// one short line that is numbered ("2.3 Title", "Part II. Title") or written in
// capitals is a heading; everything else is a paragraph whose lines are joined.
func parseText(src string) []Parsed {
	var out []Parsed
	for _, chunk := range splitChunks(src) {
		if len(chunk) == 1 {
			if h, ok := textHeading(chunk[0]); ok {
				out = appendBlock(out, h)
				continue
			}
		}
		var cur *Parsed
		flush := func() {
			if cur != nil {
				out = appendBlock(out, *cur)
				cur = nil
			}
		}
		for _, line := range chunk {
			switch {
			case strings.Contains(line, "\t"):
				flush()
				out = appendBlock(out, Parsed{Kind: KindTableRow, Text: cells(strings.Split(strings.TrimSpace(line), "\t"))})
			case listLineRE.MatchString(line):
				flush()
				cur = &Parsed{Kind: KindListItem, Text: line}
			default:
				if cur == nil {
					cur = &Parsed{Kind: KindParagraph}
				}
				cur.Text += " " + line
			}
		}
		flush()
	}
	return out
}

func splitChunks(src string) [][]string {
	var chunks [][]string
	var cur []string
	for _, line := range strings.Split(src, "\n") {
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

func textHeading(line string) (Parsed, bool) {
	t := collapse(line)
	if t == "" || utf8.RuneCountInString(t) > 120 || strings.Contains(line, "\t") {
		return Parsed{}, false
	}
	if m := numberedHeadRE.FindStringSubmatch(t); m != nil {
		if m[1] != "" {
			return Parsed{Kind: KindHeading, Level: 1, Section: m[2], Text: t}, true
		}
		if strings.HasSuffix(t, ".") && utf8.RuneCountInString(t) > 60 {
			return Parsed{}, false // a numbered sentence, not a title
		}
		level := min(strings.Count(m[3], ".")+2, 6)
		return Parsed{Kind: KindHeading, Level: level, Section: m[3], Text: t}, true
	}
	letters, upper := 0, 0
	for _, r := range t {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters >= 3 && upper == letters && utf8.RuneCountInString(t) <= 80 {
		return Parsed{Kind: KindHeading, Level: 2, Text: t}, true
	}
	return Parsed{}, false
}

// --- HTML ------------------------------------------------------------------

func parseHTML(src string) ([]Parsed, error) {
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("document: html: %w", err)
	}
	var out []Parsed
	var loose strings.Builder // text sitting directly in a container
	flushLoose := func() {
		out = appendBlock(out, Parsed{Kind: KindParagraph, Text: loose.String()})
		loose.Reset()
	}
	var walk func(n *html.Node, inQuote bool)
	walk = func(n *html.Node, inQuote bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				loose.WriteString(c.Data)
				continue
			}
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Template, atom.Head, atom.Noscript:
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				flushLoose()
				out = appendBlock(out, Parsed{Kind: KindHeading, Level: int(c.Data[1] - '0'), Text: nodeText(c)})
			case atom.P, atom.Pre, atom.Dt, atom.Dd, atom.Figcaption, atom.Caption:
				flushLoose()
				kind := KindParagraph
				if inQuote {
					kind = KindQuote
				}
				out = appendBlock(out, Parsed{Kind: kind, Text: nodeText(c)})
			case atom.Li:
				flushLoose()
				own, nested := splitListItem(c)
				out = appendBlock(out, Parsed{Kind: KindListItem, Text: own})
				for _, l := range nested {
					walk(l, inQuote)
				}
			case atom.Tr:
				flushLoose()
				var parts []string
				for cell := c.FirstChild; cell != nil; cell = cell.NextSibling {
					if cell.Type == html.ElementNode && (cell.DataAtom == atom.Td || cell.DataAtom == atom.Th) {
						parts = append(parts, nodeText(cell))
					}
				}
				out = appendBlock(out, Parsed{Kind: KindTableRow, Text: cells(parts)})
			case atom.Blockquote:
				flushLoose()
				walk(c, true)
				if q := loose.String(); strings.TrimSpace(q) != "" {
					out = appendBlock(out, Parsed{Kind: KindQuote, Text: q})
				}
				loose.Reset()
			case atom.Br:
				loose.WriteByte(' ')
			case atom.A, atom.Span, atom.Em, atom.Strong, atom.B, atom.I, atom.U, atom.Code, atom.Abbr,
				atom.Sub, atom.Sup, atom.Small, atom.Mark, atom.Q, atom.Cite, atom.S, atom.Time:
				loose.WriteString(nodeText(c))
			default:
				flushLoose()
				walk(c, inQuote)
				flushLoose()
			}
		}
	}
	walk(root, false)
	flushLoose()
	return out, nil
}

// splitListItem returns an item's own text and the nested lists inside it.
func splitListItem(li *html.Node) (string, []*html.Node) {
	var b strings.Builder
	var nested []*html.Node
	var children []*html.Node
	for c := li.FirstChild; c != nil; c = c.NextSibling {
		children = append(children, c)
	}
	for _, c := range children {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Ul || c.DataAtom == atom.Ol) {
			li.RemoveChild(c)
			wrapper := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
			wrapper.AppendChild(c)
			nested = append(nested, wrapper)
			continue
		}
		b.WriteString(nodeTextOf(c))
	}
	return b.String(), nested
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(nodeTextOf(c))
	}
	return b.String()
}

func nodeTextOf(n *html.Node) string {
	switch n.Type {
	case html.TextNode:
		return n.Data
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Template:
			return ""
		case atom.Br:
			return " "
		}
		return " " + nodeText(n) + " "
	}
	return ""
}
