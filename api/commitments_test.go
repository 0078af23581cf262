package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/auth"
	"cocreate/internal/commitment"
	"cocreate/internal/event"
)

// implEnv is a published process with an owner, a working-group member, a
// government and a civil-society forum member (under the given rule), a
// moderator and a citizen.
type implEnv struct {
	*testEnv
	slug                                      string
	owner, wg, gov, civil, citizen, moderator string
}

func newImplEnv(t *testing.T, rule string) *implEnv {
	t.Helper()
	env := newTestEnv(t)
	f := &implEnv{testEnv: env, slug: "plan-2027"}
	env.createProcess(t, f.slug)
	_, _, err := env.Sys.Processes.Publish(context.Background(), auth.System, f.slug)
	require.NoError(t, err)
	tok := func(name string) string { return makeUser(t, env, name+"@example.org", false) }
	f.owner, f.wg, f.gov, f.civil, f.citizen, f.moderator = tok("owner"), tok("wg"), tok("gov"), tok("civil"), tok("citizen"), tok("mod")
	env.grantRole(t, f.slug, "owner@example.org", "owner")
	env.grantRole(t, f.slug, "mod@example.org", "moderator")
	for who, seat := range map[string]string{"gov": "government", "civil": "civil_society"} {
		require.NoError(t, env.DB.Exec(`INSERT INTO process_roles (process_id, user_id, role, seat, organisation)
			SELECT p.id, u.id, 'forum_member', ?, ? FROM processes p, users u WHERE p.slug = ? AND u.email = ?`,
			seat, "Org of "+who, f.slug, who+"@example.org").Error)
	}
	rec := env.Do(t, http.MethodPut, "/api/v1/processes/"+f.slug+"/forum/settings", f.owner, fmt.Sprintf(`{"signing_rule":%q,"target_days":20}`, rule))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return f
}

// commitmentBody is a commitment of 2027 with two milestones and wg@ in its working group.
func commitmentBody(title string) string {
	return fmt.Sprintf(`{"title":%q,"description":"Publish every contract.","lead_institution":"City Procurement Office",
		"other_actors":["Open Larkhaven Coalition"],"theme":"Open contracting","starts_on":"2027-01-04","ends_on":"2027-12-31",
		"values":["access_to_information"],"members":[{"name":"Ada Clerk","organisation":"City","seat":"government","account_email":"wg@example.org"}],
		"milestones":[{"title":"Register online","due_on":"2027-04-30"},{"title":"All contracts published","due_on":"2027-11-30"}]}`, title)
}

type commitmentJSON struct {
	ID         int64
	Revision   int
	Status     string
	Milestones []struct {
		ID    int64
		Title string
	}
	Members []struct {
		HasAccount   bool    `json:"has_account"`
		AccountEmail *string `json:"account_email"`
	}
	Viewer map[string]any
}

func (f *implEnv) create(t *testing.T, title string) commitmentJSON {
	t.Helper()
	rec := f.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/commitments", f.owner, commitmentBody(title))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var c commitmentJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &c))
	return c
}

// updateBody is an update of kind stating every milestone of c.
func updateBody(c commitmentJSON, kind, progress string) string {
	var states []string
	for _, m := range c.Milestones {
		states = append(states, fmt.Sprintf(`{"milestone_id":%d,"state":"in_progress"}`, m.ID))
	}
	return fmt.Sprintf(`{"kind":%q,"progress":%q,"next_steps":"Publish the data.","milestones":[%s],"evidence":[{"url":"https://larkhaven.example/register"}]}`,
		kind, progress, strings.Join(states, ","))
}

type progressUpdateJSON struct {
	ID           int64
	State        string
	Revision     int
	MissingSeats []string `json:"missing_seats"`
	Ledger       *struct {
		Seq  int64
		Hash string
	}
	Signatures []struct {
		Kind       string
		MemberRef  string `json:"member_ref"`
		Name, Note *string
	}
}

