package document

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// version aligns texts (one paragraph each) against the previous version.
func version(prev []Block, texts ...string) []Aligned {
	parsed := make([]Parsed, len(texts))
	for i, t := range texts {
		parsed[i] = Parsed{Kind: KindParagraph, Text: t}
	}
	used := map[string]bool{}
	for _, b := range prev {
		used[b.Key] = true
	}
	return Align(prev, parsed, used)
}

func asBlocks(a []Aligned) []Block {
	out := make([]Block, len(a))
	for i, x := range a {
		out[i] = Block{Position: i, Key: x.Key, Kind: x.Kind, Text: x.Text, Hash: x.Hash, Change: x.Change}
	}
	return out
}

func quoteOf(t *testing.T, text, exact string, occurrence int) *Quote {
	t.Helper()
	r := []rune(text)
	ex := []rune(exact)
	seen := 0
	for i := 0; i+len(ex) <= len(r); i++ {
		if string(r[i:i+len(ex)]) == exact {
			if seen == occurrence {
				q, ok := QuoteAt(text, i, i+len(ex))
				require.True(t, ok)
				return &q
			}
			seen++
		}
	}
	t.Fatalf("%q not found %d times in %q", exact, occurrence+1, text)
	return nil
}

const (
	pA = "The city will publish all council budgets as open data every month, starting in March."
	pB = "A forum of residents and officials will meet quarterly to review progress on each commitment."
	pC = "Procurement contracts above ten thousand euros will be listed with their suppliers."
	pD = "The government will consult the public. After the review, the government will consult the public again before adopting the plan."
)

func TestAlignKeysCarryAcrossVersions(t *testing.T) {
	v1 := asBlocks(version(nil, pA, pB, pC))
	v2 := version(v1, pB, pA, strings.Replace(pC, "ten thousand", "five thousand", 1), "A brand new paragraph about something else entirely.")
	assert.Equal(t, v1[1].Key, v2[0].Key)
	assert.Equal(t, v1[0].Key, v2[1].Key)
	assert.Equal(t, v1[2].Key, v2[2].Key)
	assert.Equal(t, ChangeEdited, v2[2].Change)
	assert.Greater(t, v2[2].Similarity, 0.8)
	assert.Equal(t, ChangeNew, v2[3].Change)
	for _, k := range []string{v1[0].Key, v1[1].Key, v1[2].Key} {
		assert.NotEqual(t, k, v2[3].Key)
	}
	moved := 0
	for _, b := range v2[:2] {
		if b.Change == ChangeMoved {
			moved++
		}
	}
	assert.Equal(t, 1, moved, "of two swapped paragraphs one is in order, the other moved")
}

