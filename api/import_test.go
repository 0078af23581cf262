package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// furnishedPlan is a plan copied out of a PDF: a running header on every
// page, page numbers, a contents list with dot leaders, bullets, a table
// whose rows start with an empty cell.
const furnishedPlan = `Engagement Plan

31 March 2014

Contents
Introduction ........ 3
Commitments ......... 5

Page 1 of 3

Engagement Plan

1. Introduction

The ministry will publish the plan and its budget

Page 2 of 3

Engagement Plan

every month, with the minutes of the forum.

• - Publish contracts
• Open the budget

Commitment	Lead	Due
	Treasury	2027

Page 3 of 3
`

var furnitureDropped = []droppedJSON{
	{Text: "Engagement Plan", Reason: "running_line", Count: 3},
	{Text: "Contents", Reason: "contents", Count: 1},
	{Text: "Introduction ........ 3", Reason: "contents", Count: 1},
	{Text: "Commitments ......... 5", Reason: "contents", Count: 1},
	{Text: "Page 1 of 3", Reason: "page_number", Count: 3},
}

var furnishedBlocks = []string{
	"paragraph: 31 March 2014",
	"heading: 1. Introduction",
	"paragraph: The ministry will publish the plan and its budget every month, with the minutes of the forum.",
	"list_item: Publish contracts",
	"list_item: Open the budget",
	"table_row: Commitment\tLead\tDue",
	"table_row: \tTreasury\t2027",
}

// storedDropped reads what was stored as dropped with the document's unpublished version.
func storedDropped(t *testing.T, env *testEnv, doc int64) []droppedJSON {
	t.Helper()
	var raw string
	require.NoError(t, env.DB.Raw("SELECT dropped::text FROM document_versions WHERE document_id = ? AND published_at IS NULL", doc).
		Scan(&raw).Error)
	var out []droppedJSON
	require.NoError(t, json.Unmarshal([]byte(raw), &out), raw)
	return out
}

// TestImportSaysWhatItDropped: page furniture is left out of the text, and
// the import answer, the stored version, the preview and (once published)
// the version itself say what was dropped, why and how often; bullets are
// gone from list items and a row's empty first cell is kept. Only those who
// manage the process see the draft.
func TestImportSaysWhatItDropped(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	owner := makeUser(t, env, "owner@example.org", false)
	env.grantRole(t, "plan-2027", "owner@example.org", "owner")
	citizen := makeUser(t, env, "citizen@example.org", false)
	doc := env.newDocument(t, "plan-2027")
	body, _ := json.Marshal(map[string]string{"format": "text", "source": furnishedPlan})
	url := fmt.Sprintf("/api/v1/documents/%d/versions", doc)
	preview := fmt.Sprintf("/api/v1/documents/%d/versions/1/preview", doc)

	t.Run("requires authentication", func(t *testing.T) {
		require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodPost, url, "", string(body)).Code)
		require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodGet, preview, "", "").Code)
	})
	t.Run("a citizen may not import", func(t *testing.T) {
		rec := env.Do(t, http.MethodPost, url, citizen, string(body))
		require.Equal(t, http.StatusForbidden, rec.Code, rec.Body.String())
		require.EqualValues(t, 0, countRows(t, env, "document_versions", fmt.Sprintf("document_id = %d", doc)))
	})

	t.Run("pasted text", func(t *testing.T) {
		rec := env.Do(t, http.MethodPost, url, owner, string(body))
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		v := decodeImported(t, rec)
		require.Equal(t, furnitureDropped, v.Dropped)
		require.Equal(t, furnishedBlocks, kindsAndTexts(v.Blocks))
		_, rows := storedDraft(t, env, doc)
		require.Equal(t, furnishedBlocks, rows)
		require.Equal(t, furnitureDropped, storedDropped(t, env, doc))
	})

	t.Run("the preview shows it, to the owner only", func(t *testing.T) {
		rec := env.Do(t, http.MethodGet, preview, citizen, "")
		require.Contains(t, []int{http.StatusForbidden, http.StatusNotFound}, rec.Code, rec.Body.String())
		require.NotContains(t, rec.Body.String(), "Engagement Plan")
		rec = env.Do(t, http.MethodGet, preview, owner, "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var pv previewJSON
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &pv))
		require.Equal(t, furnitureDropped, pv.Version.Dropped)
		require.Equal(t, furnishedBlocks, kindsAndTexts(pv.Version.Blocks))
	})

	t.Run("an uploaded text file", func(t *testing.T) {
		rec := env.upload(t, doc, owner, "plan.txt", []byte(furnishedPlan), nil)
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		v := decodeImported(t, rec)
		require.Equal(t, furnitureDropped, v.Dropped)
		require.Equal(t, furnitureDropped, storedDropped(t, env, doc))
	})

	t.Run("a clean draft drops nothing and replaces the list", func(t *testing.T) {
		rec := env.upload(t, doc, owner, "plan.md", []byte("# Plan\n\nThe ministry will publish the plan.\n"), nil)
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		require.NotNil(t, decodeImported(t, rec).Dropped)
		require.Empty(t, decodeImported(t, rec).Dropped)
		require.Empty(t, storedDropped(t, env, doc))
		require.EqualValues(t, 1, countRows(t, env, "document_versions", fmt.Sprintf("document_id = %d", doc)))
	})

	t.Run("published, the version still says what was dropped", func(t *testing.T) {
		rec := env.Do(t, http.MethodPost, url, owner, string(body))
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		n := decodeImported(t, rec).Number
		rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions/%d/publish", doc, n), owner, "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/versions/%d", doc, n), owner, "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Equal(t, furnitureDropped, decodeImported(t, rec).Dropped)
		for _, b := range decodeImported(t, rec).Blocks {
			require.False(t, strings.Contains(b.Text, "Page ") || strings.Contains(b.Text, "........"), b.Text)
		}
	})
}
