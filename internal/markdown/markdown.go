// Package markdown renders user-written Markdown to HTML that is safe to embed:
// goldmark with raw HTML left out, then a bluemonday allow-list.
package markdown

import (
	"bytes"
	"fmt"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
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
)

// Render turns Markdown source into sanitised HTML.
func Render(src string) (string, error) {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("markdown: render: %w", err)
	}
	return policy.Sanitize(buf.String()), nil
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
