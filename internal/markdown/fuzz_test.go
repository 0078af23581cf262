package markdown

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// FuzzRender: no input makes Render fail or let dangerous markup through:
// no script, style, frame or object element, no event handler attribute, no
// script or data URL in a link (QUALITY.md S7, S8).
func FuzzRender(f *testing.F) {
	for _, s := range []string{"**bold**", "    indented\n\n- item", "<script>alert(1)</script>", "[x](javascript:alert(1))",
		"```\ncode\n```", "\t\t- a\n\t\t\t- b", "> quote\n>     code", "| a | b |\n|---|---|\n| 1 | 2 |", "<img src=x onerror=alert(1)>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out, err := Render(src)
		if err != nil {
			t.Fatalf("render %q: %v", src, err)
		}
		if bad := dangerous(out); bad != "" {
			t.Fatalf("%q rendered %q: %s", src, out, bad)
		}
	})
}

// dangerous names the first dangerous element or attribute in an HTML
// fragment, or returns "".
func dangerous(fragment string) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "script", "style", "iframe", "object", "embed", "frame", "frameset", "base", "form", "meta", "link":
				return "element " + string(name)
			}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				key, val := strings.ToLower(string(k)), strings.ToLower(strings.TrimSpace(string(v)))
				if strings.HasPrefix(key, "on") {
					return "attribute " + key
				}
				if key == "href" || key == "src" || key == "action" || key == "formaction" || key == "xlink:href" {
					for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
						if strings.HasPrefix(val, scheme) && !strings.HasPrefix(val, "data:image/") {
							return key + "=" + val
						}
					}
				}
			}
		}
	}
}
