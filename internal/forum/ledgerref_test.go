package forum

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLedgerCoverRefsRoundTrip(t *testing.T) {
	for _, ref := range []string{"comment:12", "idea:3", "cluster:4", "paragraph:7:p-3", "paragraph:7:key:with:colons"} {
		in, ok := parseLedgerCover(ref)
		require.True(t, ok, ref)
		c := Cover{Kind: in.Kind}
		if in.Kind == "paragraph" {
			c.DocumentID, c.ParagraphKey = &in.DocumentID, &in.ParagraphKey
		} else {
			c.ID = &in.ID
		}
		require.Equal(t, ref, c.LedgerRef())
	}
	for _, bad := range []string{"", "comment", "comment:", "comment:x", "comment:0", "idea:-1", "paragraph:7", "paragraph:x:k", "paragraph:7:", "vote:1"} {
		_, ok := parseLedgerCover(bad)
		require.False(t, ok, bad)
	}
}
