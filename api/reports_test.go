package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// reportFixture is a public process with a draft and three comments by two
// citizens (one of them a formula, for the CSV), an owner, a moderator and
// a hidden comment.
type reportFixture struct {
	env                    *testEnv
	owner, moderator       string
	alice, bob             string
	aliceID, bobID         int64
	first, formula, hidden int64
	url                    string
}

func newReportFixture(t *testing.T) *reportFixture {
	t.Helper()
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	f := &reportFixture{env: env, url: "/api/v1/processes/plan-2027/reports"}
	f.owner = makeUser(t, env, "owner@example.org", false)
	f.moderator = makeUser(t, env, "moderator@example.org", false)
	f.alice = makeUser(t, env, "alice@example.org", false)
	f.bob = makeUser(t, env, "bob@example.org", false)
	env.grantRole(t, "plan-2027", "owner@example.org", "owner")
	env.grantRole(t, "plan-2027", "moderator@example.org", "moderator")
	require.NoError(t, env.DB.Raw("SELECT id FROM users WHERE email = 'alice@example.org'").Scan(&f.aliceID).Error)
	require.NoError(t, env.DB.Raw("SELECT id FROM users WHERE email = 'bob@example.org'").Scan(&f.bobID).Error)
	doc := env.createDraft(t, "plan-2027", draftV1)
	key := env.latest(t, doc).keyOf(t, "council budgets")
	f.first = env.comment(t, f.alice, doc, commentBody(key, 1, "Monthly is too rare.", "")).ID
	f.formula = env.comment(t, f.bob, doc, commentBody(key, 1, "=HYPERLINK(\"http://evil.example\")", "")).ID
	f.hidden = env.comment(t, f.alice, doc, commentBody(key, 1, "A third thought.", "")).ID
	require.NoError(t, env.DB.Exec("UPDATE comments SET status = 'hidden' WHERE id = ?", f.hidden).Error)
	return f
}

// stored counts what a publication leaves behind.
type stored struct{ Reports, Entries, Mails int }

func (f *reportFixture) stored(t *testing.T) stored {
	t.Helper()
	var s stored
	require.NoError(t, f.env.DB.Raw(`SELECT (SELECT count(*) FROM reports) AS reports,
		(SELECT count(*) FROM ledger_entries WHERE kind = 'report') AS entries,
		(SELECT count(*) FROM outbox WHERE kind = 'report_published') AS mails`).Scan(&s).Error)
	return s
}

type publishedReportJSON struct {
	Number        int             `json:"number"`
	Phase         *string         `json:"phase"`
	ContentSHA256 string          `json:"content_sha256"`
	LedgerSeq     int64           `json:"ledger_seq"`
	Supersedes    *int            `json:"supersedes"`
	SupersededBy  *int            `json:"superseded_by"`
	Report        json.RawMessage `json:"report"`
}

func (f *reportFixture) publish(t *testing.T, body string, headers ...string) publishedReportJSON {
	t.Helper()
	rec := f.env.Do(t, http.MethodPost, f.url, f.owner, body, headers...)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var p publishedReportJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	return p
}

// TestReportWhoMayPreviewAndPublish: only owners and administrators preview
// and publish; the others are refused and nothing is stored; an unpublished
// process's reports are not found by strangers.
func TestReportWhoMayPreviewAndPublish(t *testing.T) {
	f := newReportFixture(t)
	env := f.env
	for _, tt := range []struct {
		name, token string
		want        int
		code        string
	}{
		{"requires authentication", "", http.StatusUnauthorized, "auth.required"},
		{"a citizen may not", f.alice, http.StatusForbidden, "report.not_owner"},
		{"a moderator may not", f.moderator, http.StatusForbidden, "report.not_owner"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, http.MethodGet, f.url+"/preview", tt.token, "")
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			code, _ := errorOf(t, rec)
			require.Equal(t, tt.code, code)
			rec = env.Do(t, http.MethodPost, f.url, tt.token, `{}`)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
		})
	}
	require.Equal(t, stored{}, f.stored(t))

	rec := env.Do(t, http.MethodGet, f.url+"/preview", f.owner, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodGet, f.url+"/preview", env.AdminToken(t), "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	env.createUnpublished(t, "plan-hidden")
	for _, token := range []string{f.alice, f.owner} {
		rec = env.Do(t, http.MethodPost, "/api/v1/processes/plan-hidden/reports", token, `{}`)
		require.Equal(t, http.StatusNotFound, rec.Code, rec.Body.String())
		rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-hidden/reports", token, "")
		require.Equal(t, http.StatusNotFound, rec.Code, rec.Body.String())
	}
	require.Equal(t, stored{}, f.stored(t))
}

