package comment

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/document"
)

func TestCombineKeepsConfidenceAcrossVersions(t *testing.T) {
	for _, c := range []struct {
		prev     document.AnchorStatus
		prevConf float64
		loc      document.Location
		want     document.AnchorStatus
	}{
		{document.AnchorExact, 1, document.Location{Status: document.AnchorExact, Confidence: 1}, document.AnchorExact},
		{document.AnchorMoved, 1, document.Location{Status: document.AnchorExact, Confidence: 1}, document.AnchorMoved},
		{document.AnchorFuzzy, 0.9, document.Location{Status: document.AnchorExact, Confidence: 1}, document.AnchorFuzzy},
		{document.AnchorFuzzy, 0.8, document.Location{Status: document.AnchorFuzzy, Confidence: 0.9}, document.AnchorOrphaned},
		{document.AnchorExact, 1, document.Location{Status: document.AnchorOrphaned}, document.AnchorOrphaned},
	} {
		got, _ := combine(c.prev, c.prevConf, c.loc)
		require.Equal(t, c.want, got, "%+v", c)
	}
}
