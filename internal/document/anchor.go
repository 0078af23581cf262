package document

import (
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// AnchorStatus says how well a comment's anchor was found in a newer version.
type AnchorStatus string

// The anchor statuses.
const (
	AnchorExact    AnchorStatus = "exact"    // the paragraph (or quoted words) unchanged in the same paragraph
	AnchorMoved    AnchorStatus = "moved"    // the same words, found in another place
	AnchorFuzzy    AnchorStatus = "fuzzy"    // similar words found, with Confidence below 1
	AnchorOrphaned AnchorStatus = "orphaned" // not found well enough to attach anywhere
)

// FuzzyThreshold is the least confidence at which a changed anchor is attached
// (with a notice) instead of orphaned.
const FuzzyThreshold = 0.75

// ContextLen is how many code points of text before and after a quote are kept
// as its prefix and suffix.
const ContextLen = 32

// Quote is a TextQuoteSelector with its TextPositionSelector: offsets in code
// points of the paragraph's text, End exclusive.
type Quote struct {
	Exact, Prefix, Suffix string
	Start, End            int
}

// QuoteAt builds the quote of text[start:end] (code points) with its context;
// ok is false when the range does not fit the text.
func QuoteAt(text string, start, end int) (Quote, bool) {
	r := []rune(text)
	if start < 0 || end <= start || end > len(r) {
		return Quote{}, false
	}
	return Quote{
		Exact:  string(r[start:end]),
		Prefix: string(r[max(0, start-ContextLen):start]),
		Suffix: string(r[end:min(len(r), end+ContextLen)]),
		Start:  start, End: end,
	}, true
}

// Anchor is where a comment sits in the version re-anchoring starts from.
type Anchor struct {
	Key   string
	Quote *Quote // nil for a comment on the whole paragraph
}

// Location is an anchor found (or not) in a new version.
type Location struct {
	Key        string // empty when orphaned
	Status     AnchorStatus
	Confidence float64
	Start, End int // code points in the new block's text; only for quotes
	HasQuote   bool
}

var orphaned = Location{Status: AnchorOrphaned}

// Relocate finds anchor a in the blocks of a new version, aligned with Align.
// It never attaches a comment to words it is not confident about: below
// FuzzyThreshold the result is orphaned.
func Relocate(a Anchor, next []Aligned) Location {
	var target *Aligned
	for i := range next {
		if next[i].Key == a.Key {
			target = &next[i]
			break
		}
	}
	if a.Quote == nil {
		switch {
		case target == nil:
			return orphaned
		case target.Change == ChangeSame || target.Change == ChangeNew:
			return Location{Key: target.Key, Status: AnchorExact, Confidence: 1}
		case target.Change == ChangeMoved:
			return Location{Key: target.Key, Status: AnchorMoved, Confidence: 1}
		case target.Similarity >= FuzzyThreshold:
			return Location{Key: target.Key, Status: AnchorFuzzy, Confidence: target.Similarity}
		}
		return orphaned
	}
	q := *a.Quote
	// 1. The words themselves, in the same paragraph: pick the occurrence whose
	// context matches best, never simply the first.
	if target != nil {
		if start, _, ok := bestOccurrence(target.Text, q); ok {
			status := AnchorExact
			if target.Change == ChangeMoved {
				status = AnchorMoved
			}
			return quoteLocation(target.Key, status, 1, start, q)
		}
	}
	// 2. Similar words in the same paragraph: a paragraph that still exists
	// with small edits keeps its comments, before any other paragraph is tried.
	if target != nil {
		if start, end, sim := fuzzyFind(target.Text, q); sim >= FuzzyThreshold {
			return Location{Key: target.Key, Status: AnchorFuzzy, Confidence: sim, Start: start, End: end, HasQuote: true}
		}
	}
	// 3. The words elsewhere, only where their context says it is the same
	// passage: short phrases repeat (the same words in several table rows), so
	// a short quote needs its prefix and suffix both to match and one clear
	// best place; a long quote needs some of its context.
	bestKey, bestStart, bestPre, bestSuf, tie := "", 0, -1, -1, false
	for i := range next {
		if target != nil && next[i].Key == target.Key {
			continue
		}
		start, pre, suf, ok := bestOccurrenceSides(next[i].Text, q)
		switch {
		case !ok:
		case pre+suf > bestPre+bestSuf:
			bestKey, bestStart, bestPre, bestSuf, tie = next[i].Key, start, pre, suf, false
		case pre+suf == bestPre+bestSuf:
			tie = true
		}
	}
	if bestKey != "" && contextAgrees(q, bestPre, bestSuf, tie) {
		return quoteLocation(bestKey, AnchorMoved, 1, bestStart, q)
	}
	return orphaned
}

// contextAgrees says whether a quote found in another paragraph, with pre and
// suf code points of its prefix and suffix matching there, is the same
// passage; tie says another paragraph matched as well.
func contextAgrees(q Quote, pre, suf int, tie bool) bool {
	needPre, needSuf := min(len([]rune(q.Prefix)), 12), min(len([]rune(q.Suffix)), 12)
	if len([]rune(q.Exact)) >= 20 {
		return !tie && pre+suf >= min(8, needPre+needSuf)
	}
	return !tie && pre >= needPre && suf >= needSuf && pre+suf > 0
}

// bestOccurrenceSides is bestOccurrence with the matched prefix and suffix
// lengths apart.
func bestOccurrenceSides(text string, q Quote) (start, pre, suf int, ok bool) {
	start, _, ok = bestOccurrence(text, q)
	if !ok {
		return 0, 0, 0, false
	}
	r := []rune(text)
	n := len([]rune(q.Exact))
	return start, commonSuffix(r[:start], []rune(q.Prefix)), commonPrefix(r[start+n:], []rune(q.Suffix)), true
}

func quoteLocation(key string, status AnchorStatus, conf float64, start int, q Quote) Location {
	n := len([]rune(q.Exact))
	return Location{Key: key, Status: status, Confidence: conf, Start: start, End: start + n, HasQuote: true}
}

// bestOccurrence finds q.Exact in text and returns the start (code points) of
// the occurrence whose surroundings share most with q's prefix and suffix; ties
// go to the occurrence nearest q.Start. score is the shared context length.
func bestOccurrence(text string, q Quote) (start, score int, ok bool) {
	r := []rune(text)
	ex := []rune(q.Exact)
	pre, suf := []rune(q.Prefix), []rune(q.Suffix)
	bestStart, bestScore, bestDist := -1, -1, 0
	for i := 0; i+len(ex) <= len(r); i++ {
		if !runesEqual(r[i:i+len(ex)], ex) {
			continue
		}
		s := commonSuffix(r[:i], pre) + commonPrefix(r[i+len(ex):], suf)
		d := abs(i - q.Start)
		if s > bestScore || (s == bestScore && d < bestDist) {
			bestStart, bestScore, bestDist = i, s, d
		}
	}
	return bestStart, bestScore, bestStart >= 0
}

var dmp = diffmatchpatch.New()

// fuzzyFind looks for the stretch of text, cut at word boundaries, most similar
// to q.Exact (similarity = 1 - edit distance / longer length, in code points).
func fuzzyFind(text string, q Quote) (start, end int, sim float64) {
	r := []rune(text)
	ex := q.Exact
	n := len([]rune(ex))
	if n == 0 || len(r) == 0 {
		return 0, 0, 0
	}
	var starts, ends []int
	for i := range r {
		if i == 0 || (!isWord(r[i-1]) && isWord(r[i])) || (isWord(r[i-1]) != isWord(r[i])) {
			starts = append(starts, i)
		}
		if i == len(r)-1 || isWord(r[i]) != isWord(r[i+1]) {
			ends = append(ends, i+1)
		}
	}
	lo, hi := int(float64(n)*0.7), int(float64(n)*1.3)+1
	best := -1.0
	for _, s := range starts {
		for _, e := range ends {
			if e-s < lo {
				continue
			}
			if e-s > hi {
				break
			}
			cand := string(r[s:e])
			d := dmp.DiffLevenshtein(dmp.DiffMain(cand, ex, false))
			v := 1 - float64(d)/float64(max(e-s, n))
			if v > best || (v == best && abs(s-q.Start) < abs(start-q.Start)) {
				best, start, end = v, s, e
			}
		}
	}
	return start, end, max(best, 0)
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func runesEqual(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func commonSuffix(a, b []rune) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}

func commonPrefix(a, b []rune) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
