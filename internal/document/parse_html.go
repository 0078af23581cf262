package document

// The HTML reader of the importer.

import (
	"fmt"
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
