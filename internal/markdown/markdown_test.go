package markdown

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRenderFormats(t *testing.T) {
	out, err := Render("**Open** data and [the plan](https://example.org/plan)")
	require.NoError(t, err)
	require.Contains(t, out, "<strong>Open</strong>")
	require.Contains(t, out, `href="https://example.org/plan"`)
	require.Contains(t, out, `rel="nofollow noopener"`)
}

func TestRenderRemovesDangerousMarkup(t *testing.T) {
	for _, in := range []string{
		"<script>alert(1)</script>",
		`<img src=x onerror="alert(1)">`,
		"[x](javascript:alert(1))",
		"[x](vbscript:msgbox(1))",
		"<iframe src=https://example.org></iframe>",
		"<style>body{display:none}</style>",
		`<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>`,
		"<object data=x></object>",
	} {
		out, err := Render(in)
		require.NoError(t, err)
		low := strings.ToLower(out)
		for _, bad := range []string{"<script", "<iframe", "<style", "<object", "onerror", "javascript:", "vbscript:", "data:text"} {
			require.NotContains(t, low, bad, "input %q rendered %q", in, out)
		}
	}
}

// Pasted prose often indents later paragraphs and list items by four spaces or
// a tab: it must render as prose, never as a code block (issue 15, item 1).
func TestIndentedProseStaysProse(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     []string
	}{
		{"indented paragraph", "First paragraph.\n\n    Second paragraph, indented.\n", []string{"<p>Second paragraph, indented.</p>"}},
		{"tab-indented paragraph", "First.\n\n\tSecond, after a tab.\n", []string{"<p>Second, after a tab.</p>"}},
		{"indented list", "My points:\n\n    - shorter deadlines\n    - open data\n", []string{"<li>shorter deadlines</li>", "<li>open data</li>"}},
		{"indented emphasis", "Intro.\n\n    This is **important** to us.\n", []string{"<strong>important</strong>"}},
		{"deeply indented", "Intro.\n\n        Eight spaces in.\n", []string{"<p>Eight spaces in.</p>"}},
		{"inside a list item", "- first item\n\n        more about the first item\n", []string{"more about the first item"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Render(tt.in)
			require.NoError(t, err)
			require.NotContains(t, out, "<pre>", "prose became code: %s", out)
			require.NotContains(t, out, "<code>", out)
			for _, w := range tt.want {
				require.Contains(t, out, w)
			}
		})
	}
	out, err := Render("Run:\n\n```\n    go test ./...\n```\n")
	require.NoError(t, err)
	require.Contains(t, out, "<pre><code>    go test ./...\n</code></pre>", "fenced code stays code, with its indentation")
}

// No word of a person's text is lost by the lifting of indented blocks.
func TestIndentedTextKeepsEveryWord(t *testing.T) {
	in := "Para one.\n\n    Indented two\n    continues here.\n\n\tTabbed three.\n\n- item\n\n      code-like four\n"
	out, err := Render(in)
	require.NoError(t, err)
	for _, w := range strings.Fields("Para one. Indented two continues here. Tabbed three. item code-like four") {
		require.Contains(t, out, strings.Trim(w, "."), "lost %q in %s", w, out)
	}
}

func TestExcerptIsPlainText(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		max      int
		want     string
	}{
		{"emphasis goes", "Publish the **monthly** budget", 120, "Publish the monthly budget"},
		{"blocks are spaced", "# Title\n\nFirst paragraph.\n\n- one\n- two", 120, "Title First paragraph. one two"},
		{"links keep their text", "See [the plan](https://example.org/plan) now", 120, "See the plan now"},
		{"entities are text", "Fish & chips < 5 €", 120, "Fish & chips < 5 €"},
		{"markup is dropped", "Hi <b>bold</b> there", 120, "Hi bold there"},
		{"scripts are dropped", "<script>alert(1)</script>\n\nAfter", 120, "After"},
		{"cut on a rune, marked", "Ça coûte très cher", 8, "Ça coût…"},
		{"short stays whole", "Short", 5, "Short"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Excerpt(tt.in, tt.max))
		})
	}
}
