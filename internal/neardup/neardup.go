// Package neardup finds contributions that say nearly the same thing: form
// letters, campaigns and copies with small edits. Every contribution gets a
// MinHash signature of its word shingles when it is written; Groups finds the
// signatures whose estimated Jaccard similarity passes a threshold, using
// locality-sensitive hashing so it never compares every pair.
package neardup

import (
	"hash/fnv"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Size is the number of values in a signature.
const Size = 64

// bands × rows = Size. Two texts share a band with probability 1-(1-J^rows)^bands:
// 0.5 at J ≈ 0.5, 0.99 at J = 0.75, 0.06 at J = 0.25.
const (
	bands = 16
	rows  = Size / bands
)

// shingle is the number of consecutive words hashed together.
const shingle = 3

// Threshold is the estimated Jaccard similarity above which two texts are
// near-duplicates.
const Threshold = 0.5

// lookalikes maps Cyrillic and Greek letters that look like Latin ones to the
// Latin letter, so "vіagra" with a Cyrillic і matches "viagra".
var lookalikes = map[rune]rune{
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
	'у': 'y', 'х': 'x', 'і': 'i', 'ї': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'ү': 'y', 'һ': 'h',
	'α': 'a', 'β': 'b', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x',
	'ɡ': 'g', 'ı': 'i', 'ℓ': 'l',
}

// Words splits text into the words contributions are compared by (the
// moderation screen and the signatures here): compatibility
// decomposition (full-width and styled letters become plain ones), accents and
// invisible characters (zero-width joiners, soft hyphens, direction marks)
// dropped, look-alike letters mapped to Latin, everything lower case with every
// i (dotted, dotless, Turkish capital İ) the same, then runs of letters and digits.
func Words(text string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range norm.NFKD.String(text) {
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Cf, r):
			continue // accents and invisible characters join what they sit in
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
			if l, ok := lookalikes[r]; ok {
				r = l
			}
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// mix is splitmix64's finaliser: a fast, well-spread 64-bit hash of x.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Signature is the MinHash signature of text's word shingles; nil when the
// text has no words.
func Signature(text string) []int32 {
	ws := Words(text)
	if len(ws) == 0 {
		return nil
	}
	k := shingle
	if len(ws) < 2*shingle {
		k = 1 // too short for shingles to mean much
	}
	mins := make([]uint32, Size)
	for i := range mins {
		mins[i] = ^uint32(0)
	}
	h := fnv.New64a()
	for i := 0; i+k <= len(ws); i++ {
		h.Reset()
		for _, w := range ws[i : i+k] {
			_, _ = h.Write([]byte(w))
			_, _ = h.Write([]byte{0})
		}
		base := h.Sum64()
		for j := range mins {
			if v := uint32(mix(base^uint64(j)*0x9e3779b97f4a7c15) >> 32); v < mins[j] {
				mins[j] = v
			}
		}
	}
	sig := make([]int32, Size)
	for i, v := range mins {
		sig[i] = int32(v)
	}
	return sig
}

// Similarity estimates the Jaccard similarity of the texts behind two
// signatures: the share of positions where they agree. 0 when either is
// missing or they differ in size.
func Similarity(a, b []int32) float64 {
	if len(a) != Size || len(b) != Size {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / Size
}

// Groups returns the groups (indices into sigs, each sorted, groups largest
// first) of two or more signatures linked by a chain of pairs whose
// similarity is at least threshold. Signatures of the wrong size are left out.
func Groups(sigs [][]int32, threshold float64) [][]int {
	parent := make([]int, len(sigs))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	buckets := make(map[uint64][]int)
	for b := 0; b < bands; b++ {
		clear(buckets)
		for i, s := range sigs {
			if len(s) != Size {
				continue
			}
			key := uint64(b)
			for _, v := range s[b*rows : (b+1)*rows] {
				key = mix(key ^ uint64(uint32(v)))
			}
			buckets[key] = append(buckets[key], i)
		}
		for _, members := range buckets {
			// Compare each member with the bucket's first, and with the
			// previous one: enough to join a bucket of near-duplicates into
			// one group without comparing every pair of a large campaign.
			for n := 1; n < len(members); n++ {
				i := members[n]
				for _, j := range []int{members[0], members[n-1]} {
					if i != j && find(i) != find(j) && Similarity(sigs[i], sigs[j]) >= threshold {
						parent[find(i)] = find(j)
					}
				}
			}
		}
	}
	byRoot := map[int][]int{}
	for i, s := range sigs {
		if len(s) == Size {
			r := find(i)
			byRoot[r] = append(byRoot[r], i)
		}
	}
	var out [][]int
	for _, g := range byRoot {
		if len(g) >= 2 {
			slices.Sort(g)
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b []int) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return a[0] - b[0]
	})
	return out
}
