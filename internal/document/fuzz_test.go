package document

import (
	"testing"
	"unicode/utf8"
)

// FuzzParse: every format's reader takes any text without panicking, and the
// blocks it returns are valid, non-empty text (QUALITY.md S8).
func FuzzParse(f *testing.F) {
	for _, s := range []string{"# Title\n\nText.", "1.2 Heading\n\nA\tB\tC\n\tD\tE", "<h1>x</h1><table><tr><td>a</td></tr></table>",
		"- a\n  - b\n\n> q", "\x00", "<<<>>>", "PART II. SOMETHING\n\n• item"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, format := range []Format{FormatMarkdown, FormatText, FormatHTML} {
			blocks, err := Parse(format, src)
			if err != nil {
				if utf8.ValidString(src) && format != FormatHTML {
					t.Fatalf("%s: %q: %v", format, src, err)
				}
				continue
			}
			for _, b := range blocks {
				if !utf8.ValidString(b.Text) {
					t.Fatalf("%s: block text is not UTF-8: %q", format, b.Text)
				}
				if b.Kind != KindTableRow && b.Text == "" {
					t.Fatalf("%s: an empty %s block from %q", format, b.Kind, src)
				}
			}
		}
	})
}

// FuzzRelocate: any quote of any paragraph relocates without panicking, and a
// found location lies inside its new paragraph's text.
func FuzzRelocate(f *testing.F) {
	f.Add("The city will publish budgets monthly.", "The city publishes budgets every month.", 4, 12)
	f.Add("a a a a", "a a", 0, 1)
	f.Add("公開政府預算", "政府預算公開", 2, 4)
	f.Fuzz(func(t *testing.T, before, after string, start, end int) {
		if !utf8.ValidString(before) || !utf8.ValidString(after) || len(before) > 2000 || len(after) > 2000 {
			return
		}
		q, ok := QuoteAt(before, start, end)
		if !ok {
			return
		}
		prev := []Block{{Key: "k1", Kind: KindParagraph, Text: before}}
		next := Align(prev, []Parsed{{Kind: KindParagraph, Text: after}}, map[string]bool{"k1": true})
		loc := Relocate(Anchor{Key: "k1", Quote: &q}, next)
		if loc.Status == AnchorOrphaned {
			return
		}
		for _, b := range next {
			if b.Key == loc.Key && (loc.Start < 0 || loc.End > utf8.RuneCountInString(b.Text) || loc.Start > loc.End) {
				t.Fatalf("location %+v outside %q", loc, b.Text)
			}
		}
	})
}
