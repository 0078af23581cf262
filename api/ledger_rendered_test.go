package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// renderedCoverJSON is a cover as the ledger list and a response show it.
type renderedCoverJSON struct {
	Kind             string
	ID               *int64
	IdeaID           *int64  `json:"idea_id"`
	DocumentID       *int64  `json:"document_id"`
	ParagraphKey     *string `json:"paragraph_key"`
	ProgressUpdateID *int64  `json:"progress_update_id"`
	Label            string
	Excerpt          *string
	Visible          bool
	Count            int
}

type ledgerListJSON struct {
	Items []struct {
		Seq      int64
		Fields   map[string]any
		Rendered *struct {
			ReasoningHTML    string              `json:"reasoning_html"`
			Covers           []renderedCoverJSON `json:"covers"`
			ProgressHTML     string              `json:"progress_html"`
			DelayReasonsHTML string              `json:"delay_reasons_html"`
			NextStepsHTML    string              `json:"next_steps_html"`
		}
	}
}

// TestLedgerListRendersEntries: beside each entry's fields as hashed, the
// ledger list gives its Markdown rendered and sanitised (a response's
// reasoning; a progress update's progress, delay reasons and next steps) and
// each contribution a response covers with where it sits and, while it is
// public, the start of its text as plain text; the export stays the fields
// alone.
func TestLedgerListRendersEntries(t *testing.T) {
	f := newForumEnv(t, "single")
	longBody := "Publish the **monthly** figures <script>alert(1)</script> " + strings.Repeat("and more detail ", 20)
	rec := f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/ideas/%d/comments", f.ideas[1].ID), f.cit2, fmt.Sprintf(`{"body":%q}`, longBody))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	shown := decodeID(t, rec.Body.Bytes())
	rec = f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/ideas/%d/comments", f.ideas[1].ID), f.cit2, `{"body":"Soon hidden zqhiddenledger."}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	hidden := decodeID(t, rec.Body.Bytes())

	r := f.draft(t, f.gov, fmt.Sprintf(`{"disposition":"adopted","reasoning":"We will publish **monthly**.\n\n<script>alert(1)</script>",`+
		`"covers":[{"kind":"comment","id":%d},{"kind":"comment","id":%d},{"kind":"idea","id":%d}]}`, shown, hidden, f.ideas[2].ID))
	f.sign(t, f.gov, r, http.StatusOK)
	// A moderator hides one of the comments after the response covered it.
	require.NoError(t, f.DB.Exec("UPDATE comments SET status = 'hidden' WHERE id = ?", hidden).Error)

	// A commitment's progress update, in the same chain.
	rec = f.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/commitments", f.owner, plainCommitment("Open contracting"))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var c commitmentJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &c))
	body := strings.Replace(updateBody(c, "government", "Register **online**."), `"next_steps":"Publish the data."`,
		`"next_steps":"Publish *every* month.","delay_reasons":"Supplier [late](javascript:alert(1))."`, 1)
	rec = f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/commitments/%d/updates", c.ID), f.owner, body)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	rec = f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/progress-updates/%d/publish", decodeID(t, rec.Body.Bytes())), f.owner, `{"revision":1}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	// A change of the forum's rule, once the ledger has begun, is an entry too.
	rec = f.Do(t, http.MethodPut, "/api/v1/processes/"+f.slug+"/forum/settings", f.owner, `{"signing_rule":"joint","target_days":20}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NotContains(t, rec.Body.String(), "zqhiddenledger")
	var page ledgerListJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
	require.Len(t, page.Items, 3, "newest first: the rule change, the update, the response")
	require.Equal(t, "rule_change", page.Items[0].Fields["kind"])
	require.Nil(t, page.Items[0].Rendered, "a rule change has no text to render")

	progress := page.Items[1]
	require.Equal(t, "progress_update", progress.Fields["kind"])
	require.Equal(t, "Register **online**.", progress.Fields["progress"], "the fields stay as hashed")
	require.NotNil(t, progress.Rendered)
	require.Contains(t, progress.Rendered.ProgressHTML, "<strong>online</strong>")
	require.Contains(t, progress.Rendered.NextStepsHTML, "<em>every</em>")
	require.Contains(t, progress.Rendered.DelayReasonsHTML, "Supplier")
	require.NotContains(t, progress.Rendered.DelayReasonsHTML, "javascript:")

	response := page.Items[2]
	require.Equal(t, "We will publish **monthly**.\n\n<script>alert(1)</script>", response.Fields["reasoning"])
	require.NotNil(t, response.Rendered)
	require.Contains(t, response.Rendered.ReasoningHTML, "<strong>monthly</strong>")
	require.NotContains(t, response.Rendered.ReasoningHTML, "<script")
	covers := map[string]renderedCoverJSON{}
	for _, cv := range response.Rendered.Covers {
		covers[fmt.Sprintf("%s:%d", cv.Kind, *cv.ID)] = cv
	}
	require.Len(t, covers, 3)
	cm := covers[fmt.Sprintf("comment:%d", shown)]
	require.True(t, cm.Visible)
	require.Equal(t, f.ideas[1].ID, *cm.IdeaID, "a comment on an idea links to the idea")
	require.NotNil(t, cm.Excerpt)
	// Plain text: the emphasis rendered away, the raw HTML left out (what it wrapped is text).
	require.True(t, strings.HasPrefix(*cm.Excerpt, "Publish the monthly figures alert(1) and more detail"), *cm.Excerpt)
	require.True(t, strings.HasSuffix(*cm.Excerpt, "…"))
	require.Equal(t, 120, len([]rune(*cm.Excerpt)))
	require.NotContains(t, *cm.Excerpt, "script")
	gone := covers[fmt.Sprintf("comment:%d", hidden)]
	require.False(t, gone.Visible)
	require.Nil(t, gone.Excerpt)
	require.Empty(t, gone.Label)
	require.Nil(t, gone.IdeaID, "nor where it sits")
	id := covers[fmt.Sprintf("idea:%d", f.ideas[2].ID)]
	require.True(t, id.Visible)
	require.Equal(t, "Plant trees on every street", *id.Excerpt)

	// The response itself answers the same, and the export is the fields alone.
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/responses/%d", r.ID), "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var one struct{ Covers []renderedCoverJSON }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &one))
	require.ElementsMatch(t, response.Rendered.Covers, one.Covers)
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger/export", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.NotContains(t, rec.Body.String(), "rendered")
	require.NotContains(t, rec.Body.String(), "reasoning_html")
}
