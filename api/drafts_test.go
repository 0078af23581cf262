package api_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/apptest"
)

// shortDraft is the Markdown fixture the tests' Word and OpenDocument files are made of.
func shortDraft(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../internal/document/testdata/draft-short.md")
	require.NoError(t, err)
	return string(b)
}

// upload sends a multipart import of one file (and the form fields) through
// the real router.
func (e *testEnv) upload(t *testing.T, doc int64, token, name string, content []byte, fields map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		require.NoError(t, mw.WriteField(k, v))
	}
	fw, err := mw.CreateFormFile("file", name)
	require.NoError(t, err)
	_, err = fw.Write(content)
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	return e.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/imports", doc), token, body.String(),
		"Content-Type", mw.FormDataContentType())
}

// newDocument creates an empty document in the process with slug, as an administrator.
func (e *testEnv) newDocument(t *testing.T, slug string) int64 {
	t.Helper()
	rec := e.Do(t, http.MethodPost, "/api/v1/processes/"+slug+"/documents", e.AdminToken(t), `{"title":"Draft plan","language":"en"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	return int64(decode(t, rec)["id"].(float64))
}

type importedJSON struct {
	Number       int           `json:"number"`
	SourceFormat string        `json:"source_format"`
	Note         string        `json:"note"`
	OpensAt      *string       `json:"opens_at"`
	PublishedAt  *string       `json:"published_at"`
	Blocks       []blockJSON   `json:"blocks"`
	Dropped      []droppedJSON `json:"dropped"`
}

type droppedJSON struct {
	Text   string `json:"text"`
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

func decodeImported(t *testing.T, rec *httptest.ResponseRecorder) importedJSON {
	t.Helper()
	var v importedJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &v), rec.Body.String())
	return v
}

// kindsAndTexts is what a reader sees of blocks: their kinds and words.
func kindsAndTexts(bs []blockJSON) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.Kind + ": " + b.Text
	}
	return out
}

// storedDraft is the document's unpublished version as stored: its format and
// its blocks' kinds and texts in order.
func storedDraft(t *testing.T, env *testEnv, doc int64) (string, []string) {
	t.Helper()
	var format string
	require.NoError(t, env.DB.Raw("SELECT source_format FROM document_versions WHERE document_id = ? AND published_at IS NULL", doc).
		Scan(&format).Error)
	var rows []string
	require.NoError(t, env.DB.Raw(`SELECT b.kind || ': ' || b.text FROM blocks b JOIN document_versions v ON v.id = b.version_id
		WHERE v.document_id = ? AND v.published_at IS NULL ORDER BY b.position`, doc).Scan(&rows).Error)
	return format, rows
}

func TestImportVersionFromFiles(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	md := shortDraft(t)
	owner := makeUser(t, env, "owner@example.org", false)
	env.grantRole(t, "plan-2027", "owner@example.org", "owner")

	// The Markdown, pasted, is what the files must give.
	doc := env.newDocument(t, "plan-2027")
	body, _ := json.Marshal(map[string]string{"format": "markdown", "source": md})
	rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions", doc), owner, string(body))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	want := kindsAndTexts(decodeImported(t, rec).Blocks)
	require.Len(t, want, 24)

	html := "<h1>Plan</h1><p>The city will <em>publish</em> budgets.</p><ul><li>Monthly</li></ul>"
	for _, tt := range []struct {
		name, format string
		content      []byte
		blocks       []string
	}{
		{"draft.md", "markdown", []byte(md), want},
		{"draft.docx", "docx", apptest.PandocFile(t, md, "docx"), want},
		{"Draft v2 (final).DOCX", "docx", apptest.PandocFile(t, md, "docx"), want},
		{"draft.html", "html", []byte(html), []string{"heading: Plan", "paragraph: The city will publish budgets.", "list_item: Monthly"}},
		{"notes.txt", "text", []byte("\ufeffPART I. GOALS\r\n\r\nFirst paragraph\r\nstill first.\r\n"),
			[]string{"heading: PART I. GOALS", "paragraph: First paragraph still first."}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.upload(t, doc, owner, tt.name, tt.content, map[string]string{"note": "From " + tt.name})
			require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
			v := decodeImported(t, rec)
			require.Equal(t, tt.format, v.SourceFormat)
			require.Equal(t, "From "+tt.name, v.Note)
			require.Nil(t, v.PublishedAt)
			require.Equal(t, tt.blocks, kindsAndTexts(v.Blocks))
			// Stored as answered, and the earlier unpublished version is gone.
			format, rows := storedDraft(t, env, doc)
			require.Equal(t, tt.format, format)
			require.Equal(t, tt.blocks, rows)
			require.EqualValues(t, 1, countRows(t, env, "document_versions", fmt.Sprintf("document_id = %d", doc)))
		})
	}

	t.Run("an OpenDocument file keeps its words; its quotation is read as a paragraph", func(t *testing.T) {
		rec := env.upload(t, doc, owner, "draft.odt", apptest.PandocFile(t, md, "odt"), nil)
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		v := decodeImported(t, rec)
		require.Equal(t, "odt", v.SourceFormat)
		odtWant := append([]string(nil), want...)
		for i, w := range odtWant {
			odtWant[i] = strings.Replace(w, "quote: ", "paragraph: ", 1)
		}
		require.Equal(t, odtWant, kindsAndTexts(v.Blocks))
	})

	t.Run("a Word version is published and read by everyone", func(t *testing.T) {
		rec := env.upload(t, doc, owner, "draft.docx", apptest.PandocFile(t, md, "docx"), nil)
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		n := decodeImported(t, rec).Number
		rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions/%d/publish", doc, n), owner, "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Equal(t, want, kindsAndTexts(env.latest(t, doc).Blocks))
	})
}

// zipWith returns the zip in b with one more entry of size zero bytes.
func zipWith(t *testing.T, b []byte, name string, size int) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		require.NoError(t, zw.Copy(f))
	}
	w, err := zw.Create(name)
	require.NoError(t, err)
	zero := make([]byte, 1<<20)
	for written := 0; written < size; written += len(zero) {
		_, err = w.Write(zero[:min(len(zero), size-written)])
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return out.Bytes()
}

// brokenDocx is a zip laid out as a Word file whose document is not XML.
func brokenDocx(t *testing.T) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"word/document.xml", "<<< not XML"},
	} {
		w, err := zw.Create(e[0])
		require.NoError(t, err)
		_, err = w.Write([]byte(e[1]))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return out.Bytes()
}

func TestImportFileRefusals(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	admin := env.AdminToken(t)
	md := shortDraft(t)
	docx := apptest.PandocFile(t, md, "docx")
	doc := env.createDraft(t, "plan-2027", draftV1)
	published := env.latest(t, doc)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

	for _, tt := range []struct {
		name, file string
		content    []byte
		fields     map[string]string
		status     int
		code       string
		field      string
	}{
		{"no file", "", nil, nil, 422, "upload.invalid", "file:required"},
		{"a Word file named as Markdown", "draft.md", docx, nil, 422, "upload.type_mismatch", "file:type_mismatch"},
		{"Markdown named as a Word file", "draft.docx", []byte(md), nil, 422, "upload.type_mismatch", "file:type_mismatch"},
		{"a picture", "draft.png", png, nil, 422, "upload.type_refused", "file:type"},
		{"a zip bomb inside a Word file", "bomb.docx", zipWith(t, docx, "word/media/image1.bin", 201<<20), nil, 422, "document.archive_refused", "file:archive"},
		{"a Word file that pandoc cannot read", "broken.docx", brokenDocx(t), nil, 422, "document.convert_failed", "file:convert"},
		{"an empty file", "empty.md", []byte{}, nil, 422, "document.invalid", "file:empty"},
		{"text that is not UTF-8", "latin1.txt", []byte("Caf\xe9 au lait\n"), nil, 422, "document.invalid", "file:parse"},
		{"a bad date", "draft.md", []byte(md), map[string]string{"opens_at": "next Monday"}, 422, "document.invalid", "opens_at:date"},
		{"a window that closes before it opens", "draft.md", []byte(md),
			map[string]string{"opens_at": "2027-04-01T00:00:00Z", "closes_at": "2027-03-01T00:00:00Z"}, 422, "document.invalid", "closes_at:order"},
		{"a note too long", "draft.md", []byte(md), map[string]string{"note": strings.Repeat("n", 2001)}, 422, "document.invalid", "note:length"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var rec *httptest.ResponseRecorder
			if tt.file == "" {
				rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/imports", doc), admin, "--x--\r\n",
					"Content-Type", "multipart/form-data; boundary=x")
			} else {
				rec = env.upload(t, doc, admin, tt.file, tt.content, tt.fields)
			}
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			code, fields := errorOf(t, rec)
			require.Equal(t, tt.code, code)
			require.Contains(t, fields, tt.field)
			// Nothing stored: the published version alone, as it was.
			require.EqualValues(t, 1, countRows(t, env, "document_versions", fmt.Sprintf("document_id = %d", doc)))
			require.Equal(t, published, env.latest(t, doc))
		})
	}

	t.Run("not multipart", func(t *testing.T) {
		rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/imports", doc), admin, `{"format":"markdown"}`)
		require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
	})

	t.Run("a document that does not exist", func(t *testing.T) {
		rec := env.Do(t, http.MethodPost, "/api/v1/documents/999999/imports", admin, "--x--\r\n",
			"Content-Type", "multipart/form-data; boundary=x")
		require.Equal(t, http.StatusNotFound, rec.Code, rec.Body.String())
	})
}

func TestImportFileOverTheUploadLimit(t *testing.T) {
	env := newTestEnvWith(t, testConfig(t, map[string]string{"UPLOAD_MAX_BYTES": "4096"}))
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	docx := apptest.PandocFile(t, shortDraft(t), "docx")
	require.Greater(t, len(docx), 4096)

	// Within the body's allowance (file + form overhead) but over the file limit.
	rec := env.upload(t, doc, env.AdminToken(t), "draft.docx", docx, nil)
	require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, rec.Body.String())
	code, _ := errorOf(t, rec)
	require.Equal(t, "upload.too_large", code)

	// A declared length over the allowance is refused before anything is read.
	req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/imports", doc), &failingReader{t: t})
	req.ContentLength = 4096 + 2<<20
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.Header.Set("Authorization", "Bearer "+env.AdminToken(t))
	res := httptest.NewRecorder()
	env.Router.ServeHTTP(res, req)
	require.Equal(t, http.StatusRequestEntityTooLarge, res.Code, res.Body.String())

	require.EqualValues(t, 1, countRows(t, env, "document_versions", fmt.Sprintf("document_id = %d", doc)))
}

// failingReader fails the test when read: a body that must not be read.
type failingReader struct{ t *testing.T }

func (f *failingReader) Read([]byte) (int, error) {
	f.t.Error("the body was read")
	return 0, fmt.Errorf("read")
}

func TestImportWordWithoutPandoc(t *testing.T) {
	env := newTestEnvWith(t, testConfig(t, map[string]string{"PANDOC_PATH": "/nonexistent/bin/pandoc"}))
	env.createProcess(t, "plan-2027")
	doc := env.newDocument(t, "plan-2027")
	md := shortDraft(t)

	rec := env.upload(t, doc, env.AdminToken(t), "draft.docx", apptest.PandocFile(t, md, "docx"), nil)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	code, fields := errorOf(t, rec)
	require.Equal(t, "document.converter_missing", code)
	require.Equal(t, []string{"file:converter_missing"}, fields)
	require.Contains(t, decode(t, rec)["error"].(map[string]any)["message"], "pandoc")
	require.EqualValues(t, 0, countRows(t, env, "document_versions", fmt.Sprintf("document_id = %d", doc)))

	// pandoc is needed for Word and OpenDocument files only.
	rec = env.upload(t, doc, env.AdminToken(t), "draft.md", []byte(md), nil)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
}

// draftV3 keeps the forum paragraph word for word, moves the contact-person
// item up, rewords the budgets paragraph a little (a phrase in it survives,
// the paragraph as a whole changes) and drops the progress reports.
const draftV3 = `# Open data

- Every dataset gets a named contact person.

A forum of residents and officials will meet quarterly to review the progress made on each commitment.

The city will publish all council budgets as open data every month, starting in April.
`

type previewJSON struct {
	Version        importedJSON `json:"version"`
	PreviousNumber *int         `json:"previous_number"`
	Changes        map[string]int
	Diff           []struct {
		Key    string `json:"key"`
		Change string `json:"change"`
	} `json:"diff"`
	Comments map[string]int `json:"comments"`
}

// TestPreviewCountsEqualPublishing previews a new version of a commented
// draft and then publishes it: the preview's changes are the diff's, its
// comment counts are where publishing then puts the comments, and the preview
// itself wrote nothing.
func TestPreviewCountsEqualPublishing(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	admin := env.AdminToken(t)
	doc := env.createDraft(t, "plan-2027", draftV1)
	env.publishVersion(t, doc, draftV2)
	v2 := env.latest(t, doc)
	alice := makeUser(t, env, "alice@example.org", false)
	bob := makeUser(t, env, "bob@example.org", false)
	budgets, forum, contact, progress := v2.keyOf(t, "council budgets"), v2.keyOf(t, "A forum"), v2.keyOf(t, "contact person"), v2.keyOf(t, "Progress")
	phrase := func(key, exact string) string {
		i := strings.Index(v2.textOf(key), exact)
		return fmt.Sprintf(`{"exact":%q,"start":%d,"end":%d}`, exact, i, i+len(exact))
	}
	env.comment(t, alice, doc, commentBody(forum, 2, "Quarterly is too rare.", ""))
	env.comment(t, alice, doc, commentBody(contact, 2, "Named, or an office?", ""))
	env.comment(t, bob, doc, commentBody(budgets, 2, "Monthly is right.", ""))
	onPhrase := env.comment(t, bob, doc, commentBody(budgets, 2, "Which licence?", phrase(budgets, "all council budgets as open data")))
	onDropped := env.comment(t, alice, doc, commentBody(progress, 2, "Twice is enough.", ""))
	deleted := env.comment(t, bob, doc, commentBody(progress, 2, "Withdrawn.", ""))
	rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", onPhrase.ID), alice, `{"body":"CC-BY, please."}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", onDropped.ID), bob, `{"body":"Agreed."}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodDelete, fmt.Sprintf("/api/v1/comments/%d", deleted.ID), bob, "")
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())

	body, _ := json.Marshal(map[string]string{"format": "markdown", "source": draftV3})
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions", doc), admin, string(body))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	number := decodeImported(t, rec).Number
	previewURL := fmt.Sprintf("/api/v1/documents/%d/versions/%d/preview", doc, number)

	anchors := func() string {
		var rows []string
		require.NoError(t, env.DB.Raw(`SELECT id || ' ' || anchor_version_id || ' ' || coalesce(anchor_key, '-') || ' ' || anchor_status
			FROM comments WHERE document_id = ? ORDER BY id`, doc).Scan(&rows).Error)
		return strings.Join(rows, "\n")
	}
	before := anchors()
	rec = env.Do(t, http.MethodGet, previewURL, admin, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "private, no-store", rec.Header().Get("Cache-Control"))
	var pv previewJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &pv))
	require.Equal(t, before, anchors(), "the preview wrote nothing")
	require.Equal(t, 2, *pv.PreviousNumber)
	require.Equal(t, number, pv.Version.Number)
	require.Nil(t, pv.Version.PublishedAt)

	// The preview's comment counts, against what publishing does.
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions/%d/publish", doc, number), admin, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var rows []struct {
		Status string
		N      int
	}
	require.NoError(t, env.DB.Raw(`SELECT c.anchor_status AS status, count(*) AS n FROM comments c
		JOIN document_versions v ON v.id = c.anchor_version_id
		WHERE c.document_id = ? AND v.number = ? AND c.status = 'published' AND c.deleted_at IS NULL
		GROUP BY c.anchor_status`, doc, number).Scan(&rows).Error)
	after := map[string]int{"exact": 0, "moved": 0, "fuzzy": 0, "orphaned": 0}
	for _, r := range rows {
		after[r.Status] = r.N
	}
	require.Equal(t, after, pv.Comments)
	require.Equal(t, 7, pv.Comments["exact"]+pv.Comments["moved"]+pv.Comments["fuzzy"]+pv.Comments["orphaned"],
		"every visible comment is counted, replies too, the deleted one not")
	nonzero := 0
	for _, n := range pv.Comments {
		if n > 0 {
			nonzero++
		}
	}
	require.GreaterOrEqual(t, nonzero, 3, "the scenario exercises several outcomes: %v", pv.Comments)

	// The preview's changes are the diff between the two versions.
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/diff?from=2&to=%d", doc, number), "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var diff struct {
		Paragraphs []struct {
			Key    string `json:"key"`
			Change string `json:"change"`
		} `json:"paragraphs"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &diff))
	counted := map[string]int{"new": 0, "edited": 0, "moved": 0, "same": 0, "deleted": 0}
	for _, p := range diff.Paragraphs {
		counted[p.Change]++
	}
	require.Equal(t, counted, pv.Changes)
	require.Len(t, pv.Diff, len(diff.Paragraphs))
	for i := range pv.Diff {
		require.Equal(t, diff.Paragraphs[i].Key, pv.Diff[i].Key)
		require.Equal(t, diff.Paragraphs[i].Change, pv.Diff[i].Change)
	}
	require.Positive(t, pv.Changes["deleted"])
	require.Positive(t, pv.Changes["edited"])

	// A published version has no preview any more.
	rec = env.Do(t, http.MethodGet, previewURL, admin, "")
	require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
}

func TestPreviewOfAFirstVersion(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	admin := env.AdminToken(t)
	doc := env.newDocument(t, "plan-2027")
	rec := env.upload(t, doc, admin, "draft.md", []byte(shortDraft(t)), nil)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())

	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/versions/1/preview", doc), admin, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var pv previewJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &pv))
	require.Nil(t, pv.PreviousNumber)
	require.Empty(t, pv.Diff)
	require.Equal(t, map[string]int{"new": 24, "edited": 0, "moved": 0, "same": 0, "deleted": 0}, pv.Changes)
	require.Equal(t, map[string]int{"exact": 0, "moved": 0, "fuzzy": 0, "orphaned": 0}, pv.Comments)
	// The blocks as readers will see them: headings carry the numbers the
	// draft wrote, and none where it wrote none.
	require.Equal(t, "heading", pv.Version.Blocks[0].Kind)
	var sections []string
	require.NoError(t, env.DB.Raw(`SELECT b.section FROM blocks b JOIN document_versions v ON v.id = b.version_id
		WHERE v.document_id = ? AND b.kind = 'heading' ORDER BY b.position`, doc).Scan(&sections).Error)
	require.Equal(t, []string{"", "", "1.", "1.1", "2.", "3."}, sections)
	require.Empty(t, pv.Version.Dropped)

	for _, tt := range []struct {
		url    string
		status int
	}{
		{fmt.Sprintf("/api/v1/documents/%d/versions/2/preview", doc), http.StatusNotFound},
		{fmt.Sprintf("/api/v1/documents/%d/versions/latest/preview", doc), http.StatusNotFound},
		{"/api/v1/documents/999999/versions/1/preview", http.StatusNotFound},
	} {
		rec := env.Do(t, http.MethodGet, tt.url, admin, "")
		require.Equal(t, tt.status, rec.Code, "%s: %s", tt.url, rec.Body.String())
	}
}

func TestPublishWithItsCommentWindow(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	admin := env.AdminToken(t)
	doc := env.newDocument(t, "plan-2027")
	rec := env.upload(t, doc, admin, "draft.md", []byte(draftV1), map[string]string{
		"opens_at": "2027-03-01T00:00:00Z", "closes_at": "2027-03-31T00:00:00Z"})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Equal(t, "2027-03-01T00:00:00Z", *decodeImported(t, rec).OpensAt)
	url := fmt.Sprintf("/api/v1/documents/%d/versions/1/publish", doc)
	window := func() (string, string) {
		var w struct{ O, C *string }
		require.NoError(t, env.DB.Raw(`SELECT to_char(opens_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS o,
			to_char(closes_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS c FROM document_versions WHERE document_id = ?`, doc).Scan(&w).Error)
		deref := func(s *string) string {
			if s == nil {
				return "-"
			}
			return *s
		}
		return deref(w.O), deref(w.C)
	}

	for _, tt := range []struct {
		name, body string
		status     int
		code       string
	}{
		{"a window that closes first", `{"opens_at":"2027-04-01T00:00:00Z","closes_at":"2027-03-20T00:00:00Z"}`, 422, "document.invalid"},
		{"a date that is not one", `{"opens_at":"soon"}`, 422, "document.invalid"},
		{"a field it does not take", `{"opens":"2027-04-01T00:00:00Z"}`, 400, "request.unknown_field"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, http.MethodPost, url, admin, tt.body)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			code, _ := errorOf(t, rec)
			require.Equal(t, tt.code, code)
			o, c := window()
			require.Equal(t, []string{"2027-03-01", "2027-03-31"}, []string{o, c}, "nothing changed")
			require.EqualValues(t, 0, countRows(t, env, "document_versions", fmt.Sprintf("published_at IS NOT NULL AND document_id = %d", doc)))
		})
	}

	// No body, even with a JSON Content-Type (as clients send it), is no window: the import's stays.
	doc2 := env.newDocument(t, "plan-2027")
	rec = env.upload(t, doc2, admin, "draft.md", []byte(draftV1), map[string]string{"closes_at": "2027-04-30T00:00:00Z"})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions/1/publish", doc2), admin, "", "Content-Type", "application/json")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Nil(t, decodeImported(t, rec).OpensAt)
	require.EqualValues(t, 1, countRows(t, env, "document_versions", fmt.Sprintf("document_id = %d AND closes_at = '2027-04-30T00:00:00Z'", doc2)))

	rec = env.Do(t, http.MethodPost, url, admin, `{"opens_at":"2027-03-15T09:00:00+01:00","closes_at":null}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	v := decodeImported(t, rec)
	require.NotNil(t, v.PublishedAt)
	require.Equal(t, "2027-03-15T08:00:00Z", *v.OpensAt)
	o, c := window()
	require.Equal(t, []string{"2027-03-15", "-"}, []string{o, c})
}
