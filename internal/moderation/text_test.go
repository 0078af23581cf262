package moderation

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBannedTermsAreWholeWordsWhateverTheirDisguise(t *testing.T) {
	m := newTermMatcher(map[string][]string{"en": {"scam", "free money"}, "tr": {"şike"}, "fr": {"arnaque"}})
	for _, tt := range []struct {
		text string
		want string
	}{
		{"This is a SCAM.", "scam"},
		{"scam", "scam"},
		{"Scams are bad", ""},                     // whole words only: not a prefix
		{"a scampi recipe", ""},                   // not inside another word
		{"s\u200dc\u200ba\u00adm indeed", "scam"}, // zero-width joiner, zero-width space and soft hyphen inside
		{"ѕсаm", "scam"},                          // Cyrillic look-alikes ѕ с а
		{"ｓｃａｍ", "scam"},                          // full-width letters
		{"get FREE\tmoney now", "free money"},     // a term of two words across whitespace
		{"free, money", "free money"},             // punctuation between the words of a term
		{"freemoney", ""},                         // but not glued together
		{"ŞİKE yapıldı", "şike"},                  // Turkish capital dotted İ
		{"şıke", "şike"},                          // Turkish dotless ı is an i too
		{"ARNAQUE", "arnaque"},
		{"arnaqué", "arnaque"},       // accents ignored
		{"arnaque\u0301", "arnaque"}, // a combining accent
		{"Transparency matters", ""},
	} {
		require.Equal(t, tt.want, m.find(words(tt.text)), "%q", tt.text)
	}
}

func TestFingerprintIgnoresCaseSpacingAndPunctuation(t *testing.T) {
	a := Fingerprint("Stop the harbour tower!")
	require.Equal(t, a, Fingerprint("stop  the HARBOUR tower"))
	require.Equal(t, a, Fingerprint("Stop the harbour tower!!!\n"))
	require.NotEqual(t, a, Fingerprint("Stop the harbour towers"))
	require.NotEqual(t, Fingerprint("!!!"), Fingerprint("???"), "texts without words differ by their characters")
	require.NotZero(t, Fingerprint(""))
}

func TestLinksAndShouting(t *testing.T) {
	require.Equal(t, 3, countLinks("see https://a.example and http://b.example or www.c.example"))
	require.Equal(t, 0, countLinks("email me at someone@example.org"))
	for _, tt := range []struct {
		text string
		loud bool
	}{
		{"THIS IS A DISGRACE AND EVERYONE KNOWS IT", true},
		{"Noooooooo way", true},
		{"Why?????????", true},
		{"We need the EU and the UN to act on CO2 now.", false},
		{"Really?!", false},
		{"Coffee", false},
		{"OK", false},
		{"Planting 100000000 trees", false},
	} {
		loud, why := shouting(tt.text)
		require.Equal(t, tt.loud, loud, "%q: %s", tt.text, why)
	}
}

func TestFlagWeight(t *testing.T) {
	require.InDelta(t, 1, flagWeight(0, 0), 1e-9, "a new flagger's flag counts fully")
	require.InDelta(t, 1, flagWeight(5, 0), 1e-9)
	require.InDelta(t, 0.5, flagWeight(0, 1), 1e-9)
	require.InDelta(t, 0.2, flagWeight(0, 9), 1e-9, "never below the floor")
	require.InDelta(t, 0.75, flagWeight(2, 1), 1e-9)
}
