package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/pgtest"
)

// phasesJSON lays out phases around testNow (2027-03-15): agenda setting and
// idea collection are over, public comment is open, implementation is ahead.
const phasesJSON = `[
 {"kind":"agenda_setting","opens_at":"2027-01-01T00:00:00Z","closes_at":"2027-02-01T00:00:00Z"},
 {"kind":"idea_collection","opens_at":"2027-02-01T00:00:00Z","closes_at":"2027-03-01T00:00:00Z"},
 {"kind":"public_comment","opens_at":"2027-03-10T00:00:00Z","closes_at":"2027-04-10T00:00:00Z"},
 {"kind":"implementation","opens_at":"2027-06-01T00:00:00Z","closes_at":"2029-06-01T00:00:00Z"}]`

func processJSON(slug string) string {
	return fmt.Sprintf(`{"slug":%q,"title":"Open Government Action Plan 2027–2029",
		"summary":"A plan **with** residents <script>alert(1)</script>","languages":["en","fr-ca"],"phases":%s}`, slug, phasesJSON)
}

// createProcess creates a process as an administrator and publishes it, as
// the tests of public behaviour expect (createUnpublished leaves it unpublished).
func (e *testEnv) createProcess(t *testing.T, slug string) {
	t.Helper()
	e.createUnpublished(t, slug)
	e.publish(t, slug)
}

// createUnpublished creates a process that only its owners and
// administrators see.
func (e *testEnv) createUnpublished(t *testing.T, slug string) {
	t.Helper()
	rec := e.Do(t, http.MethodPost, "/api/v1/processes", e.AdminToken(t), processJSON(slug))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
}

// publish opens a process to the public, as an administrator.
func (e *testEnv) publish(t *testing.T, slug string) {
	t.Helper()
	rec := e.Do(t, http.MethodPost, "/api/v1/processes/"+slug+"/publish", e.AdminToken(t), "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
}

func TestCreateProcess(t *testing.T) {
	env := newTestEnv(t)
	url := "/api/v1/processes"
	for _, tt := range []struct {
		name, token, body string
		want              int
		code              string
	}{
		{"requires authentication", "", processJSON("plan-2027"), http.StatusUnauthorized, "auth.required"},
		{"rejects a wrong token", "not-the-admin-token", processJSON("plan-2027"), http.StatusUnauthorized, "auth.invalid_token"},
		{"rejects malformed JSON", env.AdminToken(t), `{"slug":`, http.StatusBadRequest, "request.malformed"},
		{"rejects a wrong type", env.AdminToken(t), `{"slug":7}`, http.StatusBadRequest, "request.malformed"},
		{"rejects unknown fields", env.AdminToken(t), strings.Replace(processJSON("plan-2027"), `{"slug"`, `{"id":99,"slug"`, 1), http.StatusBadRequest, "request.unknown_field"},
		{"rejects trailing data", env.AdminToken(t), processJSON("plan-2027") + `{}`, http.StatusBadRequest, "request.malformed"},
		{"rejects missing fields", env.AdminToken(t), `{}`, http.StatusUnprocessableEntity, "request.invalid"},
		{"creates the process", env.AdminToken(t), processJSON("plan-2027"), http.StatusCreated, ""},
		{"refuses a taken slug", env.AdminToken(t), processJSON("plan-2027"), http.StatusConflict, "process.slug_taken"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, http.MethodPost, url, tt.token, tt.body)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			if tt.code != "" {
				code, _ := errorOf(t, rec)
				require.Equal(t, tt.code, code)
			}
		})
	}
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "processes", ""))
	require.EqualValues(t, 4, pgtest.Count(t, env.DB, "process_phases", ""))
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "processes", "published_at IS NULL"), "a new process is not public")

	rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027", "", "")
	require.Equal(t, http.StatusNotFound, rec.Code, "the public does not see it before it is published")
	env.publish(t, "plan-2027")
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	p := decode(t, rec)
	require.Equal(t, []any{"en", "fr-CA"}, p["languages"], "language tags are stored in canonical form")
	require.Equal(t, "active", p["stage"])
	require.Equal(t, "public_comment", p["current_phase"])
	require.Contains(t, p["summary_html"], "<strong>with</strong>")
	require.NotContains(t, p["summary_html"], "<script", "the summary is sanitised")
	states := []string{}
	for _, ph := range p["phases"].([]any) {
		states = append(states, ph.(map[string]any)["state"].(string))
	}
	require.Equal(t, []string{"closed", "closed", "open", "upcoming"}, states)
}

