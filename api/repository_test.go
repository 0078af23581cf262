package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/api"
	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/blob"
	"cocreate/internal/logging"
)

// repoEnv is a test server whose blob store is a folder the test can look into.
type repoEnv struct {
	*testEnv
	blobs string // the local blob store's folder
	owner string // token of plan-2027's owner
}

func newRepoEnv(t *testing.T, extra map[string]string) *repoEnv {
	t.Helper()
	cfg := testConfig(t, extra)
	dir := t.TempDir()
	logs := &syncBuffer{}
	keys := auth.NewKeyring(testSigningKey, nil, cfg.JWTIssuer, cfg.JWTAudience)
	clock := apptest.NewClock(testNow)
	sys := apptest.New(t, apptest.Options{Config: &cfg, Clock: clock.Now, AppRole: true, Keys: keys, Log: logging.New(logs, "debug"),
		Blobs: blob.NewLocal(dir)})
	r, err := api.New(sys.App)
	require.NoError(t, err)
	env := &repoEnv{testEnv: &testEnv{keys: keys, Clock: clock, DB: sys.Owner, AppDB: sys.DB, Router: r, Config: cfg, Logs: logs, Sys: sys}, blobs: dir}
	env.createProcess(t, "plan-2027")
	env.publish(t, "plan-2027")
	env.owner = makeUser(t, env.testEnv, "owner@example.org", false)
	env.grantRole(t, "plan-2027", "owner@example.org", "owner")
	return env
}

// publish opens a process to the public (processes are created unpublished).
func (e *repoEnv) publish(t *testing.T, slug string) {
	t.Helper()
	require.NoError(t, e.DB.Exec("UPDATE processes SET published_at = now() WHERE slug = ? AND published_at IS NULL", slug).Error)
}

// blobFiles lists the files in the blob store (temporary files included).
func (e *repoEnv) blobFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	require.NoError(t, filepath.WalkDir(e.blobs, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return err
	}))
	return out
}

// requireNothingStored checks that no item row and no blob exist.
func (e *repoEnv) requireNothingStored(t *testing.T) {
	t.Helper()
	require.Zero(t, countRows(t, e.testEnv, "repository_items", ""))
	require.Empty(t, e.blobFiles(t))
}

// form builds a multipart body: the fields, then a file part when name is not empty.
func form(t *testing.T, fields map[string]string, name string, content []byte) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		require.NoError(t, w.WriteField(k, v))
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		require.NoError(t, err)
		_, err = fw.Write(content)
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return b.String(), w.FormDataContentType()
}

// minutesFields are the fields of a valid upload.
func minutesFields() map[string]string {
	return map[string]string{"kind": "minutes", "title": "Minutes of the forum, 3 May", "date": "2027-05-03", "language": "en"}
}

// pdf is a small file that is a PDF by its bytes.
func pdf(text string) []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text + "\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

func (e *repoEnv) upload(t *testing.T, token, slug string, fields map[string]string, name string, content []byte) *httptest.ResponseRecorder {
	t.Helper()
	body, ct := form(t, fields, name, content)
	return e.Do(t, http.MethodPost, "/api/v1/processes/"+slug+"/repository/files", token, body, "Content-Type", ct)
}

type repoItemJSON struct {
	ID       int64
	Kind     string
	Title    string
	Date     string
	Language string
	URL      *string
	File     *struct {
		Name        string
		ContentType string `json:"content_type"`
		SizeBytes   int64  `json:"size_bytes"`
		SHA256      string `json:"sha256"`
		DownloadURL string `json:"download_url"`
	}
}

func decodeItem(t *testing.T, rec *httptest.ResponseRecorder) repoItemJSON {
	t.Helper()
	var it repoItemJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &it), rec.Body.String())
	return it
}

type repoRow struct {
	Kind        string
	Title       string
	Language    string
	BlobKey     *string
	Filename    *string
	ContentType *string
	SizeBytes   *int64
	SHA256      []byte `gorm:"column:sha256"`
	ExternalURL *string
	CreatedBy   *int64
	Date        string
}

