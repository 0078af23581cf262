package ledger

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gowebpki/jcs"
)

// Hash computes an entry's hash from its fields (a JSON object), seq and
// prev_hash: SHA-256 of the RFC 8785 canonical form of the fields object with
// "seq" and "prev_hash" added, as lower-case hex.
//
// The ledger stores each entry's fields in canonical form, so the usual case
// only splices the two members in at their sorted places (spliceCanonical);
// anything else goes through the general canonicaliser. Both give the same
// bytes for canonical input; the tests check it on hostile text.
func Hash(seq int64, prevHash string, fields []byte) (string, error) {
	canon, ok := spliceCanonical(fields, seq, prevHash)
	if !ok {
		f := strings.TrimSpace(string(fields))
		if len(f) < 2 || f[0] != '{' {
			return "", errors.New("ledger: fields are not a JSON object")
		}
		var b strings.Builder
		b.Grow(len(f) + 100)
		b.WriteString(`{"seq":`)
		b.WriteString(strconv.FormatInt(seq, 10))
		b.WriteString(`,"prev_hash":`)
		b.WriteString(strconv.Quote(prevHash))
		if rest := strings.TrimSpace(f[1:]); rest != "}" {
			b.WriteByte(',')
		}
		b.WriteString(f[1:])
		var err error
		if canon, err = jcs.Transform([]byte(b.String())); err != nil {
			return "", fmt.Errorf("ledger: canonical form: %w", err)
		}
	}
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:]), nil
}

// spliceCanonical inserts "prev_hash" and "seq" into fields at their sorted
// places when fields looks canonical at its top level: an object with no
// whitespace between tokens and plain ASCII keys in increasing order. It
// reports false otherwise (the caller canonicalises in full).
func spliceCanonical(fields []byte, seq int64, prevHash string) ([]byte, bool) {
	n := len(fields)
	if n < 2 || fields[0] != '{' || fields[n-1] != '}' || !isHex(prevHash) {
		return nil, false
	}
	var (
		depth, keyStart = 0, -1
		inString, esc   = false, false
		lastKey         []byte
		atPrev, atSeq   = -1, -1 // where each new member goes: before the key starting there
	)
	for i := 0; i < n; i++ {
		c := fields[i]
		if inString {
			switch {
			case esc:
				esc = false
			case c == '\\':
				if keyStart >= 0 {
					return nil, false // an escaped key: not the plain keys this handles
				}
				esc = true
			case c == '"':
				inString = false
				if keyStart >= 0 {
					key := fields[keyStart+1 : i]
					if lastKey != nil && string(key) <= string(lastKey) {
						return nil, false
					}
					if atPrev < 0 && string(key) > "prev_hash" {
						atPrev = keyStart
					}
					if atSeq < 0 && string(key) > "seq" {
						atSeq = keyStart
					}
					if string(key) == "prev_hash" || string(key) == "seq" {
						return nil, false
					}
					lastKey, keyStart = key, -1
				}
			case c >= 0x80 && keyStart >= 0:
				return nil, false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
			if depth == 1 && (fields[i-1] == '{' || fields[i-1] == ',') {
				keyStart = i
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 && i != n-1 {
				return nil, false
			}
		case ' ', '\t', '\n', '\r':
			return nil, false
		}
	}
	if depth != 0 || inString {
		return nil, false
	}
	end := n - 1 // the closing brace
	if atPrev < 0 {
		atPrev = end
	}
	if atSeq < 0 {
		atSeq = end
	}
	prev := `"prev_hash":"` + prevHash + `"`
	sq := `"seq":` + strconv.FormatInt(seq, 10)
	out := make([]byte, 0, n+len(prev)+len(sq)+2)
	member := func(at int, m string) {
		if at == end {
			if out[len(out)-1] != '{' {
				out = append(out, ',')
			}
			out = append(out, m...)
		} else {
			out = append(out, m...)
			out = append(out, ',')
		}
	}
	out = append(out, fields[:atPrev]...)
	member(atPrev, prev)
	out = append(out, fields[atPrev:atSeq]...)
	member(atSeq, sq)
	out = append(out, fields[atSeq:]...)
	return out, true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
