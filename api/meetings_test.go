package api_test

import (
	"context"
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
)

// publishProcess opens a process to the public (it is prepared unpublished).
func (e *testEnv) publishProcess(t *testing.T, slug string) {
	t.Helper()
	require.NoError(t, e.DB.Exec("UPDATE processes SET published_at = coalesce(published_at, now()) WHERE slug = ?", slug).Error)
}

// fieldsOf returns the fields named by a 422's error envelope.
func fieldsOf(t *testing.T, b map[string]any) []string {
	t.Helper()
	e := b["error"].(map[string]any)
	var out []string
	for _, f := range e["fields"].([]any) {
		out = append(out, f.(map[string]any)["field"].(string))
	}
	return out
}

// TestForumInstitutionOverHTTP: the decision rule with its parameters, the
// terms of reference, declarations, recusal and withdrawal through the real
// router (responses checked against the spec).
func TestForumInstitutionOverHTTP(t *testing.T) {
	f := newForumEnv(t, "")
	f.publishProcess(t, f.slug)
	settings := "/api/v1/processes/" + f.slug + "/forum/settings"
	rec := f.Do(t, http.MethodPut, settings, f.owner, `{"signing_rule":"qualified","target_days":20,"qualified_num":1,"qualified_den":2}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Equal(t, []string{"qualified_fraction"}, fieldsOf(t, decode(t, rec)))
	rec = f.Do(t, http.MethodPut, settings, f.gov, `{"signing_rule":"equal_veto","target_days":20}`)
	require.Equal(t, http.StatusForbidden, rec.Code)
	rec = f.Do(t, http.MethodPut, settings, f.owner, `{"signing_rule":"qualified","target_days":20,"qualified_num":3,"qualified_den":4}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rule := decode(t, rec)["rule"].(map[string]any)
	require.Equal(t, map[string]any{"name": "qualified", "qualified_num": float64(3), "qualified_den": float64(4), "consensus_hours": nil}, rule)
	require.Equal(t, int64(0), countRows(t, f.testEnv, "ledger_entries", ""), "the ledger has not begun")

	terms := "/api/v1/processes/" + f.slug + "/forum/terms"
	rec = f.Do(t, http.MethodPut, terms, f.owner, `{"remit":"Co-create the plan.","meetings_per_quarter":14}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Equal(t, []string{"meetings_per_quarter"}, fieldsOf(t, decode(t, rec)))
	rec = f.Do(t, http.MethodPut, terms, f.owner, `{"remit":"Co-create the *plan*.","quorum":"Half of each side.","meetings_per_quarter":3}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = f.Do(t, http.MethodPut, "/api/v1/processes/"+f.slug+"/forum/declaration", f.cit1, `{"none":true}`)
	require.Equal(t, http.StatusForbidden, rec.Code)
	rec = f.Do(t, http.MethodPut, "/api/v1/processes/"+f.slug+"/forum/declaration", f.civil, `{"none":true,"body":"Both?"}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Equal(t, []string{"body"}, fieldsOf(t, decode(t, rec)))
	rec = f.Do(t, http.MethodPut, "/api/v1/processes/"+f.slug+"/forum/declaration", f.civil, `{"body":"I chair the Open Budget association."}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = f.Do(t, http.MethodGet, terms, "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	body := decode(t, rec)
	require.Contains(t, body["remit_html"], "<em>plan</em>")
	require.Equal(t, float64(3), body["meetings_per_quarter"])
	members := body["members"].([]any)
	require.Len(t, members, 3)
	declared := 0
	for _, m := range members {
		if d, ok := m.(map[string]any)["declaration"].(map[string]any); ok {
			declared++
			require.Contains(t, d["body_html"], "Open Budget")
		}
	}
	require.Equal(t, 1, declared)
	membership := int64(members[0].(map[string]any)["id"].(float64))
	rec = f.Do(t, http.MethodPut, fmt.Sprintf("/api/v1/processes/%s/forum/memberships/%d", f.slug, membership), f.owner,
		`{"selection":"elected","term_start":"2027-13-01"}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Equal(t, []string{"term_start"}, fieldsOf(t, decode(t, rec)))
	rec = f.Do(t, http.MethodPut, fmt.Sprintf("/api/v1/processes/%s/forum/memberships/%d", f.slug, membership), f.owner,
		`{"selection":"open_call","term_start":"2027-01-01","term_end":"2028-12-31"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, int64(1), countRows(t, f.testEnv, "forum_memberships", fmt.Sprintf("id = %d AND selection = 'open_call'", membership)))

	// Under three quarters of three members, a recusal leaves two to count:
	// both must sign.
	r := f.draft(t, f.gov, fmt.Sprintf(`{"disposition":"noted","reasoning":"Noted.","covers":[{"kind":"idea","id":%d}]}`, f.ideas[0].ID))
	rec = f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/responses/%d/recuse", r.ID), f.other, `{"revision":1,"note":"I wrote the idea's study."}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	verdict := decode(t, rec)["verdict"].(map[string]any)
	require.Equal(t, float64(2), verdict["needed"])
	r = f.sign(t, f.gov, r, http.StatusOK)
	rec = f.Do(t, http.MethodDelete, fmt.Sprintf("/api/v1/responses/%d/signature", r.ID), f.civil, "")
	require.Equal(t, http.StatusConflict, rec.Code)
	require.Equal(t, "forum.not_signed", errCode(decode(t, rec)))
	rec = f.Do(t, http.MethodDelete, fmt.Sprintf("/api/v1/responses/%d/signature", r.ID), f.other, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, float64(2), decode(t, rec)["verdict"].(map[string]any)["needed"], "three quarters of three, rounded up")
	r = f.sign(t, f.other, r, http.StatusOK)
	r = f.sign(t, f.civil, r, http.StatusOK)
	require.Equal(t, "published", r.State)
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/responses/%d", r.ID), "", "")
	require.Equal(t, "qualified", decode(t, rec)["rule"].(map[string]any)["name"])
	require.Nil(t, decode(t, rec)["verdict"])

	// The ledger has begun: a change of rule is an entry, and the ledger page lists it.
	rec = f.Do(t, http.MethodPut, settings, f.owner, `{"signing_rule":"equal_veto","target_days":20}`)
	require.Equal(t, http.StatusOK, rec.Code)
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Contains(t, rec.Body.String(), `"kind":"rule_change"`)
	require.Regexp(t, `"msg":"ledger append","process":"ideas-2028","seq":2,.*"kind":"rule_change","rule":"equal_veto"`, f.Logs.String())
	require.Equal(t, true, f.verify(t)["ok"])
}

// TestMeetingsOverHTTP: an owner publishes a meeting with an agenda, a
// citizen registers and sends input, the owner adds minutes once it has
// started; bad input is a 422 naming the fields, and stores nothing.
func TestMeetingsOverHTTP(t *testing.T) {
	f := newForumEnv(t, "")
	f.publishProcess(t, f.slug)
	url := "/api/v1/processes/" + f.slug + "/meetings"
	rec := f.Do(t, http.MethodPost, url, f.owner, `{"kind":"open","title":"","starts":"2027-03-28T02:30","ends":"2027-03-28T04:00",`+
		`"time_zone":"Europe/Paris","remote_url":"http://meet.example.org/x","capacity":0}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	require.ElementsMatch(t, []string{"title", "starts", "remote_url", "capacity"}, fieldsOf(t, decode(t, rec)))
	rec = f.Do(t, http.MethodPost, url, f.owner, `{"kind":"open","title":"X","starts":"2027-04-01T18:00","ends":"2027-04-01T19:00","time_zone":"Moon/Base","place":"Hall"}`)
	require.Equal(t, []string{"time_zone"}, fieldsOf(t, decode(t, rec)))
	require.Equal(t, int64(0), countRows(t, f.testEnv, "meetings", ""))

	body := `{"kind":"open","title":"Open meeting on the draft","starts":"2027-03-15T14:00","ends":"2027-03-15T16:00",` +
		`"time_zone":"Europe/Paris","place":"City hall","remote_url":"https://meet.example.org/plan","agenda":"1. Budget","capacity":1}`
	rec = f.Do(t, http.MethodPost, url, f.owner, body, "Idempotency-Key", "meeting-1")
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	id := decodeID(t, rec.Body.Bytes())
	require.Equal(t, "draft", decode(t, rec)["state"])
	require.Equal(t, "2027-03-15T13:00:00Z", decode(t, rec)["starts_at"])
	rec = f.Do(t, http.MethodPost, url, f.owner, body, "Idempotency-Key", "meeting-1")
	require.Equal(t, id, decodeID(t, rec.Body.Bytes()), "a retry is answered from the first")
	require.Equal(t, int64(1), countRows(t, f.testEnv, "meetings", ""))
	meetingURL := fmt.Sprintf("/api/v1/meetings/%d", id)
	require.Equal(t, http.StatusNotFound, f.Do(t, http.MethodGet, meetingURL, f.cit1, "").Code)
	rec = f.Do(t, http.MethodPost, meetingURL+"/publish", f.owner, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "upcoming", decode(t, rec)["state"])

	rec = f.Do(t, http.MethodPut, meetingURL+"/registration", f.cit1, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, map[string]any{"status": "confirmed", "position": nil}, decode(t, rec)["viewer"].(map[string]any)["registration"])
	rec = f.Do(t, http.MethodPut, meetingURL+"/registration", f.cit2, "")
	require.Equal(t, map[string]any{"status": "waiting", "position": float64(1)}, decode(t, rec)["viewer"].(map[string]any)["registration"])
	rec = f.Do(t, http.MethodPost, meetingURL+"/inputs", f.cit1, `{"body":"Please add the tram line."}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Equal(t, "published", decode(t, rec)["status"])
	rec = f.Do(t, http.MethodPost, meetingURL+"/inputs", f.cit1, `{"body":"   "}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	rec = f.Do(t, http.MethodGet, meetingURL+"/inputs", "", "")
	require.Len(t, decode(t, rec)["items"], 1)
	rec = f.Do(t, http.MethodGet, meetingURL+"/registrations", f.owner, "")
	require.Len(t, decode(t, rec)["items"], 2)

	rec = f.Do(t, http.MethodPost, meetingURL+"/minutes", f.owner, `{"body":"We met."}`)
	require.Equal(t, http.StatusConflict, rec.Code)
	require.Equal(t, "meeting.not_held", errCode(decode(t, rec)))
	f.Clock.Advance(2 * time.Hour)
	f.owner = f.freshToken(t, "owner@example.org") // access tokens last 15 minutes
	rec = f.Do(t, http.MethodPost, meetingURL+"/minutes", f.owner, `{"body":"We agreed.","others_present":-2}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	require.Equal(t, []string{"others_present"}, fieldsOf(t, decode(t, rec)))
	rec = f.Do(t, http.MethodPost, meetingURL+"/minutes", f.owner, `{"body":"We **agreed**.","others_present":14}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	rec = f.Do(t, http.MethodGet, meetingURL, "", "")
	minutes := decode(t, rec)["minutes"].([]any)
	require.Len(t, minutes, 1)
	require.Contains(t, minutes[0].(map[string]any)["body_html"], "<strong>agreed</strong>")
	require.Equal(t, "in_progress", decode(t, rec)["state"])

	rec = f.Do(t, http.MethodGet, url+"?when=later", "", "")
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	rec = f.Do(t, http.MethodGet, url+"?when=upcoming", "", "")
	require.Len(t, decode(t, rec)["items"], 1, "it has not ended")
	rec = f.Do(t, http.MethodGet, url+"?cursor=bm9wZQ", "", "")
	require.Equal(t, http.StatusBadRequest, rec.Code)
	rec = f.Do(t, http.MethodGet, url+"/frequency", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.True(t, strings.Contains(rec.Body.String(), `"target_per_quarter":1`))
}

// TestRuleChangesVerifyWithTheDocumentedSnippet: a ledger holding responses
// and a rule change verifies with docs/ledger.md's script, which counts the
// entries of each kind; tampering with the rule change is found.
func TestRuleChangesVerifyWithTheDocumentedSnippet(t *testing.T) {
	node, err := exec.LookPath("node")
	require.NoError(t, err, "Node.js runs the documented check")
	f := newForumEnv(t, "")
	f.sign(t, f.gov, f.draft(t, f.gov, fmt.Sprintf(`{"disposition":"noted","reasoning":"First.","covers":[{"kind":"idea","id":%d}]}`, f.ideas[0].ID)), http.StatusOK)
	rec := f.Do(t, http.MethodPut, "/api/v1/processes/"+f.slug+"/forum/settings", f.owner, `{"signing_rule":"consensus","target_days":20,"consensus_hours":24}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	r := f.draft(t, f.gov, fmt.Sprintf(`{"disposition":"noted","reasoning":"Second.","covers":[{"kind":"idea","id":%d}]}`, f.ideas[1].ID))
	f.sign(t, f.civil, r, http.StatusOK)
	f.Clock.Advance(25 * time.Hour)
	n, err := f.Sys.Forum.PublishDue(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, n)

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
	require.Contains(t, out, "kinds response=2 rule_change=1")
	require.Regexp(t, `ok 3 [0-9a-f]{64}`, out)

	require.NoError(t, f.DB.Transaction(func(tx *gorm.DB) error {
		require.NoError(t, tx.Exec("SET LOCAL session_replication_role = replica").Error)
		return tx.Exec(`UPDATE ledger_entries SET fields = replace(fields, '"consensus_hours":24', '"consensus_hours":2') WHERE seq = 2`).Error
	}))
	out, err = run()
	require.Error(t, err)
	require.Contains(t, out, "broken at seq 2")
	require.Equal(t, float64(2), f.verify(t)["first_broken_seq"])
}