// TestCreateProcessValidation checks each rule: the answer is 422 naming the field
// and the rule, and nothing is stored.
func TestCreateProcessValidation(t *testing.T) {
	env := newTestEnv(t)
	phase := func(kind, opens, closes string) string {
		return fmt.Sprintf(`{"kind":%q,"opens_at":%q,"closes_at":%q}`, kind, opens, closes)
	}
	body := func(slug, title, langs string, phases ...string) string {
		return fmt.Sprintf(`{"slug":%q,"title":%q,"languages":%s,"phases":[%s]}`, slug, title, langs, strings.Join(phases, ","))
	}
	ok := phase("drafting", "2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z")
	for _, tt := range []struct {
		name, body, field string
	}{
		{"slug with capitals", body("Plan-2027", "T", `["en"]`, ok), "slug:slug"},
		{"slug with a double hyphen", body("plan--2027", "T", `["en"]`, ok), "slug:slug"},
		{"slug too short", body("pl", "T", `["en"]`, ok), "slug:length"},
		{"slug too long", body(strings.Repeat("a", 81), "T", `["en"]`, ok), "slug:max"},
		{"slug of the web app's own page", body("new", "T", `["en"]`, ok), "slug:reserved"},
		{"blank title", body("plan-2027", "   ", `["en"]`, ok), "title:required"},
		{"title too long", body("plan-2027", strings.Repeat("é", 201), `["en"]`, ok), "title:max"},
		{"no languages", body("plan-2027", "T", `[]`, ok), "languages:min"},
		{"not a language tag", body("plan-2027", "T", `["english!"]`, ok), "languages[0]:language"},
		{"language twice", body("plan-2027", "T", `["en","EN"]`, ok), "languages[1]:duplicate"},
		{"too many languages", body("plan-2027", "T", `["en","fr","de","es","it","nl","pt","pl","sv","da","fi"]`, ok), "languages:max"},
		{"no phases", body("plan-2027", "T", `["en"]`), "phases:min"},
		{"unknown phase kind", body("plan-2027", "T", `["en"]`, phase("party", "2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z")), "phases[0].kind:enum"},
		{"phase kind twice", body("plan-2027", "T", `["en"]`, ok, phase("drafting", "2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z")), "phases[1].kind:duplicate"},
		{"phases out of order", body("plan-2027", "T", `["en"]`, ok, phase("agenda_setting", "2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z")), "phases[1].kind:phase_order"},
		{"phases overlap", body("plan-2027", "T", `["en"]`, ok, phase("public_comment", "2027-01-15T00:00:00Z", "2027-04-01T00:00:00Z")), "phases[1].opens_at:phase_overlap"},
		{"closes before it opens", body("plan-2027", "T", `["en"]`, phase("drafting", "2027-02-01T00:00:00Z", "2027-01-01T00:00:00Z")), "phases[0].closes_at:date_order"},
		{"closes when it opens", body("plan-2027", "T", `["en"]`, phase("drafting", "2027-02-01T00:00:00Z", "2027-02-01T00:00:00Z")), "phases[0].closes_at:date_order"},
		{"date in another century", body("plan-2027", "T", `["en"]`, phase("drafting", "1970-01-01T00:00:00Z", "2027-02-01T00:00:00Z")), "phases[0].opens_at:date_range"},
		{"not a date", body("plan-2027", "T", `["en"]`, phase("drafting", "next tuesday", "2027-02-01T00:00:00Z")), "phases[0].opens_at:date"},
		{"date without a zone", body("plan-2027", "T", `["en"]`, phase("drafting", "2027-01-01T00:00:00", "2027-02-01T00:00:00Z")), "phases[0].opens_at:date"},
		{"too many phases", body("plan-2027", "T", `["en"]`, ok, ok, ok, ok, ok, ok, ok), "phases:max"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, http.MethodPost, "/api/v1/processes", env.AdminToken(t), tt.body)
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
			_, fields := errorOf(t, rec)
			require.Contains(t, fields, tt.field, rec.Body.String())
		})
	}
	require.EqualValues(t, 0, pgtest.Count(t, env.DB, "processes", ""), "nothing stored")
	require.EqualValues(t, 0, pgtest.Count(t, env.DB, "process_phases", ""))
}

func TestCreateProcessConcurrentSameSlug(t *testing.T) {
	env := newTestEnv(t)
	const n = 12
	token := env.AdminToken(t)
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = env.Do(t, http.MethodPost, "/api/v1/processes", token, processJSON("same-slug")).Code
		}()
	}
	wg.Wait()
	created, conflicts := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusCreated:
			created++
		case http.StatusConflict:
			conflicts++
		}
	}
	require.Equal(t, 1, created, "%v", codes)
	require.Equal(t, n-1, conflicts, "%v", codes)
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "processes", ""))
	require.EqualValues(t, 4, pgtest.Count(t, env.DB, "process_phases", ""), "no phases of a failed create remain")
}

func TestGetProcess(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")

	rec := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	etag := rec.Header().Get("ETag")
	require.NotEmpty(t, etag)
	require.Contains(t, rec.Header().Get("Cache-Control"), "public")

	again := env.Do(t, http.MethodGet, "/api/v1/processes/plan-2027", "", "", "If-None-Match", etag)
	require.Equal(t, http.StatusNotModified, again.Code)
	require.Empty(t, again.Body.String())

	for _, slug := range []string{"no-such-plan", "NOT_A_SLUG", "x"} {
		rec := env.Do(t, http.MethodGet, "/api/v1/processes/"+slug, "", "")
		require.Equal(t, http.StatusNotFound, rec.Code, slug)
		code, _ := errorOf(t, rec)
		require.Equal(t, "process.not_found", code)
	}
}

