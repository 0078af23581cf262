package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/stretchr/testify/require"

	"cocreate/api"
	"cocreate/internal/apperr"
	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/blob"
	"cocreate/internal/comment"
	"cocreate/internal/config"
	"cocreate/internal/contribution"
	"cocreate/internal/logging"
	"cocreate/internal/offline"
)

// The scans' types are served as they are; the spec checker reads them as files.
func init() {
	for _, ct := range []string{"application/pdf", "image/png", "image/jpeg", "image/webp", "image/gif", "image/tiff"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
}

// Scans of originals as a scanner makes them: a PDF and a PNG (their first
// bytes are what the type detection reads).
var (
	pdfScan = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	pngScan = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"), bytes.Repeat([]byte{0}, 64)...)
)

// formBoundary is fixed, so the same entry sent twice is the same bytes (as
// the SPA sends a retry).
const formBoundary = "cocreate-test-boundary"

// offlineForm builds the multipart body of an entry: its fields as JSON in the
// "contribution" part and, when name is set, the file part; extra adds parts
// (name, value). It returns the body and its Content-Type.
func offlineForm(t testing.TB, contribution any, name string, file []byte, extra ...[2]string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	require.NoError(t, w.SetBoundary(formBoundary))
	js, ok := contribution.(string)
	if !ok {
		b, err := json.Marshal(contribution)
		require.NoError(t, err)
		js = string(b)
	}
	require.NoError(t, w.WriteField("contribution", js))
	if name != "" {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
		h.Set("Content-Type", "application/octet-stream")
		part, err := w.CreatePart(h)
		require.NoError(t, err)
		_, err = part.Write(file)
		require.NoError(t, err)
	}
	for _, p := range extra {
		require.NoError(t, w.WriteField(p[0], p[1]))
	}
	require.NoError(t, w.Close())
	return buf.String(), w.FormDataContentType()
}

// postForm sends a multipart entry through the router.
func (e *testEnv) postForm(t *testing.T, url, token, body, ctype string, headers ...string) (int, map[string]any) {
	t.Helper()
	rec := e.Do(t, http.MethodPost, url, token, body, append([]string{"Content-Type", ctype}, headers...)...)
	var m map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &m)
	return rec.Code, m
}

// newEnvWithBlobs is newTestEnvWith on a blob folder the test can look into.
func newEnvWithBlobs(t *testing.T, cfg config.Config) (*testEnv, string) {
	t.Helper()
	dir := t.TempDir()
	logs := &syncBuffer{}
	keys := auth.NewKeyring(testSigningKey, nil, cfg.JWTIssuer, cfg.JWTAudience)
	clock := apptest.NewClock(testNow)
	sys := apptest.New(t, apptest.Options{Config: &cfg, Clock: clock.Now, AppRole: true, Keys: keys, Log: logging.New(logs, "debug"),
		Blobs: blob.NewLocal(dir)})
	r, err := api.New(sys.App)
	require.NoError(t, err)
	return &testEnv{keys: keys, Clock: clock, DB: sys.Owner, AppDB: sys.DB, Router: r, Config: cfg, Logs: logs, Sys: sys}, dir
}

// blobFiles counts the objects in a local blob folder (temporary files included).
func blobFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if os.IsNotExist(err) {
		return 0
	}
	require.NoError(t, err)
	return n
}

// managersOnly is who may use a route that serves a process's owners (and
// administrators): others are told the process does not exist while it is
// unpublished, and refused once it is public.
func managersOnly(t *testing.T, env *testEnv, slug string, status int) expect {
	t.Helper()
	var published bool
	require.NoError(t, env.DB.Raw("SELECT published_at IS NOT NULL FROM processes WHERE slug = ?", slug).Scan(&published).Error)
	others := http.StatusNotFound
	if published {
		others = http.StatusForbidden
	}
	return expect{"*": others, "anonymous": 401, "suspended": 403, "owner": status, "admin": status}
}

// publicManagersOnly is managersOnly for a public process: others are
// refused (403), since the process is no secret.
func publicManagersOnly(status int) expect {
	return expect{"*": http.StatusForbidden, "anonymous": 401, "suspended": 403, "owner": status, "admin": status}
}

