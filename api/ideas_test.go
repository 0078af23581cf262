package api_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// ideaPhasesJSON opens idea collection around testNow (2027-03-15).
const ideaPhasesJSON = `[
 {"kind":"agenda_setting","opens_at":"2027-01-01T00:00:00Z","closes_at":"2027-03-01T00:00:00Z"},
 {"kind":"idea_collection","opens_at":"2027-03-01T00:00:00Z","closes_at":"2027-04-01T00:00:00Z"},
 {"kind":"drafting","opens_at":"2027-04-01T00:00:00Z","closes_at":"2027-05-01T00:00:00Z"}]`

// createIdeaProcess makes a process in its idea-collection phase with two
// themes and the given support rules, and returns the themes' ids.
func (e *testEnv) createIdeaProcess(t *testing.T, slug string, limit int, onePerTheme bool) (budgets, participation int64) {
	t.Helper()
	body := fmt.Sprintf(`{"slug":%q,"title":"Ideas for the plan","languages":["en"],"phases":%s}`, slug, ideaPhasesJSON)
	rec := e.Do(t, http.MethodPost, "/api/v1/processes", e.AdminToken(t), body)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	e.publish(t, slug)
	rec = e.Do(t, http.MethodPut, "/api/v1/processes/"+slug+"/idea-settings", e.AdminToken(t), fmt.Sprintf(
		`{"support_limit":%d,"one_per_theme":%t,"themes":[{"name":"Open budgets","description":"Money"},{"name":"Participation"}]}`,
		limit, onePerTheme))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var s struct{ Themes []struct{ ID int64 } }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &s))
	return s.Themes[0].ID, s.Themes[1].ID
}

type ideaJSON struct {
	ID         int64
	Title      string
	Status     string
	Supports   int
	Comments   int
	Revision   int
	Editable   bool
	Supported  *bool
	MergedInto *int64 `json:"merged_into"`
	Moderation string
}

func (e *testEnv) idea(t *testing.T, token, slug string, theme int64, title string) ideaJSON {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"title": title, "body": "Why: " + title, "theme_id": theme})
	rec := e.Do(t, http.MethodPost, "/api/v1/processes/"+slug+"/ideas", token, string(body))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var i ideaJSON
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &i))
	return i
}

func (e *testEnv) support(t *testing.T, token string, id int64) (int, map[string]any) {
	t.Helper()
	rec := e.Do(t, http.MethodPut, fmt.Sprintf("/api/v1/ideas/%d/support", id), token, "")
	return rec.Code, decode(t, rec)
}

