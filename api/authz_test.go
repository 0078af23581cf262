package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
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

	table := map[string]authzRow{
		"GET /healthz":                                    {url: "/healthz", want: everyone(200)},
		"GET /readyz":                                     {url: "/readyz", want: everyone(200)},
		"GET /metrics":                                    {url: "/metrics", want: everyone(200)},
		"GET /api/v1/processes":                           {url: "/api/v1/processes", want: everyone(200)},
		"GET /api/v1/processes/:slug":                     {url: "/api/v1/processes/plan-2027", want: everyone(200)},
		"POST /api/v1/processes":                          {url: "/api/v1/processes", body: processJSON("plan-new"), want: expect{"*": 403, "anonymous": 401, "admin": 201}},
		"PATCH /api/v1/processes/:slug":                   {url: "/api/v1/processes/plan-2027", body: `{"title":"Renamed by {p}"}`, want: ownerOrAdmin(200)},
		"GET /api/v1/processes/:slug/roles":               {url: "/api/v1/processes/plan-2027/roles", want: ownerOrAdmin(200)},
		"PUT /api/v1/processes/:slug/roles/:userID/:role": {url: "/api/v1/processes/plan-2027/roles/" + citizen + "/moderator", body: `{}`, want: ownerOrAdmin(200)},
		"DELETE /api/v1/processes/:slug/roles/:userID/:role": {
			url: "/api/v1/processes/plan-2027/roles/" + citizen + "/moderator", want: ownerOrAdmin(204),
			setup: func(t *testing.T, env *testEnv) { grant("plan-2027", "citizen", "moderator", "") },
		},
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
		"GET /api/v1/processes/:slug/coverage":                   {url: "/api/v1/processes/plan-2027/coverage", want: everyone(200)},
		"GET /api/v1/processes/:slug/commitments":                {url: "/api/v1/processes/plan-2027/commitments", want: everyone(200)},
		"POST /api/v1/processes/:slug/commitments":               {url: "/api/v1/processes/plan-2027/commitments", body: plainCommitment("By {p}"), want: ownerOrAdmin(201)},
		"GET /api/v1/processes/:slug/commitments/export":         {url: "/api/v1/processes/plan-2027/commitments/export", want: everyone(200)},
		"GET /api/v1/processes/:slug/implementation-settings":    {url: "/api/v1/processes/plan-2027/implementation-settings", want: everyone(200)},
		"PUT /api/v1/processes/:slug/implementation-settings": {url: "/api/v1/processes/plan-2027/implementation-settings",
			body: `{"at_risk_days":30,"holidays":[{"day":"2027-12-25","name":"Christmas"}]}`, want: ownerOrAdmin(200)},
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
				rec := env.Do(t, r.Method, url, tokens[p], body)
				require.Equal(t, row.want.for_(p), rec.Code, "%s as %s: %s", key, p, rec.Body.String())
			}
		})
	}
}
