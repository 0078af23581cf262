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
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/ledger"
)

// forumEnv is an idea-collection process with a forum: a government, a
// civil-society and an "other" member, two citizens with ideas and comments.
type forumEnv struct {
	*testEnv
	slug                    string
	gov, civil, other, cit1 string
	cit2, moderator, owner  string
	theme                   int64
	ideas                   []ideaJSON
	comment                 int64 // by cit2, on ideas[0]
}

func newForumEnv(t *testing.T, rule string) *forumEnv {
	t.Helper()
	env := newTestEnv(t)
	f := &forumEnv{testEnv: env, slug: "ideas-2028"}
	f.theme, _ = env.createIdeaProcess(t, f.slug, 0, false)
	tok := func(name string) string { return makeUser(t, env, name+"@example.org", false) }
	f.gov, f.civil, f.other, f.cit1, f.cit2, f.moderator, f.owner = tok("gov"), tok("civil"), tok("other"), tok("cit1"), tok("cit2"), tok("mod"), tok("owner")
	for who, seat := range map[string]string{"gov": "government", "civil": "civil_society", "other": "other"} {
		require.NoError(t, env.DB.Exec(`INSERT INTO process_roles (process_id, user_id, role, seat, organisation)
			SELECT p.id, u.id, 'forum_member', ?, ? FROM processes p, users u WHERE p.slug = ? AND u.email = ?`,
			seat, "Org of "+who, f.slug, who+"@example.org").Error)
	}
	env.grantRole(t, f.slug, "mod@example.org", "moderator")
	env.grantRole(t, f.slug, "owner@example.org", "owner")
	if rule != "" {
		rec := env.Do(t, http.MethodPut, "/api/v1/processes/"+f.slug+"/forum/settings", f.owner, fmt.Sprintf(`{"signing_rule":%q,"target_days":20}`, rule))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	}
	f.ideas = append(f.ideas, env.idea(t, f.cit1, f.slug, f.theme, "Publish the budget as open data"),
		env.idea(t, f.cit1, f.slug, f.theme, "Open the budget data every month"),
		env.idea(t, f.cit2, f.slug, f.theme, "Plant trees on every street"))
	rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/ideas/%d/comments", f.ideas[0].ID), f.cit2, `{"body":"Yes, and the contracts too."}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	f.comment = decodeID(t, rec.Body.Bytes())
	return f
}

func (f *forumEnv) draft(t *testing.T, token, body string) responseJSON {
	t.Helper()
	rec := f.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/forum/responses", token, body)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	return decodeResponse(t, rec.Body.Bytes())
}

func (f *forumEnv) sign(t *testing.T, token string, r responseJSON, want int) responseJSON {
	t.Helper()
	rec := f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/responses/%d/sign", r.ID), token, fmt.Sprintf(`{"revision":%d}`, r.Revision))
	require.Equal(t, want, rec.Code, rec.Body.String())
	if want != http.StatusOK {
		return r
	}
	return decodeResponse(t, rec.Body.Bytes())
}

type responseJSON struct {
	ID           int64
	State        string
	Revision     int
	MissingSeats []string `json:"missing_seats"`
	Signatures   []struct {
		Kind, Seat, Organisation string
		MemberRef                string `json:"member_ref"`
		Name, Note               *string
	}
	Ledger *struct {
		Seq  int64
		Hash string
	}
	SupersededBy *int64 `json:"superseded_by"`
	Answered     int
}

func decodeResponse(t *testing.T, b []byte) responseJSON {
	t.Helper()
	var r responseJSON
	require.NoError(t, json.Unmarshal(b, &r), string(b))
	return r
}

func (f *forumEnv) verify(t *testing.T) map[string]any {
	t.Helper()
	rec := f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger/verify", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	return decode(t, rec)
}

