package main

// Wsearch: anonymous searches of the ideas of a process in English, Chinese,
// Japanese, Korean and Arabic holding 100,000 ideas (issue 22), best match
// first; the reads' target is QUALITY.md's for reads (p99 ≤ 30 ms).

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/database"
	"cocreate/internal/process"
)

// searchIdeas is how many ideas the searched process holds (fewer in smoke runs).
const searchIdeas = 100_000

// searchTitles are the ideas' titles, one in turn per idea (each query below
// matches one in len(searchTitles) of them, 5,000 of 100,000), each followed
// by the idea's number.
var searchTitles = []string{
	"Publish the municipal budgets of every district", "改善公車站無障礙電梯", "バス停にエレベーターを設置する",
	"버스 정류장에 엘리베이터 설치", "نشر الميزانية المفتوحة للمواطنين", "推動AI治理與MRT資料開放", "Safer cycle lanes near schools",
	"社區公園設施與座椅", "図書館の開館時間を延長する", "공공 도서관 운영 시간 연장", "مراجعة عقود الشراء العامة",
	"A citizens' assembly on the harbour plan", "增加夜間公車班次", "市民会議で予算を議論する", "주민 참여 예산 확대",
	"تحسين النقل العام في الأحياء", "Open register of lobbyists' meetings", "學校營養午餐在地食材", "ごみの分別を分かりやすく",
	"청소년 의회 구성",
}

// searchQueries are the searches, each with the title its best match must have.
var searchQueries = []struct{ q, want string }{
	{"電梯", searchTitles[1]},
	{"budget", searchTitles[0]},
	{"MRT", searchTitles[5]},
	{"エレベーター", searchTitles[2]},
	{"정류장", searchTitles[3]},
	{"ميزانية", searchTitles[4]},
	{"公車 班次", searchTitles[12]},
}

// prepareSearch makes a public process in English, Chinese, Japanese, Korean
// and Arabic in its idea-collection phase, with n published ideas (in SQL).
func (e *env) prepareSearch(ctx context.Context, n int) (string, error) {
	slug := fmt.Sprintf("bench-search-%d", time.Now().UnixNano())
	now := time.Now()
	p, err := e.app.Processes.Create(ctx, auth.System, process.CreateInput{Slug: slug, Title: "Bench search",
		Languages: []string{"en", "zh-Hant", "ja", "ko", "ar"},
		Phases:    []process.PhaseInput{{Kind: process.PhaseIdeaCollection, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour)}}})
	if err != nil {
		return "", err
	}
	if _, _, err := e.app.Processes.Publish(ctx, auth.System, slug); err != nil {
		return "", err
	}
	// The configurations the ideas service gives these languages: English first, then simple and Arabic.
	err = e.db.WithContext(ctx).Exec(`WITH t AS (INSERT INTO idea_themes (process_id, name, position) VALUES (@p, 'Any', 0) RETURNING id)
		INSERT INTO ideas (process_id, theme_id, author_id, title, body, body_html, moderation, created_at, search_config, search_extra)
		SELECT @p, t.id, (SELECT max(id) FROM users), x.title, x.body, '<p>' || x.body || '</p>', 'published', now(), 'cocreate_english',
			'{cocreate_simple,cocreate_arabic}'
		FROM t, generate_series(1, @n) g,
			LATERAL (SELECT (CAST(@titles AS text[]))[1 + g % cardinality(CAST(@titles AS text[]))] || ' ' || g AS title,
				'Proposal ' || g || ': ' || (CAST(@titles AS text[]))[1 + (g / 7) % cardinality(CAST(@titles AS text[]))] AS body) x`,
		map[string]any{"p": p.ID, "n": n, "titles": database.TextArray(searchTitles)}).Error
	if err != nil {
		return "", err
	}
	return slug, e.db.WithContext(ctx).Exec("ANALYZE ideas").Error
}

// wSearch: anonymous searches, in turn, of the queries above, best match first.
func (e *env) wSearch(ctx context.Context) (result, error) {
	n := searchIdeas
	if e.o.smoke {
		n = 2_000
	}
	slug, err := e.prepareSearch(ctx, n)
	if err != nil {
		return result{}, err
	}
	urls := make([]string, len(searchQueries))
	for i, s := range searchQueries {
		urls[i] = fmt.Sprintf("%s/api/v1/processes/%s/ideas?sort=relevant&limit=20&q=%s", e.base, slug, url.QueryEscape(s.q))
	}
	// Correctness first: every query's best match has the expected title, and a full page.
	check := fmt.Sprintf("ok: %d ideas, %d queries, each with its best match first and a full page", n, len(searchQueries))
	for i, s := range searchQueries {
		res, err := http.Get(urls[i])
		if err != nil {
			return result{}, err
		}
		var page struct{ Items []struct{ Title string } }
		err = json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		if err != nil {
			return result{}, err
		}
		if len(page.Items) != 20 || len(page.Items[0].Title) < len(s.want) || page.Items[0].Title[:len(s.want)] != s.want {
			check = fmt.Sprintf("FAILED: %q gave %d ideas, first %+v", s.q, len(page.Items), page.Items)
			break
		}
	}
	reqs, errs, lat, el := load(ctx, e.o.connections, e.o.duration, func(w, i int) bool {
		req, _ := http.NewRequest(http.MethodGet, urls[(w+i)%len(urls)], nil)
		code, err := e.do(req)
		return err == nil && code == http.StatusOK
	})
	r := summarise("Wsearch", e.o.connections, reqs, errs, lat, el)
	r.Check = check
	return r, nil
}