func (f *implEnv) draftUpdate(t *testing.T, token string, c commitmentJSON, kind, progress string) progressUpdateJSON {
	t.Helper()
	rec := f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/commitments/%d/updates", c.ID), token, updateBody(c, kind, progress))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var u progressUpdateJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &u))
	return u
}

func (f *implEnv) act(t *testing.T, token string, u progressUpdateJSON, action string, want int, extra string) progressUpdateJSON {
	t.Helper()
	rec := f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/progress-updates/%d/%s", u.ID, action), token, fmt.Sprintf(`{"revision":%d%s}`, u.Revision, extra))
	require.Equal(t, want, rec.Code, rec.Body.String())
	if want != http.StatusOK {
		return u
	}
	var out progressUpdateJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
	return out
}

func TestCreateCommitment(t *testing.T) {
	f := newImplEnv(t, "joint")
	url := "/api/v1/processes/" + f.slug + "/commitments"
	for _, tt := range []struct {
		name, token, body string
		want              int
		code              string
		fields            []string
	}{
		{"requires authentication", "", commitmentBody("A"), http.StatusUnauthorized, "auth.required", nil},
		{"requires an owner", f.citizen, commitmentBody("A"), http.StatusForbidden, "commitment.forbidden", nil},
		{"a forum member is not an owner", f.gov, commitmentBody("A"), http.StatusForbidden, "commitment.forbidden", nil},
		{"refuses a status set by hand", f.owner, strings.Replace(commitmentBody("A"), `{"title"`, `{"status":"completed","title"`, 1), http.StatusBadRequest, "request.unknown_field", nil},
		{"refuses a milestone's status too", f.owner, strings.Replace(commitmentBody("A"), `{"title":"Register online"`, `{"status":"completed","title":"Register online"`, 1), http.StatusBadRequest, "request.unknown_field", nil},
		{"refuses malformed JSON", f.owner, `{"title":`, http.StatusBadRequest, "request.malformed", nil},
		{"names every bad field", f.owner, strings.NewReplacer(`"ends_on":"2027-12-31"`, `"ends_on":"2027-13-40"`, `"due_on":"2027-04-30"`, `"due_on":"2026-04-30"`,
			`"title":"A"`, `"title":""`).Replace(commitmentBody("A")), http.StatusUnprocessableEntity, "commitment.invalid", []string{"title:required", "ends_on:date"}},
		{"milestones inside the commitment's dates", f.owner, strings.Replace(commitmentBody("A"), `"due_on":"2027-04-30"`, `"due_on":"2026-04-30"`, 1),
			http.StatusUnprocessableEntity, "commitment.invalid", []string{"milestones[0].due_on:outside"}},
		{"completion not in the future", f.owner, strings.Replace(commitmentBody("A"), `"due_on":"2027-04-30"`, `"due_on":"2027-04-30","completed_on":"2027-03-16"`, 1),
			http.StatusUnprocessableEntity, "commitment.invalid", []string{"milestones[0].completed_on:future"}},
		{"an unknown account", f.owner, strings.Replace(commitmentBody("A"), "wg@example.org", "nobody@example.org", 1),
			http.StatusUnprocessableEntity, "commitment.invalid", []string{"members[0].account_email:no_account"}},
		{"creates it", f.owner, commitmentBody("Open contracting register"), http.StatusCreated, "", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.Do(t, http.MethodPost, url, tt.token, tt.body)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			if tt.code != "" {
				code, fields := errorOf(t, rec)
				require.Equal(t, tt.code, code)
				require.Equal(t, tt.fields, fields)
				require.Equal(t, int64(0), countRows(t, f.testEnv, "commitments", ""), "nothing stored")
			}
		})
	}
	require.Equal(t, int64(1), countRows(t, f.testEnv, "commitments", ""))
	require.Equal(t, int64(2), countRows(t, f.testEnv, "milestones", ""))
	require.Equal(t, int64(1), countRows(t, f.testEnv, "commitment_members", "user_id IS NOT NULL"))

	// The page: what each may do; the linked address for the owner only.
	var c commitmentJSON
	rec := f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/commitments", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	c.ID = int64(decode(t, rec)["commitments"].([]any)[0].(map[string]any)["id"].(float64))
	get := func(token string) commitmentJSON {
		rec := f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/commitments/%d", c.ID), token, "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var out commitmentJSON
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
		return out
	}
	anon := get("")
	require.Nil(t, anon.Members[0].AccountEmail)
	require.True(t, anon.Members[0].HasAccount)
	require.Equal(t, "not_started", anon.Status)
	require.Equal(t, false, anon.Viewer["write"])
	own := get(f.owner)
	require.Equal(t, "wg@example.org", *own.Members[0].AccountEmail)
	// What a signed-in person may do, and the addresses, are never in a shared cache.
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/commitments/%d", c.ID), f.owner, "")
	require.Equal(t, "private, no-store", rec.Header().Get("Cache-Control"))
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/commitments/%d", c.ID), "", "")
	require.Equal(t, "public, max-age=5", rec.Header().Get("Cache-Control"))
	wg := get(f.wg)
	require.Equal(t, true, wg.Viewer["write"])
	require.Equal(t, "lead_institution", wg.Viewer["answer_as"])

	// Replace on the revision read; withdraw with a reason.
	body := strings.Replace(commitmentBody("Renamed"), `{"title"`, fmt.Sprintf(`{"revision":%d,"title"`, own.Revision), 1)
	rec = f.Do(t, http.MethodPut, fmt.Sprintf("/api/v1/commitments/%d", c.ID), f.owner, body)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = f.Do(t, http.MethodPut, fmt.Sprintf("/api/v1/commitments/%d", c.ID), f.owner, body)
	require.Equal(t, http.StatusConflict, rec.Code)
	code, _ := errorOf(t, rec)
	require.Equal(t, "commitment.stale", code)
	var title string
	require.NoError(t, f.DB.Raw("SELECT title FROM commitments WHERE id = ?", c.ID).Scan(&title).Error)
	require.Equal(t, "Renamed", title)
	rec = f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/commitments/%d/withdraw", c.ID), f.owner, fmt.Sprintf(`{"revision":%d,"reason":"Merged into the national register."}`, own.Revision+1))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "withdrawn", decode(t, rec)["status"])
}

