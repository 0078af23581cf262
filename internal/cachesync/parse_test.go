package cachesync

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every announcement String writes parses back to itself; anything else is
// refused rather than read as a narrower or wider drop than was meant.
func TestParseStale(t *testing.T) {
	for _, st := range []Stale{
		{All: true}, {Document: 1}, {Process: 12},
		{Document: 3, Thread: "p1"}, {Document: 3, Thread: "p1", Votes: true},
		{Document: 4, Thread: "a b:c%20d"}, {Document: 4, Thread: "über\n", Votes: true},
		{Document: 5, Thread: strings.Repeat("x", maxThreadKey)},
	} {
		s := st.String()
		require.NotContains(t, s, " ", "%q: an announcement holds no space", s)
		got, ok := parseStale(s)
		require.True(t, ok, s)
		require.Equal(t, st, got, s)
	}
	for _, s := range []string{"", "all ", "d", "d:", "d:0", "d:-1", "d:1x", "d:1:p1", "p:1:p1", "x:1",
		"t:1", "t:1:", "t::p1", "t:0:p1", "t:1:%", "t:1:%zz", "v:1:%g1", "v:1", "t:" + "1:" + strings.Repeat("y", maxThreadKey+1)} {
		_, ok := parseStale(s)
		require.False(t, ok, "%q is refused", s)
	}
}