func (e *repoEnv) row(t *testing.T, id int64) repoRow {
	t.Helper()
	var r repoRow
	require.NoError(t, e.DB.Raw(`SELECT kind, title, language, blob_key, filename, content_type, size_bytes, sha256, external_url,
		created_by, to_char(document_date, 'YYYY-MM-DD') AS date FROM repository_items WHERE id = ?`, id).Scan(&r).Error)
	return r
}

func TestRepositoryUploadAndDownload(t *testing.T) {
	env := newRepoEnv(t, nil)
	content := pdf("minutes")
	name := "Compte rendu — forum 3 mai.pdf"
	rec := env.upload(t, env.owner, "plan-2027", minutesFields(), name, content)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	it := decodeItem(t, rec)
	sum := sha256.Sum256(content)
	require.Equal(t, "minutes", it.Kind)
	require.Equal(t, "Minutes of the forum, 3 May", it.Title)
	require.Equal(t, "2027-05-03", it.Date)
	require.Nil(t, it.URL)
	require.NotNil(t, it.File)
	require.Equal(t, name, it.File.Name)
	require.Equal(t, "application/pdf", it.File.ContentType)
	require.Equal(t, int64(len(content)), it.File.SizeBytes)
	require.Equal(t, hex.EncodeToString(sum[:]), it.File.SHA256)
	require.Equal(t, fmt.Sprintf("/api/v1/repository/%d/file", it.ID), it.File.DownloadURL)

	// The row holds the facts and who added it; the blob holds the bytes.
	r := env.row(t, it.ID)
	require.Equal(t, "minutes", r.Kind)
	require.Equal(t, "2027-05-03", r.Date)
	require.Equal(t, name, *r.Filename)
	require.Equal(t, "application/pdf", *r.ContentType)
	require.Equal(t, int64(len(content)), *r.SizeBytes)
	require.Equal(t, sum[:], r.SHA256)
	require.Nil(t, r.ExternalURL)
	var ownerID int64
	require.NoError(t, env.DB.Raw("SELECT id FROM users WHERE email = 'owner@example.org'").Scan(&ownerID).Error)
	require.Equal(t, ownerID, *r.CreatedBy)
	stored, err := os.ReadFile(filepath.Join(env.blobs, filepath.FromSlash(*r.BlobKey)))
	require.NoError(t, err)
	require.Equal(t, content, stored)
	require.Len(t, env.blobFiles(t), 1)

	t.Run("anyone downloads the same bytes as an attachment that is never sniffed", func(t *testing.T) {
		rec := env.Do(t, http.MethodGet, it.File.DownloadURL, "", "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Equal(t, content, rec.Body.Bytes())
		h := rec.Header()
		require.Equal(t, "application/pdf", h.Get("Content-Type"))
		require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
		require.Equal(t, `attachment; filename="Compte rendu _ forum 3 mai.pdf"; filename*=UTF-8''Compte%20rendu%20%E2%80%94%20forum%203%20mai.pdf`,
			h.Get("Content-Disposition"))
		require.Equal(t, `"`+hex.EncodeToString(sum[:])+`"`, h.Get("ETag"))
		require.Equal(t, "public, max-age=300", h.Get("Cache-Control"))
		require.Contains(t, h.Get("Content-Security-Policy"), "sandbox")
		require.Equal(t, fmt.Sprint(len(content)), h.Get("Content-Length"))
	})
	t.Run("a cached copy is revalidated by its ETag", func(t *testing.T) {
		rec := env.Do(t, http.MethodGet, it.File.DownloadURL, "", "", "If-None-Match", `"`+hex.EncodeToString(sum[:])+`"`)
		require.Equal(t, http.StatusNotModified, rec.Code)
		require.Empty(t, rec.Body.Bytes())
	})
	t.Run("a range is answered", func(t *testing.T) {
		rec := env.Do(t, http.MethodGet, it.File.DownloadURL, "", "", "Range", "bytes=0-4")
		require.Equal(t, http.StatusPartialContent, rec.Code)
		require.Equal(t, "%PDF-", rec.Body.String())
	})
	t.Run("an unknown item is not found", func(t *testing.T) {
		rec := env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/repository/%d/file", it.ID+1000), "", "")
		require.Equal(t, http.StatusNotFound, rec.Code)
		code, _ := errorOf(t, rec)
		require.Equal(t, "repository.not_found", code)
	})
}

func TestRepositoryListFilterAndOrder(t *testing.T) {
	env := newRepoEnv(t, nil)
	add := func(kind, title, date string) int64 {
		f := map[string]string{"kind": kind, "title": title, "date": date, "language": "en"}
		rec := env.upload(t, env.owner, "plan-2027", f, "doc.pdf", pdf(title))
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		return decodeItem(t, rec).ID
	}
	link, _ := json.Marshal(map[string]string{"kind": "review_report", "title": "Independent review", "date": "2027-06-01",
		"language": "fr", "url": "https://review.example.org/report.pdf"})
	rec := env.Do(t, http.MethodPost, "/api/v1/processes/plan-2027/repository/links", env.owner, string(link))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	review := decodeItem(t, rec).ID
	tor := add("terms_of_reference", "Terms of reference", "2027-01-10")
	may := add("minutes", "Minutes, May", "2027-05-03")
	march := add("minutes", "Minutes, March", "2027-03-08")
	sameDay := add("minutes", "Minutes, May (second meeting)", "2027-05-03")

	type page struct {
		Items      []repoItemJSON
		NextCursor *string `json:"next_cursor"`
		UploadMax  int64   `json:"upload_max_bytes"`
	}
	list := func(t *testing.T, query string) page {
		t.Helper()
		rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/repository"+query, "", "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var p page
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
		return p
	}
	ids := func(p page) []int64 {
		var out []int64
		for _, it := range p.Items {
			out = append(out, it.ID)
		}
		return out
	}

	all := list(t, "")
	require.Equal(t, []int64{review, sameDay, may, march, tor}, ids(all), "newest document first; the same day, newest item first")
	require.Nil(t, all.NextCursor)
	require.Equal(t, env.Config.UploadMaxBytes, all.UploadMax)
	require.Equal(t, "https://review.example.org/report.pdf", *all.Items[0].URL)
	require.Nil(t, all.Items[0].File)
	require.Equal(t, "fr", all.Items[0].Language)

	require.Equal(t, []int64{sameDay, may, march}, ids(list(t, "?kind=minutes")))
	require.Empty(t, list(t, "?kind=evidence").Items)

	t.Run("pages follow each other without gaps or repeats", func(t *testing.T) {
		var got []int64
		query := "?kind=minutes&limit=2"
		for range 5 {
			p := list(t, query)
			got = append(got, ids(p)...)
			if p.NextCursor == nil {
				break
			}
			query = "?kind=minutes&limit=2&cursor=" + *p.NextCursor
		}
		require.Equal(t, []int64{sameDay, may, march}, got)
	})
	t.Run("the list is public and cacheable", func(t *testing.T) {
		rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/repository", "", "")
		require.Equal(t, "public, max-age=5", rec.Header().Get("Cache-Control"))
		rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/repository", "", "", "If-None-Match", rec.Header().Get("ETag"))
		require.Equal(t, http.StatusNotModified, rec.Code)
	})
	t.Run("bad filters are refused", func(t *testing.T) {
		for _, q := range []string{"?kind=secret", "?cursor=bm9wZQ", "?limit=0", "?limit=101"} {
			rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/repository"+q, "", "")
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, q)
		}
		rec := env.Do(t, http.MethodGet, "/api/v1/processes/no-such-plan/repository", "", "")
		require.Equal(t, http.StatusNotFound, rec.Code)
	})
}

