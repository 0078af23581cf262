package idea_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"cocreate/internal/auth"
	"cocreate/internal/idea"
)

// scriptIdeas are the ideas of a process in English, Chinese, Japanese,
// Korean and Arabic, each with a title and a body.
var scriptIdeas = []struct{ title, body string }{
	{"Publish the municipal budgets", "Every district should see its spending."},
	{"改善公車站無障礙電梯", "許多公車站沒有電梯，輪椅使用者無法上車。"},
	{"推動AI治理與MRT資料開放", "政府應公開捷運的營運資料。"},
	{"社區公園設施", "公園需要更多座椅，也方便搭公車前往。"},
	{"バス停にエレベーターを設置する", "駅前のバス停は階段しかありません。"},
	{"버스 정류장에 엘리베이터 설치", "정류장에서 휠체어 이용이 어렵습니다."},
	{"نشر الميزانية المفتوحة", "يجب أن يرى المواطنون كيف تنفق الأموال."},
}

func scriptFixture(t *testing.T, languages ...string) fixture {
	t.Helper()
	f := newFixtureIn(t, languages)
	p := f.people(t, 1)[0]
	for _, i := range scriptIdeas {
		_, err := f.svc.Create(context.Background(), p, f.slug, idea.CreateInput{Title: i.title, Body: i.body, ThemeID: f.themes[0].ID})
		require.NoError(t, err)
	}
	return f
}

func ideaTitles(ideas []idea.Idea) []string {
	out := []string{}
	for _, i := range ideas {
		out = append(out, i.Title)
	}
	return out
}

// TestSearchEveryScriptOnOneProcess searches one process in English, Chinese,
// Japanese, Korean and Arabic (issue 22): two-character words inside longer
// titles, Latin words inside Chinese text, English stems and Arabic stems all
// find their ideas, and nothing else.
func TestSearchEveryScriptOnOneProcess(t *testing.T) {
	ctx := context.Background()
	f := scriptFixture(t, "en", "zh-Hant", "ja", "ko", "ar")
	for q, want := range map[string][]string{
		// English keeps its stemming.
		"budget":   {"Publish the municipal budgets"},
		"spending": {"Publish the municipal budgets"},
		// Chinese: two-character words inside longer titles and bodies.
		"公車": {"改善公車站無障礙電梯", "社區公園設施"},
		"電梯": {"改善公車站無障礙電梯"},
		"資料": {"推動AI治理與MRT資料開放"},
		"捷運": {"推動AI治理與MRT資料開放"},
		// Latin words written against Chinese characters.
		"AI":    {"推動AI治理與MRT資料開放"},
		"mrt":   {"推動AI治理與MRT資料開放"},
		"AI 治理": {"推動AI治理與MRT資料開放"},
		// Japanese and Korean.
		"バス停":    {"バス停にエレベーターを設置する"},
		"エレベーター": {"バス停にエレベーターを設置する"},
		"정류장":    {"버스 정류장에 엘리베이터 설치"},
		"휠체어":    {"버스 정류장에 엘리베이터 설치"},
		// Arabic: the article and the feminine ending do not hide the word.
		"ميزانية": {"نشر الميزانية المفتوحة"},
		"مواطنون": {"نشر الميزانية المفتوحة"},
		// Misses.
		"地鐵":       {},
		"公車 電梯 公園": {},
		"タクシー":     {},
		"지하철":      {},
		"مدرسة":    {},
		"school":   {},
	} {
		page, err := f.svc.List(ctx, auth.Anonymous, f.slug, idea.Filter{Query: q, Limit: 20})
		require.NoError(t, err, "query %q", q)
		assert.ElementsMatch(t, want, ideaTitles(page.Items), "query %q", q)
	}
}

// TestSearchByBestMatch orders a search by relevance: an idea with the word
// in its title comes before one with it only in its body, and the order pages.
func TestSearchByBestMatch(t *testing.T) {
	ctx := context.Background()
	f := scriptFixture(t, "zh-Hant")
	page, err := f.svc.List(ctx, auth.Anonymous, f.slug, idea.Filter{Query: "公車", Sort: idea.SortRelevant, Limit: 1})
	require.NoError(t, err)
	require.Equal(t, []string{"改善公車站無障礙電梯"}, ideaTitles(page.Items), "the title match first")
	require.NotEmpty(t, page.NextCursor)
	next, err := f.svc.List(ctx, auth.Anonymous, f.slug, idea.Filter{Query: "公車", Sort: idea.SortRelevant, Limit: 1, Cursor: page.NextCursor})
	require.NoError(t, err)
	require.Equal(t, []string{"社區公園設施"}, ideaTitles(next.Items), "the body match second")
	require.Empty(t, next.NextCursor)

	// Without a query, best match is the newest first.
	all, err := f.svc.List(ctx, auth.Anonymous, f.slug, idea.Filter{Sort: idea.SortRelevant, Limit: 20})
	require.NoError(t, err)
	require.Len(t, all.Items, len(scriptIdeas))
	require.Equal(t, scriptIdeas[len(scriptIdeas)-1].title, all.Items[0].Title)
}