func TestRelocate(t *testing.T) {
	v1 := asBlocks(version(nil, pA, pB, pC, pD))
	key := func(i int) string { return v1[i].Key }

	cases := []struct {
		name       string
		next       []string
		anchor     Anchor
		wantStatus AnchorStatus
		wantKey    func(next []Aligned) string
		wantQuote  string // the words the anchor covers in the new text
		wantOcc    int    // which occurrence of wantQuote, for repeated phrases
	}{
		{
			name: "unchanged", next: []string{pA, pB, pC, pD},
			anchor:     Anchor{Key: key(0), Quote: quoteOf(t, pA, "council budgets", 0)},
			wantStatus: AnchorExact, wantKey: func(n []Aligned) string { return n[0].Key }, wantQuote: "council budgets",
		},
		{
			name: "whole paragraph unchanged", next: []string{pA, pB, pC, pD},
			anchor:     Anchor{Key: key(1)},
			wantStatus: AnchorExact, wantKey: func(n []Aligned) string { return n[1].Key },
		},
		{
			name: "typo fixed inside the quote",
			next: []string{strings.Replace(pA, "council budgets", "council budget", 1), pB, pC, pD},
			anchor: Anchor{Key: key(0), Quote: quoteOf(t, strings.Replace(pA, "council budgets", "councel budgets", 1),
				"councel budgets as open data", 0)},
			wantStatus: AnchorFuzzy, wantKey: func(n []Aligned) string { return n[0].Key }, wantQuote: "council budget as open data",
		},
		{
			name:       "quote moved to another paragraph",
			next:       []string{"The city will publish budgets.", pB + " Contracts above ten thousand euros will be listed with their suppliers.", "Something unrelated replaces the procurement text.", pD},
			anchor:     Anchor{Key: key(2), Quote: quoteOf(t, pC, "above ten thousand euros will be listed", 0)},
			wantStatus: AnchorMoved, wantKey: func(n []Aligned) string { return n[1].Key }, wantQuote: "above ten thousand euros will be listed",
		},
		{
			name: "paragraph deleted", next: []string{pA, pB, pD},
			anchor:     Anchor{Key: key(2), Quote: quoteOf(t, pC, "listed with their suppliers", 0)},
			wantStatus: AnchorOrphaned,
		},
		{
			name: "whole paragraph deleted", next: []string{pA, pC, pD},
			anchor:     Anchor{Key: key(1)},
			wantStatus: AnchorOrphaned,
		},
		{
			name:       "phrase occurring twice: the second, picked by context",
			next:       []string{pA, pB, pC, "In short: " + pD},
			anchor:     Anchor{Key: key(3), Quote: quoteOf(t, pD, "the government will consult the public", 0)},
			wantStatus: AnchorExact, wantKey: func(n []Aligned) string { return n[3].Key },
			wantQuote: "the government will consult the public", wantOcc: 0,
		},
		{
			name:       "phrase occurring twice: after an edit, still the one the context names",
			next:       []string{pA, pB, pC, strings.Replace(pD, "The government will consult the public.", "First, the government will consult the public widely.", 1)},
			anchor:     Anchor{Key: key(3), Quote: quoteOf(t, pD, "the government will consult the public", 0)},
			wantStatus: AnchorExact, wantKey: func(n []Aligned) string { return n[3].Key },
			wantQuote: "the government will consult the public", wantOcc: 1,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			next := version(v1, c.next...)
			loc := Relocate(c.anchor, next)
			require.Equal(t, c.wantStatus, loc.Status, "%+v", loc)
			if c.wantStatus == AnchorOrphaned {
				require.Empty(t, loc.Key)
				return
			}
			require.Equal(t, c.wantKey(next), loc.Key)
			if c.wantQuote == "" {
				return
			}
			var text string
			for _, b := range next {
				if b.Key == loc.Key {
					text = b.Text
				}
			}
			got := string([]rune(text)[loc.Start:loc.End])
			require.Equal(t, c.wantQuote, got)
			if c.wantOcc > 0 || strings.Count(text, c.wantQuote) > 1 {
				// Which occurrence: the quote at loc.Start must be the wanted one.
				r := []rune(text)
				occ := strings.Count(string(r[:loc.Start]), c.wantQuote)
				require.Equal(t, c.wantOcc, occ, "picked occurrence %d", occ)
			}
		})
	}
}

func TestRelocateWholeRewriteOrphansEverything(t *testing.T) {
	v1 := asBlocks(version(nil, pA, pB, pC, pD))
	next := version(v1,
		"Libraries will lend tools, seeds and musical instruments to every resident with a card.",
		"Bus routes are redrawn after a survey of commuters in each district.",
		"Parks gain drinking fountains, shade trees and accessible benches by summer.",
		"Schools open their sports grounds to neighbours on weekends and holidays.")
	anchors := []Anchor{
		{Key: v1[0].Key}, {Key: v1[1].Key}, {Key: v1[2].Key}, {Key: v1[3].Key},
		{Key: v1[0].Key, Quote: quoteOf(t, pA, "open data", 0)},
		{Key: v1[1].Key, Quote: quoteOf(t, pB, "meet quarterly", 0)},
		{Key: v1[2].Key, Quote: quoteOf(t, pC, "suppliers", 0)},
		{Key: v1[3].Key, Quote: quoteOf(t, pD, "the government", 0)},
	}
	for _, a := range anchors {
		loc := Relocate(a, next)
		require.Equal(t, AnchorOrphaned, loc.Status, "anchor %+v attached to %+v", a, loc)
	}
}