func TestRepositoryOpenData(t *testing.T) {
	env := newRepoEnv(t, map[string]string{"PUBLIC_URL": "https://plans.example.org/"})
	f := minutesFields()
	f["title"] = "=HYPERLINK(\"http://evil.example\",\"click\")"
	rec := env.upload(t, env.owner, "plan-2027", f, "+minutes.pdf", pdf("one"))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	file := decodeItem(t, rec)
	link, _ := json.Marshal(map[string]string{"kind": "evidence", "title": "Survey results", "date": "2027-02-01",
		"language": "en", "url": "https://stats.example.org/survey"})
	rec = env.Do(t, http.MethodPost, "/api/v1/processes/plan-2027/repository/links", env.owner, string(link))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())

	rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/repository/export", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	body := rec.Body.String()
	var key string
	require.NoError(t, env.DB.Raw("SELECT blob_key FROM repository_items WHERE id = ?", file.ID).Scan(&key).Error)
	for _, personal := range []string{"owner@example.org", "created_by", `"owner"`, "blob_key", key} {
		require.NotContains(t, body, personal, "open data names nobody and no storage key")
	}
	var exp struct {
		Process string
		Items   []map[string]any
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &exp))
	require.Equal(t, "plan-2027", exp.Process)
	require.Len(t, exp.Items, 2)
	require.Equal(t, "file", exp.Items[0]["source"])
	require.Equal(t, fmt.Sprintf("https://plans.example.org/api/v1/repository/%d/file", file.ID), exp.Items[0]["url"])
	require.Equal(t, file.File.SHA256, exp.Items[0]["sha256"])
	require.Equal(t, "link", exp.Items[1]["source"])
	require.Equal(t, "https://stats.example.org/survey", exp.Items[1]["url"])
	require.Nil(t, exp.Items[1]["filename"])

	rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/repository/export?format=csv", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "text/csv; charset=utf-8", rec.Header().Get("Content-Type"))
	require.Contains(t, rec.Header().Get("Content-Disposition"), "plan-2027-repository.csv")
	rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	require.Equal(t, []string{"id", "kind", "title", "date", "language", "source", "url", "filename", "content_type", "size_bytes", "sha256", "added_at"}, rows[0])
	require.Equal(t, `'=HYPERLINK("http://evil.example","click")`, rows[1][2], "a formula is defused")
	require.Equal(t, "'+minutes.pdf", rows[1][7])
	require.Equal(t, "2027-05-03", rows[1][3])
	require.NotContains(t, rec.Body.String(), "owner@example.org")

	rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/repository/export?format=xml", "", "")
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
}