// TestReportBadInputStoresNothing: an unknown phase, a hidden comment, a
// contribution of another process or a malformed ref is refused with 422,
// and no report, ledger entry or e-mail is stored.
func TestReportBadInputStoresNothing(t *testing.T) {
	f := newReportFixture(t)
	env := f.env
	env.createProcess(t, "plan-other")
	otherDoc := env.createDraft(t, "plan-other", draftV1)
	otherKey := env.latest(t, otherDoc).keyOf(t, "council budgets")
	foreign := env.comment(t, f.bob, otherDoc, commentBody(otherKey, 1, "Elsewhere.", "")).ID
	for _, tt := range []struct {
		name, body, field string
	}{
		{"unknown phase", `{"phase":"drafting"}`, "phase:unknown"},
		{"not a phase", `{"phase":"later"}`, "phase:unknown"},
		{"hidden comment", fmt.Sprintf(`{"representative":["comment:%d","comment:%d"]}`, f.first, f.hidden), "representative[1]:not_public"},
		{"another process's comment", fmt.Sprintf(`{"representative":["comment:%d"]}`, foreign), "representative[0]:not_public"},
		{"malformed ref", `{"representative":["comment"]}`, "representative[0]:format"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, http.MethodPost, f.url, f.owner, tt.body)
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
			code, fields := errorOf(t, rec)
			require.Equal(t, "report.invalid", code)
			require.Equal(t, []string{tt.field}, fields)
		})
	}
	rec := env.Do(t, http.MethodGet, fmt.Sprintf("%s/preview?representative=comment:%d", f.url, f.hidden), f.owner, "")
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodPost, f.url, f.owner, `{"unknown":1}`)
	require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
	require.Equal(t, stored{}, f.stored(t))
}