func errCode(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestProposeEditWithdrawIdea(t *testing.T) {
	env := newTestEnv(t)
	budgets, participation := env.createIdeaProcess(t, "ideas", 0, false)
	alice := makeUser(t, env, "alice@example.org", false)
	bob := makeUser(t, env, "bob@example.org", false)

	t.Run("bad input is refused with nothing stored", func(t *testing.T) {
		for _, tt := range []struct{ body, field string }{
			{`{"title":"","body":"x","theme_id":1}`, ""},
			{fmt.Sprintf(`{"title":"\u200b\u200b","body":"Real","theme_id":%d}`, budgets), "title"},
			{fmt.Sprintf(`{"title":"%s","body":"Real","theme_id":%d}`, strings.Repeat("é", 151), budgets), "title"},
			{fmt.Sprintf(`{"title":"Two\nlines","body":"Real","theme_id":%d}`, budgets), "title"},
			{`{"title":"A title","body":"Real","theme_id":999999}`, "theme_id"},
			{fmt.Sprintf(`{"title":"A title","body":"Real","theme_id":%d,"contributor":"Someone"}`, budgets), "contributor"},
			{fmt.Sprintf(`{"title":"A title","body":"Real","theme_id":%d,"paragraph":{"document_id":999,"key":"abc"}}`, budgets), "paragraph"},
		} {
			rec := env.Do(t, http.MethodPost, "/api/v1/processes/ideas/ideas", alice, tt.body)
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
			if tt.field != "" {
				require.Contains(t, rec.Body.String(), `"field":"`+tt.field+`"`)
			}
		}
		rec := env.Do(t, http.MethodPost, "/api/v1/processes/ideas/ideas", alice,
			fmt.Sprintf(`{"title":"A","body":"B","theme_id":%d,"status":"accepted"}`, budgets))
		require.Equal(t, http.StatusBadRequest, rec.Code, "a client cannot set the status")
		require.EqualValues(t, 0, countRows(t, env, "ideas", ""))
	})

	i := env.idea(t, alice, "ideas", budgets, "Publish the budget as open data")
	require.Equal(t, "submitted", i.Status)
	require.True(t, i.Editable)

	t.Run("only the author edits, with the current revision", func(t *testing.T) {
		url := fmt.Sprintf("/api/v1/ideas/%d", i.ID)
		body := fmt.Sprintf(`{"title":"Publish every budget line","body":"As a spreadsheet","theme_id":%d,"revision":1}`, participation)
		rec := env.Do(t, http.MethodPatch, url, bob, body)
		require.Equal(t, http.StatusForbidden, rec.Code, rec.Body.String())
		rec = env.Do(t, http.MethodPatch, url, alice, body)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		rec = env.Do(t, http.MethodPatch, url, alice, body)
		require.Equal(t, http.StatusConflict, rec.Code)
		require.Equal(t, "idea.stale_revision", errCode(decode(t, rec)))
		var title string
		require.NoError(t, env.DB.Raw("SELECT title FROM ideas WHERE id = ?", i.ID).Scan(&title).Error)
		require.Equal(t, "Publish every budget line", title)
	})

	t.Run("the first support locks the text", func(t *testing.T) {
		code, _ := env.support(t, bob, i.ID)
		require.Equal(t, http.StatusOK, code)
		rec := env.Do(t, http.MethodPatch, fmt.Sprintf("/api/v1/ideas/%d", i.ID), alice,
			fmt.Sprintf(`{"title":"Changed after support","body":"x","theme_id":%d,"revision":2}`, budgets))
		require.Equal(t, http.StatusConflict, rec.Code)
		require.Equal(t, "idea.locked", errCode(decode(t, rec)))
	})

	t.Run("a comment locks the text too", func(t *testing.T) {
		j := env.idea(t, alice, "ideas", budgets, "Open contracting portal")
		rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/ideas/%d/comments", j.ID), bob, `{"body":"Yes, with **tenders**"}`)
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		c := decode(t, rec)
		require.EqualValues(t, j.ID, c["idea_id"])
		require.Nil(t, c["document_id"])
		require.Nil(t, c["anchor"])
		require.Contains(t, c["body_html"], "<strong>tenders</strong>")
		rec = env.Do(t, http.MethodPatch, fmt.Sprintf("/api/v1/ideas/%d", j.ID), alice,
			fmt.Sprintf(`{"title":"Changed","body":"x","theme_id":%d,"revision":1}`, budgets))
		require.Equal(t, http.StatusConflict, rec.Code)
		require.Equal(t, "idea.locked", errCode(decode(t, rec)))
	})

	t.Run("withdrawal by the author only, and the supports come back", func(t *testing.T) {
		url := fmt.Sprintf("/api/v1/ideas/%d/withdraw", i.ID)
		require.Equal(t, http.StatusForbidden, env.Do(t, http.MethodPost, url, bob, "").Code)
		rec := env.Do(t, http.MethodPost, url, alice, "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Equal(t, "withdrawn", decode(t, rec)["status"])
		require.Equal(t, http.StatusOK, env.Do(t, http.MethodPost, url, alice, "").Code, "withdrawing again changes nothing")
		rec = env.Do(t, http.MethodGet, "/api/v1/processes/ideas/my-supports", bob, "")
		require.Equal(t, http.StatusOK, rec.Code)
		require.EqualValues(t, 0, decode(t, rec)["used"], "a withdrawn idea's support no longer counts")
		code, body := env.support(t, bob, i.ID)
		require.Equal(t, http.StatusConflict, code)
		require.Equal(t, "idea.not_supportable", errCode(body))
	})

	t.Run("outside the idea phase nothing is accepted", func(t *testing.T) {
		env.createProcess(t, "closed-ideas")
		rec := env.Do(t, http.MethodPut, "/api/v1/processes/closed-ideas/idea-settings", env.AdminToken(t),
			`{"support_limit":0,"one_per_theme":false,"themes":[{"name":"Any"}]}`)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var theme int64
		require.NoError(t, env.DB.Raw("SELECT t.id FROM idea_themes t JOIN processes p ON p.id = t.process_id WHERE p.slug = 'closed-ideas'").Scan(&theme).Error)
		rec = env.Do(t, http.MethodPost, "/api/v1/processes/closed-ideas/ideas", alice, fmt.Sprintf(`{"title":"Late","body":"Too late","theme_id":%d}`, theme))
		require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
		require.Equal(t, "idea.phase_closed", errCode(decode(t, rec)))
		require.EqualValues(t, 0, countRows(t, env, "ideas i JOIN processes p ON p.id = i.process_id", "p.slug = 'closed-ideas'"))
	})
}

func TestSupportRules(t *testing.T) {
	env := newTestEnv(t)
	budgets, participation := env.createIdeaProcess(t, "limited", 2, true)
	author := makeUser(t, env, "author@example.org", false)
	voter := makeUser(t, env, "voter@example.org", false)
	b1 := env.idea(t, author, "limited", budgets, "Budget one")
	b2 := env.idea(t, author, "limited", budgets, "Budget two")
	p1 := env.idea(t, author, "limited", participation, "Participation one")

	code, body := env.support(t, voter, b1.ID)
	require.Equal(t, http.StatusOK, code)
	require.EqualValues(t, 1, body["supports"])
	require.EqualValues(t, 1, body["remaining"])
	code, body = env.support(t, voter, b1.ID)
	require.Equal(t, http.StatusOK, code, "supporting again changes nothing")
	require.EqualValues(t, 1, body["supports"])

	code, body = env.support(t, voter, b2.ID)
	require.Equal(t, http.StatusConflict, code)
	require.Equal(t, "idea.theme_limit", errCode(body), "one support per theme")

	code, _ = env.support(t, voter, p1.ID)
	require.Equal(t, http.StatusOK, code)
	// Relax the theme rule: now the per-person limit of 2 is what refuses.
	rec := env.Do(t, http.MethodPut, "/api/v1/processes/limited/idea-settings", env.AdminToken(t), fmt.Sprintf(
		`{"support_limit":2,"one_per_theme":false,"themes":[{"id":%d,"name":"Open budgets"},{"id":%d,"name":"Participation"}]}`, budgets, participation))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	code, body = env.support(t, voter, b2.ID)
	require.Equal(t, http.StatusConflict, code)
	require.Equal(t, "idea.support_limit", errCode(body))
	require.EqualValues(t, 2, countRows(t, env, "idea_supports", ""))

	// Retracting gives the support back.
	rec = env.Do(t, http.MethodDelete, fmt.Sprintf("/api/v1/ideas/%d/support", b1.ID), voter, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.EqualValues(t, 0, decode(t, rec)["supports"])
	code, _ = env.support(t, voter, b2.ID)
	require.Equal(t, http.StatusOK, code)

	rec = env.Do(t, http.MethodGet, "/api/v1/processes/limited/my-supports", voter, "")
	require.Equal(t, http.StatusOK, rec.Code)
	mine := decode(t, rec)
	require.EqualValues(t, 2, mine["used"])
	require.EqualValues(t, 0, mine["remaining"])
	require.ElementsMatch(t, []any{float64(b2.ID), float64(p1.ID)}, mine["ideas"])

	t.Run("a theme in use cannot be removed", func(t *testing.T) {
		rec := env.Do(t, http.MethodPut, "/api/v1/processes/limited/idea-settings", env.AdminToken(t), fmt.Sprintf(
			`{"support_limit":2,"one_per_theme":false,"themes":[{"id":%d,"name":"Open budgets"}]}`, budgets))
		require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
		require.Equal(t, "idea.theme_in_use", errCode(decode(t, rec)))
		require.EqualValues(t, 2, countRows(t, env, "idea_themes", ""))
	})
}

// TestSupportLimitHoldsUnderConcurrency races one person's supports of 50
// ideas against a limit of 3: exactly 3 succeed.
func TestSupportLimitHoldsUnderConcurrency(t *testing.T) {
	env := newTestEnv(t)
	budgets, _ := env.createIdeaProcess(t, "race", 3, false)
	author := makeUser(t, env, "author@example.org", false)
	voter := makeUser(t, env, "voter@example.org", false)
	ids := make([]int64, 50)
	for n := range ids {
		ids[n] = env.idea(t, author, "race", budgets, fmt.Sprintf("Idea %d", n)).ID
	}
	var wg sync.WaitGroup
	codes := make([]int, len(ids))
	for n, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := env.Do(t, http.MethodPut, fmt.Sprintf("/api/v1/ideas/%d/support", id), voter, "")
			codes[n] = rec.Code
		}()
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
			refused++
		}
	}
	require.Equal(t, 3, ok, "codes: %v", codes)
	require.Equal(t, 47, refused)
	require.EqualValues(t, 3, countRows(t, env, "idea_supports", ""))
	var counted int64
	require.NoError(t, env.DB.Raw("SELECT coalesce(sum(supports), 0) FROM idea_counts").Scan(&counted).Error)
	require.EqualValues(t, 3, counted, "the counters agree with the rows")
}

