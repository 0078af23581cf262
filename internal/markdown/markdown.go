// Package markdown renders user-written Markdown to HTML that is safe to embed:
// goldmark with raw HTML left out, then a bluemonday allow-list.
package markdown

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

var (
	// goldmark drops raw HTML unless told otherwise (html.WithUnsafe is not set).
	md = goldmark.New(goldmark.WithExtensions(extension.GFM))
	// policy allows ordinary formatting and http(s)/mailto links, opened safely.
	policy = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.AllowURLSchemes("http", "https", "mailto")
		p.RequireNoFollowOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(true)
		return p
	}()
	// plain keeps the text alone, a space where a tag was (so blocks do not run together).
	plain = func() *bluemonday.Policy {
		p := bluemonday.StrictPolicy()
		p.AddSpaceWhenStrippingTag(true)
		return p
	}()
)

// Render turns Markdown source into sanitised HTML. A person's prose stays
// prose: people indent later paragraphs and list items, often by four spaces,
// which Markdown would make an indented code block; such blocks are read as
// the text they hold (fenced code blocks stay code).
func Render(src string) (string, error) {
	b := []byte(src)
	doc := md.Parser().Parse(text.NewReader(b))
	// Each pass lifts the outermost indented blocks; what they held may itself
	// be indented, so a few passes at most.
	for pass := 0; pass < 4; pass++ {
		next, changed := dedentIndentedCode(doc, b)
		if !changed {
			break
		}
		b = next
		doc = md.Parser().Parse(text.NewReader(b))
	}
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, b, doc); err != nil {
		return "", fmt.Errorf("markdown: render: %w", err)
	}
	return policy.Sanitize(buf.String()), nil
}

// Excerpt is the start of Markdown source as plain text: rendered, every tag
// dropped, entities decoded and white space collapsed, at most max characters
// with "…" ending a cut. It is text, not HTML: whoever shows it escapes it.
func Excerpt(src string, max int) string {
	h, err := Render(src)
	if err != nil {
		h = src // Render fails only when writing to memory does; the policy below still strips it
	}
	return Clip(html.UnescapeString(plain.Sanitize(h)), max)
}

// Clip is plain text with its white space collapsed, at most max characters
// with "…" ending a cut.
func Clip(text string, max int) string {
	text = strings.Join(strings.Fields(text), " ")
	if max < 1 || utf8.RuneCountInString(text) <= max {
		return text
	}
	runes := []rune(text)
	return strings.TrimRightFunc(string(runes[:max-1]), unicode.IsSpace) + "…"
}

// dedentIndentedCode returns src with the indentation that made each indented
// code block (up to four columns before each of its lines) removed, and
// whether there was any.
func dedentIndentedCode(doc ast.Node, src []byte) ([]byte, bool) {
	var cuts [][2]int // [from, to) byte ranges to drop, in order
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Kind() != ast.KindCodeBlock {
			return ast.WalkContinue, nil
		}
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			start := lines.At(i).Start
			from, cols := start, 0
			for from > 0 && cols < 4 && (src[from-1] == ' ' || src[from-1] == '\t') {
				if src[from-1] == '\t' {
					cols = 4
				} else {
					cols++
				}
				from--
			}
			if from < start {
				cuts = append(cuts, [2]int{from, start})
			}
		}
		return ast.WalkSkipChildren, nil
	})
	if len(cuts) == 0 {
		return src, false
	}
	out := make([]byte, 0, len(src))
	at := 0
	for _, c := range cuts {
		if c[0] < at {
			continue
		}
		out = append(out, src[at:c[0]]...)
		at = c[1]
	}
	return append(out, src[at:]...), true
}

// HasVisible reports whether s has a character a reader can see: not only
// spaces, control characters and invisible format characters (zero-width
// spaces, byte-order marks, direction marks).
func HasVisible(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) && !unicode.IsControl(r) {
			return true
		}
	}
	return false
}