// TestJointResponsePublishesWhenBothSeatsSign: the joint rule waits for a
// government and a civil-society signature; a dissent is published with the
// response; publication sets the ideas' statuses, answers the cluster's and
// the named contributions, and e-mails each author once.
func TestJointResponsePublishesWhenBothSeatsSign(t *testing.T) {
	f := newForumEnv(t, "joint")
	rec := f.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/forum/clusters", f.gov,
		fmt.Sprintf(`{"title":"Open budget data","members":[{"kind":"idea","id":%d},{"kind":"idea","id":%d}]}`, f.ideas[0].ID, f.ideas[1].ID))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	cluster := decodeID(t, rec.Body.Bytes())
	require.Equal(t, float64(2), decode(t, rec)["size"])

	body := fmt.Sprintf(`{"disposition":"adopted","reasoning":"We will publish the budget **monthly**.","led_to":"Commitment 3",
		"covers":[{"kind":"cluster","id":%d},{"kind":"comment","id":%d}]}`, cluster, f.comment)
	r := f.draft(t, f.gov, body)
	require.Equal(t, "draft", r.State)
	require.Equal(t, 3, r.Answered, "two ideas through the cluster and one comment")

	// Drafts are the forum's.
	for _, tok := range []string{"", f.cit1, f.moderator} {
		require.Equal(t, http.StatusNotFound, f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/responses/%d", r.ID), tok, "").Code)
	}
	require.Equal(t, http.StatusOK, f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/responses/%d", r.ID), f.owner, "").Code)
	require.Equal(t, http.StatusForbidden, f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/responses/%d/sign", r.ID), f.owner, `{"revision":1}`).Code,
		"an owner who is not a member may read, not sign")

	r = f.sign(t, f.gov, r, http.StatusOK)
	require.Equal(t, "draft", r.State)
	require.Equal(t, []string{"civil_society"}, r.MissingSeats)
	f.sign(t, f.gov, r, http.StatusConflict) // once per member
	r = f.sign(t, f.other, r, http.StatusOK)
	require.Equal(t, "draft", r.State, "an 'other' seat does not count for the joint rule")

	// An edit clears the signatures, and a signature on the old revision is stale.
	rec = f.Do(t, http.MethodPatch, fmt.Sprintf("/api/v1/responses/%d", r.ID), f.civil,
		strings.Replace(body, "{", fmt.Sprintf(`{"revision":%d,`, r.Revision), 1))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	stale := r
	r = decodeResponse(t, rec.Body.Bytes())
	require.Equal(t, 2, r.Revision)
	require.Empty(t, r.Signatures)
	rec = f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/responses/%d/sign", r.ID), f.gov, fmt.Sprintf(`{"revision":%d}`, stale.Revision))
	require.Equal(t, http.StatusConflict, rec.Code)
	require.Equal(t, "forum.stale", errCode(decode(t, rec)))

	r = f.sign(t, f.gov, r, http.StatusOK)
	rec = f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/responses/%d/dissent", r.ID), f.other, `{"revision":2,"note":"The budget should be weekly."}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, int64(0), countRows(t, f.testEnv, "ledger_entries", ""))
	require.Equal(t, int64(0), countRows(t, f.testEnv, "outbox", "kind = 'response_published'"))

	r = f.sign(t, f.civil, r, http.StatusOK)
	require.Equal(t, "published", r.State)
	require.Equal(t, int64(1), r.Ledger.Seq)
	require.Regexp(t, `"msg":"ledger append","process":"ideas-2028","seq":1,"hash":"`+r.Ledger.Hash+`","response":\d+,"by":\d+`, f.Logs.String(), "L1: who appended what")

	// The ledger entry: member ids, seats, organisations and the dissent; no names.
	var fields string
	require.NoError(t, f.DB.Raw("SELECT fields FROM ledger_entries WHERE seq = 1").Scan(&fields).Error)
	var lf ledger.Fields
	require.NoError(t, json.Unmarshal([]byte(fields), &lf))
	require.Equal(t, "adopted", lf.Disposition)
	require.Equal(t, []string{fmt.Sprintf("cluster:%d", cluster), fmt.Sprintf("comment:%d", f.comment)}, lf.Covers)
	require.Len(t, lf.Clusters, 1)
	require.Equal(t, []string{fmt.Sprintf("idea:%d", f.ideas[0].ID), fmt.Sprintf("idea:%d", f.ideas[1].ID)}, lf.Clusters[0].Members)
	require.Len(t, lf.Signers, 2)
	require.Len(t, lf.Dissents, 1)
	require.Equal(t, "The budget should be weekly.", lf.Dissents[0].Note)
	for _, m := range append(lf.Signers, lf.Dissents...) {
		require.Regexp(t, `^m-[0-9a-f]{16}$`, m.Member)
	}
	require.NotContains(t, fields, "gov@example.org")
	require.NotContains(t, fields, `"gov"`)

	// Idea statuses, answers, e-mail: cit1 wrote both ideas (one message), cit2 the comment.
	for _, i := range f.ideas[:2] {
		rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d", i.ID), "", "")
		require.Equal(t, "accepted", decode(t, rec)["status"])
		require.Equal(t, float64(r.ID), decode(t, rec)["status_response_id"])
	}
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d", f.ideas[2].ID), "", "")
	require.Equal(t, "submitted", decode(t, rec)["status"], "not covered")
	require.Equal(t, int64(3), countRows(t, f.testEnv, "contribution_answers", ""))
	require.Equal(t, int64(1), countRows(t, f.testEnv, "outbox", "kind = 'response_published' AND recipient = 'cit1@example.org'"))
	require.Equal(t, int64(1), countRows(t, f.testEnv, "outbox", "kind = 'response_published' AND recipient = 'cit2@example.org'"))
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d/comments", f.ideas[0].ID), "", "")
	require.Contains(t, rec.Body.String(), fmt.Sprintf(`"response_id":%d`, r.ID), "the comment shows its answer")

	// Public once published; frozen.
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/responses/%d", r.ID), "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	pub := decodeResponse(t, rec.Body.Bytes())
	require.Len(t, pub.Signatures, 3)
	for _, s := range pub.Signatures {
		require.Nil(t, s.Name, "no names once published")
	}
	rec = f.Do(t, http.MethodPatch, fmt.Sprintf("/api/v1/responses/%d", r.ID), f.gov, strings.Replace(body, "{", `{"revision":2,`, 1))
	require.Equal(t, "forum.published", errCode(decode(t, rec)))
	require.Equal(t, http.StatusConflict, f.Do(t, http.MethodDelete, fmt.Sprintf("/api/v1/responses/%d", r.ID), f.gov, "").Code)
	v := f.verify(t)
	require.Equal(t, true, v["ok"])
	require.Equal(t, float64(1), v["entries"])

	// A contribution added to the answered cluster is answered by it too.
	extra := f.idea(t, f.cit2, f.slug, f.theme, "Budget data, monthly, please")
	rec = f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/clusters/%d/members", cluster), f.civil, fmt.Sprintf(`{"members":[{"kind":"idea","id":%d}]}`, extra.ID))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, float64(r.ID), decode(t, rec)["response_id"])
	require.Equal(t, int64(1), countRows(t, f.testEnv, "contribution_answers", fmt.Sprintf("idea_id = %d", extra.ID)))
	rec = f.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/forum/clusters", f.civil,
		fmt.Sprintf(`{"title":"Again","members":[{"kind":"idea","id":%d}]}`, extra.ID))
	require.Equal(t, "forum.already_clustered", errCode(decode(t, rec)))
}