func TestMergeIdeas(t *testing.T) {
	env := newTestEnv(t)
	budgets, participation := env.createIdeaProcess(t, "merge", 3, false)
	author := makeUser(t, env, "author@example.org", false)
	other := makeUser(t, env, "other@example.org", false)
	a := env.idea(t, author, "merge", budgets, "Open budget data")
	b := env.idea(t, other, "merge", participation, "Budget figures online")
	both := makeUser(t, env, "both@example.org", false)
	onlyB := makeUser(t, env, "onlyb@example.org", false)
	onlyA := makeUser(t, env, "onlya@example.org", false)
	for _, tok := range []string{both, onlyA} {
		code, _ := env.support(t, tok, a.ID)
		require.Equal(t, http.StatusOK, code)
	}
	for _, tok := range []string{both, onlyB} {
		code, _ := env.support(t, tok, b.ID)
		require.Equal(t, http.StatusOK, code)
	}
	rec := env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/ideas/%d/comments", b.ID), onlyB, `{"body":"Same as the other one?"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())

	url := fmt.Sprintf("/api/v1/ideas/%d/merge", b.ID)
	into := fmt.Sprintf(`{"into":%d}`, a.ID)
	require.Equal(t, http.StatusForbidden, env.Do(t, http.MethodPost, url, onlyA, into).Code, "a citizen cannot merge")
	require.Equal(t, http.StatusConflict, env.Do(t, http.MethodPost, url, env.AdminToken(t), fmt.Sprintf(`{"into":%d}`, b.ID)).Code)
	rec = env.Do(t, http.MethodPost, url, env.AdminToken(t), into)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	merged := decode(t, rec)
	require.Equal(t, "merged", merged["status"])
	require.EqualValues(t, a.ID, merged["merged_into"])

	// Rows: a holds the three distinct supporters once each, b none.
	require.EqualValues(t, 3, countRows(t, env, "idea_supports", fmt.Sprintf("idea_id = %d", a.ID)))
	require.EqualValues(t, 0, countRows(t, env, "idea_supports", fmt.Sprintf("idea_id = %d", b.ID)))
	require.EqualValues(t, 1, countRows(t, env, "idea_supports", fmt.Sprintf("idea_id = %d AND merged_from = %d", a.ID, b.ID)))
	var sums struct{ A, B int }
	require.NoError(t, env.DB.Raw(`SELECT coalesce(sum(supports) FILTER (WHERE idea_id = ?), 0) AS a,
		coalesce(sum(supports) FILTER (WHERE idea_id = ?), 0) AS b FROM idea_counts`, a.ID, b.ID).Scan(&sums).Error)
	require.Equal(t, 3, sums.A)
	require.Equal(t, 0, sums.B)

	// The person who supported both has a spare support again.
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/merge/my-supports", both, "")
	require.EqualValues(t, 1, decode(t, rec)["used"])
	require.EqualValues(t, 2, decode(t, rec)["remaining"])

	// b's discussion stays readable on b; b's author is told by e-mail.
	rec = env.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/ideas/%d/comments", b.ID), "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Len(t, decode(t, rec)["items"], 1)
	require.EqualValues(t, 1, countRows(t, env, "outbox", "kind = 'idea_merged' AND recipient = 'other@example.org'"))
	// The merged idea takes no more supports; merging it again is refused.
	code, body := env.support(t, onlyA, b.ID)
	require.Equal(t, http.StatusConflict, code)
	require.Equal(t, "idea.not_supportable", errCode(body))
	require.Equal(t, http.StatusConflict, env.Do(t, http.MethodPost, url, env.AdminToken(t), into).Code)
}

