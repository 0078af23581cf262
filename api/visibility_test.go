package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
)

// visibilityPhases collect ideas around testNow (15 March); implementation follows.
const visibilityPhases = `[
 {"kind":"idea_collection","opens_at":"2027-03-01T00:00:00Z","closes_at":"2027-04-01T00:00:00Z"},
 {"kind":"implementation","opens_at":"2027-05-01T00:00:00Z","closes_at":"2029-05-01T00:00:00Z"}]`

// visibilityFixture is one public process with something of every kind a
// public read shows, and, for each way a text leaves public view, an item
// carrying a unique marker word. Hidden maps each marker to how its item is
// hidden; shown lists markers that stay public (the walk must find them, or it
// reaches nothing).
type visibilityFixture struct {
	slug     string
	params   map[string][]string // path parameter -> values to try
	queries  map[string][]string // gin path -> extra query strings to try
	hidden   map[string]string   // marker -> how it is hidden
	shown    []string
	response int64
	targets  visibilityTargets
}

// TestNoPublicRouteShowsHiddenText walks every public GET route of the router
// as an anonymous reader, with the ids of a fixture in which contributions
// were covered by a published response and then hidden in every way there
// is (flags reaching the threshold, a moderator's rejection, a redaction,
// pre-moderation, the author's deletion, the author's account erasure, a
// hidden question), and checks that no answer carries a hidden text. The
// routes come from the router: a new GET route whose path parameter the table
// below cannot fill in fails the test until the table learns it.
func TestNoPublicRouteShowsHiddenText(t *testing.T) {
	env := newTestEnv(t)
	f := newVisibilityFixture(t, env)

	// Every GET route takes part; a path parameter nobody filled in is a failure.
	for _, r := range env.Router.Routes() {
		if r.Method != http.MethodGet {
			continue
		}
		for _, p := range ginParam.FindAllStringSubmatch(r.Path, -1) {
			if _, ok := f.params[p[1]]; !ok {
				t.Fatalf("%s %s: the visibility walk has no value for the path parameter %q; add it to the fixture's params", r.Method, r.Path, p[1])
			}
		}
	}
	for path := range f.queries {
		require.True(t, slices.ContainsFunc(env.Router.Routes(), func(r gin.RouteInfo) bool { return r.Path == path && r.Method == http.MethodGet }),
			"the walk's queries name %s, which is no GET route", path)
	}

	// Before the contributions are hidden, the walk reads every one of them
	// somewhere (so it reaches what it checks afterwards).
	before := walkPublic(t, env, f)
	for marker, how := range f.hidden {
		if strings.HasPrefix(how, "never public") {
			continue
		}
		require.True(t, anyContains(before, marker), "before it is hidden (%s), %s shows on some public route", how, marker)
	}

	hideAll(t, env, f)

	after := walkPublic(t, env, f)
	for route, body := range after {
		for marker, how := range f.hidden {
			require.NotContains(t, body, marker, "%s shows %s, hidden (%s)", route, marker, how)
		}
	}
	for _, marker := range f.shown {
		require.True(t, anyContains(after, marker), "%s stays public", marker)
	}
	// The response still names what it covers, without their text.
	rec := env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/responses/%d", f.response), "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var r struct{ Covers []struct{ Kind string } }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
	require.Len(t, r.Covers, 12)
	t.Logf("visibility walk: %d answers read after hiding %d texts", len(after), len(f.hidden))
}

func anyContains(bodies map[string]string, s string) bool {
	for _, b := range bodies {
		if strings.Contains(b, s) {
			return true
		}
	}
	return false
}

// walkPublic sends every GET route of the router, anonymously, with every
// combination of the fixture's path parameters and each of its queries,
// following next_cursor, and returns the bodies by request. No answer may be
// a server error.
func walkPublic(t *testing.T, env *testEnv, f visibilityFixture) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range env.Router.Routes() {
		if r.Method != http.MethodGet {
			continue
		}
		queries := append([]string{"", "format=csv"}, f.queries[r.Path]...)
		for _, path := range expand(r.Path, f.params) {
			for _, q := range queries {
				u := path
				if q != "" {
					u += "?" + q
				}
				for pages := 0; u != ""; pages++ {
					require.Less(t, pages, 50, "%s pages on", u)
					rec := env.Do(t, http.MethodGet, u, "", "")
					require.Less(t, rec.Code, 500, "%s: %s", u, rec.Body.String())
					out[u] = rec.Body.String()
					u = nextPage(u, rec.Body.Bytes())
				}
			}
		}
	}
	return out
}