// offlineFixture is a process with a draft open for comments and an idea
// phase, an owner, a citizen and the owner of another process.
type offlineFixture struct {
	env                         *testEnv
	blobs                       string
	owner, citizen, otherOwner  string
	doc                         int64
	key, otherKey               string
	version                     int
	theme                       int64
	commentsURL, ideasURL, list string
	ownerID                     int64
}

func newOfflineFixture(t *testing.T, env map[string]string) *offlineFixture {
	t.Helper()
	e, dir := newEnvWithBlobs(t, testConfig(t, env))
	f := &offlineFixture{env: e, blobs: dir}
	e.createProcess(t, "plan-2027")
	e.createProcess(t, "plan-other")
	f.doc = e.createDraft(t, "plan-2027", draftV1)
	v := e.latest(t, f.doc)
	f.key, f.otherKey, f.version = v.keyOf(t, "council budgets"), v.keyOf(t, "Progress reports"), v.Number
	f.owner = makeUser(t, e, "owner@example.org", false)
	f.citizen = makeUser(t, e, "citizen@example.org", false)
	f.otherOwner = makeUser(t, e, "other@example.org", false)
	e.grantRole(t, "plan-2027", "owner@example.org", "owner")
	e.grantRole(t, "plan-other", "other@example.org", "owner")
	require.NoError(t, e.DB.Raw("SELECT id FROM users WHERE email = 'owner@example.org'").Scan(&f.ownerID).Error)
	f.theme, _ = e.createIdeaProcess(t, "ideas-2027", 0, false)
	e.grantRole(t, "ideas-2027", "owner@example.org", "owner")
	// Open to the public, as a process is once it runs.
	require.NoError(t, e.DB.Exec("UPDATE processes SET published_at = coalesce(published_at, now())").Error)
	f.commentsURL = "/api/v1/processes/plan-2027/offline/comments"
	f.ideasURL = "/api/v1/processes/ideas-2027/offline/ideas"
	f.list = "/api/v1/processes/plan-2027/offline"
	return f
}

