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
