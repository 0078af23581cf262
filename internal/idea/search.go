package idea

import (
	"strings"
	"unicode"
)

// Languages written without spaces between words (Chinese, Japanese, Korean)
// are indexed as overlapping pairs of characters (the SQL function
// cjk_bigrams, migrations/0010_cjk_search.sql and 0020_search.sql); queries
// are turned into the same pairs here, so "預算" finds "公開預算".

// isCJK reports whether r is one of the characters cjk_bigrams pairs: Han
// (with its extensions beyond the basic plane), kana (half-width too) and
// Hangul (the same ranges as the SQL function, migrations/0020_search.sql).
func isCJK(r rune) bool {
	return (r >= 0x3040 && r <= 0x30ff) || (r >= 0x3130 && r <= 0x318f) || (r >= 0x3400 && r <= 0x4dbf) ||
		(r >= 0x4e00 && r <= 0x9fff) || (r >= 0xac00 && r <= 0xd7af) || (r >= 0xf900 && r <= 0xfaff) ||
		(r >= 0xff66 && r <= 0xff9f) || (r >= 0x20000 && r <= 0x3134f)
}

// cjkBigrams returns the pairs of neighbouring characters of a run of CJK
// characters; a run of one is kept as it is.
func cjkBigrams(run []rune) []string {
	if len(run) < 2 {
		return []string{string(run)}
	}
	out := make([]string, 0, len(run)-1)
	for i := 0; i+1 < len(run); i++ {
		out = append(out, string(run[i:i+2]))
	}
	return out
}

// searchQuery rewrites a person's search so it matches the index: each run of
// CJK characters becomes its pairs (all of them must match: the phrase);
// everything else stays as the person wrote it.
func searchQuery(q string) string {
	var b strings.Builder
	var run []rune
	flush := func() {
		if len(run) > 0 {
			b.WriteString(" " + strings.Join(cjkBigrams(run), " ") + " ")
			run = run[:0]
		}
	}
	for _, r := range q {
		if isCJK(r) {
			run = append(run, r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return strings.Join(strings.Fields(b.String()), " ")
}

// words splits text into the words a similar-ideas query uses: letters and
// digits, with each run of CJK characters split into its pairs.
func similarWords(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
		var run, rest []rune
		for _, r := range w {
			if isCJK(r) {
				if len(rest) > 0 {
					out = append(out, string(rest))
					rest = rest[:0]
				}
				run = append(run, r)
				continue
			}
			if len(run) > 0 {
				out = append(out, cjkBigrams(run)...)
				run = run[:0]
			}
			rest = append(rest, r)
		}
		if len(run) > 0 {
			out = append(out, cjkBigrams(run)...)
		}
		if len(rest) > 0 {
			out = append(out, string(rest))
		}
	}
	return out
}
