package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSearchIdeasInEveryScript searches a Chinese, Japanese and English
// process through the router: two-character words, Latin words inside Chinese
// text, best match first, similar ideas; and bad input is refused with 400 or
// 422, never a 5xx, and changes nothing.
func TestSearchIdeasInEveryScript(t *testing.T) {
	env := newTestEnv(t)
	body := fmt.Sprintf(`{"slug":"scripts","title":"公共運輸","languages":["zh-Hant","ja","en"],"phases":%s}`, ideaPhasesJSON)
	rec := env.Do(t, http.MethodPost, "/api/v1/processes", env.AdminToken(t), body)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	env.publish(t, "scripts")
	rec = env.Do(t, http.MethodPut, "/api/v1/processes/scripts/idea-settings", env.AdminToken(t), `{"support_limit":0,"one_per_theme":false,"themes":[{"name":"交通"}]}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var s struct{ Themes []struct{ ID int64 } }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &s))
	alice := makeUser(t, env, "alice@example.org", false)
	for _, title := range []string{"改善公車站無障礙電梯", "推動AI治理與MRT資料開放", "Cheaper bus tickets"} {
		env.idea(t, alice, "scripts", s.Themes[0].ID, title)
	}
	// "公車" is in this idea's body only.
	b, _ := json.Marshal(map[string]any{"title": "社區公園設施", "body": "方便搭公車前往公園。", "theme_id": s.Themes[0].ID})
	rec = env.Do(t, http.MethodPost, "/api/v1/processes/scripts/ideas", alice, string(b))
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())

	get := func(path string) (int, []string) {
		t.Helper()
		rec := env.Do(t, http.MethodGet, path, "", "")
		if rec.Code != http.StatusOK {
			return rec.Code, nil
		}
		var p struct{ Items []ideaJSON }
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
		out := []string{}
		for _, i := range p.Items {
			out = append(out, i.Title)
		}
		return rec.Code, out
	}
	for q, want := range map[string][]string{
		"公車":     {"社區公園設施", "改善公車站無障礙電梯"},
		"電梯":     {"改善公車站無障礙電梯"},
		"AI":     {"推動AI治理與MRT資料開放"},
		"ticket": {"Cheaper bus tickets"},
		"地鐵":     {},
	} {
		code, got := get("/api/v1/processes/scripts/ideas?q=" + url.QueryEscape(q))
		require.Equal(t, http.StatusOK, code, q)
		require.ElementsMatch(t, want, got, "query %q", q)
	}
	code, got := get("/api/v1/processes/scripts/ideas?sort=relevant&q=" + url.QueryEscape("公車"))
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, []string{"改善公車站無障礙電梯", "社區公園設施"}, got, "the title match first")
	code, got = get("/api/v1/processes/scripts/ideas/similar?text=" + url.QueryEscape("公車站的電梯壞了"))
	require.Equal(t, http.StatusOK, code)
	require.NotEmpty(t, got)
	require.Equal(t, "改善公車站無障礙電梯", got[0])

	// Empty and one-character queries are answered; too long, NUL and
	// invalid UTF-8 are refused.
	code, got = get("/api/v1/processes/scripts/ideas?q=")
	require.Equal(t, http.StatusOK, code)
	require.Len(t, got, 4, "an empty search lists every idea")
	for _, q := range []string{"車", "a", "&", "!", "-", `"`, "(", "公車 or", "or"} {
		code, _ := get("/api/v1/processes/scripts/ideas?q=" + url.QueryEscape(q))
		require.Equal(t, http.StatusOK, code, "query %q", q)
		code, _ = get("/api/v1/processes/scripts/ideas/similar?text=" + url.QueryEscape(q))
		require.Equal(t, http.StatusOK, code, "similar %q", q)
	}
	for _, bad := range []string{
		"/api/v1/processes/scripts/ideas?q=" + strings.Repeat("公", 201),
		"/api/v1/processes/scripts/ideas?q=%00",
		"/api/v1/processes/scripts/ideas?q=%E5%85",
		"/api/v1/processes/scripts/ideas?q=%FF%FE",
		"/api/v1/processes/scripts/ideas?sort=rank",
		"/api/v1/processes/scripts/ideas/similar?text=",
		"/api/v1/processes/scripts/ideas/similar?text=" + strings.Repeat("公", 2001),
		"/api/v1/processes/scripts/ideas/similar?text=%E5%85%AC%00%E8%BB%8A",
		"/api/v1/processes/scripts/ideas/similar?text=%FF%FE",
	} {
		rec := env.Do(t, http.MethodGet, bad, "", "")
		require.Contains(t, []int{http.StatusBadRequest, http.StatusUnprocessableEntity}, rec.Code, "%s: %s", bad, rec.Body.String())
	}
	var n int
	require.NoError(t, env.DB.Raw("SELECT count(*) FROM ideas").Scan(&n).Error)
	require.Equal(t, 4, n)

	// A hidden idea is found by nobody's search, nor offered as similar.
	require.NoError(t, env.DB.Exec("UPDATE ideas SET moderation = 'hidden' WHERE title = ?", "改善公車站無障礙電梯").Error)
	for _, path := range []string{"/api/v1/processes/scripts/ideas?q=" + url.QueryEscape("電梯"),
		"/api/v1/processes/scripts/ideas/similar?text=" + url.QueryEscape("公車站的電梯壞了")} {
		code, got := get(path)
		require.Equal(t, http.StatusOK, code)
		require.NotContains(t, got, "改善公車站無障礙電梯", path)
	}

	// An unpublished process's ideas are searched by its owners only.
	body = fmt.Sprintf(`{"slug":"hidden-scripts","title":"未公開","languages":["zh-Hant"],"phases":%s}`, ideaPhasesJSON)
	rec = env.Do(t, http.MethodPost, "/api/v1/processes", env.AdminToken(t), body)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	for _, path := range []string{"/api/v1/processes/hidden-scripts/ideas?q=" + url.QueryEscape("電梯"),
		"/api/v1/processes/hidden-scripts/ideas/similar?text=" + url.QueryEscape("電梯")} {
		require.Equal(t, http.StatusNotFound, env.Do(t, http.MethodGet, path, "", "").Code, path)
		require.Equal(t, http.StatusNotFound, env.Do(t, http.MethodGet, path, alice, "").Code, path)
		require.Equal(t, http.StatusOK, env.Do(t, http.MethodGet, path, env.AdminToken(t), "").Code, path)
	}
}
