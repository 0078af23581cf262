package document

// The Markdown reader of the importer (CommonMark with the GitHub extensions).

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"
)

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
		case *ast.CodeSpan:
			// Code is read as written: a backslash there is a backslash.
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			// What a reader sees: "\[" is "[" and "&amp;" is "&", as rendered.
			b.Write(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(c.Segment.Value(src)))))
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
			b.Write(c.Label(src)) // as written: "www.example.org" stays without the "http://" a link gets
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