func TestTextDiff(t *testing.T) {
	ops := TextDiff("publish all council budgets monthly", "publish every council budget monthly")
	var before, after strings.Builder
	for _, o := range ops {
		if o.Op != "insert" {
			before.WriteString(o.Text)
		}
		if o.Op != "delete" {
			after.WriteString(o.Text)
		}
	}
	require.Equal(t, "publish all council budgets monthly", before.String())
	require.Equal(t, "publish every council budget monthly", after.String())
	require.Greater(t, len(ops), 2)
}

// Table rows repeat short phrases: a quote is looked for in its own row first
// (exact, then fuzzy), and moves to another row only when its context says it
// is the same passage (issue 15, item 2).
func TestRelocateRepeatedPhrasesInTableRows(t *testing.T) {
	const (
		rowT = "Transport | published monthly | Ministry of Transport | 2027"
		rowH = "Health | published monthly | Ministry of Health | 2027"
		rowE = "Education | published yearly | Ministry of Education | 2028"
	)
	v1 := asBlocks(version(nil, rowT, rowH, rowE))
	q := quoteOf(t, rowT, "published monthly", 0)
	anchor := Anchor{Key: v1[0].Key, Quote: q}

	gone := func(t *testing.T, next []Aligned) {
		t.Helper()
		for _, b := range next {
			require.NotEqual(t, v1[0].Key, b.Key, "precondition: the quote's own row is gone, not %q", b.Text)
		}
	}
	t.Run("own row edited: stays there, fuzzy, not moved to the row with the same words", func(t *testing.T) {
		next := version(v1, "Transport | publishes monthly | Ministry of Transport | 2027", rowH, rowE)
		loc := Relocate(anchor, next)
		require.Equal(t, v1[0].Key, loc.Key)
		require.Equal(t, AnchorFuzzy, loc.Status)
		require.Equal(t, "publishes monthly", string([]rune(next[0].Text)[loc.Start:loc.End]))
	})
	t.Run("own row unchanged while another row repeats it: exact in its own row", func(t *testing.T) {
		next := version(v1, rowH, rowT, rowE)
		loc := Relocate(anchor, next)
		require.Equal(t, v1[0].Key, loc.Key)
		require.Contains(t, []AnchorStatus{AnchorExact, AnchorMoved}, loc.Status)
	})
	t.Run("own row gone, the words only in a row with other context: orphaned, not moved", func(t *testing.T) {
		next := version(v1, rowH, rowE)
		gone(t, next)
		loc := Relocate(anchor, next)
		require.Equal(t, AnchorOrphaned, loc.Status, "attached to %+v", loc)
	})
	t.Run("own row gone, two other rows with the same words: orphaned (no clear best place)", func(t *testing.T) {
		next := version(v1, rowH, rowE, "Rivers, lakes and the coast: water quality figures | published monthly | Environment Agency | 2029")
		gone(t, next)
		loc := Relocate(anchor, next)
		require.Equal(t, AnchorOrphaned, loc.Status, "attached to %+v", loc)
	})
	t.Run("own row folded into a new paragraph with its context: moved", func(t *testing.T) {
		next := version(v1, rowH, rowE, "From next year the ministries will report as follows, and for the first "+
			"time with figures per region: Transport | published monthly | Ministry of Transport | 2027, then the others in turn.")
		gone(t, next)
		loc := Relocate(anchor, next)
		require.Equal(t, AnchorMoved, loc.Status, "%+v", loc)
		require.Equal(t, next[2].Key, loc.Key)
	})
}
