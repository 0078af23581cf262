package ledger_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/ledger"
)

func TestRenderReadsEachKind(t *testing.T) {
	resp, err := ledger.Encode(ledger.Fields{Process: "p", Reasoning: "We will publish **monthly**.\n\n<script>alert(1)</script>",
		Covers: []string{"comment:2", "paragraph:7:p-3"}})
	require.NoError(t, err)
	r, err := ledger.Render(ledger.Entry{Seq: 1, Fields: resp})
	require.NoError(t, err)
	require.Equal(t, ledger.KindResponse, r.Kind)
	require.Contains(t, r.ReasoningHTML, "<strong>monthly</strong>")
	require.NotContains(t, r.ReasoningHTML, "<script")
	require.Equal(t, []string{"comment:2", "paragraph:7:p-3"}, r.Covers)

	upd, err := ledger.EncodeRecord(&ledger.ProgressUpdate{Progress: "Portal **online**", NextSteps: "Monthly *data*",
		DelayReasons: "[late](javascript:alert(1))"})
	require.NoError(t, err)
	r, err = ledger.Render(ledger.Entry{Seq: 2, Fields: upd})
	require.NoError(t, err)
	require.Equal(t, ledger.KindProgressUpdate, r.Kind)
	require.Contains(t, r.ProgressHTML, "<strong>online</strong>")
	require.Contains(t, r.NextStepsHTML, "<em>data</em>")
	require.Contains(t, r.DelayReasonsHTML, "late")
	require.NotContains(t, r.DelayReasonsHTML, "javascript:")

	rule, err := ledger.EncodeRecord(&ledger.RuleChange{Rule: ledger.Rule{Name: "joint"}, Previous: ledger.Rule{Name: "single"}})
	require.NoError(t, err)
	r, err = ledger.Render(ledger.Entry{Seq: 3, Fields: rule})
	require.NoError(t, err)
	require.Equal(t, ledger.Rendered{Kind: ledger.KindRuleChange}, r)

	_, err = ledger.Render(ledger.Entry{Seq: 4, Fields: json.RawMessage(`{"reasoning":`)})
	require.Error(t, err)
}

// benchPage is a full page of the ledger list: 100 entries of
// 2,000-character reasonings, each its own text.
func benchPage(b *testing.B) []ledger.Entry {
	b.Helper()
	text := strings.Repeat("The forum agrees to publish **every** contract, [with links](https://example.org), and:\n\n- a list\n- of items\n\n", 20)[:1990]
	page := make([]ledger.Entry, 100)
	for i := range page {
		f, err := ledger.Encode(ledger.Fields{Process: "p", Reasoning: fmt.Sprintf("%s %d", text, i), Covers: []string{"comment:1", "idea:2"}})
		require.NoError(b, err)
		page[i] = ledger.Entry{Seq: int64(i + 1), Fields: f}
	}
	return page
}

// BenchmarkRenderPage renders a page as a first read does.
func BenchmarkRenderPage(b *testing.B) {
	page := benchPage(b)
	for b.Loop() {
		for _, e := range page {
			if _, err := ledger.Render(e); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRenderPageCached renders a page as later reads do.
func BenchmarkRenderPageCached(b *testing.B) {
	page := benchPage(b)
	s := ledger.NewService(nil, nil)
	for b.Loop() {
		for _, e := range page {
			if _, err := s.Render(e); err != nil {
				b.Fatal(err)
			}
		}
	}
}
