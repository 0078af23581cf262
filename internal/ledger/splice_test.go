package ledger

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gowebpki/jcs"
	"github.com/stretchr/testify/require"
)

// TestSpliceMatchesTheCanonicaliser: for canonical fields the fast path gives
// the bytes RFC 8785 gives for the whole object, on hostile text too.
func TestSpliceMatchesTheCanonicaliser(t *testing.T) {
	texts := []string{"", "plain", "Café 東京 عربي 🎉", "\"quotes\" \\ backslash / slash", "\u2028\u2029 separators", "\x00\x01\x1f\x7f controls",
		"<script>alert(1)</script>&amp;", "e\u0301", "\t\n\r\b\f", "\U0001F468\u200D\U0001F469", strings.Repeat("long ", 2000), `{"seq":1,"prev_hash":"x"}`}
	n := 0
	for i, a := range texts {
		for j, b := range texts {
			sup := int64(i)
			reason := b
			f := Fields{V: Version, Process: "plan-2027", RecordedAt: "2027-03-15T12:00:00Z", Response: int64(i*100 + j), Disposition: "noted",
				Reasoning: a, LedTo: b, Covers: []string{"comment:1", a}, Clusters: []Cluster{{ID: 3, Title: b, Members: []string{a}}},
				Signers: []Member{{Member: "m-0123456789abcdef", Seat: "government", Organisation: a}}, Dissents: []Member{{Member: "m-1", Seat: "other", Organisation: b, Note: a}}}
			if j%2 == 0 {
				f.Supersedes, f.CorrectionReason = &sup, &reason
			}
			raw, err := json.Marshal(f)
			require.NoError(t, err)
			canon, err := jcs.Transform(raw)
			require.NoError(t, err)
			prev := fmt.Sprintf("%064x", i*31+j)
			spliced, ok := spliceCanonical(canon, int64(n+1), prev)
			require.True(t, ok, "canonical fields take the fast path: %s", canon)
			whole := strings.Replace(string(canon), "{", fmt.Sprintf(`{"seq":%d,"prev_hash":"%s",`, n+1, prev), 1)
			want, err := jcs.Transform([]byte(whole))
			require.NoError(t, err)
			require.Equal(t, string(want), string(spliced))
			// And Hash agrees whichever path the input takes.
			fast, err := Hash(int64(n+1), prev, canon)
			require.NoError(t, err)
			slow, err := Hash(int64(n+1), prev, raw) // Go's encoding: not canonical (escapes <, >, &; struct order)
			require.NoError(t, err)
			require.Equal(t, fast, slow)
			n++
		}
	}
	for _, bad := range []string{`{"a":1,"a":2}`, `{"b":1,"a":2}`, `{ "a":1}`, `{"a":1}x`, `{"se\u0071":1}`, `{"seq":1}`, `[1]`} {
		_, ok := spliceCanonical([]byte(bad), 1, Genesis)
		require.False(t, ok, bad)
	}
	out, ok := spliceCanonical([]byte(`{}`), 7, Genesis)
	require.True(t, ok)
	require.Equal(t, `{"prev_hash":"`+Genesis+`","seq":7}`, string(out))
}
