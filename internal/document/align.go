package document

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Change says how a block relates to the previous published version.
type Change string

// The changes of a block.
const (
	ChangeNew    Change = "new"    // no counterpart in the previous version
	ChangeSame   Change = "same"   // same text, same order
	ChangeMoved  Change = "moved"  // same text, elsewhere in the order
	ChangeEdited Change = "edited" // similar text; Similarity says how similar
)

// EditedThreshold is the least similarity at which an edited block keeps the
// key of the block it replaces; below it the block is new and the old one deleted.
const EditedThreshold = 0.5

// Hash is the content hash of a block: SHA-256 over its kind and text.
func Hash(kind Kind, text string) string {
	sum := sha256.Sum256([]byte(string(kind) + "\x00" + text))
	return hex.EncodeToString(sum[:])
}

var keyEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newKey makes a URL-safe key from a block's hash that is not in used.
func newKey(hash string, used map[string]bool) string {
	raw, _ := hex.DecodeString(hash)
	base := keyEncoding.EncodeToString(raw)[:8]
	key := base
	for i := 2; used[key]; i++ {
		key = fmt.Sprintf("%s-%d", base, i)
	}
	used[key] = true
	return key
}

// Aligned is a block of a new version with its key and its relation to the
// previous version.
type Aligned struct {
	Parsed
	Key        string
	Hash       string
	Change     Change
	Similarity float64 // 1 for same and moved; the text similarity for edited
}

// Align gives the blocks of a new version their keys. prev is the previous
// published version's blocks in order (nil for a first version); used holds
// every key the document has ever used, so a deleted paragraph's key is never
// given to other text. Same text keeps its key (a block out of the old order is
// moved); a block similar enough to an unmatched old one of the same kind takes
// its key as edited; the rest get new keys.
func Align(prev []Block, next []Parsed, used map[string]bool) []Aligned {
	out := make([]Aligned, len(next))
	oldByHash := map[string][]int{}
	for i, b := range prev {
		oldByHash[b.Hash] = append(oldByHash[b.Hash], i)
	}
	oldUsed := make([]bool, len(prev))
	matchedOld := make([]int, len(next))
	for i := range next {
		out[i] = Aligned{Parsed: next[i], Hash: Hash(next[i].Kind, next[i].Text)}
		matchedOld[i] = -1
	}
	// 1. Identical text: take the unused old block nearest in relative position.
	for i := range next {
		cands := oldByHash[out[i].Hash]
		best := -1
		for _, j := range cands {
			if oldUsed[j] {
				continue
			}
			if best < 0 || relDist(i, len(next), j, len(prev)) < relDist(i, len(next), best, len(prev)) {
				best = j
			}
		}
		if best >= 0 {
			oldUsed[best] = true
			matchedOld[i] = best
		}
	}
	// Blocks whose old positions are out of order relative to the others moved.
	inOrder := longestIncreasing(matchedOld)
	for i, j := range matchedOld {
		if j < 0 {
			continue
		}
		out[i].Key, out[i].Similarity = prev[j].Key, 1
		if inOrder[i] {
			out[i].Change = ChangeSame
		} else {
			out[i].Change = ChangeMoved
		}
	}
	// 2. Similar text: greedy by best similarity among unmatched blocks of a kind.
	type pair struct {
		i, j int
		sim  float64
	}
	var pairs []pair
	newBags := make([]map[string]int, len(next))
	for i := range next {
		if matchedOld[i] < 0 {
			newBags[i] = wordBag(next[i].Text)
		}
	}
	for j := range prev {
		if oldUsed[j] {
			continue
		}
		oldBag := wordBag(prev[j].Text)
		for i := range next {
			if matchedOld[i] >= 0 || next[i].Kind != prev[j].Kind {
				continue
			}
			if s := dice(newBags[i], oldBag); s >= EditedThreshold {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	sort.SliceStable(pairs, func(a, b int) bool {
		if pairs[a].sim != pairs[b].sim {
			return pairs[a].sim > pairs[b].sim
		}
		return relDist(pairs[a].i, len(next), pairs[a].j, len(prev)) < relDist(pairs[b].i, len(next), pairs[b].j, len(prev))
	})
	for _, p := range pairs {
		if matchedOld[p.i] >= 0 || oldUsed[p.j] {
			continue
		}
		matchedOld[p.i], oldUsed[p.j] = p.j, true
		out[p.i].Key, out[p.i].Change, out[p.i].Similarity = prev[p.j].Key, ChangeEdited, p.sim
	}
	// 3. New text: a fresh key.
	for i := range out {
		if out[i].Key == "" {
			out[i].Key, out[i].Change, out[i].Similarity = newKey(out[i].Hash, used), ChangeNew, 0
		}
	}
	return out
}

func relDist(i, n, j, m int) float64 {
	a := float64(i) / float64(max(n, 1))
	b := float64(j) / float64(max(m, 1))
	if a > b {
		return a - b
	}
	return b - a
}

// longestIncreasing marks the entries of seq (ignoring negatives) that belong
// to one longest strictly increasing subsequence.
func longestIncreasing(seq []int) []bool {
	var idx []int // positions in seq of the considered entries
	for i, v := range seq {
		if v >= 0 {
			idx = append(idx, i)
		}
	}
	n := len(idx)
	tails := []int{} // tails[k] = index into idx of the smallest tail of a run of length k+1
	prevOf := make([]int, n)
	for k := 0; k < n; k++ {
		v := seq[idx[k]]
		pos := sort.Search(len(tails), func(t int) bool { return seq[idx[tails[t]]] >= v })
		if pos > 0 {
			prevOf[k] = tails[pos-1]
		} else {
			prevOf[k] = -1
		}
		if pos == len(tails) {
			tails = append(tails, k)
		} else {
			tails[pos] = k
		}
	}
	marks := make([]bool, len(seq))
	if len(tails) == 0 {
		return marks
	}
	for k := tails[len(tails)-1]; k >= 0; k = prevOf[k] {
		marks[idx[k]] = true
	}
	return marks
}

// words splits text into lower-cased words (letters and digits).
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func wordBag(s string) map[string]int {
	bag := map[string]int{}
	for _, w := range words(s) {
		bag[w]++
	}
	return bag
}

// dice is the Sørensen–Dice coefficient of two word multisets.
func dice(a, b map[string]int) float64 {
	na, nb, common := 0, 0, 0
	for w, c := range a {
		na += c
		common += min(c, b[w])
	}
	for _, c := range b {
		nb += c
	}
	if na+nb == 0 {
		return 1
	}
	return 2 * float64(common) / float64(na+nb)
}