func TestSingleRulePublishesOnTheFirstSignature(t *testing.T) {
	f := newForumEnv(t, "")
	r := f.draft(t, f.civil, fmt.Sprintf(`{"disposition":"rejected","reasoning":"Trees are planned already.","covers":[{"kind":"idea","id":%d}]}`, f.ideas[2].ID))
	require.Equal(t, "single", decode(t, f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/forum", "", ""))["signing_rule"])
	rec := f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/responses/%d/dissent", r.ID), f.gov, `{"revision":1,"note":"I would adopt it."}`)
	require.Equal(t, "draft", decodeResponse(t, rec.Body.Bytes()).State, "a dissent never publishes")
	r = f.sign(t, f.other, r, http.StatusOK)
	require.Equal(t, "published", r.State)
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d", f.ideas[2].ID), "", "")
	require.Equal(t, "rejected", decode(t, rec)["status"])
	// Who may not draft: citizens, moderators, owners who are not members.
	for _, tok := range []string{f.cit1, f.moderator, f.owner} {
		rec := f.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/forum/responses", tok,
			fmt.Sprintf(`{"disposition":"noted","reasoning":"x","covers":[{"kind":"idea","id":%d}]}`, f.ideas[0].ID))
		require.Equal(t, http.StatusForbidden, rec.Code)
	}
	require.Equal(t, int64(1), countRows(t, f.testEnv, "responses", ""))
}

// TestPublicationIsAllOrNothing makes the last step of publication (the
// e-mail) fail inside the database: nothing of the publication stays.
func TestPublicationIsAllOrNothing(t *testing.T) {
	f := newForumEnv(t, "")
	r := f.draft(t, f.gov, fmt.Sprintf(`{"disposition":"amended","reasoning":"Merged into commitment 2.","covers":[{"kind":"idea","id":%d},{"kind":"comment","id":%d}]}`,
		f.ideas[0].ID, f.comment))
	require.NoError(t, f.DB.Exec(`CREATE FUNCTION fail_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'mail is down'; END $$`).Error)
	require.NoError(t, f.DB.Exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION fail_outbox()").Error)
	f.sign(t, f.gov, r, http.StatusInternalServerError)
	require.NotContains(t, f.Logs.String(), "ledger append", "nothing was appended")
	require.Equal(t, int64(0), countRows(t, f.testEnv, "ledger_entries", ""))
	require.Equal(t, int64(0), countRows(t, f.testEnv, "response_signatures", ""))
	require.Equal(t, int64(0), countRows(t, f.testEnv, "contribution_answers", ""))
	require.Equal(t, int64(1), countRows(t, f.testEnv, "responses", "state = 'draft' AND ledger_seq IS NULL"))
	require.Equal(t, int64(0), countRows(t, f.testEnv, "ideas", "status <> 'submitted' OR status_response_id IS NOT NULL"))

	require.NoError(t, f.DB.Exec("DROP TRIGGER fail_outbox ON outbox").Error)
	r = f.sign(t, f.gov, r, http.StatusOK)
	require.Equal(t, "published", r.State)
	require.Equal(t, int64(1), r.Ledger.Seq, "the failed attempt used no seq")
	require.Equal(t, int64(1), countRows(t, f.testEnv, "ideas", fmt.Sprintf("id = %d AND status = 'amended'", f.ideas[0].ID)))
	require.Equal(t, int64(2), countRows(t, f.testEnv, "outbox", "kind = 'response_published'"))
}

// TestConcurrentSignaturesPublishEachResponseOnce: a government and a
// civil-society member sign ten drafts at the same time; each is published
// once, and the ledger runs 1..10.
func TestConcurrentSignaturesPublishEachResponseOnce(t *testing.T) {
	f := newForumEnv(t, "joint")
	var drafts []responseJSON
	for i := 0; i < 10; i++ {
		drafts = append(drafts, f.draft(t, f.gov, fmt.Sprintf(`{"disposition":"noted","reasoning":"Noted %d.","covers":[{"kind":"idea","id":%d}]}`,
			i, f.ideas[i%3].ID)))
	}
	var wg sync.WaitGroup
	codes := make(chan int, 20)
	for _, d := range drafts {
		for _, tok := range []string{f.gov, f.civil} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rec := f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/responses/%d/sign", d.ID), tok, `{"revision":1}`)
				codes <- rec.Code
			}()
		}
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		require.Equal(t, http.StatusOK, c)
	}
	require.Equal(t, int64(10), countRows(t, f.testEnv, "responses", "state = 'published'"))
	var seqs []int64
	require.NoError(t, f.DB.Raw("SELECT seq FROM ledger_entries ORDER BY seq").Scan(&seqs).Error)
	require.Equal(t, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, seqs)
	require.Equal(t, true, f.verify(t)["ok"])
}

