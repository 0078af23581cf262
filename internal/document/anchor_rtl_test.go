package document

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Arabic paragraphs, one with short vowels (combining marks: one code point
// each, two bytes in UTF-8), digits and a Latin word.
const (
	arA = "ستنشر المدينة جميع ميزانيات المجلس كبيانات مفتوحة كل شهر، ابتداءً من مارس 2027."
	arB = "يجتمع منتدى من السكان والمسؤولين كل ثلاثة أشهر لمراجعة التقدم في كل التزام."
	arC = "تُنْشَرُ عقود الشراء التي تتجاوز عشرة آلاف يورو عبر API مع أسماء مورديها."
)

// TestPhraseAnchorOnArabicText anchors comments to phrases of Arabic
// paragraphs by code points, and carries them to a new version: unchanged,
// shifted by an insertion before them, with a typo fixed inside, and
// orphaned with their paragraph.
func TestPhraseAnchorOnArabicText(t *testing.T) {
	// The quote is the code points [Start, End) of the text, not its bytes.
	q := quoteOf(t, arC, "عقود الشراء", 0)
	require.Equal(t, 9, q.Start, "تُنْشَرُ is 8 code points (4 letters, 4 marks) and a space")
	require.Equal(t, 20, q.End)
	require.Equal(t, "تُنْشَرُ ", q.Prefix)
	require.True(t, strings.HasPrefix(q.Suffix, " التي تتجاوز"))
	require.NotEqual(t, q.Start, strings.Index(arC, "عقود"), "byte offsets differ from code points")
	_, ok := QuoteAt(arC, 70, 90)
	require.False(t, ok, "a range past the end of the text")

	v1 := asBlocks(version(nil, arA, arB, arC))
	key := func(i int) string { return v1[i].Key }
	inserted := strings.Replace(arA, "ستنشر المدينة", "ستنشر المدينة الكبرى", 1)
	typo := strings.Replace(arA, "ميزانيات المجلس", "ميزانيات المجالس", 1)
	for _, c := range []struct {
		name       string
		next       []string
		anchor     Anchor
		wantStatus AnchorStatus
		wantBlock  int
		wantQuote  string
	}{
		{"unchanged", []string{arA, arB, arC}, Anchor{Key: key(0), Quote: quoteOf(t, arA, "ميزانيات المجلس", 0)},
			AnchorExact, 0, "ميزانيات المجلس"},
		{"words inserted before the phrase", []string{inserted, arB, arC}, Anchor{Key: key(0), Quote: quoteOf(t, arA, "كبيانات مفتوحة", 0)},
			AnchorExact, 0, "كبيانات مفتوحة"},
		{"a letter changed inside the phrase", []string{typo, arB, arC}, Anchor{Key: key(0), Quote: quoteOf(t, arA, "جميع ميزانيات المجلس كبيانات", 0)},
			AnchorFuzzy, 0, "جميع ميزانيات المجالس كبيانات"},
		{"a phrase with marks, digits and Latin", []string{arA, arB, arC}, Anchor{Key: key(2), Quote: quoteOf(t, arC, "يورو عبر API", 0)},
			AnchorExact, 2, "يورو عبر API"},
		{"paragraph deleted", []string{arA, arC}, Anchor{Key: key(1), Quote: quoteOf(t, arB, "لمراجعة التقدم", 0)},
			AnchorOrphaned, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			next := version(v1, c.next...)
			loc := Relocate(c.anchor, next)
			require.Equal(t, c.wantStatus, loc.Status, "%+v", loc)
			if c.wantStatus == AnchorOrphaned {
				require.Empty(t, loc.Key)
				return
			}
			require.Equal(t, next[c.wantBlock].Key, loc.Key)
			require.Equal(t, c.wantQuote, string([]rune(next[c.wantBlock].Text)[loc.Start:loc.End]))
		})
	}
}