func TestRepositoryOfAnUnpublishedProcess(t *testing.T) {
	env := newRepoEnv(t, nil)
	rec := env.upload(t, env.owner, "plan-2027", minutesFields(), "minutes.pdf", pdf("draft"))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	it := decodeItem(t, rec)
	require.NoError(t, env.DB.Exec("UPDATE processes SET published_at = NULL WHERE slug = 'plan-2027'").Error)
	citizen := makeUser(t, env.testEnv, "citizen@example.org", false)
	other := makeUser(t, env.testEnv, "other@example.org", false)
	env.createProcess(t, "plan-other")
	env.publish(t, "plan-other")
	env.grantRole(t, "plan-other", "other@example.org", "owner")

	urls := []string{"/api/v1/processes/plan-2027/repository", "/api/v1/processes/plan-2027/repository/export",
		"/api/v1/processes/plan-2027/repository/export?format=csv", it.File.DownloadURL}
	for who, token := range map[string]string{"anonymous": "", "citizen": citizen, "owner of another process": other} {
		for _, u := range urls {
			rec := env.Do(t, http.MethodGet, u, token, "")
			require.Equal(t, http.StatusNotFound, rec.Code, "%s reads %s", who, u)
			require.NotContains(t, rec.Body.String(), "Minutes")
		}
		// Writing is not found either: the process does not show.
		rec := env.upload(t, token, "plan-2027", minutesFields(), "minutes.pdf", pdf("x"))
		if token == "" {
			require.Equal(t, http.StatusUnauthorized, rec.Code, who)
		} else {
			require.Equal(t, http.StatusNotFound, rec.Code, who)
		}
		rec = env.Do(t, http.MethodDelete, fmt.Sprintf("/api/v1/repository/%d", it.ID), token, "")
		if token != "" {
			require.Equal(t, http.StatusNotFound, rec.Code, who)
		}
	}
	for _, token := range []string{env.owner, env.AdminToken(t)} {
		rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/repository", token, "")
		require.Equal(t, http.StatusOK, rec.Code)
		require.Equal(t, "private, no-store", rec.Header().Get("Cache-Control"), "never kept by a shared cache")
		require.Contains(t, rec.Body.String(), "Minutes")
		rec = env.Do(t, http.MethodGet, it.File.DownloadURL, token, "")
		require.Equal(t, http.StatusOK, rec.Code)
		require.Equal(t, "private, no-store", rec.Header().Get("Cache-Control"))
	}
	require.Equal(t, int64(1), countRows(t, env.testEnv, "repository_items", ""))
}