// TestErasedSignerKeepsTheChain: a signer deletes their account; the ledger
// still verifies and still names their member id, which no longer leads to
// the account.
func TestErasedSignerKeepsTheChain(t *testing.T) {
	f := newForumEnv(t, "")
	r := f.sign(t, f.gov, f.draft(t, f.gov, fmt.Sprintf(`{"disposition":"adopted","reasoning":"Yes.","covers":[{"kind":"idea","id":%d}]}`, f.ideas[0].ID)), http.StatusOK)
	ref := r.Signatures[0].MemberRef
	rec := f.Do(t, http.MethodDelete, "/api/v1/me", f.gov, `{"password":"a fine test password"}`)
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	require.Equal(t, int64(0), countRows(t, f.testEnv, "forum_pseudonyms", fmt.Sprintf("member_ref = '%s'", ref)))
	v := f.verify(t)
	require.Equal(t, true, v["ok"], v["problem"])
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/responses/%d", r.ID), "", "")
	require.Equal(t, ref, decodeResponse(t, rec.Body.Bytes()).Signatures[0].MemberRef)
	rec = f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/forum", "", "")
	require.NotContains(t, rec.Body.String(), ref, "the erased member is not listed")
}

func TestResponseInputIsCheckedAndNothingStored(t *testing.T) {
	f := newForumEnv(t, "")
	hidden := f.idea(t, f.cit1, f.slug, f.theme, "To be hidden")
	require.NoError(t, f.DB.Exec("UPDATE ideas SET moderation = 'hidden' WHERE id = ?", hidden.ID).Error)
	idea := fmt.Sprintf(`[{"kind":"idea","id":%d}]`, f.ideas[0].ID)
	for name, c := range map[string]struct {
		body, field string
		status      int
	}{
		"disposition":         {`{"disposition":"approved","reasoning":"x","covers":` + idea + `}`, "disposition", 422},
		"blank reasoning":     {`{"disposition":"noted","reasoning":"  ","covers":` + idea + `}`, "reasoning", 422},
		"long reasoning":      {`{"disposition":"noted","reasoning":"` + strings.Repeat("a", 20001) + `","covers":` + idea + `}`, "reasoning", 422},
		"no covers":           {`{"disposition":"noted","reasoning":"x","covers":[]}`, "covers", 422},
		"hidden idea":         {fmt.Sprintf(`{"disposition":"noted","reasoning":"x","covers":[{"kind":"idea","id":%d}]}`, hidden.ID), "covers", 422},
		"missing comment":     {`{"disposition":"noted","reasoning":"x","covers":[{"kind":"comment","id":999999}]}`, "covers", 422},
		"unknown paragraph":   {`{"disposition":"noted","reasoning":"x","covers":[{"kind":"paragraph","document_id":1,"paragraph_key":"nope"}]}`, "covers", 422},
		"other cluster":       {`{"disposition":"noted","reasoning":"x","covers":[{"kind":"cluster","id":424242}]}`, "covers", 422},
		"correction, no why":  {`{"disposition":"noted","reasoning":"x","supersedes":1,"covers":` + idea + `}`, "supersedes", 422},
		"unknown field":       {`{"disposition":"noted","reasoning":"x","covers":` + idea + `,"state":"published"}`, "", 400},
		"revision on a draft": {`{"revision":3,"disposition":"noted","reasoning":"x","covers":` + idea + `}`, "", 400},
	} {
		t.Run(name, func(t *testing.T) {
			rec := f.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/forum/responses", f.gov, c.body)
			require.Equal(t, c.status, rec.Code, rec.Body.String())
			if c.field != "" {
				require.Contains(t, rec.Body.String(), `"field":"`+c.field+`"`)
			}
		})
	}
	require.Equal(t, int64(0), countRows(t, f.testEnv, "responses", ""))
	require.Equal(t, int64(0), countRows(t, f.testEnv, "response_covers", ""))
	rec := f.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/forum/responses", f.gov, `{"disposition":"noted","reasoning":"x","covers":`+idea+`}`)
	r := decodeResponse(t, rec.Body.Bytes())
	rec = f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/responses/%d/dissent", r.ID), f.civil, `{"revision":1,"note":""}`)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	require.Equal(t, int64(0), countRows(t, f.testEnv, "response_signatures", ""))
}

