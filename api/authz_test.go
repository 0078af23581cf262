package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/auth"
	"cocreate/internal/meeting"
	"cocreate/internal/report"
)

// principals of the authorization table, in the order requests are sent.
var principals = []string{"anonymous", "citizen", "suspended", "moderator", "forum", "other_owner", "owner", "admin"}

// expect maps a principal to the status it must get; "*" is everyone else.
type expect map[string]int

func (e expect) for_(p string) int {
	if s, ok := e[p]; ok {
		return s
	}
	return e["*"]
}

// authzRow is one route of the table: a concrete request and who gets what.
type authzRow struct {
	url   string // may contain {p}, replaced by the principal's name
	body  string // may contain {p}
	setup func(t *testing.T, env *testEnv)
	// dyn, when set, gives the url and body just before each request (after setup).
	dyn  func(t *testing.T, env *testEnv) (string, string)
	want expect
	// headers are sent with the request, e.g. a multipart form's Content-Type.
	headers []string
	// ctype, when set, is the body's Content-Type (a multipart form's, with its boundary).
	ctype string
}

// TestAuthorizationTable sends every route as every kind of principal and checks
// the status (QUALITY.md S4). A route the router serves without a row here
// fails the test, so no route escapes the table.
func TestAuthorizationTable(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	env.createProcess(t, "plan-other")
	tokens := map[string]string{"anonymous": "", "admin": env.AdminToken(t)}
	ids := map[string]int64{}
	for _, p := range principals[1:7] {
		tokens[p] = makeUser(t, env, p+"@example.org", false)
		var id int64
		require.NoError(t, env.DB.Raw("SELECT id FROM users WHERE email = ?", p+"@example.org").Scan(&id).Error)
		ids[p] = id
	}
	grant := func(slug, who, role, seat string) {
		require.NoError(t, env.DB.Exec(`INSERT INTO process_roles (process_id, user_id, role, seat)
			SELECT id, ?, ?, NULLIF(?, '') FROM processes WHERE slug = ? ON CONFLICT DO NOTHING`, ids[who], role, seat, slug).Error)
	}
	grant("plan-2027", "owner", "owner", "")
	grant("plan-other", "other_owner", "owner", "")
	grant("plan-2027", "moderator", "moderator", "")
	grant("plan-2027", "forum", "forum_member", "civil_society")
	require.NoError(t, env.DB.Exec("UPDATE users SET suspended_at = now() WHERE email = 'suspended@example.org'").Error)

	everyone := func(status int) expect { return expect{"*": status} }
	signedInWrite := func(status int) expect { return expect{"*": status, "anonymous": 401, "suspended": 403} }
	ownerOrAdmin := func(status int) expect {
		return expect{"*": 403, "anonymous": 401, "owner": status, "admin": status}
	}
	citizen := fmt.Sprint(ids["citizen"])

	// A published draft with two comments by the citizen.
	doc := env.createDraft(t, "plan-2027", draftV1)
	docURL := fmt.Sprintf("/api/v1/documents/%d", doc)
	key := env.latest(t, doc).keyOf(t, "council budgets")
	c1 := env.comment(t, tokens["citizen"], doc, commentBody(key, 1, "First", ""))
	c2 := env.comment(t, tokens["citizen"], doc, commentBody(key, 1, "Second", ""))
	c1URL, c2URL := fmt.Sprintf("/api/v1/comments/%d", c1.ID), fmt.Sprintf("/api/v1/comments/%d", c2.ID)
	draftBody, _ := json.Marshal(map[string]string{"format": "markdown", "source": draftV1})
	var draftNumber int
	importDraft := func(t *testing.T, env *testEnv) {
		rec := env.Do(t, http.MethodPost, docURL+"/versions", env.AdminToken(t), string(draftBody))
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		draftNumber = int(decode(t, rec)["number"].(float64))
	}
	latestNumber := func(t *testing.T, env *testEnv) int {
		var n int
		require.NoError(t, env.DB.Raw("SELECT max(number) FROM document_versions WHERE published_at IS NOT NULL AND document_id = ?", doc).Scan(&n).Error)
		return n
	}

	// A process collecting ideas, with the same roles, and ideas by the citizen.
	budgets, participation := env.createIdeaProcess(t, "ideas-2027", 0, false)
	for _, g := range [][3]string{{"owner", "owner", ""}, {"moderator", "moderator", ""}, {"forum", "forum_member", "government"}} {
		grant("ideas-2027", g[0], g[1], g[2])
	}
	grant("plan-other", "other_owner", "owner", "")
	toEdit := env.idea(t, tokens["citizen"], "ideas-2027", budgets, "Edited by its author")
	toWithdraw := env.idea(t, tokens["citizen"], "ideas-2027", budgets, "Withdrawn by its author")
	discussed := env.idea(t, tokens["citizen"], "ideas-2027", participation, "Supported and discussed")
	ideaURL := func(i ideaJSON) string { return fmt.Sprintf("/api/v1/ideas/%d", i.ID) }
	var mergeFrom, mergeInto ideaJSON
	pairs := 0
	newPair := func(t *testing.T, env *testEnv) {
		pairs++
		mergeFrom = env.idea(t, tokens["citizen"], "ideas-2027", budgets, fmt.Sprintf("A duplicate %d", pairs))
		mergeInto = env.idea(t, tokens["citizen"], "ideas-2027", budgets, fmt.Sprintf("The original %d", pairs))
	}
	settingsBody := fmt.Sprintf(`{"support_limit":0,"one_per_theme":false,"themes":[{"id":%d,"name":"Open budgets"},{"id":%d,"name":"Participation"}]}`,
		budgets, participation)
	ideaBody := fmt.Sprintf(`{"title":"An idea by {p}","body":"Because","theme_id":%d}`, budgets)

	// A pre-moderated process collecting ideas: the citizen's ideas are held.
	modThemes := env.moderatedProcess(t, "mod-2027", `"mode":"pre"`)
	for _, g := range [][3]string{{"owner", "owner", ""}, {"moderator", "moderator", ""}, {"forum", "forum_member", "government"}} {
		grant("mod-2027", g[0], g[1], g[2])
	}
	held := 0
	heldItem := func(t *testing.T, env *testEnv) (int64, int) {
		held++
		i := env.idea(t, tokens["citizen"], "mod-2027", modThemes, fmt.Sprintf("Held idea %d", held))
		var item struct {
			ID      int64
			Version int
		}
		require.NoError(t, env.DB.Raw("SELECT id, version FROM moderation_items WHERE idea_id = ?", i.ID).Scan(&item).Error)
		return item.ID, item.Version
	}
	var itemID int64
	var itemVersion int
	newItem := func(t *testing.T, env *testEnv) { itemID, itemVersion = heldItem(t, env) }
	rejectedItem := func(t *testing.T, env *testEnv) {
		newItem(t, env)
		rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/moderation/items/%d/decisions", itemID), env.AdminToken(t),
			fmt.Sprintf(`{"outcome":"reject","reason":"off_topic","explanation":"Not about the plan","version":%d}`, itemVersion))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	}
	flagged := 0
	var flagURL string
	newComment := func(t *testing.T, env *testEnv) {
		flagged++
		c := env.comment(t, tokens["citizen"], doc, commentBody(key, latestNumber(t, env), fmt.Sprintf("Comment to report %d", flagged), ""))
		flagURL = fmt.Sprintf("/api/v1/comments/%d/flags", c.ID)
	}
	newIdea := func(t *testing.T, env *testEnv) {
		flagged++
		i := env.idea(t, tokens["citizen"], "ideas-2027", budgets, fmt.Sprintf("Idea to report %d", flagged))
		flagURL = fmt.Sprintf("/api/v1/ideas/%d/flags", i.ID)
	}
	// The forum of plan-2027 (the forum principal holds its civil-society
	// seat; the signing rule is single): a cluster, and fresh contributions
	// and drafts for the rows that change them.
	forumOnly := func(status int) expect { return expect{"*": 403, "anonymous": 401, "forum": status} }
	forumReaders := func(status int) expect {
		return expect{"*": 403, "anonymous": 401, "forum": status, "owner": status, "admin": status}
	}
	// A draft is the forum's: others are told it does not exist.
	draftChange := func(status int) expect {
		return expect{"*": 404, "anonymous": 401, "suspended": 403, "owner": 403, "admin": 403, "forum": status}
	}
	freshComment := func(t *testing.T, env *testEnv) int64 {
		flagged++
		return env.comment(t, tokens["citizen"], doc, commentBody(key, latestNumber(t, env), fmt.Sprintf("To group %d", flagged), "")).ID
	}
	rec := env.Do(t, http.MethodPost, "/api/v1/processes/plan-2027/forum/clusters", tokens["forum"],
		fmt.Sprintf(`{"title":"Budgets","members":[{"kind":"comment","id":%d}]}`, c2.ID))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	clusterURL := fmt.Sprintf("/api/v1/clusters/%d", decodeID(t, rec.Body.Bytes()))
	var memberBody, draftURL string
	newMember := func(t *testing.T, env *testEnv) {
		memberBody = fmt.Sprintf(`{"members":[{"kind":"comment","id":%d}]}`, freshComment(t, env))
	}
	newDraft := func(t *testing.T, env *testEnv) {
		rec := env.Do(t, http.MethodPost, "/api/v1/processes/plan-2027/forum/responses", tokens["forum"],
			fmt.Sprintf(`{"disposition":"noted","reasoning":"Thank you.","covers":[{"kind":"comment","id":%d}]}`, c1.ID))
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		draftURL = fmt.Sprintf("/api/v1/responses/%d", decodeID(t, rec.Body.Bytes()))
	}
	draftAt := func(suffix, body string) func(*testing.T, *testEnv) (string, string) {
		return func(*testing.T, *testEnv) (string, string) { return draftURL + suffix, body }
	}
	responseBody := fmt.Sprintf(`{"disposition":"noted","reasoning":"By {p}.","covers":[{"kind":"comment","id":%d}]}`, c1.ID)

	// The implementation phase of plan-2027, now published: a commitment with a
	// published update, and fresh commitments, drafts and questions for the
	// rows that change them.
	impl := newImplRows(t, env, ids["owner"])
	writers := func(status int) expect {
		return expect{"*": 403, "anonymous": 401, "owner": status, "forum": status, "admin": status}
	}
	answerers := writers
	// A draft update is its writers': others are told it does not exist.
	draftUpdate := func(owner, forum int) expect {
		return expect{"*": 404, "anonymous": 401, "suspended": 403, "owner": owner, "admin": owner, "forum": forum}
	}

	moderators := func(status int) expect {
		return expect{"*": 403, "anonymous": 401, "moderator": status, "owner": status, "admin": status}
	}
	flagger := expect{"*": 201, "anonymous": 401, "suspended": 403, "citizen": 409}
	itemURL := func(suffix string) func(t *testing.T, env *testEnv) (string, string) {
		return func(t *testing.T, env *testEnv) (string, string) {
			return fmt.Sprintf("/api/v1/moderation/items/%d%s", itemID, suffix),
				fmt.Sprintf(`{"outcome":"approve","version":%d}`, itemVersion)
		}
	}

	// The repository of plan-2027, once it is public: a file to download,
	// and a fresh one for each delete.
	publishPlan := func(t *testing.T, env *testEnv) {
		require.NoError(t, env.DB.Exec("UPDATE processes SET published_at = now() WHERE slug = 'plan-2027' AND published_at IS NULL").Error)
	}
	uploadBody, uploadType := form(t, map[string]string{"kind": "minutes", "title": "Minutes by {p}", "date": "2027-05-03", "language": "en"},
		"minutes.pdf", pdf("minutes"))
	var repoItem int64
	newRepoItem := func(t *testing.T, env *testEnv) {
		publishPlan(t, env)
		rec := env.Do(t, http.MethodPost, "/api/v1/processes/plan-2027/repository/files", env.AdminToken(t), uploadBody, "Content-Type", uploadType)
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		repoItem = decodeID(t, rec.Body.Bytes())
	}
	repoItemURL := func(suffix string) func(*testing.T, *testEnv) (string, string) {
		return func(*testing.T, *testEnv) (string, string) {
			return fmt.Sprintf("/api/v1/repository/%d%s", repoItem, suffix), ""
		}
	}

	// An update of plan-2027 for each row that changes or deletes one, and
	// the mandate's updated_at as each principal reads it.
	var updateURL string
	newUpdate := func(t *testing.T, env *testEnv) {
		rec := env.Do(t, http.MethodPost, "/api/v1/processes/plan-2027/updates", env.AdminToken(t), `{"title":"News","body":"Text"}`)
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		updateURL = fmt.Sprintf("/api/v1/processes/plan-2027/updates/%d", decodeID(t, rec.Body.Bytes()))
	}
	mandateBody := func(t *testing.T, env *testEnv) (string, string) {
		var at *string
		require.NoError(t, env.DB.Raw(`SELECT to_char(m.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
			FROM process_mandates m JOIN processes p ON p.id = m.process_id WHERE p.slug = 'plan-2027'`).Scan(&at).Error)
		b, _ := json.Marshal(map[string]any{"purpose": "Why we ask", "open_items": []string{}, "fixed_items": []string{},
			"use_of_input": "", "decision_maker": "", "decision_points": []any{}, "iap2_level": "consult",
			"contact_name": "", "contact_email": "", "privacy_notice": "", "updated_at": at})
		return "/api/v1/processes/plan-2027/mandate", string(b)
	}
	// A fresh unpublished process for each publication, owned by the owner.
	drafts := 0
	var draftSlug string
	newUnpublished := func(t *testing.T, env *testEnv) {
		drafts++
		draftSlug = fmt.Sprintf("plan-unpublished-%d", drafts)
		env.createUnpublished(t, draftSlug)
		grant(draftSlug, "owner", "owner", "")
	}

	// The forum as an institution and the meetings of plan-2027, which is
	// open to the public: meetings made by the system (a published open one
	// ahead, a draft, and fresh ones for the rows that change them), and a
	// draft the forum principal dissented from, to withdraw.
	newMeeting := func(t *testing.T, env *testEnv, publish bool, starts, ends string) int64 {
		t.Helper()
		m, err := env.Sys.Meetings.Create(context.Background(), auth.System, "plan-2027", meeting.Input{Kind: meeting.KindOpen, Title: "Open meeting",
			Starts: starts, Ends: ends, TimeZone: "Europe/Paris", Place: "City hall", Capacity: new(100)})
		require.NoError(t, err)
		if publish {
			_, err = env.Sys.Meetings.Publish(context.Background(), auth.System, m.ID)
			require.NoError(t, err)
		}
		return m.ID
	}
	publishPlan(t, env)
	ahead := newMeeting(t, env, true, "2027-04-01T18:00", "2027-04-01T20:00")
	draftMeeting := newMeeting(t, env, false, "2027-04-02T18:00", "2027-04-02T20:00")
	aheadURL, draftMeetingURL := fmt.Sprintf("/api/v1/meetings/%d", ahead), fmt.Sprintf("/api/v1/meetings/%d", draftMeeting)
	var freshMeetingURL string
	freshDraftMeeting := func(t *testing.T, env *testEnv) {
		freshMeetingURL = fmt.Sprintf("/api/v1/meetings/%d", newMeeting(t, env, false, "2027-04-03T18:00", "2027-04-03T20:00"))
	}
	freshHeldMeeting := func(t *testing.T, env *testEnv) {
		freshMeetingURL = fmt.Sprintf("/api/v1/meetings/%d", newMeeting(t, env, true, "2027-03-15T09:00", "2027-03-15T11:00"))
	}
	freshAt := func(suffix, body string) func(*testing.T, *testEnv) (string, string) {
		return func(*testing.T, *testEnv) (string, string) { return freshMeetingURL + suffix, body }
	}
	registerEveryone := func(t *testing.T, env *testEnv) {
		require.NoError(t, env.DB.Exec(`INSERT INTO meeting_registrations (meeting_id, user_id, status, registered_at)
			SELECT ?, id, 'confirmed', now() FROM users ON CONFLICT DO NOTHING`, ahead).Error)
	}
	meetingBody := `{"kind":"forum","title":"Meeting by {p}","starts":"2027-05-04T18:30","ends":"2027-05-04T20:00","time_zone":"Europe/Paris","place":"City hall"}`
	editMeeting := func(t *testing.T, env *testEnv) (string, string) {
		var rev int
		require.NoError(t, env.DB.Raw("SELECT revision FROM meetings WHERE id = ?", ahead).Scan(&rev).Error)
		return aheadURL, fmt.Sprintf(`{"kind":"open","title":"Edited","starts":"2027-04-01T18:00","ends":"2027-04-01T20:00",`+
			`"time_zone":"Europe/Paris","place":"City hall","capacity":100,"revision":%d}`, rev)
	}
	var membershipURL string
	var forumMembership int64
	require.NoError(t, env.DB.Raw(`SELECT m.id FROM forum_memberships m JOIN processes p ON p.id = m.process_id
		WHERE p.slug = 'plan-2027' AND m.user_id = ?`, ids["forum"]).Scan(&forumMembership).Error)
	membershipURL = fmt.Sprintf("/api/v1/processes/plan-2027/forum/memberships/%d", forumMembership)
	dissentedDraft := func(t *testing.T, env *testEnv) {
		newDraft(t, env)
		rec := env.Do(t, http.MethodPost, draftURL+"/dissent", tokens["forum"], `{"revision":1,"note":"Not yet."}`)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	}

	table := map[string]authzRow{
		"GET /healthz":                             {url: "/healthz", want: everyone(200)},
		"GET /readyz":                              {url: "/readyz", want: everyone(200)},
		"GET /metrics":                             {url: "/metrics", want: everyone(200)},
		"GET /api/v1/processes":                    {url: "/api/v1/processes", want: everyone(200)},
		"GET /api/v1/processes/:slug":              {url: "/api/v1/processes/plan-2027", want: everyone(200)},
		"GET /api/v1/feed.atom":                    {url: "/api/v1/feed.atom", want: everyone(200)},
		"GET /api/v1/calendar.ics":                 {url: "/api/v1/calendar.ics", want: everyone(200)},
		"GET /api/v1/processes/:slug/feed.atom":    {url: "/api/v1/processes/plan-2027/feed.atom", want: everyone(200)},
		"GET /api/v1/processes/:slug/calendar.ics": {url: "/api/v1/processes/plan-2027/calendar.ics", want: everyone(200)},
		"POST /api/v1/processes":                   {url: "/api/v1/processes", body: processJSON("plan-new"), want: expect{"*": 403, "anonymous": 401, "admin": 201}},
		"PATCH /api/v1/processes/:slug":            {url: "/api/v1/processes/plan-2027", body: `{"title":"Renamed by {p}"}`, want: ownerOrAdmin(200)},

		"POST /api/v1/processes/:slug/publish": {setup: newUnpublished, want: expect{"*": 404, "anonymous": 401, "suspended": 403, "owner": 200, "admin": 200},
			dyn: func(*testing.T, *testEnv) (string, string) { return "/api/v1/processes/" + draftSlug + "/publish", "" }},
		"PUT /api/v1/processes/:slug/mandate":  {dyn: mandateBody, want: ownerOrAdmin(200)},
		"GET /api/v1/processes/:slug/updates":  {url: "/api/v1/processes/plan-2027/updates", want: everyone(200)},
		"POST /api/v1/processes/:slug/updates": {url: "/api/v1/processes/plan-2027/updates", body: `{"title":"By {p}","body":"News"}`, want: ownerOrAdmin(201)},
		"PATCH /api/v1/processes/:slug/updates/:updateID": {setup: newUpdate, dyn: func(*testing.T, *testEnv) (string, string) {
			return updateURL, `{"title":"Edited","body":"Text","edited_at":null}`
		}, want: ownerOrAdmin(200)},
		"DELETE /api/v1/processes/:slug/updates/:updateID": {setup: newUpdate, dyn: func(*testing.T, *testEnv) (string, string) { return updateURL, "" }, want: ownerOrAdmin(204)},

		"GET /api/v1/processes/:slug/roles":               {url: "/api/v1/processes/plan-2027/roles", want: ownerOrAdmin(200)},
		"PUT /api/v1/processes/:slug/roles/:userID/:role": {url: "/api/v1/processes/plan-2027/roles/" + citizen + "/moderator", body: `{}`, want: ownerOrAdmin(200)},
		"DELETE /api/v1/processes/:slug/roles/:userID/:role": {
			url: "/api/v1/processes/plan-2027/roles/" + citizen + "/moderator", want: ownerOrAdmin(204),
			setup: func(t *testing.T, env *testEnv) { grant("plan-2027", "citizen", "moderator", "") },
		},

		"GET /api/v1/processes/:slug/people": {url: "/api/v1/processes/plan-2027/people?q=citizen", setup: publishPlan, want: publicManagersOnly(200)},

		"GET /api/v1/processes/:slug/documents":                      {url: "/api/v1/processes/plan-2027/documents", want: everyone(200)},
		"POST /api/v1/processes/:slug/documents":                     {url: "/api/v1/processes/plan-2027/documents", body: `{"title":"By {p}","language":"en"}`, want: ownerOrAdmin(201)},
		"GET /api/v1/documents/:documentID":                          {url: docURL, want: everyone(200)},
		"GET /api/v1/documents/:documentID/versions/:number":         {url: docURL + "/versions/latest", want: everyone(200)},
		"GET /api/v1/documents/:documentID/diff":                     {url: docURL + "/diff?from=1&to=1", want: everyone(200)},
		"GET /api/v1/documents/:documentID/annotations":              {url: docURL + "/annotations", want: everyone(200)},
		"GET /api/v1/documents/:documentID/paragraphs/:key/comments": {url: docURL + "/paragraphs/" + key + "/comments", want: everyone(200)},
		"GET /api/v1/documents/:documentID/orphaned-comments":        {url: docURL + "/orphaned-comments", want: everyone(200)},
		"POST /api/v1/documents/:documentID/versions":                {url: docURL + "/versions", body: string(draftBody), want: ownerOrAdmin(201)},
		"POST /api/v1/documents/:documentID/versions/:number/publish": {
			setup: importDraft, want: ownerOrAdmin(200),
			dyn: func(t *testing.T, env *testEnv) (string, string) {
				return fmt.Sprintf("%s/versions/%d/publish", docURL, draftNumber), ""
			},
		},
		// The table sends JSON: whoever may not import is refused before the
		// body is read; an owner's request reaches the form reader, which
		// finds no multipart form. The uploads themselves: drafts_test.go.
		"POST /api/v1/documents/:documentID/imports": {url: docURL + "/imports", body: `{}`, want: expect{"*": 403, "anonymous": 401, "owner": 400, "admin": 400}},
		// A draft is its owners': to others it does not exist, as GET .../versions/:number has it.
		"GET /api/v1/documents/:documentID/versions/:number/preview": {
			setup: importDraft, want: expect{"*": 404, "anonymous": 401, "suspended": 403, "owner": 200, "admin": 200},
			dyn: func(t *testing.T, env *testEnv) (string, string) {
				return fmt.Sprintf("%s/versions/%d/preview", docURL, draftNumber), ""
			},
		},
		"POST /api/v1/documents/:documentID/comments": {
			want: signedInWrite(201),
			dyn: func(t *testing.T, env *testEnv) (string, string) {
				return docURL + "/comments", commentBody(key, latestNumber(t, env), "A comment", "")
			},
		},
		"GET /api/v1/documents/:documentID/my-votes": {url: docURL + "/my-votes", want: expect{"*": 200, "anonymous": 401}},
		"POST /api/v1/comments/:commentID/replies":   {url: c1URL + "/replies", body: `{"body":"A reply by {p}"}`, want: signedInWrite(201)},
		"PATCH /api/v1/comments/:commentID": {
			want: expect{"*": 403, "anonymous": 401, "citizen": 200},
			dyn: func(t *testing.T, env *testEnv) (string, string) {
				var rev int
				require.NoError(t, env.DB.Raw("SELECT revision FROM comments WHERE id = ?", c1.ID).Scan(&rev).Error)
				return c1URL, fmt.Sprintf(`{"body":"Edited","revision":%d}`, rev)
			},
		},
		"DELETE /api/v1/comments/:commentID":        {url: c2URL, want: expect{"*": 403, "anonymous": 401, "citizen": 204}},
		"PUT /api/v1/comments/:commentID/vote":      {url: c1URL + "/vote", body: `{"value":"agree"}`, want: signedInWrite(200)},
		"DELETE /api/v1/comments/:commentID/vote":   {url: c1URL + "/vote", want: signedInWrite(200)},
		"GET /api/v1/me/comments":                   {url: "/api/v1/me/comments", want: expect{"*": 200, "anonymous": 401}},
		"GET /api/v1/processes/:slug/idea-settings": {url: "/api/v1/processes/ideas-2027/idea-settings", want: everyone(200)},
		"PUT /api/v1/processes/:slug/idea-settings": {url: "/api/v1/processes/ideas-2027/idea-settings", body: settingsBody, want: ownerOrAdmin(200)},
		"GET /api/v1/processes/:slug/ideas":         {url: "/api/v1/processes/ideas-2027/ideas", want: everyone(200)},
		"POST /api/v1/processes/:slug/ideas":        {url: "/api/v1/processes/ideas-2027/ideas", body: ideaBody, want: signedInWrite(201)},
		"GET /api/v1/processes/:slug/ideas/similar": {url: "/api/v1/processes/ideas-2027/ideas/similar?text=budget", want: everyone(200)},
		"GET /api/v1/processes/:slug/ideas/export":  {url: "/api/v1/processes/ideas-2027/ideas/export", want: everyone(200)},
		"GET /api/v1/processes/:slug/my-supports":   {url: "/api/v1/processes/ideas-2027/my-supports", want: expect{"*": 200, "anonymous": 401}},
		"GET /api/v1/ideas/:ideaID":                 {url: ideaURL(discussed), want: everyone(200)},
		"PATCH /api/v1/ideas/:ideaID": {
			want: expect{"*": 403, "anonymous": 401, "citizen": 200},
			dyn: func(t *testing.T, env *testEnv) (string, string) {
				var rev int
				require.NoError(t, env.DB.Raw("SELECT revision FROM ideas WHERE id = ?", toEdit.ID).Scan(&rev).Error)
				return ideaURL(toEdit), fmt.Sprintf(`{"title":"Edited","body":"Again","theme_id":%d,"revision":%d}`, budgets, rev)
			},
		},
		"POST /api/v1/ideas/:ideaID/withdraw":  {url: ideaURL(toWithdraw) + "/withdraw", want: expect{"*": 403, "anonymous": 401, "citizen": 200}},
		"PUT /api/v1/ideas/:ideaID/support":    {url: ideaURL(discussed) + "/support", want: signedInWrite(200)},
		"DELETE /api/v1/ideas/:ideaID/support": {url: ideaURL(discussed) + "/support", want: signedInWrite(200)},
		"POST /api/v1/ideas/:ideaID/merge": {
			setup: newPair,
			want:  expect{"*": 403, "anonymous": 401, "moderator": 200, "forum": 200, "owner": 200, "admin": 200},
			dyn: func(t *testing.T, env *testEnv) (string, string) {
				return ideaURL(mergeFrom) + "/merge", fmt.Sprintf(`{"into":%d}`, mergeInto.ID)
			},
		},

		"GET /api/v1/processes/:slug/offline": {url: "/api/v1/processes/plan-2027/offline", setup: publishPlan, want: publicManagersOnly(200)},
		"POST /api/v1/processes/:slug/offline/ideas": {
			ctype: "multipart/form-data; boundary=" + formBoundary, want: managersOnly(t, env, "ideas-2027", 201),
			dyn: func(t *testing.T, env *testEnv) (string, string) {
				body, _ := offlineForm(t, map[string]any{"channel": "paper", "received_on": "2027-03-14", "title": "Received by {p}",
					"body": "A letter", "theme_id": budgets}, "letter.pdf", pdfScan)
				return "/api/v1/processes/ideas-2027/offline/ideas", body
			},
		},
		"POST /api/v1/processes/:slug/offline/comments": {
			ctype: "multipart/form-data; boundary=" + formBoundary, setup: publishPlan, want: publicManagersOnly(201),
			dyn: func(t *testing.T, env *testEnv) (string, string) {
				body, _ := offlineForm(t, map[string]any{"channel": "phone", "received_on": "2027-03-14", "document_id": doc,
					"paragraph_key": key, "version": latestNumber(t, env), "body": "A call taken by {p}"}, "", nil)
				return "/api/v1/processes/plan-2027/offline/comments", body
			},
		},
		"GET /api/v1/contribution-attachments/:attachmentID": {
			want: expect{"*": 404, "owner": 200, "admin": 200},
			dyn: func(t *testing.T, env *testEnv) (string, string) {
				body, ct := offlineForm(t, map[string]any{"channel": "paper", "received_on": "2027-03-14", "document_id": doc,
					"paragraph_key": key, "version": latestNumber(t, env), "body": "A letter with its scan"}, "letter.pdf", pdfScan)
				code, got := env.postForm(t, "/api/v1/processes/plan-2027/offline/comments", env.AdminToken(t), body, ct)
				require.Equal(t, http.StatusCreated, code, got)
				return got["attachment"].(map[string]any)["url"].(string), ""
			},
		},

		"GET /api/v1/ideas/:ideaID/comments":              {url: ideaURL(discussed) + "/comments", want: everyone(200)},
		"GET /api/v1/processes/:slug/house-rules":         {url: "/api/v1/processes/mod-2027/house-rules", want: everyone(200)},
		"GET /api/v1/processes/:slug/moderation/stats":    {url: "/api/v1/processes/mod-2027/moderation/stats", want: everyone(200)},
		"GET /api/v1/processes/:slug/moderation/settings": {url: "/api/v1/processes/mod-2027/moderation/settings", want: moderators(200)},
		"PUT /api/v1/processes/:slug/moderation/settings": {url: "/api/v1/processes/mod-2027/moderation/settings",
			body: moderationSettings(`"mode":"pre"`), want: ownerOrAdmin(200)},
		"GET /api/v1/processes/:slug/moderation/queue":  {url: "/api/v1/processes/mod-2027/moderation/queue", want: moderators(200)},
		"POST /api/v1/processes/:slug/moderation/claim": {url: "/api/v1/processes/mod-2027/moderation/claim", body: `{}`, setup: newItem, want: moderators(200)},
		"POST /api/v1/processes/:slug/moderation/bulk": {
			setup: newItem, want: moderators(200),
			dyn: func(t *testing.T, env *testEnv) (string, string) {
				return "/api/v1/processes/mod-2027/moderation/bulk",
					fmt.Sprintf(`{"items":[{"id":%d,"version":%d}],"outcome":"approve","reason":"other"}`, itemID, itemVersion)
			},
		},
		"GET /api/v1/moderation/items/:itemID":            {setup: newItem, dyn: itemURL(""), want: moderators(200)},
		"POST /api/v1/moderation/items/:itemID/decisions": {setup: newItem, dyn: itemURL("/decisions"), want: moderators(200)},
		"POST /api/v1/moderation/items/:itemID/appeal": {
			setup: rejectedItem, want: expect{"*": 404, "anonymous": 401, "suspended": 403, "citizen": 200},
			dyn: func(t *testing.T, env *testEnv) (string, string) {
				return fmt.Sprintf("/api/v1/moderation/items/%d/appeal", itemID), `{"note":"It is about the plan"}`
			},
		},
		"GET /api/v1/me/moderation":                    {url: "/api/v1/me/moderation", want: expect{"*": 200, "anonymous": 401}},
		"POST /api/v1/comments/:commentID/flags":       {setup: newComment, want: flagger, dyn: func(*testing.T, *testEnv) (string, string) { return flagURL, `{"reason":"spam"}` }},
		"POST /api/v1/ideas/:ideaID/flags":             {setup: newIdea, want: flagger, dyn: func(*testing.T, *testEnv) (string, string) { return flagURL, `{"reason":"spam"}` }},
		"GET /api/v1/ideas/:ideaID/my-votes":           {url: ideaURL(discussed) + "/my-votes", want: expect{"*": 200, "anonymous": 401}},
		"POST /api/v1/ideas/:ideaID/comments":          {url: ideaURL(discussed) + "/comments", body: `{"body":"A comment by {p}"}`, want: signedInWrite(201)},
		"GET /api/v1/processes/:slug/forum":            {url: "/api/v1/processes/plan-2027/forum", want: everyone(200)},
		"PUT /api/v1/processes/:slug/forum/settings":   {url: "/api/v1/processes/plan-2027/forum/settings", body: `{"signing_rule":"single","target_days":20}`, want: ownerOrAdmin(200)},
		"GET /api/v1/processes/:slug/forum/unanswered": {url: "/api/v1/processes/plan-2027/forum/unanswered", want: everyone(200)},
		"GET /api/v1/processes/:slug/forum/clusters":   {url: "/api/v1/processes/plan-2027/forum/clusters", want: everyone(200)},
		"POST /api/v1/processes/:slug/forum/clusters": {setup: newMember, dyn: func(*testing.T, *testEnv) (string, string) {
			return "/api/v1/processes/plan-2027/forum/clusters", strings.Replace(memberBody, "{", `{"title":"Group",`, 1)
		}, want: forumOnly(201)},
		"GET /api/v1/processes/:slug/forum/suggestions":          {url: "/api/v1/processes/plan-2027/forum/suggestions", want: forumReaders(200)},
		"POST /api/v1/processes/:slug/forum/suggestions/dismiss": {url: "/api/v1/processes/plan-2027/forum/suggestions/dismiss", body: fmt.Sprintf(`{"members":[{"kind":"comment","id":%d}]}`, c1.ID), want: forumOnly(204)},
		"GET /api/v1/clusters/:clusterID":                        {url: clusterURL, want: everyone(200)},
		"POST /api/v1/clusters/:clusterID/members":               {setup: newMember, dyn: func(*testing.T, *testEnv) (string, string) { return clusterURL + "/members", memberBody }, want: forumOnly(200)},
		"GET /api/v1/processes/:slug/forum/responses":            {url: "/api/v1/processes/plan-2027/forum/responses", want: forumReaders(200)},
		"POST /api/v1/processes/:slug/forum/responses":           {url: "/api/v1/processes/plan-2027/forum/responses", body: responseBody, want: forumOnly(201)},
		"GET /api/v1/responses/:responseID":                      {setup: newDraft, dyn: draftAt("", ""), want: expect{"*": 404, "forum": 200, "owner": 200, "admin": 200}},
		"PATCH /api/v1/responses/:responseID":                    {setup: newDraft, dyn: draftAt("", strings.Replace(responseBody, "{", `{"revision":1,`, 1)), want: draftChange(200)},
		"DELETE /api/v1/responses/:responseID":                   {setup: newDraft, dyn: draftAt("", ""), want: draftChange(204)},
		"POST /api/v1/responses/:responseID/sign":                {setup: newDraft, dyn: draftAt("/sign", `{"revision":1}`), want: draftChange(200)},
		"POST /api/v1/responses/:responseID/dissent":             {setup: newDraft, dyn: draftAt("/dissent", `{"revision":1,"note":"Not in my name"}`), want: draftChange(200)},
		"GET /api/v1/processes/:slug/ledger":                     {url: "/api/v1/processes/plan-2027/ledger", want: everyone(200)},
		"GET /api/v1/processes/:slug/ledger/verify":              {url: "/api/v1/processes/plan-2027/ledger/verify", want: everyone(200)},
		"GET /api/v1/processes/:slug/ledger/export":              {url: "/api/v1/processes/plan-2027/ledger/export", want: everyone(200)},
		"GET /api/v1/processes/:slug/ledger/consistency":         {url: "/api/v1/processes/plan-2027/ledger/consistency?seq=1&hash=" + strings.Repeat("0", 64), want: everyone(200)},
		"GET /api/v1/ledger/keys":                                {url: "/api/v1/ledger/keys", want: everyone(200)},
		"GET /api/v1/processes/:slug/coverage":                   {url: "/api/v1/processes/plan-2027/coverage", want: everyone(200)},
		"GET /api/v1/processes/:slug/reports":                    {url: "/api/v1/processes/plan-2027/reports", want: everyone(200)},
		"GET /api/v1/processes/:slug/reports/preview":            {url: "/api/v1/processes/plan-2027/reports/preview", want: ownerOrAdmin(200)},
		"POST /api/v1/processes/:slug/reports":                   {url: "/api/v1/processes/plan-2027/reports", body: `{}`, want: ownerOrAdmin(201)},
		"GET /api/v1/processes/:slug/report-jobs/:jobID":         {dyn: reportJobURL("plan-2027"), want: ownerOrAdmin(200)},
		"GET /api/v1/processes/:slug/reports/:number":            {setup: ensureReport("plan-2027"), url: "/api/v1/processes/plan-2027/reports/1", want: everyone(200)},
		"GET /api/v1/processes/:slug/reports/:number/export":     {setup: ensureReport("plan-2027"), url: "/api/v1/processes/plan-2027/reports/1/export?format=csv", want: everyone(200)},
		"GET /api/v1/processes/:slug/analytics":                  {url: "/api/v1/processes/plan-2027/analytics", want: expect{"*": 403, "anonymous": 401, "moderator": 200, "forum": 200, "owner": 200, "admin": 200}},
		"GET /api/v1/processes/:slug/repository":                 {url: "/api/v1/processes/plan-2027/repository", setup: publishPlan, want: everyone(200)},
		"GET /api/v1/processes/:slug/repository/export":          {url: "/api/v1/processes/plan-2027/repository/export", setup: publishPlan, want: everyone(200)},
		"POST /api/v1/processes/:slug/repository/files":          {url: "/api/v1/processes/plan-2027/repository/files", setup: publishPlan, body: uploadBody, headers: []string{"Content-Type", uploadType}, want: ownerOrAdmin(201)},
		"POST /api/v1/processes/:slug/repository/links":          {url: "/api/v1/processes/plan-2027/repository/links", setup: publishPlan, body: `{"kind":"evidence","title":"Link by {p}","date":"2027-04-01","language":"en","url":"https://data.example.org/{p}"}`, want: ownerOrAdmin(201)},
		"GET /api/v1/repository/:itemID/file":                    {setup: newRepoItem, dyn: repoItemURL("/file"), want: everyone(200)},
		"DELETE /api/v1/repository/:itemID":                      {setup: newRepoItem, dyn: repoItemURL(""), want: ownerOrAdmin(204)},
		"GET /api/v1/processes/:slug/commitments":                {url: "/api/v1/processes/plan-2027/commitments", want: everyone(200)},
		"POST /api/v1/processes/:slug/commitments":               {url: "/api/v1/processes/plan-2027/commitments", body: plainCommitment("By {p}"), want: ownerOrAdmin(201)},
		"GET /api/v1/processes/:slug/commitments/export":         {url: "/api/v1/processes/plan-2027/commitments/export", want: everyone(200)},
		"GET /api/v1/processes/:slug/implementation-settings":    {url: "/api/v1/processes/plan-2027/implementation-settings", want: everyone(200)},
		"PUT /api/v1/processes/:slug/implementation-settings": {url: "/api/v1/processes/plan-2027/implementation-settings",
			body: `{"at_risk_days":30,"holidays":[{"day":"2027-12-25","name":"Christmas"}]}`, want: ownerOrAdmin(200)},
		"GET /api/v1/processes/:slug/surveys":                {url: "/api/v1/processes/plan-2027/surveys", want: everyone(200)},
		"GET /api/v1/processes/:slug/surveys/invited":        {url: "/api/v1/processes/plan-2027/surveys/invited", want: expect{"*": 200, "anonymous": 401}},
		"GET /api/v1/processes/:slug/surveys/:phase":         {url: "/api/v1/processes/plan-2027/surveys/idea_collection", want: everyone(200)},
		"GET /api/v1/processes/:slug/surveys/:phase/results": {url: "/api/v1/processes/plan-2027/surveys/idea_collection/results", want: everyone(200)},
		"PUT /api/v1/processes/:slug/surveys/:phase/questions": {url: "/api/v1/processes/plan-2027/surveys/idea_collection/questions",
			body: `{"questions":[{"kind":"yes_no","prompt":"Asked by {p}?"}]}`, want: ownerOrAdmin(200)},
		// Nobody here took part in the phase: signed-in accounts are refused as non-participants.
		"POST /api/v1/processes/:slug/surveys/:phase/answers": {url: "/api/v1/processes/plan-2027/surveys/idea_collection/answers",
			body: `{"answers":[{"question":"q1","yes":true}]}`, want: expect{"*": 403, "anonymous": 401}},
		"GET /api/v1/commitments/:commitmentID":            {url: impl.url(""), want: everyone(200)},
		"PUT /api/v1/commitments/:commitmentID":            {dyn: impl.replace, want: ownerOrAdmin(200)},
		"POST /api/v1/commitments/:commitmentID/withdraw":  {setup: impl.newCommitment, dyn: impl.withdraw, want: ownerOrAdmin(200)},
		"POST /api/v1/commitments/:commitmentID/updates":   {dyn: impl.create("/updates"), want: writers(201)},
		"GET /api/v1/commitments/:commitmentID/questions":  {url: impl.url("/questions"), want: everyone(200)},
		"POST /api/v1/commitments/:commitmentID/questions": {url: impl.url("/questions"), body: `{"body":"A question by {p}"}`, want: signedInWrite(201)},
		"POST /api/v1/questions/:questionID/answer":        {setup: impl.newQuestion, dyn: impl.question("/answer", `{"body":"An answer"}`), want: answerers(200)},
		"POST /api/v1/questions/:questionID/pause": {setup: impl.newQuestion,
			dyn: impl.question("/pause", `{"reason":"Waiting for the figures","resumes_on":"2027-03-22"}`), want: answerers(200)},
		"POST /api/v1/questions/:questionID/hide":          {setup: impl.newQuestion, dyn: impl.question("/hide", `{"reason":"Insults"}`), want: moderators(200)},
		"GET /api/v1/progress-updates/:updateID":           {url: impl.published(""), want: everyone(200)},
		"PATCH /api/v1/progress-updates/:updateID":         {setup: impl.newDraft("government"), dyn: impl.draft("", true), want: draftUpdate(200, 200)},
		"DELETE /api/v1/progress-updates/:updateID":        {setup: impl.newDraft("government"), dyn: impl.draft("", false), want: draftUpdate(204, 204)},
		"POST /api/v1/progress-updates/:updateID/publish":  {setup: impl.newDraft("government"), dyn: impl.draft("/publish", false), want: draftUpdate(200, 403)},
		"POST /api/v1/progress-updates/:updateID/sign":     {setup: impl.newDraft("joint"), dyn: impl.draft("/sign", false), want: draftUpdate(403, 200)},
		"POST /api/v1/progress-updates/:updateID/dissent":  {setup: impl.newDraft("joint"), dyn: impl.draft("/dissent", false), want: draftUpdate(403, 200)},
		"GET /api/v1/progress-updates/:updateID/comments":  {url: impl.published("/comments"), want: everyone(200)},
		"POST /api/v1/progress-updates/:updateID/comments": {url: impl.published("/comments"), body: `{"body":"A comment on the update by {p}"}`, want: signedInWrite(201)},
		"GET /api/v1/progress-updates/:updateID/my-votes":  {url: impl.published("/my-votes"), want: expect{"*": 200, "anonymous": 401}},
		"POST /api/v1/auth/signup":                         {url: "/api/v1/auth/signup", body: signUpJSON("not-an-address", "X", goodPassword), want: everyone(422)},
		"POST /api/v1/auth/verify-email":                   {url: "/api/v1/auth/verify-email", body: `{"token":"forged"}`, want: everyone(422)},
		"POST /api/v1/auth/login":                          {url: "/api/v1/auth/login", body: `{"email":"{p}@example.org","password":"wrong password!"}`, want: everyone(401)},
		"POST /api/v1/auth/refresh":                        {url: "/api/v1/auth/refresh", want: everyone(401)},
		"POST /api/v1/auth/logout":                         {url: "/api/v1/auth/logout", want: everyone(204)},
		"POST /api/v1/auth/password-reset":                 {url: "/api/v1/auth/password-reset", body: `{"email":"nobody-{p}@example.org"}`, want: everyone(202)},
		"POST /api/v1/auth/password-reset/confirm":         {url: "/api/v1/auth/password-reset/confirm", body: `{"token":"forged","password":"a brand new passphrase"}`, want: everyone(422)},
		"GET /api/v1/me":                                   {url: "/api/v1/me", want: expect{"*": 200, "anonymous": 401}},
		"PATCH /api/v1/me":                                 {url: "/api/v1/me", body: `{"display_name":"{p} renamed"}`, want: signedInWrite(200)},
		"PUT /api/v1/me/password":                          {url: "/api/v1/me/password", body: `{"current_password":"wrong password!","new_password":"a brand new passphrase"}`, want: signedInWrite(422)},
		"POST /api/v1/me/verification-email":               {url: "/api/v1/me/verification-email", want: signedInWrite(409)},
		"DELETE /api/v1/me":                                {url: "/api/v1/me", body: `{"password":"wrong password!"}`, want: signedInWrite(422)},
		"GET /api/v1/me/follows":                           {url: "/api/v1/me/follows", want: expect{"*": 200, "anonymous": 401}},
		"POST /api/v1/me/follows": {setup: publishPlan, want: signedInWrite(201), dyn: func(t *testing.T, env *testEnv) (string, string) {
			var id int64
			require.NoError(t, env.DB.Raw("SELECT id FROM processes WHERE slug = 'plan-2027'").Scan(&id).Error)
			return "/api/v1/me/follows", fmt.Sprintf(`{"target_kind":"process","target_id":%d}`, id)
		}},
		"DELETE /api/v1/me/follows":                          {url: "/api/v1/me/follows?target_kind=idea&target_id=999999", want: signedInWrite(404)},
		"GET /api/v1/me/notifications":                       {url: "/api/v1/me/notifications", want: expect{"*": 200, "anonymous": 401}},
		"GET /api/v1/me/notifications/unread":                {url: "/api/v1/me/notifications/unread", want: expect{"*": 200, "anonymous": 401}},
		"POST /api/v1/me/notifications/read-all":             {url: "/api/v1/me/notifications/read-all", want: expect{"*": 200, "anonymous": 401}},
		"POST /api/v1/me/notifications/:notificationID/read": {url: "/api/v1/me/notifications/999999/read", want: expect{"*": 404, "anonymous": 401}},
		"GET /api/v1/me/notification-settings":               {url: "/api/v1/me/notification-settings", want: expect{"*": 200, "anonymous": 401}},
		"PUT /api/v1/me/notification-settings":               {url: "/api/v1/me/notification-settings", body: `{"settings":{"phase_opened":"never"}}`, want: signedInWrite(200)},
		"POST /api/v1/unsubscribe":                           {url: "/api/v1/unsubscribe", body: `{"token":"1.comment_reply.forged"}`, want: everyone(400)},
		"GET /api/v1/processes/:slug/forum/terms":            {setup: publishPlan, url: "/api/v1/processes/plan-2027/forum/terms", want: everyone(200)},
		"PUT /api/v1/processes/:slug/forum/terms":            {url: "/api/v1/processes/plan-2027/forum/terms", body: `{"remit":"Set by {p}","meetings_per_quarter":1}`, want: ownerOrAdmin(200)},
		"PUT /api/v1/processes/:slug/forum/memberships/:membershipID": {dyn: func(*testing.T, *testEnv) (string, string) {
			return membershipURL, `{"selection":"elected","term_start":"2027-01-01"}`
		}, want: ownerOrAdmin(200)},
		"PUT /api/v1/processes/:slug/forum/declaration":   {url: "/api/v1/processes/plan-2027/forum/declaration", body: `{"none":true}`, want: forumOnly(200)},
		"POST /api/v1/responses/:responseID/recuse":       {setup: newDraft, dyn: draftAt("/recuse", `{"revision":1,"note":"I advised on it."}`), want: draftChange(200)},
		"DELETE /api/v1/responses/:responseID/signature":  {setup: dissentedDraft, dyn: draftAt("/signature", ""), want: draftChange(200)},
		"GET /api/v1/processes/:slug/meetings":            {url: "/api/v1/processes/plan-2027/meetings", want: everyone(200)},
		"GET /api/v1/processes/:slug/meetings/frequency":  {url: "/api/v1/processes/plan-2027/meetings/frequency", want: everyone(200)},
		"POST /api/v1/processes/:slug/meetings":           {url: "/api/v1/processes/plan-2027/meetings", body: meetingBody, want: ownerOrAdmin(201)},
		"GET /api/v1/meetings/:meetingID":                 {url: draftMeetingURL, want: expect{"*": 404, "owner": 200, "admin": 200}},
		"PATCH /api/v1/meetings/:meetingID":               {dyn: editMeeting, want: ownerOrAdmin(200)},
		"POST /api/v1/meetings/:meetingID/publish":        {setup: freshDraftMeeting, dyn: freshAt("/publish", ""), want: expect{"*": 404, "anonymous": 401, "suspended": 403, "owner": 200, "admin": 200}},
		"GET /api/v1/meetings/:meetingID/registrations":   {url: aheadURL + "/registrations", want: ownerOrAdmin(200)},
		"PUT /api/v1/meetings/:meetingID/registration":    {url: aheadURL + "/registration", want: signedInWrite(200)},
		"DELETE /api/v1/meetings/:meetingID/registration": {setup: registerEveryone, url: aheadURL + "/registration", want: signedInWrite(200)},
		"GET /api/v1/meetings/:meetingID/inputs":          {url: aheadURL + "/inputs", want: everyone(200)},
		"POST /api/v1/meetings/:meetingID/inputs":         {url: aheadURL + "/inputs", body: `{"body":"Please discuss the budget, says {p}."}`, want: signedInWrite(201)},
		"POST /api/v1/meetings/:meetingID/minutes":        {setup: freshHeldMeeting, dyn: freshAt("/minutes", `{"body":"We met.","others_present":3}`), want: ownerOrAdmin(201)},
	}

	// An unpublished process and everything behind its public reads: only
	// its owners and administrators find them (its moderators and forum
	// members too are told they do not exist); whatever else the router
	// serves as a public read of a process needs a row here.
	hid := newHiddenFixture(t, env, tokens, grant)
	hidden := func(status int) expect { return expect{"*": 404, "owner": status, "admin": status} }
	hiddenMine := func(status int) expect { return expect{"*": 404, "anonymous": 401, "owner": status, "admin": status} }
	hiddenWrite := func(status int) expect {
		return expect{"*": 404, "anonymous": 401, "suspended": 403, "owner": status, "admin": status}
	}
	hp, hi := "/api/v1/processes/"+hid.slug, "/api/v1/processes/"+hid.ideasSlug
	ensureReport(hid.slug)(t, env)
	hd, hIdea := fmt.Sprintf("/api/v1/documents/%d", hid.doc), fmt.Sprintf("/api/v1/ideas/%d", hid.idea)
	unpublished := map[string]authzRow{
		"GET /api/v1/processes/:slug": {url: hp, want: hidden(200)},
		// The feeds are read as an anonymous visitor: not found even by owners.
		"GET /api/v1/processes/:slug/feed.atom":                      {url: hp + "/feed.atom", want: expect{"*": 404}},
		"GET /api/v1/processes/:slug/calendar.ics":                   {url: hp + "/calendar.ics", want: expect{"*": 404}},
		"GET /api/v1/processes/:slug/updates":                        {url: hp + "/updates", want: hidden(200)},
		"GET /api/v1/processes/:slug/documents":                      {url: hp + "/documents", want: hidden(200)},
		"GET /api/v1/documents/:documentID":                          {url: hd, want: hidden(200)},
		"GET /api/v1/documents/:documentID/versions/:number":         {url: hd + "/versions/latest", want: hidden(200)},
		"GET /api/v1/documents/:documentID/diff":                     {url: hd + "/diff?from=1&to=1", want: hidden(200)},
		"GET /api/v1/documents/:documentID/annotations":              {url: hd + "/annotations", want: hidden(200)},
		"GET /api/v1/documents/:documentID/paragraphs/:key/comments": {url: hd + "/paragraphs/" + hid.key + "/comments", want: hidden(200)},
		"GET /api/v1/documents/:documentID/orphaned-comments":        {url: hd + "/orphaned-comments", want: hidden(200)},
		"GET /api/v1/documents/:documentID/my-votes":                 {url: hd + "/my-votes", want: hiddenMine(200)},
		"POST /api/v1/documents/:documentID/comments":                {url: hd + "/comments", body: commentBody(hid.key, 1, "A comment on the hidden draft by {p}", ""), want: hiddenWrite(201)},
		"GET /api/v1/processes/:slug/idea-settings":                  {url: hi + "/idea-settings", want: hidden(200)},
		"GET /api/v1/processes/:slug/ideas":                          {url: hi + "/ideas", want: hidden(200)},
		"POST /api/v1/processes/:slug/ideas":                         {url: hi + "/ideas", body: fmt.Sprintf(`{"title":"A hidden idea by {p}","body":"Because","theme_id":%d}`, hid.theme), want: hiddenWrite(201)},
		"GET /api/v1/processes/:slug/ideas/similar":                  {url: hi + "/ideas/similar?text=launch", want: hidden(200)},
		"GET /api/v1/processes/:slug/ideas/export":                   {url: hi + "/ideas/export", want: hidden(200)},
		"GET /api/v1/processes/:slug/my-supports":                    {url: hi + "/my-supports", want: hiddenMine(200)},
		"GET /api/v1/ideas/:ideaID":                                  {url: hIdea, want: hidden(200)},
		"GET /api/v1/ideas/:ideaID/comments":                         {url: hIdea + "/comments", want: hidden(200)},
		"POST /api/v1/ideas/:ideaID/comments":                        {url: hIdea + "/comments", body: `{"body":"A comment on the hidden idea by {p}"}`, want: hiddenWrite(201)},
		"GET /api/v1/ideas/:ideaID/my-votes":                         {url: hIdea + "/my-votes", want: hiddenMine(200)},
		"GET /api/v1/processes/:slug/house-rules":                    {url: hp + "/house-rules", want: hidden(200)},
		"GET /api/v1/processes/:slug/moderation/stats":               {url: hp + "/moderation/stats", want: hidden(200)},
		"GET /api/v1/processes/:slug/forum":                          {url: hp + "/forum", want: hidden(200)},
		"GET /api/v1/processes/:slug/forum/unanswered":               {url: hp + "/forum/unanswered", want: hidden(200)},
		"GET /api/v1/processes/:slug/forum/clusters":                 {url: hp + "/forum/clusters", want: hidden(200)},
		"GET /api/v1/clusters/:clusterID":                            {url: fmt.Sprintf("/api/v1/clusters/%d", hid.cluster), want: hidden(200)},
		"GET /api/v1/responses/:responseID":                          {url: fmt.Sprintf("/api/v1/responses/%d", hid.response), want: hidden(200)},
		"GET /api/v1/processes/:slug/ledger":                         {url: hp + "/ledger", want: hidden(200)},
		"GET /api/v1/processes/:slug/ledger/verify":                  {url: hp + "/ledger/verify", want: hidden(200)},
		"GET /api/v1/processes/:slug/ledger/export":                  {url: hp + "/ledger/export", want: hidden(200)},
		"GET /api/v1/processes/:slug/ledger/consistency":             {url: hp + "/ledger/consistency?seq=1&hash=" + strings.Repeat("0", 64), want: hidden(200)},
		"GET /api/v1/processes/:slug/coverage":                       {url: hp + "/coverage", want: hidden(200)},
		"GET /api/v1/processes/:slug/reports":                        {url: hp + "/reports", want: hidden(200)},
		"GET /api/v1/processes/:slug/reports/:number":                {url: hp + "/reports/1", want: hidden(200)},
		"GET /api/v1/processes/:slug/reports/:number/export":         {url: hp + "/reports/1/export", want: hidden(200)},
		"GET /api/v1/processes/:slug/repository":                     {url: hp + "/repository", want: hidden(200)},
		"GET /api/v1/processes/:slug/repository/export":              {url: hp + "/repository/export", want: hidden(200)},
		"GET /api/v1/processes/:slug/forum/terms":                    {url: hp + "/forum/terms", want: hidden(200)},
		"GET /api/v1/processes/:slug/meetings":                       {url: hp + "/meetings", want: hidden(200)},
		"GET /api/v1/processes/:slug/meetings/frequency":             {url: hp + "/meetings/frequency", want: hidden(200)},
		"GET /api/v1/processes/:slug/commitments":                    {url: hp + "/commitments", want: hidden(200)},
		"GET /api/v1/processes/:slug/commitments/export":             {url: hp + "/commitments/export", want: hidden(200)},
		"GET /api/v1/processes/:slug/implementation-settings":        {url: hp + "/implementation-settings", want: hidden(200)},
		"GET /api/v1/processes/:slug/surveys":                        {url: hp + "/surveys", want: hidden(200)},
		"GET /api/v1/processes/:slug/surveys/invited":                {url: hp + "/surveys/invited", want: hiddenMine(200)},
		"GET /api/v1/processes/:slug/surveys/:phase":                 {url: hp + "/surveys/idea_collection", want: hidden(200)},
		"GET /api/v1/processes/:slug/surveys/:phase/results":         {url: hp + "/surveys/idea_collection/results", want: hidden(200)},
	}

	for _, r := range env.Router.Routes() {
		key := r.Method + " " + r.Path
		row, ok := table[key]
		require.True(t, ok, "route %s has no row in the authorization table", key)
		t.Run(key, func(t *testing.T) {
			for _, p := range principals {
				if row.setup != nil {
					row.setup(t, env)
				}
				url, body := row.url, row.body
				if row.dyn != nil {
					url, body = row.dyn(t, env)
				}
				url = strings.ReplaceAll(url, "{p}", p)
				body = strings.ReplaceAll(body, "{p}", p)
				headers := append([]string(nil), row.headers...)
				if row.ctype != "" {
					headers = append(headers, "Content-Type", row.ctype)
				}
				rec := env.Do(t, r.Method, url, tokens[p], body, headers...)
				require.Equal(t, row.want.for_(p), rec.Code, "%s as %s: %s", key, p, rec.Body.String())
			}
		})
	}

	for _, r := range env.Router.Routes() {
		key := r.Method + " " + r.Path
		row, ok := unpublished[key]
		ofProcess := strings.Contains(r.Path, ":slug") || strings.Contains(r.Path, ":documentID") || strings.Contains(r.Path, ":ideaID") ||
			strings.Contains(r.Path, ":clusterID") || strings.Contains(r.Path, ":responseID")
		publicRead := r.Method == http.MethodGet && table[key].want.for_("citizen") == http.StatusOK
		require.True(t, ok || !ofProcess || !publicRead, "public read %s has no row for an unpublished process", key)
		if !ok {
			continue
		}
		t.Run("unpublished "+key, func(t *testing.T) {
			for _, p := range principals {
				url := strings.ReplaceAll(row.url, "{p}", p)
				body := strings.ReplaceAll(row.body, "{p}", p)
				rec := env.Do(t, r.Method, url, tokens[p], body)
				require.Equal(t, row.want.for_(p), rec.Code, "%s of an unpublished process as %s: %s", key, p, rec.Body.String())
			}
		})
	}
}

// reportJobURL asks for a preview of the report of the process with slug in
// the background, as its owners do, and returns the job's address.
func reportJobURL(slug string) func(t *testing.T, env *testEnv) (string, string) {
	return func(t *testing.T, env *testEnv) (string, string) {
		t.Helper()
		j, err := env.Sys.Reports.StartJob(context.Background(), auth.System, slug, report.JobPreview, report.Input{})
		require.NoError(t, err)
		return fmt.Sprintf("/api/v1/processes/%s/report-jobs/%d", slug, j.ID), ""
	}
}

// ensureReport publishes a report of the process with slug, as the command
// line, when it has none.
func ensureReport(slug string) func(t *testing.T, env *testEnv) {
	return func(t *testing.T, env *testEnv) {
		t.Helper()
		var n int
		require.NoError(t, env.DB.Raw("SELECT count(*) FROM reports r JOIN processes p ON p.id = r.process_id WHERE p.slug = ?", slug).Scan(&n).Error)
		if n == 0 {
			_, err := env.Sys.Reports.Publish(context.Background(), auth.System, slug, report.Input{})
			require.NoError(t, err)
		}
	}
}