func TestRepositoryUploadRefusesBadInput(t *testing.T) {
	env := newRepoEnv(t, nil)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	html := []byte("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>")
	without := func(field string) map[string]string {
		f := minutesFields()
		delete(f, field)
		return f
	}
	with := func(field, value string) map[string]string {
		f := minutesFields()
		f[field] = value
		return f
	}
	for _, tt := range []struct {
		name    string
		fields  map[string]string
		file    string
		content []byte
		status  int
		code    string
		want    []string
	}{
		{"a PDF named .png", minutesFields(), "minutes.png", pdf("x"), 422, "upload.type_mismatch", []string{"file:type_mismatch"}},
		{"a PNG named .pdf", minutesFields(), "minutes.pdf", png, 422, "upload.type_mismatch", []string{"file:type_mismatch"}},
		{"an HTML file", minutesFields(), "minutes.html", html, 422, "upload.type_refused", []string{"file:type"}},
		{"HTML named .txt", minutesFields(), "minutes.txt", html, 422, "upload.type_refused", []string{"file:type"}},
		{"an SVG image, which can carry script", minutesFields(), "chart.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
			422, "upload.type_refused", []string{"file:type"}},
		{"no file", minutesFields(), "", nil, 422, "upload.invalid", []string{"file:required"}},
		{"every field missing", map[string]string{}, "minutes.pdf", pdf("x"), 422, "repository.invalid",
			[]string{"kind:required", "title:required", "date:required", "language:required"}},
		{"no title", without("title"), "minutes.pdf", pdf("x"), 422, "repository.invalid", []string{"title:required"}},
		{"a blank title", with("title", "   "), "minutes.pdf", pdf("x"), 422, "repository.invalid", []string{"title:required"}},
		{"a title too long", with("title", strings.Repeat("é", 201)), "minutes.pdf", pdf("x"), 422, "repository.invalid", []string{"title:max"}},
		{"a title on two lines", with("title", "Minutes\nof May"), "minutes.pdf", pdf("x"), 422, "repository.invalid", []string{"title:characters"}},
		{"an impossible date", with("date", "2027-02-30"), "minutes.pdf", pdf("x"), 422, "repository.invalid", []string{"date:date"}},
		{"a date in another format", with("date", "03/05/2027"), "minutes.pdf", pdf("x"), 422, "repository.invalid", []string{"date:date"}},
		{"an unknown kind", with("kind", "secret_memo"), "minutes.pdf", pdf("x"), 422, "repository.invalid", []string{"kind:choose"}},
		{"not a language", with("language", "english please"), "minutes.pdf", pdf("x"), 422, "repository.invalid", []string{"language:language"}},
		{"a field this route does not take", with("created_by", "1"), "minutes.pdf", pdf("x"), 400, "request.unknown_field", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.upload(t, env.owner, "plan-2027", tt.fields, tt.file, tt.content)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			code, fields := errorOf(t, rec)
			require.Equal(t, tt.code, code)
			if tt.want != nil {
				require.ElementsMatch(t, tt.want, fields)
			}
			env.requireNothingStored(t)
		})
	}
	t.Run("a JSON body", func(t *testing.T) {
		rec := env.Do(t, http.MethodPost, "/api/v1/processes/plan-2027/repository/files", env.owner, `{"title":"x"}`)
		require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
		env.requireNothingStored(t)
	})
	t.Run("two files", func(t *testing.T) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for k, v := range minutesFields() {
			require.NoError(t, w.WriteField(k, v))
		}
		for _, n := range []string{"a.pdf", "b.pdf"} {
			fw, err := w.CreateFormFile("file", n)
			require.NoError(t, err)
			_, _ = fw.Write(pdf(n))
		}
		require.NoError(t, w.Close())
		rec := env.Do(t, http.MethodPost, "/api/v1/processes/plan-2027/repository/files", env.owner, b.String(), "Content-Type", w.FormDataContentType())
		require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
		env.requireNothingStored(t)
	})
}