// TestCorrectionSupersedesAnEntry: a correction is a new entry naming the one
// it corrects; an entry is corrected once.
func TestCorrectionSupersedesAnEntry(t *testing.T) {
	f := newForumEnv(t, "")
	covers := fmt.Sprintf(`[{"kind":"idea","id":%d}]`, f.ideas[2].ID)
	first := f.sign(t, f.gov, f.draft(t, f.gov, `{"disposition":"rejected","reasoning":"No budget.","covers":`+covers+`}`), http.StatusOK)
	fix := fmt.Sprintf(`{"disposition":"adopted","reasoning":"Budget found.","supersedes":%d,"correction_reason":"The council found the money.","covers":%s}`, first.ID, covers)
	a := f.draft(t, f.civil, fix)
	b := f.draft(t, f.other, fix)
	f.sign(t, f.civil, a, http.StatusOK)
	rec := f.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/responses/%d/sign", b.ID), f.other, `{"revision":1}`)
	require.Equal(t, "forum.superseded", errCode(decode(t, rec)))
	var lf ledger.Fields
	var fields string
	require.NoError(t, f.DB.Raw("SELECT fields FROM ledger_entries WHERE seq = 2").Scan(&fields).Error)
	require.NoError(t, json.Unmarshal([]byte(fields), &lf))
	require.Equal(t, int64(1), *lf.Supersedes)
	require.Equal(t, "The council found the money.", *lf.CorrectionReason)
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/responses/%d", first.ID), "", "")
	require.Equal(t, a.ID, *decodeResponse(t, rec.Body.Bytes()).SupersededBy)
	rec = f.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d", f.ideas[2].ID), "", "")
	require.Equal(t, "accepted", decode(t, rec)["status"])
	require.Equal(t, float64(a.ID), decode(t, rec)["status_response_id"])
	require.Equal(t, int64(2), countRows(t, f.testEnv, "ledger_entries", ""))
}