// TestDashboard: the public read is cached and answers 304 to its ETag; a
// publication invalidates it; an unpublished process's dashboard is not
// found, and its owner's read is not cached.
func TestDashboard(t *testing.T) {
	f := newImplEnv(t, "joint")
	c := f.create(t, "Open contracting register")
	f.create(t, "Lobbying register")
	url := "/api/v1/processes/" + f.slug + "/commitments"
	rec := f.Do(t, http.MethodGet, url, "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	d := decode(t, rec)
	require.Equal(t, float64(2), d["total"])
	require.Equal(t, map[string]any{"status": "not_started", "count": float64(2)}, d["summary"].([]any)[0])
	first := d["commitments"].([]any)[0].(map[string]any)
	require.Equal(t, "no_progress", first["status_reason"])
	require.Equal(t, float64(0), first["percent_done"])
	require.Equal(t, "Register online", first["next_milestone"].(map[string]any)["title"])
	etag := rec.Header().Get("ETag")
	require.NotEmpty(t, etag)
	require.Contains(t, rec.Header().Get("Cache-Control"), "public")
	rec = f.Do(t, http.MethodGet, url, "", "", "If-None-Match", etag)
	require.Equal(t, http.StatusNotModified, rec.Code)

	// A published update changes it at once on this instance.
	u := f.draftUpdate(t, f.wg, c, "government", "Design done.")
	f.act(t, f.wg, u, "publish", http.StatusOK, "")
	rec = f.Do(t, http.MethodGet, url, "", "", "If-None-Match", etag)
	require.Equal(t, http.StatusOK, rec.Code, "the publication invalidated the cached read")
	first = decode(t, rec)["commitments"].([]any)[0].(map[string]any)
	require.Equal(t, "on_track", first["status"])
	require.Equal(t, "2027-03-15", first["last_update_on"])
	require.Equal(t, "2027-09-15", first["next_update_due_on"])

	// An unpublished process: not found by the public, readable by its owner, never cached.
	require.NoError(t, f.DB.Exec("UPDATE processes SET published_at = NULL WHERE slug = ?", f.slug).Error)
	require.NoError(t, f.Sys.Events.Emit(context.Background(), implementationChanged(t, f)))
	rec = f.Do(t, http.MethodGet, url, "", "")
	require.Equal(t, http.StatusNotFound, rec.Code)
	rec = f.Do(t, http.MethodGet, url, f.owner, "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "private, no-store", rec.Header().Get("Cache-Control"))
	rec = f.Do(t, http.MethodGet, url, "", "")
	require.Equal(t, http.StatusNotFound, rec.Code, "the owner's read was not cached for the public")
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/commitments/%d", c.ID), f.citizen, "")
	require.Equal(t, http.StatusNotFound, rec.Code)
}

// TestJointUpdateAndItsComments: a working-group member drafts a joint
// update; the government member signs, the civil-society member signs and it
// is published in the ledger; a citizen comments on it, replies and votes go
// through the comment engine, and a flag puts the comment in the moderation
// queue with its update named.
func TestJointUpdateAndItsComments(t *testing.T) {
	f := newImplEnv(t, "joint")
	c := f.create(t, "Open contracting register")
	u := f.draftUpdate(t, f.wg, c, "joint", "Jointly reviewed.")
	require.ElementsMatch(t, []string{"government", "civil_society"}, u.MissingSeats)

	// Comments go on published updates only.
	rec := f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/progress-updates/%d/comments", u.ID), f.citizen, `{"body":"Too early"}`)
	require.Equal(t, http.StatusNotFound, rec.Code)
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/progress-updates/%d", u.ID), f.citizen, "")
	require.Equal(t, http.StatusNotFound, rec.Code, "a draft is its writers'")

	f.act(t, f.owner, u, "sign", http.StatusForbidden, "")
	f.act(t, f.wg, u, "publish", http.StatusConflict, "")
	u = f.act(t, f.gov, u, "sign", http.StatusOK, "")
	require.Equal(t, []string{"civil_society"}, u.MissingSeats)
	require.NotNil(t, u.Signatures[0].Name, "a draft names its signers")
	u = f.act(t, f.civil, u, "sign", http.StatusOK, "")
	require.Equal(t, "published", u.State)
	require.NotNil(t, u.Ledger)
	for _, g := range u.Signatures {
		require.Nil(t, g.Name)
	}
	rec = f.Do(t, http.MethodPatch, fmt.Sprintf("/api/v1/progress-updates/%d", u.ID), f.wg,
		strings.Replace(updateBody(c, "joint", "Rewritten"), `{"kind"`, fmt.Sprintf(`{"revision":%d,"kind"`, u.Revision), 1))
	require.Equal(t, http.StatusConflict, rec.Code)
	code, _ := errorOf(t, rec)
	require.Equal(t, "commitment.published", code)

	// The ledger lists it by kind and verifies.
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger?kind=progress_update", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	items := decode(t, rec)["items"].([]any)
	require.Len(t, items, 1)
	require.Equal(t, "progress_update", items[0].(map[string]any)["fields"].(map[string]any)["kind"])
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger?kind=response", "", "")
	require.Empty(t, decode(t, rec)["items"])
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger?kind=nonsense", "", "")
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger/verify", "", "")
	require.Equal(t, true, decode(t, rec)["ok"])

	// Comments, replies, votes, a flag.
	commentsURL := fmt.Sprintf("/api/v1/progress-updates/%d/comments", u.ID)
	rec = f.Do(t, http.MethodPost, commentsURL, "", `{"body":"x"}`)
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	rec = f.Do(t, http.MethodPost, commentsURL, f.citizen, `{"body":"  "}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	rec = f.Do(t, http.MethodPost, commentsURL, f.citizen, `{"body":"When will **all** contracts be online?"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	cm := decode(t, rec)
	require.Equal(t, float64(u.ID), cm["progress_update_id"])
	require.Nil(t, cm["document_id"])
	cid := int64(cm["id"].(float64))
	var stored struct {
		ProgressUpdateID int64
		DocumentID       *int64
	}
	require.NoError(t, f.DB.Raw("SELECT progress_update_id, document_id FROM comments WHERE id = ?", cid).Scan(&stored).Error)
	require.Equal(t, u.ID, stored.ProgressUpdateID)
	require.Nil(t, stored.DocumentID)
	rec = f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", cid), f.wg, `{"body":"By November."}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Equal(t, float64(u.ID), decode(t, rec)["progress_update_id"])
	rec = f.Do(t, http.MethodPut, fmt.Sprintf("/api/v1/comments/%d/vote", cid), f.gov, `{"value":"agree"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, float64(1), decode(t, rec)["agree"])
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/progress-updates/%d/my-votes", u.ID), f.gov, "")
	require.Equal(t, map[string]any{fmt.Sprint(cid): "agree"}, decode(t, rec)["votes"])
	rec = f.Do(t, http.MethodGet, commentsURL, "", "")
	require.Len(t, decode(t, rec)["items"], 2)
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/progress-updates/%d", u.ID), "", "")
	require.Equal(t, float64(2), decode(t, rec)["comments"])

	rec = f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/flags", cid), f.civil, `{"reason":"spam"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var itemID int64
	require.NoError(t, f.DB.Raw("SELECT id FROM moderation_items WHERE comment_id = ?", cid).Scan(&itemID).Error)
	require.NotZero(t, itemID)
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/moderation/items/%d", itemID), f.moderator, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	target := decode(t, rec)["item"].(map[string]any)["target"].(map[string]any)
	require.Equal(t, float64(u.ID), target["progress_update_id"])
	require.Equal(t, float64(c.ID), target["commitment_id"])

	// The forum can answer the comment with a reasoned response: it is a contribution of the process.
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/forum/unanswered", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Contains(t, rec.Body.String(), fmt.Sprintf(`"id":%d`, cid))
}

// TestLedgerWithProgressUpdatesVerifiesWithTheDocumentedSnippet: responses
// and progress updates in one ledger; the download passes docs/ledger.md's
// Node.js check; one changed byte in a progress update's entry is found by
// the script and the API at the same seq.
func TestLedgerWithProgressUpdatesVerifiesWithTheDocumentedSnippet(t *testing.T) {
	node, err := exec.LookPath("node")
	require.NoError(t, err)
	f := newImplEnv(t, "single")
	c := f.create(t, "Open contracting register")
	docID := f.createDraft(t, f.slug, "# Plan\n\nWe publish contracts.\n")
	key := f.latest(t, docID).keyOf(t, "We publish contracts")
	cm := f.comment(t, f.citizen, docID, commentBody(key, 1, "Please list the suppliers.", ""))
	for i, text := range []string{"Café, 東京 \"quoted\" \\ and\ttab", "line\nbreak 🎉", "<script>alert(1)</script> & <b>"} {
		u := f.draftUpdate(t, f.wg, c, "joint", text)
		f.act(t, f.civil, u, "sign", http.StatusOK, "")
		if i == 0 {
			rec := f.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/forum/responses", f.gov,
				fmt.Sprintf(`{"disposition":"noted","reasoning":"Noted: the list follows.","covers":[{"kind":"comment","id":%d}]}`, cm.ID))
			require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
			r := decodeResponse(t, rec.Body.Bytes())
			rec = f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/responses/%d/sign", r.ID), f.gov, fmt.Sprintf(`{"revision":%d}`, r.Revision))
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		}
	}
	_, err = f.Sys.Ledger.CheckpointAll(context.Background(), time.Now())
	require.NoError(t, err)

	doc, err := os.ReadFile("../docs/ledger.md")
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)<!-- verify-snippet:start -->\n```js\n(.*?)```\n<!-- verify-snippet:end -->").FindSubmatch(doc)
	require.NotNil(t, m)
	dir := t.TempDir()
	script := filepath.Join(dir, "verify.mjs")
	require.NoError(t, os.WriteFile(script, m[1], 0o600))
	keys := pinLedgerKeys(t, f.testEnv, dir)
	run := func() (string, error) {
		rec := f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger/export", "", "")
		require.Equal(t, http.StatusOK, rec.Code)
		file := filepath.Join(dir, "ledger.jsonl")
		require.NoError(t, os.WriteFile(file, rec.Body.Bytes(), 0o600))
		out, err := exec.Command(node, script, file, keys).CombinedOutput()
		return string(out), err
	}
	out, err := run()
	require.NoError(t, err, out)
	require.Regexp(t, `ok 4 [0-9a-f]{64}`, out)
	var kinds []string
	require.NoError(t, f.DB.Raw("SELECT kind FROM ledger_entries ORDER BY seq").Scan(&kinds).Error)
	require.Equal(t, []string{"progress_update", "response", "progress_update", "progress_update"}, kinds)

	require.NoError(t, f.DB.Transaction(func(tx *gorm.DB) error {
		require.NoError(t, tx.Exec("SET LOCAL session_replication_role = replica").Error)
		return tx.Exec(`UPDATE ledger_entries SET fields = overlay(fields placing 'X' from strpos(fields, '"progress":"') + 12 for 1) WHERE seq = 3`).Error
	}))
	out, err = run()
	require.Error(t, err)
	require.Contains(t, out, "broken at seq 3")
	rec := f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger/verify", "", "")
	require.Equal(t, float64(3), decode(t, rec)["first_broken_seq"])
}

// TestCommitmentExport: JSON with the working groups (no accounts), the
// milestones and the published updates only; CSV per table.
func TestCommitmentExport(t *testing.T) {
	f := newImplEnv(t, "joint")
	c := f.create(t, "Open contracting register")
	f.act(t, f.owner, f.draftUpdate(t, f.owner, c, "government", "=HYPERLINK(\"x\") published"), "publish", http.StatusOK, "")
	f.draftUpdate(t, f.wg, c, "government", "A draft nobody else sees")
	url := "/api/v1/processes/" + f.slug + "/commitments/export"
	rec := f.Do(t, http.MethodGet, url, "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	body := rec.Body.String()
	require.NotContains(t, body, "wg@example.org")
	require.NotContains(t, body, "A draft nobody else sees")
	x := decode(t, rec)["commitments"].([]any)[0].(map[string]any)
	require.Len(t, x["updates"], 1)
	require.Len(t, x["milestones"], 2)
	require.Len(t, x["working_group"], 1)

	for table, header := range map[string]string{"commitments": "commitment_id,title,theme", "milestones": "commitment_id,milestone_id,title",
		"updates": "commitment_id,update_id,kind"} {
		rec = f.Do(t, http.MethodGet, url+"?format=csv&table="+table, "", "")
		require.Equal(t, http.StatusOK, rec.Code)
		require.True(t, strings.HasPrefix(rec.Body.String(), header), rec.Body.String())
		require.NotContains(t, rec.Body.String(), "A draft nobody else sees")
	}
	rec = f.Do(t, http.MethodGet, url+"?format=csv&table=updates", "", "")
	require.Contains(t, rec.Body.String(), `'=HYPERLINK`, "a formula is defused")
	rec = f.Do(t, http.MethodGet, url+"?format=csv&table=users", "", "")
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
}

// TestQuestionsThroughTheAPI: ask, the clock, who answers.
func TestQuestionsThroughTheAPI(t *testing.T) {
	f := newImplEnv(t, "joint")
	c := f.create(t, "Open contracting register")
	url := fmt.Sprintf("/api/v1/commitments/%d/questions", c.ID)
	rec := f.Do(t, http.MethodPost, url, "", `{"body":"When?"}`)
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	rec = f.Do(t, http.MethodPost, url, f.citizen, `{"body":""}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	rec = f.Do(t, http.MethodPost, url, f.citizen, `{"body":"When will the register go live?"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	q := decode(t, rec)
	require.Equal(t, "2027-04-12", q["due_on"])
	qid := int64(q["id"].(float64))
	answer := fmt.Sprintf("/api/v1/questions/%d/answer", qid)
	rec = f.Do(t, http.MethodPost, answer, f.citizen, `{"body":"Soon"}`)
	require.Equal(t, http.StatusForbidden, rec.Code)
	rec = f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/questions/%d/pause", qid), f.wg, `{"reason":"Waiting for the ministry's figures","resumes_on":"2027-03-22"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "2027-04-16", decode(t, rec)["due_on"], "four working days paused")
	rec = f.Do(t, http.MethodPost, answer, f.wg, `{"body":"On **30 April**."}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "lead_institution", decode(t, rec)["answered_as"])
	rec = f.Do(t, http.MethodGet, url, "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "<p>On <strong>30 April</strong>.</p>\n", decode(t, rec)["items"].([]any)[0].(map[string]any)["answer_html"])
}

// implementationChanged is the event that invalidates the dashboard of f's process.
func implementationChanged(t *testing.T, f *implEnv) event.ImplementationChanged {
	t.Helper()
	var id int64
	require.NoError(t, f.DB.Raw("SELECT id FROM processes WHERE slug = ?", f.slug).Scan(&id).Error)
	return event.ImplementationChanged{ProcessID: id}
}

// plainCommitment is a commitment without accounts in its working group.
func plainCommitment(title string) string {
	return strings.Replace(commitmentBody(title), `,"account_email":"wg@example.org"`, "", 1)
}

// implRows is what the authorization table's implementation rows act on: a
// commitment of plan-2027 made by its owner, with one published update, and
// fresh commitments, drafts and questions made for a row's each request.
type implRows struct {
	t          *testing.T
	sys        *testEnv
	owner      auth.Principal
	commitment commitment.Detail
	update     int64
	fresh      int64 // the commitment, draft or question the last setup made
}

func newImplRows(t *testing.T, env *testEnv, ownerID int64) *implRows {
	t.Helper()
	ctx := context.Background()
	_, _, err := env.Sys.Processes.Publish(ctx, auth.System, "plan-2027")
	require.NoError(t, err)
	r := &implRows{t: t, sys: env, owner: auth.Principal{UserID: ownerID, Verified: true}}
	r.commitment = r.newOne(t)
	u, err := env.Sys.Commitments.CreateUpdate(ctx, r.owner, r.commitment.ID, r.input("government"))
	require.NoError(t, err)
	_, err = env.Sys.Commitments.Publish(ctx, r.owner, u.ID, u.Revision)
	require.NoError(t, err)
	r.update = u.ID
	return r
}

func (r *implRows) newOne(t *testing.T) commitment.Detail {
	t.Helper()
	d, err := r.sys.Sys.Commitments.Create(context.Background(), r.owner, "plan-2027", commitment.CommitmentInput{Title: "Open contracting register",
		LeadInstitution: "City", StartsOn: "2027-01-04", EndsOn: "2027-12-31",
		Milestones: []commitment.MilestoneInput{{Title: "Register online", DueOn: "2027-04-30"}}})
	require.NoError(t, err)
	return d
}

// input is an update stating every milestone the commitment has now (a
// row may have replaced them).
func (r *implRows) input(kind string) commitment.UpdateInput {
	in := commitment.UpdateInput{Kind: kind, Progress: "Progress", NextSteps: "Next"}
	d, err := r.sys.Sys.Commitments.Get(context.Background(), r.owner, r.commitment.ID)
	require.NoError(r.t, err)
	for _, m := range d.Milestones {
		in.Milestones = append(in.Milestones, commitment.StateInput{MilestoneID: m.ID, State: "in_progress"})
	}
	return in
}

func (r *implRows) url(suffix string) string {
	return fmt.Sprintf("/api/v1/commitments/%d%s", r.commitment.ID, suffix)
}

func (r *implRows) published(suffix string) string {
	return fmt.Sprintf("/api/v1/progress-updates/%d%s", r.update, suffix)
}

func (r *implRows) updateBody(kind string) string {
	var c commitmentJSON
	for _, st := range r.input(kind).Milestones {
		c.Milestones = append(c.Milestones, struct {
			ID    int64
			Title string
		}{ID: st.MilestoneID})
	}
	return updateBody(c, kind, "Progress by {p}")
}

// create is a new update of the commitment, stating the milestones it has
// when the request is sent.
func (r *implRows) create(suffix string) func(*testing.T, *testEnv) (string, string) {
	return func(*testing.T, *testEnv) (string, string) { return r.url(suffix), r.updateBody("government") }
}

// replace is the PUT of the commitment on its current revision.
func (r *implRows) replace(t *testing.T, env *testEnv) (string, string) {
	var rev int
	require.NoError(t, env.DB.Raw("SELECT revision FROM commitments WHERE id = ?", r.commitment.ID).Scan(&rev).Error)
	body := strings.Replace(plainCommitment("Renamed by {p}"), `{"title"`, fmt.Sprintf(`{"revision":%d,"title"`, rev), 1)
	// The milestone the published update reports stays, by its id.
	return r.url(""), strings.Replace(body, `{"title":"Register online"`, fmt.Sprintf(`{"id":%d,"title":"Register online"`, r.commitment.Milestones[0].ID), 1)
}

func (r *implRows) newCommitment(t *testing.T, _ *testEnv) { r.fresh = r.newOne(t).ID }

func (r *implRows) withdraw(*testing.T, *testEnv) (string, string) {
	return fmt.Sprintf("/api/v1/commitments/%d/withdraw", r.fresh), `{"revision":1,"reason":"Merged into another"}`
}

func (r *implRows) newQuestion(t *testing.T, env *testEnv) {
	q, err := env.Sys.Commitments.Ask(context.Background(), r.owner, r.commitment.ID, "A question")
	require.NoError(t, err)
	r.fresh = q.ID
}

func (r *implRows) question(suffix, body string) func(*testing.T, *testEnv) (string, string) {
	return func(*testing.T, *testEnv) (string, string) {
		return fmt.Sprintf("/api/v1/questions/%d%s", r.fresh, suffix), body
	}
}

func (r *implRows) newDraft(kind string) func(*testing.T, *testEnv) {
	return func(t *testing.T, env *testEnv) {
		u, err := env.Sys.Commitments.CreateUpdate(context.Background(), r.owner, r.commitment.ID, r.input(kind))
		require.NoError(t, err)
		r.fresh = u.ID
	}
}

// draft is a request on the last fresh draft, at revision 1; with edit, the PATCH body.
func (r *implRows) draft(suffix string, edit bool) func(*testing.T, *testEnv) (string, string) {
	return func(*testing.T, *testEnv) (string, string) {
		body := `{"revision":1}`
		switch {
		case edit:
			body = strings.Replace(r.updateBody("government"), `{"kind"`, `{"revision":1,"kind"`, 1)
		case suffix == "/dissent":
			body = `{"revision":1,"note":"Not in my name"}`
		case suffix == "":
			body = ""
		}
		return fmt.Sprintf("/api/v1/progress-updates/%d%s", r.fresh, suffix), body
	}
}