// TestSimilarIdeasInEveryScript finds similar ideas from the words being
// typed in Chinese, Japanese, Korean and Arabic, best match first.
func TestSimilarIdeasInEveryScript(t *testing.T) {
	ctx := context.Background()
	f := scriptFixture(t, "zh-Hant", "ja", "ko", "ar")
	for text, want := range map[string][]string{
		"公車站的電梯壞了":         {"改善公車站無障礙電梯"},
		"電梯":               {"改善公車站無障礙電梯"},
		"バス停のエレベーター":       {"バス停にエレベーターを設置する"},
		"정류장 엘리베이터":        {"버스 정류장에 엘리베이터 설치"},
		"الميزانية العامة": {"نشر الميزانية المفتوحة"},
	} {
		similar, err := f.svc.Similar(ctx, auth.Anonymous, f.slug, text)
		require.NoError(t, err)
		require.NotEmpty(t, similar, "text %q", text)
		require.Equal(t, want[0], similar[0].Title, "text %q: best match first", text)
		require.NotContains(t, ideaTitles(similar), "Publish the municipal budgets", "text %q", text)
	}
	none, err := f.svc.Similar(ctx, auth.Anonymous, f.slug, "地鐵票價")
	require.NoError(t, err)
	require.Empty(t, none)
}

// TestLanguageConfigsAgreeWithSQL holds the Go mapping of languages to text
// search configurations (new ideas) equal to the SQL one (language_config,
// which filled in the ideas written before migration 0020).
func TestLanguageConfigsAgreeWithSQL(t *testing.T) {
	f := newFixtureIn(t, []string{"en"})
	for _, tag := range []string{"ar", "ar-EG", "hy", "eu", "ca", "el", "hi", "id", "ga", "lt", "ne", "sr", "ta", "yi", "da", "nl", "en",
		"EN-GB", "fi", "fr", "fr-CA", "de", "hu", "it", "no", "nb", "nn", "pt-BR", "ro", "ru", "es", "sv", "tr", "zh-Hant", "ja", "ko", "he", "fa", "ur", "x"} {
		var sql string
		require.NoError(t, f.db.Raw("SELECT language_config(?)::text", tag).Scan(&sql).Error)
		require.Equal(t, idea.LanguageConfig(tag), sql, tag)
	}
}

// TestSearchOddQueries runs queries made of operators, quotes, marks and
// long runs of every script: each is answered (no error), and each list
// holds only ideas of the process.
func TestSearchOddQueries(t *testing.T) {
	ctx := context.Background()
	f := scriptFixture(t, "zh-Hant", "ar", "en")
	long := ""
	for range 50 {
		long += "公車電梯"
	}
	for _, q := range []string{"&", "|", "!", "<->", "公車:*", "'", "''", `"公車`, `\`, "-公車", "公車 -電梯", "or or or", "- - -", "車",
		"\u200f\u200e", "\u0651\u064e", "🌍", "e\u0301", long, "公車 or 電梯 or ميزانية or budget", "الميزانية' OR 1=1 --", "pg_sleep(1)"} {
		page, err := f.svc.List(ctx, auth.Anonymous, f.slug, idea.Filter{Query: q, Sort: idea.SortRelevant, Limit: 20})
		require.NoError(t, err, "query %q", q)
		require.LessOrEqual(t, len(page.Items), len(scriptIdeas), "query %q", q)
		_, err = f.svc.Similar(ctx, auth.Anonymous, f.slug, q)
		require.NoError(t, err, "similar %q", q)
	}
	page, err := f.svc.List(ctx, auth.Anonymous, f.slug, idea.Filter{Query: "-電梯", Limit: 20})
	require.NoError(t, err)
	require.NotContains(t, ideaTitles(page.Items), "改善公車站無障礙電梯", "a minus excludes")
}