func TestListProcessesPaginates(t *testing.T) {
	env := newTestEnv(t)
	for _, s := range []string{"plan-a", "plan-b", "plan-c"} {
		env.createProcess(t, s)
	}
	rec := env.Do(t, http.MethodGet, "/api/v1/processes?limit=2", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	page := decode(t, rec)
	items := page["items"].([]any)
	require.Len(t, items, 2)
	require.Equal(t, "plan-c", items[0].(map[string]any)["slug"], "newest first")
	require.Equal(t, "plan-b", items[1].(map[string]any)["slug"])
	cursor := page["next_cursor"].(string)

	rec = env.Do(t, http.MethodGet, "/api/v1/processes?limit=2&cursor="+cursor, "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	page = decode(t, rec)
	require.Len(t, page["items"].([]any), 1)
	require.Equal(t, "plan-a", page["items"].([]any)[0].(map[string]any)["slug"])
	require.Nil(t, page["next_cursor"])

	for _, q := range []string{"limit=0", "limit=101", "limit=abc", "cursor=bm9wZQ", "cursor=%27%3B+select+pg_sleep(5)--", "cursor=" + strings.Repeat("a", 201)} {
		rec := env.Do(t, http.MethodGet, "/api/v1/processes?"+q, "", "")
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, q)
	}
}

func TestUpdateProcess(t *testing.T) {
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	url := "/api/v1/processes/plan-2027"
	for _, tt := range []struct {
		name, url, token, body string
		want                   int
	}{
		{"requires authentication", url, "", `{"title":"New"}`, http.StatusUnauthorized},
		{"unknown process", "/api/v1/processes/other-plan", env.AdminToken(t), `{"title":"New"}`, http.StatusNotFound},
		{"rejects unknown fields", url, env.AdminToken(t), `{"slug":"renamed"}`, http.StatusBadRequest},
		{"rejects an empty title", url, env.AdminToken(t), `{"title":""}`, http.StatusUnprocessableEntity},
		{"rejects overlapping phases", url, env.AdminToken(t), `{"title":"Changed","phases":[
			{"kind":"drafting","opens_at":"2027-01-01T00:00:00Z","closes_at":"2027-03-01T00:00:00Z"},
			{"kind":"response","opens_at":"2027-02-01T00:00:00Z","closes_at":"2027-04-01T00:00:00Z"}]}`, http.StatusUnprocessableEntity},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.Do(t, http.MethodPatch, tt.url, tt.token, tt.body)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
		})
	}
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "processes", "title = ?", "Open Government Action Plan 2027–2029"), "failed updates change nothing")
	require.EqualValues(t, 4, pgtest.Count(t, env.DB, "process_phases", ""))

	t.Run("an empty change changes nothing", func(t *testing.T) {
		before := decode(t, env.Do(t, http.MethodGet, url, "", ""))["updated_at"]
		rec := env.Do(t, http.MethodPatch, url, env.AdminToken(t), `{}`)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Equal(t, before, decode(t, rec)["updated_at"])
	})
	t.Run("changes only the given fields", func(t *testing.T) {
		rec := env.Do(t, http.MethodPatch, url, env.AdminToken(t), `{"title":"Plan 2027, revised"}`)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		p := decode(t, rec)
		require.Equal(t, "Plan 2027, revised", p["title"])
		require.Len(t, p["phases"], 4)
		require.Equal(t, []any{"en", "fr-CA"}, p["languages"])
	})
	t.Run("refuses a change made on an old reading", func(t *testing.T) {
		read := decode(t, env.Do(t, http.MethodGet, url, env.AdminToken(t), ""))["updated_at"].(string)
		rec := env.Do(t, http.MethodPatch, url, env.AdminToken(t), fmt.Sprintf(`{"title":"First editor","updated_at":%q}`, read))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		rec = env.Do(t, http.MethodPatch, url, env.AdminToken(t), fmt.Sprintf(`{"title":"Second editor","updated_at":%q}`, read))
		require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
		code, _ := errorOf(t, rec)
		require.Equal(t, "process.stale", code)
		require.EqualValues(t, 1, pgtest.Count(t, env.DB, "processes", "title = 'First editor'"), "the first change stays")

		rec = env.Do(t, http.MethodPatch, url, env.AdminToken(t), `{"title":"Third editor","updated_at":"yesterday"}`)
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
		_, fields := errorOf(t, rec)
		require.Equal(t, []string{"updated_at:date"}, fields)
	})
	t.Run("replaces the phases", func(t *testing.T) {
		rec := env.Do(t, http.MethodPatch, url, env.AdminToken(t), `{"phases":[
			{"kind":"response","opens_at":"2027-03-01T00:00:00Z","closes_at":"2027-04-01T00:00:00Z"}]}`)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		p := decode(t, rec)
		require.Equal(t, "response", p["current_phase"])
		require.EqualValues(t, 1, pgtest.Count(t, env.DB, "process_phases", ""))
	})
}