// comment is the fields of a comment received on paper, with changes.
func (f *offlineFixture) comment(changes map[string]any) map[string]any {
	m := map[string]any{"channel": "paper", "contributor": "Harbour Residents' Association", "received_on": "2027-03-12",
		"document_id": f.doc, "paragraph_key": f.key, "version": f.version, "body": "Publish the budgets **weekly**, not monthly."}
	for k, v := range changes {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}

func TestEnterCommentReceivedOffline(t *testing.T) {
	f := newOfflineFixture(t, nil)
	env := f.env

	// The owner enters a letter received by post, with its scan.
	body, ct := offlineForm(t, f.comment(nil), "letter from the association.pdf", pdfScan)
	code, got := env.postForm(t, f.commentsURL, f.owner, body, ct)
	require.Equal(t, http.StatusCreated, code, got)
	require.Equal(t, "comment", got["kind"])
	require.Equal(t, "paper", got["channel"])
	require.Equal(t, "Harbour Residents' Association", got["contributor"])
	require.Equal(t, "2027-03-12", got["received_on"])
	require.Equal(t, "published", got["state"])
	require.Equal(t, "owner", got["entered_by"])
	att := got["attachment"].(map[string]any)
	require.Equal(t, "letter from the association.pdf", att["filename"])
	require.Equal(t, "application/pdf", att["content_type"])
	require.EqualValues(t, len(pdfScan), att["size_bytes"])
	commentID := int64(got["id"].(float64))

	// The rows: the comment on its paragraph, by the owner, with its
	// provenance; the scan recorded against it, its bytes in the blob store.
	var row struct {
		AuthorID     int64
		ParagraphKey string
		Channel      string
		Contributor  string
		ReceivedOn   string
		Status       string
	}
	require.NoError(t, env.DB.Raw(`SELECT author_id, paragraph_key, channel, contributor, received_on::text AS received_on, status
		FROM comments WHERE id = ?`, commentID).Scan(&row).Error)
	require.Equal(t, f.ownerID, row.AuthorID)
	require.Equal(t, f.key, row.ParagraphKey)
	require.Equal(t, "paper", row.Channel)
	require.Equal(t, "Harbour Residents' Association", row.Contributor)
	require.Equal(t, "2027-03-12", row.ReceivedOn)
	require.Equal(t, "published", row.Status)
	var key string
	require.NoError(t, env.DB.Raw("SELECT blob_key FROM contribution_attachments WHERE comment_id = ? AND created_by = ?", commentID, f.ownerID).Scan(&key).Error)
	r, err := env.Sys.Blobs.Open(context.Background(), key)
	require.NoError(t, err)
	var stored bytes.Buffer
	_, err = stored.ReadFrom(r)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	require.Equal(t, pdfScan, stored.Bytes())

	// The public sees it on the paragraph like any comment, with its channel
	// and contributor, and nothing of the scan.
	page := env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/paragraphs/%s/comments", f.doc, f.key), "", "")
	require.Equal(t, http.StatusOK, page.Code)
	require.Contains(t, page.Body.String(), `"channel":"paper"`)
	require.Contains(t, page.Body.String(), `"contributor":"Harbour Residents' Association"`)
	exported := env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/annotations", f.doc), "", "")
	require.Equal(t, http.StatusOK, exported.Code)
	require.Contains(t, exported.Body.String(), "weekly")
	csv := env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/documents/%d/annotations?format=csv", f.doc), "", "")
	for _, rec := range []string{page.Body.String(), exported.Body.String(), csv.Body.String()} {
		for _, private := range []string{"letter from the association", "attachment", key, "contribution-attachments"} {
			require.NotContains(t, rec, private)
		}
	}

	// The scan: the owner downloads it; to anyone else it does not exist.
	url := att["url"].(string)
	for who, token := range map[string]string{"anonymous": "", "citizen": f.citizen, "owner of another process": f.otherOwner} {
		rec := env.Do(t, http.MethodGet, url, token, "")
		require.Equal(t, http.StatusNotFound, rec.Code, who)
		require.NotContains(t, rec.Body.String(), "PDF", who)
	}
	rec := env.Do(t, http.MethodGet, url, f.owner, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, pdfScan, rec.Body.Bytes())
	require.Equal(t, "application/pdf", rec.Header().Get("Content-Type"))
	require.Equal(t, `attachment; filename="letter from the association.pdf"`, rec.Header().Get("Content-Disposition"))
	require.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	require.Equal(t, "private, no-store", rec.Header().Get("Cache-Control"))
	require.Equal(t, http.StatusOK, env.Do(t, http.MethodGet, url, env.AdminToken(t), "").Code)
	require.Equal(t, http.StatusNotFound, env.Do(t, http.MethodGet, "/api/v1/contribution-attachments/999999", f.owner, "").Code)

	// An anonymous contribution, by phone, without a scan.
	body, ct = offlineForm(t, f.comment(map[string]any{"contributor": nil, "channel": "phone", "body": "Add the schools."}), "", nil)
	code, got = env.postForm(t, f.commentsURL, f.owner, body, ct)
	require.Equal(t, http.StatusCreated, code, got)
	require.Nil(t, got["contributor"])
	require.Nil(t, got["attachment"])

	// The owners' list holds both, newest first, a page at a time.
	rec = env.Do(t, http.MethodGet, f.list+"?limit=1", f.owner, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	first := decode(t, rec)
	items := first["items"].([]any)
	require.Len(t, items, 1)
	require.Equal(t, "phone", items[0].(map[string]any)["channel"])
	rec = env.Do(t, http.MethodGet, f.list+"?limit=1&cursor="+first["next_cursor"].(string), f.owner, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	second := decode(t, rec)
	require.Equal(t, url, second["items"].([]any)[0].(map[string]any)["attachment"].(map[string]any)["url"])
	require.Nil(t, second["next_cursor"])
	require.Equal(t, http.StatusUnprocessableEntity, env.Do(t, http.MethodGet, f.list+"?cursor=bm90LWEtY3Vyc29y", f.owner, "").Code)
}

// TestOfflineEntryRefusals: who may not enter, and bad input, each refused
// with the reason and nothing stored (no comment, no idea, no scan row, no file).
func TestOfflineEntryRefusals(t *testing.T) {
	f := newOfflineFixture(t, map[string]string{"UPLOAD_MAX_BYTES": "4096"})
	env := f.env
	tooBig := append(append([]byte{}, pdfScan...), bytes.Repeat([]byte("0"), 5000)...)
	textFile := []byte("Minutes of the meeting, typed up.\n")
	otherDoc := env.createDraft(t, "plan-other", draftV1)

	for _, tt := range []struct {
		name        string
		token       string
		url         string
		fields      any
		file        string
		bytes       []byte
		extra       [][2]string
		want        int
		code, field string
	}{
		{"requires authentication", "", f.commentsURL, f.comment(nil), "", nil, nil, 401, "auth.required", ""},
		{"a citizen may not enter on someone's behalf", f.citizen, f.commentsURL, f.comment(nil), "", nil, nil, 403, "offline.forbidden", ""},
		{"nor may the owner of another process", f.otherOwner, f.commentsURL, f.comment(nil), "", nil, nil, 403, "offline.forbidden", ""},
		{"a citizen may not enter an idea either", f.citizen, f.ideasURL, map[string]any{"channel": "paper", "received_on": "2027-03-12",
			"title": "Benches", "body": "More benches", "theme_id": f.theme}, "", nil, nil, 403, "offline.forbidden", ""},
		{"not a form", f.owner, f.commentsURL, nil, "", nil, nil, 400, "request.malformed", ""},
		{"unknown fields in the entry", f.owner, f.commentsURL, f.comment(map[string]any{"author_id": 1}), "", nil, nil, 400, "request.unknown_field", ""},
		{"unknown parts", f.owner, f.commentsURL, f.comment(nil), "", nil, [][2]string{{"status", "published"}}, 400, "request.unknown_field", ""},
		{"an online channel", f.owner, f.commentsURL, f.comment(map[string]any{"channel": "online"}), "", nil, nil, 422, "request.invalid", "channel:oneof"},
		{"no date received", f.owner, f.commentsURL, f.comment(map[string]any{"received_on": nil}), "", nil, nil, 422, "request.invalid", "received_on:required"},
		{"not a date", f.owner, f.commentsURL, f.comment(map[string]any{"received_on": "12/03/2027"}), "", nil, nil, 422, "request.invalid", "received_on:datetime"},
		{"a date in the future", f.owner, f.commentsURL, f.comment(map[string]any{"received_on": "2027-03-17"}), "", nil, nil, 422, "comment.invalid", "received_on:future"},
		{"a date from long ago", f.owner, f.commentsURL, f.comment(map[string]any{"received_on": "2019-03-17"}), "", nil, nil, 422, "comment.invalid", "received_on:too_old"},
		{"an empty contributor", f.owner, f.commentsURL, f.comment(map[string]any{"contributor": "  "}), "", nil, nil, 422, "comment.invalid", "contributor:length"},
		{"a contributor on two lines", f.owner, f.commentsURL, f.comment(map[string]any{"contributor": "A\nB"}), "", nil, nil, 422, "comment.invalid", "contributor:length"},
		{"an empty body", f.owner, f.commentsURL, f.comment(map[string]any{"body": " "}), "", nil, nil, 422, "comment.invalid", "body:required"},
		{"an unknown paragraph", f.owner, f.commentsURL, f.comment(map[string]any{"paragraph_key": "nope"}), "pdf.pdf", pdfScan, nil, 422, "comment.invalid", "paragraph_key:unknown"},
		{"a draft of another process", f.owner, f.commentsURL, f.comment(map[string]any{"document_id": otherDoc}), "", nil, nil, 422, "offline.invalid", "document_id:unknown"},
		{"a scan whose content is not its name's type", f.owner, f.commentsURL, f.comment(nil), "scan.png", pdfScan, nil, 422, "upload.type_mismatch", "file:type_mismatch"},
		{"a scan that is not a PDF or an image", f.owner, f.commentsURL, f.comment(nil), "minutes.txt", textFile, nil, 422, "upload.type_refused", "file:type"},
		{"a scan over the size limit", f.owner, f.commentsURL, f.comment(nil), "big.pdf", tooBig, nil, 413, "upload.too_large", ""},
		{"an idea with a future date", f.owner, f.ideasURL, map[string]any{"channel": "paper", "received_on": "2027-04-01", "title": "Benches",
			"body": "More benches", "theme_id": f.theme}, "scan.png", pngScan, nil, 422, "idea.invalid", "received_on:future"},
		{"an idea with an unknown theme", f.owner, f.ideasURL, map[string]any{"channel": "paper", "received_on": "2027-03-01", "title": "Benches",
			"body": "More benches", "theme_id": 99999}, "scan.png", pngScan, nil, 422, "idea.invalid", "theme_id:unknown"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := "not a form", "text/plain"
			if tt.fields != nil {
				body, ct = offlineForm(t, tt.fields, tt.file, tt.bytes, tt.extra...)
			}
			code, got := env.postForm(t, tt.url, tt.token, body, ct)
			require.Equal(t, tt.want, code, got)
			require.Equal(t, tt.code, errCode(got))
			if tt.field != "" {
				_, fields := errorOfMap(t, got)
				require.Contains(t, fields, tt.field)
			}
		})
	}
	require.EqualValues(t, 0, countRows(t, env, "comments", "channel <> 'online'"), "refused entries store no comment")
	require.EqualValues(t, 0, countRows(t, env, "ideas", ""), "nor an idea")
	require.EqualValues(t, 0, countRows(t, env, "contribution_attachments", ""), "nor a scan's row")
	require.Equal(t, 0, blobFiles(t, f.blobs), "nor a scan's bytes")

	// A citizen's own comment cannot claim a channel, a contributor or a date.
	for _, extra := range []string{`"channel":"paper"`, `"contributor":"The Mayor"`, `"received_on":"2027-03-01"`} {
		b := strings.Replace(commentBody(f.key, f.version, "Mine", ""), "{", "{"+extra+",", 1)
		rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/comments", f.doc), f.citizen, b)
		require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
		code, _ := errorOf(t, rec)
		require.Equal(t, "request.unknown_field", code)
	}
	// Nor can a citizen's idea (the ideas route takes a channel, for owners only).
	rec := env.Do(t, http.MethodPost, "/api/v1/processes/ideas-2027/ideas", f.citizen,
		fmt.Sprintf(`{"title":"Mine","body":"Mine","theme_id":%d,"channel":"paper","received_on":"2027-03-01"}`, f.theme))
	require.Equal(t, http.StatusForbidden, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodPost, "/api/v1/processes/ideas-2027/ideas", f.citizen,
		fmt.Sprintf(`{"title":"Mine","body":"Mine","theme_id":%d,"received_on":"2027-03-01"}`, f.theme))
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	_, fields := errorOf(t, rec)
	require.Contains(t, fields, "received_on:not_allowed")
	require.EqualValues(t, 0, countRows(t, env, "ideas", ""))
	require.EqualValues(t, 0, countRows(t, env, "comments", "author_id <> 0 AND body = 'Mine'"))
}

// errorOfMap is errorOf on a decoded body.
func errorOfMap(t *testing.T, m map[string]any) (string, []string) {
	t.Helper()
	e, _ := m["error"].(map[string]any)
	require.NotNil(t, e, "not an error envelope: %v", m)
	var fields []string
	list, _ := e["fields"].([]any)
	for _, x := range list {
		fe := x.(map[string]any)
		fields = append(fields, fe["field"].(string)+":"+fe["code"].(string))
	}
	code, _ := e["code"].(string)
	return code, fields
}

func TestEnterIdeaReceivedOffline(t *testing.T) {
	f := newOfflineFixture(t, nil)
	env := f.env
	fields := map[string]any{"channel": "workshop", "contributor": "Eastside residents", "received_on": "2027-03-16",
		"title": "A library in the old harbour office", "body": "Said by many at the Eastside workshop.", "theme_id": f.theme}
	body, ct := offlineForm(t, fields, "flipchart.png", pngScan)
	code, got := env.postForm(t, f.ideasURL, f.owner, body, ct)
	require.Equal(t, http.StatusCreated, code, got)
	require.Equal(t, "idea", got["kind"])
	require.Equal(t, "A library in the old harbour office", got["title"])
	require.Equal(t, "2027-03-16", got["received_on"], "a date that has begun somewhere on Earth is not in the future")
	id := int64(got["id"].(float64))
	att := got["attachment"].(map[string]any)
	require.Equal(t, "image/png", att["content_type"])
	require.EqualValues(t, 1, countRows(t, env, "contribution_attachments", fmt.Sprintf("idea_id = %d", id)))
	require.EqualValues(t, 1, countRows(t, env, "ideas", fmt.Sprintf("id = %d AND channel = 'workshop' AND received_on = '2027-03-16'", id)))

	// The public reads it with its channel, contributor and date, and nothing of the scan.
	rec := env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d", id), "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	pub := decode(t, rec)
	require.Equal(t, "workshop", pub["channel"])
	require.Equal(t, "Eastside residents", pub["contributor"])
	require.Equal(t, "2027-03-16", pub["received_on"])
	require.Equal(t, false, pub["can_merge"])
	for _, u := range []string{fmt.Sprintf("/api/v1/ideas/%d", id), "/api/v1/processes/ideas-2027/ideas", "/api/v1/processes/ideas-2027/ideas/export",
		"/api/v1/processes/ideas-2027/ideas/export?format=csv"} {
		rec := env.Do(t, http.MethodGet, u, "", "")
		require.Equal(t, http.StatusOK, rec.Code, u)
		require.Contains(t, rec.Body.String(), "A library in the old harbour office", u)
		require.NotContains(t, rec.Body.String(), "flipchart", u)
		require.NotContains(t, rec.Body.String(), "contribution-attachments", u)
	}
	// The owners' list of ideas-2027 has it (and not the ideas posted online); the
	// owner may download the scan, a citizen may not.
	env.idea(t, f.citizen, "ideas-2027", f.theme, "An idea posted online")
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/ideas-2027/offline", f.owner, "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Len(t, decode(t, rec)["items"], 1)
	require.Equal(t, http.StatusNotFound, env.Do(t, http.MethodGet, att["url"].(string), f.citizen, "").Code)
	dl := env.Do(t, http.MethodGet, att["url"].(string), f.owner, "")
	require.Equal(t, http.StatusOK, dl.Code)
	require.Equal(t, pngScan, dl.Body.Bytes())
}

// TestOfflineEntryIsIdempotent: a retry of the same bytes with the same key
// gives the first answer and stores once.
func TestOfflineEntryIsIdempotent(t *testing.T) {
	f := newOfflineFixture(t, nil)
	env := f.env
	body, ct := offlineForm(t, f.comment(nil), "letter.pdf", pdfScan)
	c1, first := env.postForm(t, f.commentsURL, f.owner, body, ct, "Idempotency-Key", "letter-1")
	require.Equal(t, http.StatusCreated, c1, first)
	c2, again := env.postForm(t, f.commentsURL, f.owner, body, ct, "Idempotency-Key", "letter-1")
	require.Equal(t, http.StatusCreated, c2, again)
	require.Equal(t, first["id"], again["id"])
	require.EqualValues(t, 1, countRows(t, env, "comments", "channel = 'paper'"))
	require.EqualValues(t, 1, countRows(t, env, "contribution_attachments", ""))
	require.Equal(t, 1, blobFiles(t, f.blobs))
}

// TestOfflineEntriesGoThroughModeration: in a pre-moderated process an entry
// waits in the queue like any comment; a pile of the same form letter is
// not refused as one person repeating themselves.
func TestOfflineEntriesGoThroughModeration(t *testing.T) {
	f := newOfflineFixture(t, nil)
	env := f.env
	rec := env.Do(t, http.MethodPut, "/api/v1/processes/plan-2027/moderation/settings", env.AdminToken(t), moderationSettings(`"mode":"pre"`))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	letter := f.comment(map[string]any{"contributor": nil, "body": "We, the undersigned, ask for weekly budgets."})
	for i := range 3 {
		body, ct := offlineForm(t, letter, "", nil)
		code, got := env.postForm(t, f.commentsURL, f.owner, body, ct)
		require.Equal(t, http.StatusCreated, code, "letter %d: %v", i, got)
		require.Equal(t, "pending", got["state"])
	}
	require.EqualValues(t, 3, countRows(t, env, "moderation_items", "comment_id IS NOT NULL AND state = 'open'"))
	require.Empty(t, env.thread(t, f.doc, f.key, "").Items, "held until a moderator decides")

	// The owner's own comments still obey the duplicate rule.
	rec = env.Do(t, http.MethodPut, "/api/v1/processes/plan-2027/moderation/settings", env.AdminToken(t), moderationSettings(`"mode":"post"`))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	env.comment(t, f.owner, f.doc, commentBody(f.key, f.version, "The owner's own view.", ""))
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/comments", f.doc), f.owner, commentBody(f.key, f.version, "The owner's own view.", ""))
	require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
}

// TestConcurrentOfflineEntriesLoseNothing: owners entering a pile of letters
// at once get every one stored, each with its scan.
func TestConcurrentOfflineEntriesLoseNothing(t *testing.T) {
	f := newOfflineFixture(t, nil)
	env := f.env
	const n = 12
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := f.key
			if i%2 == 1 {
				key = f.otherKey
			}
			body, ct := offlineForm(t, f.comment(map[string]any{"paragraph_key": key, "body": fmt.Sprintf("Letter %d", i)}), fmt.Sprintf("letter-%d.pdf", i), pdfScan)
			codes[i], _ = env.postForm(t, f.commentsURL, f.owner, body, ct)
		}()
	}
	wg.Wait()
	for i, c := range codes {
		require.Equal(t, http.StatusCreated, c, "letter %d", i)
	}
	require.EqualValues(t, n, countRows(t, env, "comments", "channel = 'paper'"))
	require.EqualValues(t, n, countRows(t, env, "contribution_attachments", ""))
	require.Equal(t, n, blobFiles(t, f.blobs))
	var counted int
	require.NoError(t, env.DB.Raw("SELECT coalesce(sum(comments), 0) FROM paragraph_counts WHERE document_id = ?", f.doc).Scan(&counted).Error)
	require.Equal(t, n, counted)
}

