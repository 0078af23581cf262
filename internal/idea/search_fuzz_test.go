package idea

import (
	"testing"
	"unicode/utf8"
)

// FuzzSearchQuery: a person's search becomes a query of valid text, and the
// similar-ideas words are valid text too, whatever was typed.
func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"預算", "公開 資料", "open data", "-x or y", "\"quoted\"", "한국어 검색", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if !utf8.ValidString(q) {
			return
		}
		if out := searchQuery(q); !utf8.ValidString(out) {
			t.Fatalf("searchQuery(%q) = %q", q, out)
		}
		for _, w := range similarWords(q) {
			if w == "" || !utf8.ValidString(w) {
				t.Fatalf("similarWords(%q) gave %q", q, w)
			}
		}
		_ = similarQuery(q)
	})
}