func TestListSearchSimilarAndExport(t *testing.T) {
	env := newTestEnv(t)
	budgets, participation := env.createIdeaProcess(t, "find", 0, false)
	alice := makeUser(t, env, "alice@example.org", false)
	bob := makeUser(t, env, "bob@example.org", false)
	i1 := env.idea(t, alice, "find", budgets, "Publish municipal budgets")
	i2 := env.idea(t, alice, "find", participation, "Transparência nas contas públicas")
	i3 := env.idea(t, bob, "find", participation, "Citizens' assembly")
	for _, id := range []int64{i1.ID, i3.ID} {
		code, _ := env.support(t, bob, id)
		require.Equal(t, http.StatusOK, code)
	}
	code, _ := env.support(t, alice, i3.ID)
	require.Equal(t, http.StatusOK, code)
	require.NoError(t, env.DB.Exec("UPDATE ideas SET moderation = 'hidden' WHERE id = ?", i2.ID).Error)

	list := func(token, query string) []ideaJSON {
		t.Helper()
		rec := env.Do(t, http.MethodGet, "/api/v1/processes/find/ideas"+query, token, "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var p struct{ Items []ideaJSON }
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
		return p.Items
	}
	titles := func(items []ideaJSON) []string {
		out := []string{}
		for _, i := range items {
			out = append(out, i.Title)
		}
		return out
	}
	require.Equal(t, []string{"Citizens' assembly", "Publish municipal budgets"}, titles(list("", "?sort=supported")), "hidden ideas are left out")
	require.Equal(t, []string{"Publish municipal budgets"}, titles(list("", "?q=budget")), "stemming: budget finds budgets")
	require.Equal(t, []string{"Citizens' assembly"}, titles(list(bob, fmt.Sprintf("?theme=%d", participation))))
	require.Equal(t, []string{"Citizens' assembly", "Publish municipal budgets"}, titles(list(bob, "?supported=true&sort=newest")))
	mine := list(alice, "?mine=true")
	require.Len(t, mine, 2, "an author sees their own hidden idea")
	require.Equal(t, http.StatusUnauthorized, env.Do(t, http.MethodGet, "/api/v1/processes/find/ideas?mine=true", "", "").Code)
	for _, q := range []string{"?sort=pg_sleep(1)", "?status=secret", "?limit=0", "?theme=1%3BDROP", "?cursor=zzz", "?seed=x", "?mine=perhaps"} {
		rec := env.Do(t, http.MethodGet, "/api/v1/processes/find/ideas"+q, "", "")
		require.Contains(t, []int{400, 422}, rec.Code, "%s: %s", q, rec.Body.String())
	}

	// The same seed gives the same order; pages follow on without repeats.
	first := list("", "?sort=random&seed=42&limit=1")
	again := list("", "?sort=random&seed=42&limit=1")
	require.Equal(t, titles(first), titles(again))
	rec := env.Do(t, http.MethodGet, "/api/v1/processes/find/ideas?sort=random&seed=42&limit=1", "", "")
	cursor := decode(t, rec)["next_cursor"].(string)
	second := list("", "?sort=random&seed=42&limit=1&cursor="+cursor)
	require.Len(t, second, 1)
	require.NotEqual(t, first[0].ID, second[0].ID)

	// Similar ideas: stems and accents.
	require.NoError(t, env.DB.Exec("UPDATE ideas SET moderation = 'published' WHERE id = ?", i2.ID).Error)
	similar := func(text string) []string {
		rec := env.Do(t, http.MethodGet, "/api/v1/processes/find/ideas/similar?text="+strings.ReplaceAll(text, " ", "+"), "", "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var l struct{ Items []ideaJSON }
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &l))
		return titles(l.Items)
	}
	require.Equal(t, []string{"Publish municipal budgets"}, similar("a budget for every district"))
	require.Equal(t, []string{"Transparência nas contas públicas"}, similar("transparencia"), "accents ignored")
	require.Equal(t, []string{}, similar("the of and"), "stop words alone match nothing")

	// Open data: no hidden ideas, pseudonymous authors.
	require.NoError(t, env.DB.Exec("UPDATE ideas SET moderation = 'hidden' WHERE id = ?", i2.ID).Error)
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/find/ideas/export", "", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NotContains(t, rec.Body.String(), "Transparência")
	require.NotContains(t, rec.Body.String(), "alice@example.org")
	var exp struct {
		Ideas []struct {
			Author   string
			Supports int
		}
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &exp))
	require.Len(t, exp.Ideas, 2)
	require.True(t, strings.HasPrefix(exp.Ideas[0].Author, "urn:cocreate:participant:"))
	rec = env.Do(t, http.MethodGet, "/api/v1/processes/find/ideas/export?format=csv", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	require.Equal(t, "supports", rows[0][7])
}

