package api_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// draftV1 is a small draft: a heading, three paragraphs, a list item and a paragraph.
const draftV1 = `# Open data

The city will publish all council budgets as open data every month, starting in March.

A forum of residents and officials will meet quarterly to review progress on each commitment.

Procurement contracts above ten thousand euros will be listed with their suppliers.

- Every dataset gets a named contact person.

Progress reports will be published twice a year.
`

// createDraft makes a document in the process with slug, imports md and
// publishes it, as an administrator; it returns the document id.
func (e *testEnv) createDraft(t *testing.T, slug, md string) int64 {
	t.Helper()
	rec := e.Do(t, http.MethodPost, "/api/v1/processes/"+slug+"/documents", e.AdminToken(t), `{"title":"Draft plan","language":"en"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	id := int64(decode(t, rec)["id"].(float64))
	e.publishVersion(t, id, md)
	return id
}

// publishVersion imports md as the next version of document id and publishes it.
func (e *testEnv) publishVersion(t *testing.T, id int64, md string) versionJSON {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"format": "markdown", "source": md})
	rec := e.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions", id), e.AdminToken(t), string(body))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var v versionJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &v))
	rec = e.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions/%d/publish", id, v.Number), e.AdminToken(t), "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &v))
	return v
}

type blockJSON struct {
	Key    string `json:"key"`
	Kind   string `json:"kind"`
	Text   string `json:"text"`
	Change string `json:"change"`
	Counts *struct {
		Comments, Agree, Disagree int
	} `json:"counts"`
}

type versionJSON struct {
	Number        int         `json:"number"`
	Latest        bool        `json:"latest"`
	Commenting    bool        `json:"commenting"`
	OrphanedCount int         `json:"orphaned_count"`
	Blocks        []blockJSON `json:"blocks"`
}

func (e *testEnv) latest(t *testing.T, id int64) versionJSON {
	t.Helper()
	rec := e.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/versions/latest", id), "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var v versionJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &v))
	return v
}

// textOf returns the text of the block with key.
func (v versionJSON) textOf(key string) string {
	for _, b := range v.Blocks {
		if b.Key == key {
			return b.Text
		}
	}
	return ""
}

// keyOf returns the key of the block whose text contains s.
func (v versionJSON) keyOf(t *testing.T, s string) string {
	t.Helper()
	for _, b := range v.Blocks {
		if strings.Contains(b.Text, s) {
			return b.Key
		}
	}
	t.Fatalf("no block contains %q", s)
	return ""
}

func TestDocumentLifecycle(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	admin := env.AdminToken(t)
	citizen := makeUser(t, env, "citizen@example.org", false)

	// Bad input: nothing stored.
	for _, body := range []string{`{"title":"","language":"en"}`, `{"title":"Plan","language":"not a language!"}`} {
		rec := env.Do(t, http.MethodPost, "/api/v1/processes/plan-2027/documents", admin, body)
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	}
	rec := env.Do(t, http.MethodPost, "/api/v1/processes/plan-2027/documents", citizen, `{"title":"Plan","language":"en"}`)
	require.Equal(t, http.StatusForbidden, rec.Code)
	require.EqualValues(t, 0, countRows(t, env, "documents", ""))

	rec = env.Do(t, http.MethodPost, "/api/v1/processes/plan-2027/documents", admin, `{"title":"Draft plan","language":"en-gb"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	id := int64(decode(t, rec)["id"].(float64))
	require.Equal(t, "en-GB", decode(t, rec)["language"])

	// No published version yet: the public sees none; comments are refused.
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/versions/latest", id), "", "")
	require.Equal(t, http.StatusNotFound, rec.Code)

	// Import: empty and unknown formats refused.
	for _, body := range []string{`{"format":"markdown","source":"   \n\n"}`, `{"format":"docx","source":"x"}`} {
		rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions", id), admin, body)
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	}
	require.EqualValues(t, 0, countRows(t, env, "document_versions", ""))

	body, _ := json.Marshal(map[string]string{"format": "markdown", "source": draftV1})
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions", id), admin, string(body))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var draft versionJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &draft))
	require.Len(t, draft.Blocks, 6)
	require.Nil(t, draft.Blocks[0].Counts)

	// The unpublished draft is the owner's only.
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/versions/1", id), "", "")
	require.Equal(t, http.StatusNotFound, rec.Code)
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/versions/1", id), admin, "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Contains(t, rec.Header().Get("Cache-Control"), "private")

	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions/1/publish", id), citizen, "")
	require.Equal(t, http.StatusForbidden, rec.Code)
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions/1/publish", id), admin, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions/1/publish", id), admin, "")
	require.Equal(t, http.StatusConflict, rec.Code, "a published version cannot be published again")

	// A published version cannot change, even by SQL.
	err := env.DB.Exec("UPDATE blocks SET text = 'rewritten' WHERE version_id = (SELECT id FROM document_versions WHERE document_id = ?)", id).Error
	require.Error(t, err)

	v := env.latest(t, id)
	require.True(t, v.Latest)
	require.True(t, v.Commenting)
	require.Len(t, v.Blocks, 6)
	require.NotNil(t, v.Blocks[1].Counts)

	// ETag and 304.
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/versions/latest", id), "", "")
	etag := rec.Header().Get("ETag")
	require.NotEmpty(t, etag)
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/versions/latest", id), "", "", "If-None-Match", etag)
	require.Equal(t, http.StatusNotModified, rec.Code)

	// Clients that accept gzip get the same answer compressed, with its own tag.
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/versions/latest", id), "", "", "Accept-Encoding", "br, gzip")
	require.Equal(t, "gzip", rec.Header().Get("Content-Encoding"))
	require.Equal(t, strings.TrimSuffix(etag, `"`)+`-gz"`, rec.Header().Get("ETag"))
	zr, err := gzip.NewReader(rec.Body)
	require.NoError(t, err)
	plain, err := io.ReadAll(zr)
	require.NoError(t, err)
	var unzipped versionJSON
	require.NoError(t, json.Unmarshal(plain, &unzipped))
	require.Equal(t, v, unzipped)
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/versions/latest", id), "", "", "Accept-Encoding", "gzip;q=0")
	require.Empty(t, rec.Header().Get("Content-Encoding"))
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/versions/latest", id), "", "", "If-None-Match", strings.TrimSuffix(etag, `"`)+`-gz"`)
	require.Equal(t, http.StatusNotModified, rec.Code)

	// The document lists its published versions; the process lists the document.
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/documents", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Contains(t, rec.Body.String(), `"latest_number":1`)
}

func countRows(t *testing.T, env *testEnv, table, where string) int64 {
	t.Helper()
	q := "SELECT count(*) FROM " + table
	if where != "" {
		q += " WHERE " + where
	}
	var n int64
	require.NoError(t, env.DB.Raw(q).Scan(&n).Error)
	return n
}

// freshToken signs an account made by makeUser in again (after the clock moved
// past its access token's lifetime).
func (e *testEnv) freshToken(t *testing.T, email string) string {
	t.Helper()
	sess, err := e.Sys.Accounts.Login(context.Background(), email, "a fine test password")
	require.NoError(t, err)
	return sess.AccessToken
}
