package main

// W17: generating the close-out report of a process with 1,000,000 comments
// and 100,000 responses.

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/document"
	"cocreate/internal/process"
)

// w17 seeds a process of its own in set-based SQL (20,000 accounts, a
// 50-paragraph draft, 1,000,000 comments over 60 days, 1 % of them received
// on paper and 2 % hidden, 300,000 votes, 100,000 published responses each
// answering five comments, 200 clusters, 20,000 moderation items), then
// times the owners' preview (GET .../reports/preview) three times and
// reports the median, sampling the server's resident set every 20 ms for its
// peak; then publishes the report once (which also e-mails each contributor
// once, set-based). Targets: ≤ 10 s and ≤ 300 MB. The smoke run uses 20,000
// comments and 2,000 responses.
func (e *env) w17(ctx context.Context) (result, error) {
	comments, responses, people := 1_000_000, 100_000, 20_000
	if e.o.smoke {
		comments, responses, people = 20_000, 2_000, 1_000
	}
	slug := fmt.Sprintf("bench-report-%d", time.Now().UnixNano()%1e9)
	now := time.Now()
	day := 24 * time.Hour
	if _, err := e.app.Processes.Create(ctx, auth.System, process.CreateInput{Slug: slug, Title: "Report bench", Languages: []string{"en"},
		Phases: []process.PhaseInput{{Kind: process.PhasePublicComment, OpensAt: now.Add(-61 * day), ClosesAt: now.Add(30 * day)}}}); err != nil {
		return result{}, err
	}
	if _, _, err := e.app.Processes.Publish(ctx, auth.System, slug); err != nil {
		return result{}, err
	}
	docs := e.app.Documents
	d, err := docs.Create(ctx, auth.System, slug, document.CreateInput{Title: "Report bench draft", Language: "en"})
	if err != nil {
		return result{}, err
	}
	var src strings.Builder
	for i := range 50 {
		fmt.Fprintf(&src, "Paragraph %d. The city will publish the budget of every district as open data each month, item %d.\n\n", i, i)
	}
	_, v, _, err := docs.Import(ctx, auth.System, d.ID, document.ImportInput{Format: document.FormatMarkdown, Source: src.String()})
	if err != nil {
		return result{}, err
	}
	if _, err := docs.Publish(ctx, auth.System, d.ID, v.Number); err != nil {
		return result{}, err
	}
	var pid, vid int64
	if err := e.db.Raw("SELECT id FROM processes WHERE slug = ?", slug).Scan(&pid).Error; err != nil {
		return result{}, err
	}
	if err := e.db.Raw("SELECT id FROM document_versions WHERE document_id = ? AND number = ?", d.ID, v.Number).Scan(&vid).Error; err != nil {
		return result{}, err
	}
	prefix := fmt.Sprintf("w17-%d-", pid)
	log.Printf("bench: W17: storing %d comments and %d responses", comments, responses)
	started := time.Now()
	seed := []struct {
		what string
		sql  string
		args []any
	}{
		{"people", `INSERT INTO users (email, display_name, pseudonym, email_verified_at)
			SELECT ? || g || '@bench.invalid', 'Resident ' || g, 'Participant ' || ? || g, now()
			FROM generate_series(1, ?) g`, []any{prefix, prefix, people}},
		{"comments", `WITH keys AS (SELECT array_agg(key ORDER BY position) AS k FROM blocks WHERE version_id = @v),
				authors AS (SELECT array_agg(id ORDER BY id) AS a FROM users WHERE email LIKE @like),
				rows AS (SELECT nextval('comments_id_seq') AS id, g FROM generate_series(1, @n) g)
			INSERT INTO comments (id, root_id, document_id, version_id, paragraph_key, author_id, body, body_html, status,
				anchor_version_id, anchor_key, anchor_status, channel, contributor, received_on, created_at)
			SELECT r.id, r.id, @d, @v, keys.k[1 + (r.g * 7) % cardinality(keys.k)], authors.a[1 + (r.g * 13) % cardinality(authors.a)],
				'Bulk comment ' || r.g || ': publish the district budgets every month, with the suppliers.', '<p>Bulk comment</p>',
				CASE WHEN r.g % 50 = 0 THEN 'hidden' ELSE 'published' END, @v, keys.k[1 + (r.g * 7) % cardinality(keys.k)], 'exact',
				CASE WHEN r.g % 100 = 1 THEN 'paper' ELSE 'online' END,
				CASE WHEN r.g % 100 = 1 THEN 'Residents'' association' END,
				CASE WHEN r.g % 100 = 1 THEN (now() - (r.g % 60) * interval '1 day')::date END,
				now() - (r.g % 60) * interval '1 day' - (r.g % 1440) * interval '1 minute'
			FROM rows r, keys, authors`, []any{map[string]any{"v": vid, "like": prefix + "%", "n": comments, "d": d.ID}}},
		{"votes", `WITH authors AS (SELECT array_agg(id ORDER BY id) AS a FROM users WHERE email LIKE ?)
			INSERT INTO comment_votes (comment_id, user_id, value, voted_at)
			SELECT c.id, authors.a[1 + (c.n * 17 + 5) % cardinality(authors.a)], 1, c.created_at
			FROM (SELECT id, created_at, row_number() OVER (ORDER BY id) AS n FROM comments WHERE document_id = ?) c, authors
			WHERE c.n % 10 < 3`, []any{prefix + "%", d.ID}},
		{"responses", `INSERT INTO responses (process_id, state, disposition, reasoning, reasoning_html, published_at, ledger_seq, rule)
			SELECT ?, 'published', (ARRAY['adopted','amended','merged','rejected','out_of_scope','noted'])[1 + g % 6],
				'The forum answered these comments.', '<p>The forum answered these comments.</p>', now() - (g % 30) * interval '1 day', g, 'single'
			FROM generate_series(1, ?) g`, []any{pid, responses}},
		{"answers", `INSERT INTO contribution_answers (response_id, comment_id, answered_at)
			SELECT r.id, c.id, c.created_at + (c.n % 40) * interval '1 day'
			FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM responses WHERE process_id = ?) r
			JOIN (SELECT id, created_at, row_number() OVER (ORDER BY id) AS n FROM comments WHERE document_id = ?) c ON (c.n - 1) / 5 + 1 = r.n`,
			[]any{pid, d.ID}},
		{"clusters", `INSERT INTO clusters (process_id, title, origin) SELECT ?, 'Cluster ' || g, 'manual' FROM generate_series(1, 200) g`, []any{pid}},
		{"cluster members", `INSERT INTO cluster_members (cluster_id, comment_id)
			SELECT k.a[1 + c.n % 200], c.id
			FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM comments WHERE document_id = ?) c,
				(SELECT array_agg(id ORDER BY id) AS a FROM clusters WHERE process_id = ?) k
			WHERE c.n % 10 = 0`, []any{d.ID, pid}},
		{"moderation", `INSERT INTO moderation_items (process_id, comment_id, author_id, cause, state, created_at, queued_at, decided_at)
			SELECT ?, id, author_id, 'flags', 'decided', created_at, created_at, created_at + interval '1 hour'
			FROM comments WHERE document_id = ? AND status = 'hidden'`, []any{pid, d.ID}},
		{"decisions", `INSERT INTO moderation_decisions (item_id, outcome, reason, cause, item_version, created_at)
			SELECT id, 'reject', (ARRAY['spam','abuse','off_topic','duplicate'])[1 + id % 4], 'flags', 1, decided_at
			FROM moderation_items WHERE process_id = ?`, []any{pid}},
	}
	for _, s := range seed {
		if err := e.db.WithContext(ctx).Exec(s.sql, s.args...).Error; err != nil {
			return result{}, fmt.Errorf("seeding %s: %w", s.what, err)
		}
	}
	for _, t := range []string{"users", "comments", "comment_votes", "responses", "contribution_answers", "cluster_members", "moderation_items", "moderation_decisions"} {
		if err := e.db.Exec("VACUUM ANALYZE " + t).Error; err != nil {
			return result{}, err
		}
	}
	log.Printf("bench: W17: seeded in %v", time.Since(started).Round(time.Second))

	admin, err := e.adminToken(ctx)
	if err != nil {
		return result{}, err
	}
	client := &http.Client{Timeout: 5 * time.Minute}
	var runs []time.Duration
	var peak float64
	check := "ok"
	var got struct {
		YouSaid struct {
			Contributions struct{ Comments, Votes, Offline int } `json:"contributions"`
		} `json:"you_said"`
		WeDid struct {
			Responses int `json:"responses"`
			Coverage  struct{ Contributions, Answered int }
		} `json:"we_did"`
	}
	timed := func(method, url, body string) (time.Duration, int, []byte, error) {
		var mu sync.Mutex
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			t := time.NewTicker(20 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					mu.Lock()
					peak = max(peak, rssMB(e.server.Process.Pid))
					mu.Unlock()
				}
			}
		}()
		var rdr *strings.Reader
		if body != "" {
			rdr = strings.NewReader(body)
		}
		req, _ := http.NewRequestWithContext(ctx, method, url, nil)
		if rdr != nil {
			req, _ = http.NewRequestWithContext(ctx, method, url, rdr)
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer "+admin)
		start := time.Now()
		res, err := client.Do(req)
		var b []byte
		code := 0
		if err == nil {
			code = res.StatusCode
			var sb strings.Builder
			buf := make([]byte, 64<<10)
			for {
				n, rerr := res.Body.Read(buf)
				sb.Write(buf[:n])
				if rerr != nil {
					break
				}
			}
			res.Body.Close()
			b = []byte(sb.String())
		}
		elapsed := time.Since(start)
		close(stop)
		<-done
		return elapsed, code, b, err
	}
	base := e.base + "/api/v1/processes/" + slug + "/reports"
	published := comments - comments/50
	for i := 0; i < 3; i++ {
		el, code, body, err := timed(http.MethodGet, base+"/preview", "")
		if err != nil {
			return result{}, err
		}
		runs = append(runs, el)
		if code != http.StatusOK || json.Unmarshal(body, &got) != nil {
			check = fmt.Sprintf("FAILED: preview answered %d: %.300s", code, body)
			continue
		}
		if got.YouSaid.Contributions.Comments != published || got.WeDid.Responses != responses || got.WeDid.Coverage.Contributions != published {
			check = fmt.Sprintf("FAILED: %d comments, %d responses, coverage of %d (want %d, %d, %d)", got.YouSaid.Contributions.Comments,
				got.WeDid.Responses, got.WeDid.Coverage.Contributions, published, responses, published)
		}
	}
	pubEl, code, body, err := timed(http.MethodPost, base, `{}`)
	if err != nil {
		return result{}, err
	}
	if code != http.StatusCreated {
		check = fmt.Sprintf("FAILED: publish answered %d: %.300s", code, body)
	}
	var mails int
	if err := e.db.Raw("SELECT count(*) FROM outbox WHERE kind = 'report_published'").Scan(&mails).Error; err != nil {
		return result{}, err
	}
	slices.Sort(runs)
	median := runs[1]
	if check == "ok" {
		check = fmt.Sprintf("ok: %d published comments, %d responses, %d%% answered; preview runs %v; publish (with %d e-mails) %v; peak RSS %.1f MB; targets ≤ 10 s, ≤ 300 MB",
			published, responses, got.WeDid.Coverage.Answered*100/max(1, got.WeDid.Coverage.Contributions), runs, mails, pubEl.Round(time.Millisecond), peak)
		if !e.o.smoke && (median > 10*time.Second || peak > 300) {
			check = "FAILED: over target: " + check
		}
	}
	return result{Scenario: "W17", Connections: 1, DurationS: round(median.Seconds()), Requests: 4,
		P50ms: round(float64(median.Microseconds()) / 1000), P99ms: round(float64(runs[2].Microseconds()) / 1000),
		Baseline: map[string]any{"publish_ms": pubEl.Milliseconds(), "peak_rss_mb": peak, "contributors_emailed": mails}, Check: check}, nil
}