func TestOwnerEntersAnIdeaOnSomeonesBehalf(t *testing.T) {
	env := newTestEnv(t)
	budgets, _ := env.createIdeaProcess(t, "offline", 0, false)
	citizen := makeUser(t, env, "citizen@example.org", false)
	body := fmt.Sprintf(`{"title":"From the workshop","body":"Notes","theme_id":%d,"channel":"workshop","contributor":"Eastside residents",
		"received_on":"2027-03-14"}`, budgets)
	rec := env.Do(t, http.MethodPost, "/api/v1/processes/offline/ideas", citizen, body)
	require.Equal(t, http.StatusForbidden, rec.Code, "only owners enter contributions on someone's behalf")
	rec = env.Do(t, http.MethodPost, "/api/v1/processes/offline/ideas", env.AdminToken(t), body)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	got := decode(t, rec)
	require.Equal(t, "workshop", got["channel"])
	require.Equal(t, "Eastside residents", got["contributor"])
	require.Equal(t, "2027-03-14", got["received_on"])
	// A contribution received offline always says when it arrived.
	rec = env.Do(t, http.MethodPost, "/api/v1/processes/offline/ideas", env.AdminToken(t), strings.Replace(body, `"received_on":"2027-03-14"`, `"received_on":null`, 1))
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	_, fields := errorOf(t, rec)
	require.Equal(t, []string{"received_on:required"}, fields)
}