// TestReportPublishedFrozenAndInTheLedger: a published report is stored with
// the SHA-256 of the JSON the export serves, recorded in the ledger (which
// verifies), cannot change, and a revision supersedes it while both stay
// readable; the CSV has every figure, its text cells neutralised.
func TestReportPublishedFrozenAndInTheLedger(t *testing.T) {
	f := newReportFixture(t)
	env := f.env
	rep := f.publish(t, fmt.Sprintf(`{"representative":["comment:%d"]}`, f.formula))
	require.Equal(t, 1, rep.Number)
	require.Nil(t, rep.Supersedes)
	require.Nil(t, rep.SupersededBy)
	var content struct {
		YouSaid struct {
			Contributions struct{ Comments int } `json:"contributions"`
			Participants  struct {
				Value      *int `json:"value"`
				Suppressed bool `json:"suppressed"`
			} `json:"participants"`
		} `json:"you_said"`
	}
	require.NoError(t, json.Unmarshal(rep.Report, &content))
	require.Equal(t, 2, content.YouSaid.Contributions.Comments, "the hidden comment is not published")
	require.True(t, content.YouSaid.Participants.Suppressed, "two people: fewer than 5")
	require.Nil(t, content.YouSaid.Participants.Value)

	// The stored row, the export and the ledger entry agree on the hash.
	var row struct {
		Content, ContentHash string
		LedgerSeq            int64
	}
	require.NoError(t, env.DB.Raw("SELECT content, content_hash, ledger_seq FROM reports WHERE number = 1").Scan(&row).Error)
	sum := sha256.Sum256([]byte(row.Content))
	require.Equal(t, hex.EncodeToString(sum[:]), row.ContentHash)
	require.Equal(t, row.ContentHash, rep.ContentSHA256)
	rec := env.Do(t, http.MethodGet, f.url+"/1/export", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	sum = sha256.Sum256(rec.Body.Bytes())
	require.Equal(t, rep.ContentSHA256, hex.EncodeToString(sum[:]), "the export is the hashed bytes")

	rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/ledger?kind=report", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var page struct {
		Items []struct {
			Seq    int64          `json:"seq"`
			Fields map[string]any `json:"fields"`
		} `json:"items"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
	require.Len(t, page.Items, 1)
	require.Equal(t, row.LedgerSeq, page.Items[0].Seq)
	require.Equal(t, map[string]any{"v": 1.0, "kind": "report", "process": "plan-2027", "recorded_at": "2027-03-15T12:00:00Z",
		"report": 1.0, "phase": nil, "content_sha256": rep.ContentSHA256, "supersedes": nil}, page.Items[0].Fields)
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/ledger/verify", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, true, decode(t, rec)["ok"], rec.Body.String())

	// Immutable, even to the database's owner.
	err := env.DB.Exec("UPDATE reports SET content = '{}' WHERE number = 1").Error
	require.ErrorContains(t, err, "cannot change")
	require.Error(t, env.DB.Exec("DELETE FROM reports WHERE number = 1").Error)

	// The CSV: every figure, formulas neutralised.
	rec = env.Do(t, http.MethodGet, f.url+"/1/export?format=csv", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "text/csv; charset=utf-8", rec.Header().Get("Content-Type"))
	csv := rec.Body.String()
	require.Contains(t, csv, "section,figure,group,value\n")
	require.Contains(t, csv, "you_said,contributions,comments,2\n")
	require.Contains(t, csv, "you_said,participants,,fewer than 5\n")
	require.Contains(t, csv, `'=HYPERLINK(""http://evil.example"")`)
	require.NotContains(t, csv, `,"=HYPERLINK`)

	// A revision supersedes the first; both stay readable.
	rev := f.publish(t, `{}`)
	require.Equal(t, 2, rev.Number)
	require.Equal(t, 1, *rev.Supersedes)
	rec = env.Do(t, http.MethodGet, f.url+"/1", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	var old publishedReportJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &old))
	require.Equal(t, 2, *old.SupersededBy)
	require.Equal(t, rep.ContentSHA256, old.ContentSHA256)
	rec = env.Do(t, http.MethodGet, f.url, "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Contains(t, rec.Body.String(), `"number":2`)
	rec = env.Do(t, http.MethodGet, f.url+"/3", "", "")
	require.Equal(t, http.StatusNotFound, rec.Code)
	code, _ := errorOf(t, rec)
	require.Equal(t, "report.not_found", code)
	rec = env.Do(t, http.MethodGet, f.url+"/1/export?format=pdf", "", "")
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
}

// TestReportConcurrentPublishes: two publications at once make two reports
// numbered 1 and 2, the second superseding the first, with two ledger
// entries in order and a chain that verifies.
func TestReportConcurrentPublishes(t *testing.T) {
	f := newReportFixture(t)
	env := f.env
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = env.Do(t, http.MethodPost, f.url, f.owner, `{}`).Code
		}()
	}
	wg.Wait()
	require.Equal(t, []int{201, 201}, codes)
	var rows []struct {
		Number     int
		LedgerSeq  int64
		Supersedes *int64
		ID         int64
	}
	require.NoError(t, env.DB.Raw("SELECT id, number, ledger_seq, supersedes FROM reports ORDER BY number").Scan(&rows).Error)
	require.Len(t, rows, 2)
	require.Equal(t, 1, rows[0].Number)
	require.Equal(t, 2, rows[1].Number)
	require.Nil(t, rows[0].Supersedes)
	require.Equal(t, rows[0].ID, *rows[1].Supersedes)
	require.Less(t, rows[0].LedgerSeq, rows[1].LedgerSeq)
	require.Equal(t, 2, f.stored(t).Entries)
	var fields []string
	require.NoError(t, env.DB.Raw("SELECT fields FROM ledger_entries WHERE kind = 'report' ORDER BY seq").Scan(&fields).Error)
	require.True(t, strings.Contains(fields[0], `"report":1`) && strings.Contains(fields[1], `"report":2,"supersedes":1`) ||
		strings.Contains(fields[1], `"supersedes":1`), "%v", fields)
	rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/ledger/verify", "", "")
	require.Equal(t, true, decode(t, rec)["ok"], rec.Body.String())
}

// TestReportEntryVerifiesWithTheDocumentedSnippet: a ledger with a report's
// entry passes docs/ledger.md's Node.js check, which counts it as its kind,
// and the report's export hashes to the entry's content_sha256.
func TestReportEntryVerifiesWithTheDocumentedSnippet(t *testing.T) {
	node, err := exec.LookPath("node")
	require.NoError(t, err)
	f := newReportFixture(t)
	env := f.env
	rep := f.publish(t, `{}`)
	_, err = env.Sys.Ledger.CheckpointAll(context.Background(), time.Now())
	require.NoError(t, err)

	doc, err := os.ReadFile("../docs/ledger.md")
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)<!-- verify-snippet:start -->\n```js\n(.*?)```\n<!-- verify-snippet:end -->").FindSubmatch(doc)
	require.NotNil(t, m)
	dir := t.TempDir()
	script := filepath.Join(dir, "verify.mjs")
	require.NoError(t, os.WriteFile(script, m[1], 0o600))
	keys := pinLedgerKeys(t, env, dir)
	rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/ledger/export", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	file := filepath.Join(dir, "ledger.jsonl")
	require.NoError(t, os.WriteFile(file, rec.Body.Bytes(), 0o600))
	out, err := exec.Command(node, script, file, keys).CombinedOutput()
	require.NoError(t, err, string(out))
	require.Contains(t, string(out), "kinds report=1")
	require.Regexp(t, `ok 1 [0-9a-f]{64}`, string(out))
	require.Contains(t, rec.Body.String(), `"content_sha256":"`+rep.ContentSHA256+`"`)
}