// countingReader counts the bytes the server read of a request body.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// send posts body through the router, with the declared length given (-1: unknown, chunked).
func (e *repoEnv) send(t *testing.T, url, token, contentType string, body []byte, length int64) (*httptest.ResponseRecorder, int64) {
	t.Helper()
	cr := &countingReader{r: bytes.NewReader(body)}
	req := httptest.NewRequest(http.MethodPost, url, cr)
	req.ContentLength = length
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.Router.ServeHTTP(rec, req)
	return rec, cr.n.Load()
}

func TestRepositoryUploadOverTheLimit(t *testing.T) {
	const limit = 64 << 10
	env := newRepoEnv(t, map[string]string{"UPLOAD_MAX_BYTES": fmt.Sprint(limit)})
	url := "/api/v1/processes/plan-2027/repository/files"
	huge := append(pdf("huge"), bytes.Repeat([]byte("x"), 8<<20)...)
	body, ct := form(t, minutesFields(), "huge.pdf", huge)

	t.Run("a declared length over the limit is refused before anything is read", func(t *testing.T) {
		rec, read := env.send(t, url, env.owner, ct, []byte(body), int64(len(body)))
		require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, rec.Body.String())
		require.Zero(t, read)
		env.requireNothingStored(t)
	})
	t.Run("a body of unknown length is cut off at the limit", func(t *testing.T) {
		rec, read := env.send(t, url, env.owner, ct, []byte(body), -1)
		require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, rec.Body.String())
		require.Less(t, read, int64(limit+(1<<20)+(64<<10)), "read %d of %d bytes", read, len(body))
		env.requireNothingStored(t)
	})
	t.Run("a file over the limit in a body the limit lets through", func(t *testing.T) {
		over := append(pdf("over"), bytes.Repeat([]byte("x"), limit)...)
		rec := env.upload(t, env.owner, "plan-2027", minutesFields(), "over.pdf", over)
		require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, rec.Body.String())
		code, _ := errorOf(t, rec)
		require.Equal(t, "upload.too_large", code)
		env.requireNothingStored(t)
	})
	t.Run("a file just within the limit is stored", func(t *testing.T) {
		p := pdf("fits")
		fits := append(p, bytes.Repeat([]byte("x"), limit-len(p))...)
		rec := env.upload(t, env.owner, "plan-2027", minutesFields(), "fits.pdf", fits)
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		require.Equal(t, int64(limit), decodeItem(t, rec).File.SizeBytes)
	})
}