// expand fills a gin path's parameters with every combination of values.
func expand(path string, params map[string][]string) []string {
	paths := []string{path}
	for _, p := range ginParam.FindAllStringSubmatch(path, -1) {
		var next []string
		for _, done := range paths {
			for _, v := range params[p[1]] {
				next = append(next, strings.Replace(done, p[0], url.PathEscape(v), 1))
			}
		}
		paths = next
	}
	return paths
}

// nextPage is the address of the page after a JSON list answer with a
// next_cursor, or "".
func nextPage(u string, body []byte) string {
	var page struct {
		NextCursor *string `json:"next_cursor"`
	}
	if json.Unmarshal(body, &page) != nil || page.NextCursor == nil || *page.NextCursor == "" {
		return ""
	}
	parsed, err := url.Parse(u)
	if err != nil {
		return ""
	}
	q := parsed.Query()
	q.Set("cursor", *page.NextCursor)
	parsed.RawQuery = q.Encode()
	return parsed.String()
}

// newVisibilityFixture builds the process: ideas and comments on them while
// ideas are collected; a draft with comments and replies once it is open for
// comment; held contributions under pre-moderation; a commitment with a
// published progress update, a comment on it and a question; a meeting with a
// held input; a repository link; a forum cluster; and a published response
// covering all of the contributions that are hidden later.
func newVisibilityFixture(t *testing.T, env *testEnv) visibilityFixture {
	t.Helper()
	f := visibilityFixture{slug: "plan-visible", hidden: map[string]string{}}
	admin := env.AdminToken(t)
	rec := env.Do(t, http.MethodPost, "/api/v1/processes", admin,
		fmt.Sprintf(`{"slug":%q,"title":"Visible plan","languages":["en"],"phases":%s}`, f.slug, visibilityPhases))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	env.publish(t, f.slug)
	rec = env.Do(t, http.MethodPut, "/api/v1/processes/"+f.slug+"/idea-settings", admin,
		`{"support_limit":0,"one_per_theme":false,"themes":[{"name":"Open budgets"}]}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var themes struct{ Themes []struct{ ID int64 } }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &themes))
	theme := themes.Themes[0].ID
	moderation := func(mode string) {
		rec := env.Do(t, http.MethodPut, "/api/v1/processes/"+f.slug+"/moderation/settings", admin, strings.Replace(moderationSettings(`"mode":"`+mode+`"`), `"flag_threshold":3`, `"flag_threshold":2`, 1))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	}
	moderation("post")

	tok := func(name string) string { return makeUser(t, env, name+"@example.org", false) }
	author, other, owner, member := tok("author"), tok("other"), tok("owner"), tok("member")
	// The display name of this account is erased with it.
	erased := tok("zqerasedname")
	env.grantRole(t, f.slug, "owner@example.org", "owner")
	require.NoError(t, env.DB.Exec(`INSERT INTO process_roles (process_id, user_id, role, seat, organisation)
		SELECT p.id, u.id, 'forum_member', 'civil_society', 'Harbour Residents' FROM processes p, users u
		WHERE p.slug = ? AND u.email = 'member@example.org'`, f.slug).Error)
	rec = env.Do(t, http.MethodPut, "/api/v1/processes/"+f.slug+"/forum/settings", owner, `{"signing_rule":"single","target_days":20}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	post := func(token, url string, body any) int64 {
		t.Helper()
		b, _ := json.Marshal(body)
		rec := env.Do(t, http.MethodPost, url, token, string(b))
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		return decodeID(t, rec.Body.Bytes())
	}
	idea := func(token, title string) int64 {
		return post(token, "/api/v1/processes/"+f.slug+"/ideas", map[string]any{"title": title, "body": "Because of " + title, "theme_id": theme})
	}
	ideaComment := func(token string, on int64, body string) int64 {
		return post(token, fmt.Sprintf("/api/v1/ideas/%d/comments", on), map[string]any{"body": body})
	}

	// While ideas are collected.
	ideaShown := idea(author, "Budgets zqshownidea online")
	ideaFlagged := idea(author, "Parks zqflaggedidea everywhere")
	ideaRejected := idea(author, "Trams zqrejectedidea at night")
	ideaCommentShown := ideaComment(other, ideaShown, "Agreed, zqshownideacomment.")
	ideaCommentRejected := ideaComment(other, ideaShown, "Off topic zqrejectedideacomment.")
	moderation("pre")
	ideaHeld := idea(author, "Held zqheldidea title")
	ideaComment(other, ideaShown, "Held zqheldideacomment here.")
	moderation("post")

	// A draft open for comment by its own dates, beside the ideas.
	doc := post(admin, "/api/v1/processes/"+f.slug+"/documents", map[string]any{"title": "Draft plan", "language": "en"})
	source, _ := json.Marshal(map[string]any{"format": "markdown", "source": draftV1})
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions", doc), admin, string(source))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/documents/%d/versions/%d/publish", doc, int(decode(t, rec)["number"].(float64))), admin,
		`{"opens_at":"2027-03-01T00:00:00Z","closes_at":"2027-04-30T00:00:00Z"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	v := env.latest(t, doc)
	require.True(t, v.Commenting)
	key := v.keyOf(t, "council budgets")
	other2 := v.keyOf(t, "Procurement contracts")
	comment := func(token, key, body string) int64 {
		return env.comment(t, token, doc, commentBody(key, v.Number, body, "")).ID
	}
	reply := func(token string, to int64, body string) int64 {
		return post(token, fmt.Sprintf("/api/v1/comments/%d/replies", to), map[string]any{"body": body})
	}
	shown := comment(author, key, "Publish the **monthly** budget zqshowncomment.")
	flagged := comment(author, key, "Hide me by flags zqflaggedcomment.")
	rejected := comment(author, key, "Reject me zqrejectedcomment.")
	redacted := comment(author, key, "Call Ann on 0612345678 zqredactedcomment.")
	deleted := comment(author, key, "I take this back zqdeletedcomment.")
	byErased := comment(erased, other2, "Contracts online, please.")
	replyShown := reply(other, shown, "A reply zqshownreply.")
	replyFlagged := reply(other, shown, "A rude reply zqflaggedreply.")
	moderation("pre")
	comment(author, key, "Held for review zqheldcomment.")
	reply(other, shown, "Held reply zqheldreply.")
	moderation("post")

	// A commitment with a published update, a comment on it and a question.
	commitmentID := post(owner, "/api/v1/processes/"+f.slug+"/commitments", json.RawMessage(plainCommitment("Open contracting")))
	var c commitmentJSON
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/commitments/%d", commitmentID), "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &c))
	update := post(owner, fmt.Sprintf("/api/v1/commitments/%d/updates", commitmentID), json.RawMessage(updateBody(c, "government", "Register **online**.")))
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/progress-updates/%d/publish", update), owner, `{"revision":1}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	progressFlagged := post(other, fmt.Sprintf("/api/v1/progress-updates/%d/comments", update), map[string]any{"body": "Slow zqflaggedprogresscomment."})
	post(other, fmt.Sprintf("/api/v1/progress-updates/%d/comments", update), map[string]any{"body": "Good zqshownprogresscomment."})
	question := post(other, fmt.Sprintf("/api/v1/commitments/%d/questions", commitmentID), map[string]any{"body": "Why zqhiddenquestion?"})

	// A meeting with a held input, and a repository link.
	rec = env.Do(t, http.MethodPost, "/api/v1/processes/"+f.slug+"/meetings", owner, `{"kind":"open","title":"Open meeting","starts":"2027-04-01T18:00",`+
		`"ends":"2027-04-01T19:00","time_zone":"Europe/Paris","place":"City hall","agenda":"1. Budget"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	meeting := decodeID(t, rec.Body.Bytes())
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/meetings/%d/publish", meeting), owner, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	moderation("pre")
	post(other, fmt.Sprintf("/api/v1/meetings/%d/inputs", meeting), map[string]any{"body": "Held input zqheldinput."})
	moderation("post")
	item := post(owner, "/api/v1/processes/"+f.slug+"/repository/links", map[string]any{"kind": "evidence", "title": "Survey",
		"date": "2027-02-01", "language": "en", "url": "https://stats.example.org/survey"})

	// The forum answers all of it in one published response.
	cluster := post(member, "/api/v1/processes/"+f.slug+"/forum/clusters", map[string]any{"title": "Budgets",
		"members": []map[string]any{{"kind": "comment", "id": flagged}, {"kind": "idea", "id": ideaRejected}}})
	covers := []map[string]any{{"kind": "cluster", "id": cluster}, {"kind": "paragraph", "document_id": doc, "paragraph_key": key}}
	for _, id := range []int64{shown, flagged, rejected, redacted, deleted, replyFlagged, ideaCommentRejected, progressFlagged} {
		covers = append(covers, map[string]any{"kind": "comment", "id": id})
	}
	for _, id := range []int64{ideaFlagged, ideaRejected} {
		covers = append(covers, map[string]any{"kind": "idea", "id": id})
	}
	f.response = post(member, "/api/v1/processes/"+f.slug+"/forum/responses", map[string]any{"disposition": "noted",
		"reasoning": "We read **every** one.", "covers": covers})
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/responses/%d/sign", f.response), member, `{"revision":1}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	f.hidden = map[string]string{
		"zqflaggedcomment":         "comment hidden by flags",
		"zqrejectedcomment":        "comment rejected by a moderator",
		"zqredactedcomment":        "comment redacted by a moderator",
		"zqdeletedcomment":         "comment deleted by its author",
		"zqflaggedreply":           "reply hidden by flags",
		"zqflaggedidea":            "idea hidden by flags",
		"zqrejectedidea":           "idea rejected by a moderator",
		"zqrejectedideacomment":    "comment on an idea rejected by a moderator",
		"zqflaggedprogresscomment": "comment on a progress update hidden by flags",
		"zqhiddenquestion":         "question hidden by a moderator",
		"zqerasedname":             "name of an erased account",
		"zqheldidea":               "never public: idea held by pre-moderation",
		"zqheldideacomment":        "never public: comment on an idea held by pre-moderation",
		"zqheldcomment":            "never public: comment held by pre-moderation",
		"zqheldreply":              "never public: reply held by pre-moderation",
		"zqheldinput":              "never public: meeting input held by pre-moderation",
	}
	f.shown = []string{"zqshowncomment", "zqshownreply", "zqshownidea", "zqshownideacomment", "zqshownprogresscomment"}
	ids := func(ns ...int64) []string {
		var out []string
		for _, n := range ns {
			out = append(out, fmt.Sprint(n))
		}
		return out
	}
	f.params = map[string][]string{
		"slug":         {f.slug},
		"documentID":   ids(doc),
		"number":       {fmt.Sprint(v.Number), "latest"},
		"key":          {key, other2},
		"ideaID":       ids(ideaShown, ideaFlagged, ideaRejected, ideaHeld),
		"clusterID":    ids(cluster),
		"responseID":   ids(f.response),
		"commitmentID": ids(commitmentID),
		"updateID":     ids(update),
		"meetingID":    ids(meeting),
		"itemID":       ids(item), // a repository item (the moderation item routes are not public)
		"attachmentID": {"1"},     // its process's owners only
		"phase":        {"idea_collection", "implementation"},
		"jobID":        {"1"}, // a report job: its process's owners only
	}
	f.queries = map[string][]string{
		"/api/v1/processes/:slug/ideas":            {"q=zqflaggedidea", "q=zqheldidea", "status=rejected", "sort=supported"},
		"/api/v1/processes/:slug/ideas/similar":    {"text=Parks+zqflaggedidea+everywhere", "text=Held+zqheldidea+title"},
		"/api/v1/processes/:slug/ledger":           {"kind=response", "limit=1"},
		"/api/v1/processes/:slug/forum/unanswered": {"kind=comment", "limit=1"},
		"/api/v1/processes/:slug/meetings":         {"when=past"},
		"/api/v1/documents/:documentID/diff":       {"from=1&to=1"},
	}
	f.targets = visibilityTargets{flagged: flagged, rejected: rejected, redacted: redacted, deleted: deleted, replyFlagged: replyFlagged,
		ideaFlagged: ideaFlagged, ideaRejected: ideaRejected, ideaCommentRejected: ideaCommentRejected, progressFlagged: progressFlagged,
		question: question, author: author, other: other, erased: erased, replyShown: replyShown, ideaCommentShown: ideaCommentShown, byErased: byErased}
	return f
}

// visibilityTargets are the fixture's items that hideAll hides, and the
// accounts that act on them.
type visibilityTargets struct {
	flagged, rejected, redacted, deleted, replyFlagged, ideaFlagged, ideaRejected int64
	ideaCommentRejected, progressFlagged, question, replyShown, ideaCommentShown  int64
	byErased                                                                      int64
	author, other, erased                                                         string
}

// hideAll hides the fixture's items, each the way its marker says.
func hideAll(t *testing.T, env *testEnv, f visibilityFixture) {
	t.Helper()
	h := f.targets
	admin := env.AdminToken(t)
	flaggers := []string{makeUser(t, env, "flagger1@example.org", false), makeUser(t, env, "flagger2@example.org", false)}
	flag := func(kind string, id int64, n int) {
		t.Helper()
		for _, who := range flaggers[:n] {
			rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/%ss/%d/flags", kind, id), who, `{"reason":"off_topic"}`)
			require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		}
	}
	decide := func(kind string, id int64, body string) {
		t.Helper()
		var it itemJSON
		require.NoError(t, env.DB.Raw("SELECT id, version FROM moderation_items WHERE "+kind+"_id = ?", id).Scan(&it).Error)
		require.NotZero(t, it.ID, "%s %d has a moderation item", kind, id)
		code, res := env.decide(t, admin, it, body)
		require.Equal(t, http.StatusOK, code, fmt.Sprint(res))
	}
	// Two flags reach the threshold: hidden pending review.
	for _, id := range []int64{h.flagged, h.replyFlagged, h.progressFlagged} {
		flag("comment", id, 2)
	}
	flag("idea", h.ideaFlagged, 2)
	// One flag opens an item a moderator decides.
	for _, id := range []int64{h.rejected, h.ideaCommentRejected} {
		flag("comment", id, 1)
		decide("comment", id, `{"outcome":"reject","reason":"off_topic","explanation":"Not about the plan"}`)
	}
	flag("idea", h.ideaRejected, 1)
	decide("idea", h.ideaRejected, `{"outcome":"reject","reason":"off_topic","explanation":"Not about the plan"}`)
	flag("comment", h.redacted, 1)
	decide("comment", h.redacted, `{"outcome":"redact","redacted_body":"Call Ann on [removed]."}`)
	// The author deletes a comment; an account is erased.
	rec := env.Do(t, http.MethodDelete, fmt.Sprintf("/api/v1/comments/%d", h.deleted), h.author, "")
	require.Less(t, rec.Code, 300, rec.Body.String())
	rec = env.Do(t, http.MethodDelete, "/api/v1/me", h.erased, `{"password":"a fine test password"}`)
	require.Less(t, rec.Code, 300, rec.Body.String())
	// A moderator hides a question.
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/questions/%d/hide", h.question), admin, `{"reason":"Personal attack"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	// The rows say what the walk then checks.
	var states []string
	require.NoError(t, env.DB.Raw(`SELECT status || CASE WHEN deleted_at IS NULL THEN '' ELSE ', deleted' END FROM comments
		WHERE id IN (?, ?, ?, ?, ?, ?, ?) ORDER BY id`,
		h.flagged, h.rejected, h.redacted, h.deleted, h.replyFlagged, h.ideaCommentRejected, h.progressFlagged).Scan(&states).Error)
	require.Equal(t, []string{"rejected", "hidden", "rejected", "published", "published, deleted", "hidden", "hidden"}, states)
	require.NoError(t, env.DB.Raw("SELECT moderation FROM ideas WHERE id IN (?, ?) ORDER BY id", h.ideaFlagged, h.ideaRejected).Scan(&states).Error)
	require.Equal(t, []string{"hidden", "rejected"}, states)
	require.Equal(t, int64(0), countRows(t, env, "users", "display_name = 'zqerasedname'"))
}
