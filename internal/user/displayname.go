package user

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"cocreate/internal/apperr"
)

// MaxDisplayName is the longest display name, in characters.
const MaxDisplayName = 80

// normaliseDisplayName returns name in NFC with its white space trimmed and
// each run of it made one space, and records on f why it cannot be a public
// name: empty, too long, not one line, reordered by bidirectional controls,
// invisible, or passing for a pseudonym.
func normaliseDisplayName(f *apperr.Fields, name string) string {
	name = strings.TrimSpace(norm.NFC.String(name))
	if strings.ContainsFunc(name, unicode.IsControl) {
		f.Add("display_name", "chars", "a display name is one line")
		return name
	}
	name = strings.Join(strings.FieldsFunc(name, unicode.IsSpace), " ")
	switch {
	case name == "":
		f.Add("display_name", "required", "a display name is required")
	case utf8.RuneCountInString(name) > MaxDisplayName:
		f.Add("display_name", "max", "a display name has at most 80 characters")
	case strings.ContainsFunc(name, isBidiControl):
		f.Add("display_name", "bidi", "a display name cannot hold characters that reorder text")
	case !strings.ContainsFunc(name, isVisible):
		f.Add("display_name", "invisible", "a display name needs visible characters")
	case looksLikePseudonym(name):
		f.Add("display_name", "pseudonym", "a display name cannot look like the pseudonym of an account")
	}
	return name
}

// isBidiControl reports the embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069), which can make a name read differently from what it holds.
func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// blankLetters are letters that draw nothing (Hangul fillers, the braille blank).
var blankLetters = map[rune]bool{0x115f: true, 0x1160: true, 0x3164: true, 0xffa0: true, 0x2800: true}

// isVisible reports a character that draws something on its own: not white
// space, not a format character (zero-width ones, U+FEFF, the soft hyphen), not
// a mark that only decorates the character before it, not a blank letter.
func isVisible(r rune) bool {
	return !unicode.IsSpace(r) && !unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me) && !blankLetters[r]
}

// pseudonymWord is the fixed part of every pseudonym ("Participant 1a2b3c4d"),
// in the folded form looksLikePseudonym compares.
const pseudonymWord = "participant"

// lookAlikes folds lower-case letters of other scripts that are drawn like a
// Latin letter or a digit onto it (after NFKD has folded fullwidth and
// mathematical forms and split off accents).
var lookAlikes = map[rune]rune{
	// Cyrillic
	'а': 'a', 'в': 'b', 'с': 'c', 'ԁ': 'd', 'е': 'e', 'ё': 'e', 'ғ': 'f', 'һ': 'h', 'н': 'h', 'і': 'i', 'ї': 'i',
	'ј': 'j', 'к': 'k', 'ӏ': 'l', 'м': 'm', 'п': 'n', 'о': 'o', 'р': 'p', 'ԛ': 'q', 'г': 'r', 'ѕ': 's', 'т': 't',
	'ѵ': 'v', 'ԝ': 'w', 'х': 'x', 'у': 'y', 'з': '3', 'б': '6',
	// Greek
	'α': 'a', 'β': 'b', 'ϲ': 'c', 'δ': 'd', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p',
	'τ': 't', 'υ': 'u', 'χ': 'x', 'γ': 'y', 'ζ': 'z',
	// Armenian and Latin variants
	'ո': 'n', 'օ': 'o', 'ս': 'u', 'ı': 'i', 'ɑ': 'a', 'ɡ': 'g', 'ʀ': 'r', 'ɪ': 'i', 'ɴ': 'n', 'ᴘ': 'p', 'ᴛ': 't', 'ᴄ': 'c',
}

// digitLookAlikes are letters that pass for digits in the number part.
var digitLookAlikes = map[rune]rune{'o': '0', 'l': '1', 'i': '1'}

// fold reduces a name to what a reader sees: compatibility forms folded,
// accents, spaces, punctuation and invisible characters dropped, letters
// lower-cased and look-alikes replaced by the Latin letter or digit.
func fold(name string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(name) {
		if !isVisible(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		r = unicode.ToLower(r)
		if l, ok := lookAlikes[r]; ok {
			r = l
		}
		b.WriteRune(r)
	}
	return b.String()
}

// looksLikePseudonym reports a name a reader could take for the pseudonym of
// an account: "Participant" then a hexadecimal number, in any case, spacing
// or look-alike letters. A number needs a digit (or the pseudonym's eight
// characters), so "Participant Bee" is a name, "Participant 1234" is not.
func looksLikePseudonym(name string) bool {
	rest, ok := strings.CutPrefix(fold(name), pseudonymWord)
	if !ok || rest == "" || len(rest) > 16 {
		return false
	}
	digits := 0
	for _, r := range rest {
		if d, ok := digitLookAlikes[r]; ok {
			r = d
		}
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'a' && r <= 'f':
		default:
			return false
		}
	}
	return digits > 0 || utf8.RuneCountInString(rest) == 8
}