func TestRepositoryLinks(t *testing.T) {
	env := newRepoEnv(t, nil)
	url := "/api/v1/processes/plan-2027/repository/links"
	body := func(link string) string {
		b, _ := json.Marshal(map[string]string{"kind": "evidence", "title": "Budget data", "date": "2027-04-01", "language": "en", "url": link})
		return string(b)
	}
	for _, bad := range []string{"javascript:alert(document.cookie)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
		"ftp://files.example.org/budget.csv", "//example.org/budget", "/api/v1/processes", "https://", "https://user:secret@example.org/x",
		"https://example.org/a b", "https://example.org/\nx", "", "https://example.org/" + strings.Repeat("a", 2000)} {
		rec := env.Do(t, http.MethodPost, url, env.owner, body(bad))
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "%q: %s", bad, rec.Body.String())
		code, fields := errorOf(t, rec)
		require.Equal(t, "repository.invalid", code, bad)
		require.Len(t, fields, 1, bad)
		require.True(t, strings.HasPrefix(fields[0], "url:"), bad)
	}
	env.requireNothingStored(t)

	rec := env.Do(t, http.MethodPost, url, env.owner, `{"kind":"","title":"","date":"","language":"","url":""}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	_, fields := errorOf(t, rec)
	require.ElementsMatch(t, []string{"kind:required", "title:required", "date:required", "language:required", "url:required"}, fields)
	rec = env.Do(t, http.MethodPost, url, env.owner, `{"kind":"evidence","title":"x","date":"2027-04-01","language":"en","url":"https://x.example","by":1}`)
	require.Equal(t, http.StatusBadRequest, rec.Code)
	env.requireNothingStored(t)

	rec = env.Do(t, http.MethodPost, url, env.owner, body("https://data.example.org/budget-2027.csv?year=2027#table"), "Idempotency-Key", "link-1")
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	it := decodeItem(t, rec)
	require.Equal(t, "https://data.example.org/budget-2027.csv?year=2027#table", *it.URL)
	require.Nil(t, it.File)
	r := env.row(t, it.ID)
	require.Equal(t, "https://data.example.org/budget-2027.csv?year=2027#table", *r.ExternalURL)
	require.Nil(t, r.BlobKey)
	require.Empty(t, env.blobFiles(t))

	// A retry with the same key stores nothing more.
	rec = env.Do(t, http.MethodPost, url, env.owner, body("https://data.example.org/budget-2027.csv?year=2027#table"), "Idempotency-Key", "link-1")
	require.Equal(t, http.StatusCreated, rec.Code)
	require.Equal(t, it.ID, decodeItem(t, rec).ID)
	require.Equal(t, int64(1), countRows(t, env.testEnv, "repository_items", ""))

	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/repository/%d/file", it.ID), "", "")
	require.Equal(t, http.StatusNotFound, rec.Code)
	code, _ := errorOf(t, rec)
	require.Equal(t, "repository.not_a_file", code)

	rec = env.Do(t, http.MethodDelete, fmt.Sprintf("/api/v1/repository/%d", it.ID), env.owner, "")
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	env.requireNothingStored(t)
}

func TestRepositoryWhoMayChangeIt(t *testing.T) {
	env := newRepoEnv(t, nil)
	citizen := makeUser(t, env.testEnv, "citizen@example.org", false)
	moderator := makeUser(t, env.testEnv, "moderator@example.org", false)
	env.grantRole(t, "plan-2027", "moderator@example.org", "moderator")
	forum := makeUser(t, env.testEnv, "forum@example.org", false)
	require.NoError(t, env.DB.Exec(`INSERT INTO process_roles (process_id, user_id, role, seat)
		SELECT p.id, u.id, 'forum_member', 'civil_society' FROM processes p, users u WHERE p.slug = 'plan-2027' AND u.email = 'forum@example.org'`).Error)
	env.createProcess(t, "plan-other")
	env.publish(t, "plan-other")
	other := makeUser(t, env.testEnv, "other@example.org", false)
	env.grantRole(t, "plan-other", "other@example.org", "owner")
	suspended := makeUser(t, env.testEnv, "suspended@example.org", false)
	require.NoError(t, env.DB.Exec("UPDATE users SET suspended_at = now() WHERE email = 'suspended@example.org'").Error)

	body, ct := form(t, minutesFields(), "minutes.pdf", pdf("x"))
	url := "/api/v1/processes/plan-2027/repository/files"
	for who, tt := range map[string]struct {
		token string
		want  int
	}{
		"anonymous": {"", 401}, "citizen": {citizen, 403}, "moderator": {moderator, 403}, "forum member": {forum, 403},
		"owner of another process": {other, 403}, "suspended": {suspended, 403},
	} {
		rec, read := env.send(t, url, tt.token, ct, []byte(body), int64(len(body)))
		require.Equal(t, tt.want, rec.Code, "%s: %s", who, rec.Body.String())
		require.Zero(t, read, "%s is refused before the file is read", who)
		rec = env.Do(t, http.MethodPost, "/api/v1/processes/plan-2027/repository/links", tt.token,
			`{"kind":"evidence","title":"x","date":"2027-04-01","language":"en","url":"https://x.example"}`)
		require.Equal(t, tt.want, rec.Code, "%s adds a link", who)
	}
	env.requireNothingStored(t)

	rec := env.upload(t, env.owner, "plan-2027", minutesFields(), "minutes.pdf", pdf("kept"))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	mine := decodeItem(t, rec)
	rec = env.upload(t, env.AdminToken(t), "plan-2027", minutesFields(), "minutes.pdf", pdf("by the administrator"))
	require.Equal(t, http.StatusCreated, rec.Code, "an administrator may: %s", rec.Body.String())
	byAdmin := decodeItem(t, rec)
	require.Len(t, env.blobFiles(t), 2)

	del := fmt.Sprintf("/api/v1/repository/%d", mine.ID)
	for who, token := range map[string]string{"citizen": citizen, "moderator": moderator, "forum member": forum, "owner of another process": other, "suspended": suspended} {
		rec := env.Do(t, http.MethodDelete, del, token, "")
		require.Equal(t, http.StatusForbidden, rec.Code, who)
	}
	require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodDelete, del, "", "").Code)
	require.Equal(t, int64(2), countRows(t, env.testEnv, "repository_items", ""))
	require.Len(t, env.blobFiles(t), 2)

	rec = env.Do(t, http.MethodDelete, del, env.owner, "")
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	require.Zero(t, countRows(t, env.testEnv, "repository_items", fmt.Sprintf("id = %d", mine.ID)))
	require.Len(t, env.blobFiles(t), 1, "the file went with its item")
	require.Equal(t, http.StatusNotFound, env.Do(t, http.MethodGet, mine.File.DownloadURL, "", "").Code)
	require.Equal(t, http.StatusNotFound, env.Do(t, http.MethodDelete, del, env.owner, "").Code, "deleting twice")
	require.Equal(t, http.StatusOK, env.Do(t, http.MethodGet, byAdmin.File.DownloadURL, "", "").Code, "the other file is untouched")
}

func TestRepositoryConcurrentUploads(t *testing.T) {
	env := newRepoEnv(t, nil)
	const n = 12
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := minutesFields()
			f["title"] = fmt.Sprintf("Minutes %02d", i)
			content := append(pdf(fmt.Sprint(i)), bytes.Repeat([]byte{byte('a' + i)}, 200<<10)...)
			body, ct := form(t, f, fmt.Sprintf("minutes-%02d.pdf", i), content)
			req := httptest.NewRequest(http.MethodPost, "/api/v1/processes/plan-2027/repository/files", strings.NewReader(body))
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer "+env.owner)
			rec := httptest.NewRecorder()
			env.Router.ServeHTTP(rec, req)
			codes[i] = rec.Code
		}()
	}
	wg.Wait()
	for i, c := range codes {
		require.Equal(t, http.StatusCreated, c, "upload %d", i)
	}
	var rows []struct {
		Title   string
		BlobKey string
		SHA256  []byte `gorm:"column:sha256"`
	}
	require.NoError(t, env.DB.Raw("SELECT title, blob_key, sha256 FROM repository_items ORDER BY title").Scan(&rows).Error)
	require.Len(t, rows, n)
	require.Len(t, env.blobFiles(t), n)
	for i, r := range rows {
		require.Equal(t, fmt.Sprintf("Minutes %02d", i), r.Title)
		b, err := os.ReadFile(filepath.Join(env.blobs, filepath.FromSlash(r.BlobKey)))
		require.NoError(t, err)
		sum := sha256.Sum256(b)
		require.Equal(t, r.SHA256, sum[:], "%s has its own bytes", r.Title)
		require.Equal(t, byte('a'+i), b[len(b)-1])
	}
	rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/repository?limit=100", "", "")
	require.Equal(t, n, len(decode(t, rec)["items"].([]any)))
}