// TestReportTellsEachContributorOnce: publishing e-mails every contributor
// of the scope once, with links to the report and to their own
// contributions; a retry with the same Idempotency-Key replays the answer,
// and a revision e-mails nobody again; a phase's report is another scope.
func TestReportTellsEachContributorOnce(t *testing.T) {
	f := newReportFixture(t)
	env := f.env
	mails := func() map[int64]string {
		var rows []struct {
			UserID int64
			Body   string
		}
		require.NoError(t, env.DB.Raw("SELECT user_id, recipient || E'\\n' || subject || E'\\n' || body AS body FROM outbox WHERE kind = 'report_published' ORDER BY id").Scan(&rows).Error)
		out := map[int64]string{}
		for _, r := range rows {
			_, dup := out[r.UserID]
			require.False(t, dup, "user %d e-mailed twice", r.UserID)
			out[r.UserID] = r.Body
		}
		return out
	}
	first := f.publish(t, `{}`, "Idempotency-Key", "report-1")
	got := mails()
	require.Len(t, got, 2, "alice and bob; not the owner, not the moderator")
	alice := got[f.aliceID]
	require.Contains(t, alice, "alice@example.org\n")
	require.Contains(t, alice, "http://127.0.0.1:8080/processes/plan-2027/reports/1")
	require.Contains(t, alice, "http://127.0.0.1:8080/account/comments")
	require.Contains(t, alice, "Your published contributions to this process: 1")
	require.Contains(t, got[f.bobID], "bob@example.org\n")

	rec := env.Do(t, http.MethodPost, f.url, f.owner, `{}`, "Idempotency-Key", "report-1")
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Equal(t, "true", rec.Header().Get("Idempotent-Replayed"))
	var replay publishedReportJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &replay))
	require.Equal(t, first.Number, replay.Number)
	require.Equal(t, stored{Reports: 1, Entries: 1, Mails: 2}, f.stored(t))

	f.publish(t, `{}`) // a revision, or a retry without a key
	require.Equal(t, stored{Reports: 2, Entries: 2, Mails: 2}, f.stored(t))

	f.publish(t, `{"phase":"public_comment"}`)
	require.Equal(t, stored{Reports: 3, Entries: 3, Mails: 4}, f.stored(t))
	var perPerson []int
	require.NoError(t, env.DB.Raw("SELECT count(*) FROM outbox WHERE kind = 'report_published' GROUP BY user_id").Scan(&perPerson).Error)
	require.Equal(t, []int{2, 2}, perPerson, "once for the process, once for the phase")
}

// TestAnalyticsForTheTeamOnly: owners and moderators read the live figures,
// with small cells suppressed; a citizen is refused, and a stranger to an
// unpublished process is told it does not exist.
func TestAnalyticsForTheTeamOnly(t *testing.T) {
	f := newReportFixture(t)
	env := f.env
	for _, token := range []string{f.owner, f.moderator} {
		rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/analytics", token, "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var a struct {
			Daily []struct {
				Day           string         `json:"day"`
				Contributions map[string]any `json:"contributions"`
			} `json:"daily"`
			Participants []map[string]any `json:"participants_by_week"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &a))
		require.Len(t, a.Daily, 1)
		require.Equal(t, "2027-03-15", a.Daily[0].Day)
		require.Equal(t, map[string]any{"value": nil, "suppressed": true}, a.Daily[0].Contributions)
		require.Len(t, a.Participants, 1)
	}
	rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027/analytics", f.alice, "")
	require.Equal(t, http.StatusForbidden, rec.Code)
	code, _ := errorOf(t, rec)
	require.Equal(t, "report.not_analyst", code)
	env.createUnpublished(t, "plan-hidden")
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-hidden/analytics", f.moderator, "")
	require.Equal(t, http.StatusNotFound, rec.Code)
}