// TestOfflineRulesHoldBehindTheRoutes: the services keep their own rules for
// any caller, not only the routes' (an online channel is not an offline
// entry; only owners enter a comment on someone's behalf).
func TestOfflineRulesHoldBehindTheRoutes(t *testing.T) {
	f := newOfflineFixture(t, nil)
	ctx := context.Background()
	sys := f.env.Sys
	var citizenID int64
	require.NoError(t, f.env.DB.Raw("SELECT id FROM users WHERE email = 'citizen@example.org'").Scan(&citizenID).Error)
	citizen := auth.Principal{UserID: citizenID, Verified: true}
	owner := auth.Principal{UserID: f.ownerID, Verified: true}
	day := testNow.AddDate(0, 0, -2)

	_, _, err := sys.Offline.EnterComment(ctx, owner, "plan-2027", offline.CommentInput{
		Received: contribution.Provenance{Channel: contribution.ChannelOnline}, DocumentID: f.doc, ParagraphKey: f.key, Version: f.version, Body: "Typed in"}, nil)
	e, ok := apperr.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, offline.CodeInvalid, e.Code)
	require.Equal(t, "channel", e.Fields[0].Field)
	_, err = sys.Comments.Create(ctx, citizen, f.doc, comment.CreateInput{Key: f.key, Version: f.version, Body: "On someone's behalf",
		Received: &contribution.Provenance{Channel: contribution.ChannelPaper, ReceivedOn: &day}})
	require.ErrorIs(t, err, comment.ErrForbidden)
	require.EqualValues(t, 0, countRows(t, f.env, "comments", "channel <> 'online' OR body = 'Typed in'"))
}
