package moderation

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"strings"
	"unicode"

	"cocreate/internal/neardup"
)

// words splits text into the words the screen compares (neardup.Words).
func words(text string) []string { return neardup.Words(text) }

// Fingerprint hashes a text's words, so texts that differ only in case,
// accents, spacing and punctuation share it. It is never 0.
func Fingerprint(text string) int64 {
	h := fnv.New64a()
	ws := words(text)
	for _, w := range ws {
		h.Write([]byte(w))
		h.Write([]byte{0})
	}
	if len(ws) == 0 {
		// No words (only punctuation or symbols): the text itself.
		h.Write([]byte{1})
		h.Write([]byte(strings.TrimSpace(text)))
	}
	f := int64(h.Sum64())
	if f == 0 {
		f = 1
	}
	return f
}

// termMatcher finds banned terms as whole words (a term of several words as
// consecutive words), whatever their case, accents, invisible characters or
// look-alike letters.
type termMatcher struct {
	terms [][]string
	raw   []string
}

func newTermMatcher(lists map[string][]string) termMatcher {
	var m termMatcher
	for _, terms := range lists {
		for _, t := range terms {
			if w := words(t); len(w) > 0 {
				m.terms = append(m.terms, w)
				m.raw = append(m.raw, t)
			}
		}
	}
	return m
}

// find returns the first banned term in text, or "".
func (m termMatcher) find(text []string) string {
	for i := range text {
		for n, t := range m.terms {
			if i+len(t) <= len(text) && equalWords(text[i:i+len(t)], t) {
				return m.raw[n]
			}
		}
	}
	return ""
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var linkPattern = regexp.MustCompile(`(?i)\b(?:https?://|www\.)`)

// countLinks counts web addresses in text.
func countLinks(text string) int {
	return len(linkPattern.FindAllStringIndex(text, -1))
}

// shouting reports whether text is mostly capitals (at least 12 cased letters,
// over 70 % of them upper case) or has a run of one letter 6 times, or of ! or
// ? 8 times, and says which.
func shouting(text string) (bool, string) {
	upper, cased := 0, 0
	var last rune
	run := 0
	for _, r := range text {
		if unicode.IsUpper(r) {
			upper++
		}
		if unicode.IsUpper(r) || unicode.IsLower(r) {
			cased++
		}
		if unicode.ToLower(r) == unicode.ToLower(last) {
			run++
		} else {
			run, last = 1, r
		}
		if (unicode.IsLetter(r) && run >= 6) || ((r == '!' || r == '?') && run >= 8) {
			return true, fmt.Sprintf("%q repeated %d times", string(r), run)
		}
	}
	if cased >= 12 && upper*10 > cased*7 {
		return true, fmt.Sprintf("%d of %d letters in capitals", upper, cased)
	}
	return false, ""
}
