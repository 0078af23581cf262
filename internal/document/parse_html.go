package document

// The HTML reader of the importer.

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

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
			case atom.Table:
				flushLoose()
				out = appendTable(out, c)
			case atom.Blockquote:
				flushLoose()
				walk(c, true)
				if q := loose.String(); strings.TrimSpace(q) != "" {
					out = appendBlock(out, Parsed{Kind: KindQuote, Text: q})
				}
				loose.Reset()
			case atom.Br:
				loose.WriteByte(' ')
			default:
				if inline[c.DataAtom] {
					loose.WriteString(nodeTextOf(c))
					continue
				}
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

// appendTable appends a table's caption and its rows, cells placed in their
// columns: a cell spanning columns (colspan) is followed by empty cells, and
// a cell spanning rows (rowspan) leaves an empty cell in its column of the
// rows below, so every value stays under its header.
func appendTable(out []Parsed, table *html.Node) []Parsed {
	var rows []*html.Node
	var collect func(n *html.Node)
	collect = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Caption:
				out = appendBlock(out, Parsed{Kind: KindParagraph, Text: nodeText(c)})
			case atom.Thead, atom.Tbody, atom.Tfoot:
				collect(c)
			case atom.Tr:
				rows = append(rows, c)
			}
		}
	}
	collect(table)
	var below []int // for each column, how many more rows a cell above covers
	for _, tr := range rows {
		var parts []string
		col := 0
		skipCovered := func() {
			for col < len(below) && below[col] > 0 {
				parts = append(parts, "")
				below[col]--
				col++
			}
		}
		for cell := tr.FirstChild; cell != nil; cell = cell.NextSibling {
			if cell.Type != html.ElementNode || (cell.DataAtom != atom.Td && cell.DataAtom != atom.Th) {
				continue
			}
			skipCovered()
			cols, spanRows := span(cell, "colspan", 64), span(cell, "rowspan", 100)
			// The cell's words always; the empty cells of its span within bounds.
			for k := 0; k < cols && (k == 0 || col < maxColumns); k++ {
				if k == 0 {
					parts = append(parts, nodeText(cell))
				} else {
					parts = append(parts, "")
				}
				if col < maxColumns {
					for len(below) <= col {
						below = append(below, 0)
					}
					below[col] = spanRows - 1
				}
				col++
			}
		}
		skipCovered()
		for ; col < len(below); col++ {
			if below[col] > 0 {
				below[col]--
			}
		}
		out = appendBlock(out, Parsed{Kind: KindTableRow, Text: cells(parts)})
	}
	return out
}

// maxColumns bounds the columns a table's spans can make.
const maxColumns = 256

// span reads a cell's colspan or rowspan: 1 when absent or not a number,
// at most limit.
func span(cell *html.Node, name string, limit int) int {
	n, err := strconv.Atoi(strings.TrimSpace(attr(cell, name)))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, limit)
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

// inline are the elements that sit inside a line of text: their words join
// the words around them as they are ("<em>every</em>, city" is "every, city").
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Span: true, atom.Em: true, atom.Strong: true, atom.B: true, atom.I: true, atom.U: true,
	atom.Code: true, atom.Abbr: true, atom.Sub: true, atom.Sup: true, atom.Small: true, atom.Mark: true, atom.Q: true,
	atom.Cite: true, atom.S: true, atom.Time: true, atom.Del: true, atom.Ins: true, atom.Kbd: true, atom.Var: true,
	atom.Dfn: true, atom.Bdi: true, atom.Bdo: true, atom.Data: true, atom.Samp: true,
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
		case atom.Input:
			// A checklist's box (pandoc writes a Word checklist's ☐ as a
			// task list's checkbox) stays the character the author typed.
			if strings.EqualFold(attr(n, "type"), "checkbox") {
				if _, checked := attrOK(n, "checked"); checked {
					return "☒ "
				}
				return "☐ "
			}
			return ""
		case atom.A:
			// Footnotes as pandoc writes them (a Word file's notes): the
			// reference reads [1]; the way back from the note is not text.
			switch class := attr(n, "class"); {
			case hasClass(class, "footnote-back"):
				return ""
			case hasClass(class, "footnote-ref"):
				return "[" + strings.TrimSpace(nodeText(n)) + "]"
			}
		}
		if inline[n.DataAtom] {
			return nodeText(n)
		}
		return " " + nodeText(n) + " "
	}
	return ""
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func hasClass(classes, class string) bool {
	for _, c := range strings.Fields(classes) {
		if c == class {
			return true
		}
	}
	return false
}

// attrOK is attr with whether the attribute is there at all (a boolean
// attribute such as checked has an empty value).
func attrOK(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}