// TestDiscussionOfAnIdea runs the comment engine on an idea: comments,
// replies, votes and deletion, with the idea's comment count kept.
func TestDiscussionOfAnIdea(t *testing.T) {
	env := newTestEnv(t)
	budgets, _ := env.createIdeaProcess(t, "talk", 0, false)
	alice := makeUser(t, env, "alice@example.org", false)
	bob := makeUser(t, env, "bob@example.org", false)
	i := env.idea(t, alice, "talk", budgets, "Open budget data")
	url := fmt.Sprintf("/api/v1/ideas/%d", i.ID)

	rec := env.Do(t, http.MethodPost, url+"/comments", bob, `{"body":"Which format?"}`, "Idempotency-Key", "talk-1")
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	root := decodeID(t, rec.Body.Bytes())
	again := env.Do(t, http.MethodPost, url+"/comments", bob, `{"body":"Which format?"}`, "Idempotency-Key", "talk-1")
	require.Equal(t, "true", again.Header().Get("Idempotent-Replayed"))
	rec = env.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/comments/%d/replies", root), alice, `{"body":"CSV and JSON"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	reply := decode(t, rec)
	require.EqualValues(t, i.ID, reply["idea_id"])
	require.EqualValues(t, 1, reply["depth"])
	rec = env.Do(t, http.MethodPut, fmt.Sprintf("/api/v1/comments/%d/vote", root), alice, `{"value":"agree"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.EqualValues(t, 1, decode(t, rec)["agree"])
	rec = env.Do(t, http.MethodGet, url+"/my-votes", alice, "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, map[string]any{fmt.Sprint(root): "agree"}, decode(t, rec)["votes"])

	get := func() ideaJSON {
		rec := env.Do(t, http.MethodGet, url, "", "")
		require.Equal(t, http.StatusOK, rec.Code)
		var got ideaJSON
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
		return got
	}
	require.Equal(t, 2, get().Comments)
	rec = env.Do(t, http.MethodGet, url+"/comments", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Len(t, decode(t, rec)["items"], 2)

	require.Equal(t, http.StatusNoContent, env.Do(t, http.MethodDelete, fmt.Sprintf("/api/v1/comments/%d", int64(reply["id"].(float64))), alice, "").Code)
	require.Equal(t, 1, get().Comments, "a deleted reply leaves the count")
	require.EqualValues(t, 0, countRows(t, env, "paragraph_counts", ""), "comments on ideas count on no paragraph")

	// A withdrawn idea takes no new comments; its discussion stays readable.
	require.Equal(t, http.StatusOK, env.Do(t, http.MethodPost, url+"/withdraw", alice, "").Code)
	rec = env.Do(t, http.MethodPost, url+"/comments", bob, `{"body":"Too late?"}`)
	require.Equal(t, http.StatusConflict, rec.Code)
	require.Equal(t, "idea.not_supportable", errCode(decode(t, rec)))
	require.Equal(t, http.StatusNotFound, env.Do(t, http.MethodPost, "/api/v1/ideas/999999/comments", bob, `{"body":"Nobody"}`).Code)
}