// TestLedgerDownloadVerifiesWithTheDocumentedSnippet publishes responses with
// hostile text, downloads the ledger and runs docs/ledger.md's Node.js script
// on it (Node is already needed by make test); then tampers with an entry and
// sees the script and the API agree on the broken seq.
func TestLedgerDownloadVerifiesWithTheDocumentedSnippet(t *testing.T) {
	node, err := exec.LookPath("node")
	require.NoError(t, err, "Node.js runs the documented check (make test needs it for the web app too)")
	f := newForumEnv(t, "")
	hostile := []string{"Café, naïve, 東京, عربي, 🎉", "quotes \" and \\ backslash\tand tab", "line\nbreak and \u2028 separator \u2029",
		"<script>alert(1)</script> & <b>", "control \u0001\u001f chars", "e\u0301 composed", "\U0001F468\u200D\U0001F469\u200D\U0001F467 family"}
	for i, text := range hostile {
		b, _ := json.Marshal(map[string]any{"disposition": "noted", "reasoning": text, "led_to": fmt.Sprintf("Item %d", i),
			"covers": []map[string]any{{"kind": "idea", "id": f.ideas[i%3].ID}}})
		f.sign(t, f.gov, f.draft(t, f.gov, string(b)), http.StatusOK)
	}
	n, err := f.Sys.Ledger.CheckpointAll(context.Background(), time.Now())
	require.NoError(t, err)
	require.Equal(t, 1, n)

	doc, err := os.ReadFile("../docs/ledger.md")
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)<!-- verify-snippet:start -->\n```js\n(.*?)```\n<!-- verify-snippet:end -->").FindSubmatch(doc)
	require.NotNil(t, m, "docs/ledger.md has the snippet between its markers")
	dir := t.TempDir()
	script := filepath.Join(dir, "verify.mjs")
	require.NoError(t, os.WriteFile(script, m[1], 0o600))
	keys := pinLedgerKeys(t, f.testEnv, dir)
	run := func() (string, error) {
		rec := f.Do(t, http.MethodGet, "/api/v1/processes/"+f.slug+"/ledger/export", "", "")
		require.Equal(t, http.StatusOK, rec.Code)
		require.Equal(t, "application/jsonl; charset=utf-8", rec.Header().Get("Content-Type"))
		file := filepath.Join(dir, "ledger.jsonl")
		require.NoError(t, os.WriteFile(file, rec.Body.Bytes(), 0o600))
		out, err := exec.Command(node, script, file, keys).CombinedOutput()
		return string(out), err
	}
	out, err := run()
	require.NoError(t, err, out)
	require.Contains(t, out, "checkpoints 1 valid")
	require.Regexp(t, fmt.Sprintf(`ok %d [0-9a-f]{64}`, len(hostile)), out)

	// The superuser changes one byte of entry 5's reasoning.
	require.NoError(t, f.DB.Transaction(func(tx *gorm.DB) error {
		require.NoError(t, tx.Exec("SET LOCAL session_replication_role = replica").Error)
		return tx.Exec(`UPDATE ledger_entries SET fields = overlay(fields placing 'X' from strpos(fields, '"reasoning":"') + 13 for 1) WHERE seq = 5`).Error
	}))
	out, err = run()
	require.Error(t, err)
	require.Contains(t, out, "broken at seq 5")
	v := f.verify(t)
	require.Equal(t, false, v["ok"])
	require.Equal(t, float64(5), v["first_broken_seq"])
}
