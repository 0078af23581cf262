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
