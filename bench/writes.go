package main

// Write scenarios: W1 comments, W4 vote storm, W8 import and re-anchoring.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"cocreate/internal/auth"
	"cocreate/internal/document"
)

// w1: signed-in people comment on paragraphs; afterwards the rows stored must
// equal the 201s received.
func (e *env) w1(ctx context.Context) (result, error) {
	var before int64
	if err := e.db.Raw("SELECT count(*) FROM comments").Scan(&before).Error; err != nil {
		return result{}, err
	}
	// Every comment says something of its own, as people do: the screen
	// refuses the same text from one account twice within 6 minutes.
	body := strings.Repeat("Publishing the budget monthly is good; *please* also add the district breakdown and contracts. ", 4)[:288]
	url := fmt.Sprintf("%s/api/v1/documents/%d/comments", e.base, e.docID)
	var acked atomic.Int64
	cpu := e.cpuStart()
	reqs, errs, lat, el := load(ctx, e.o.connections, e.o.duration, func(w, i int) bool {
		key := e.keys[(w*7+i)%len(e.keys)]
		payload, _ := json.Marshal(map[string]any{"paragraph_key": key, "version": e.version, "body": fmt.Sprintf("%s (%d-%d)", body, w, i)})
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(string(payload)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.tokens[w%len(e.tokens)])
		code, err := e.do(req)
		if err == nil && code == http.StatusCreated {
			acked.Add(1)
			return true
		}
		return false
	})
	r := summarise("W1", e.o.connections, reqs, errs, lat, el)
	r.CPU = cpu.stop()
	var after int64
	if err := e.db.Raw("SELECT count(*) FROM comments").Scan(&after).Error; err != nil {
		return result{}, err
	}
	if after-before == acked.Load() {
		r.Check = fmt.Sprintf("ok: %d rows stored = %d acknowledged", after-before, acked.Load())
	} else {
		r.Check = fmt.Sprintf("FAILED: %d rows stored, %d acknowledged", after-before, acked.Load())
	}
	if e.o.pgbench {
		script := "INSERT INTO bench_baseline_comments (document_id, paragraph_key, author_id, body, body_html, created_at) " +
			"VALUES (1, 'p-bench', 1 + (random() * 100)::int, '" + body + "', '<p>" + body + "</p>', now());\n"
		setup := `CREATE TABLE IF NOT EXISTS bench_baseline_comments (id bigserial PRIMARY KEY, document_id bigint NOT NULL,
			paragraph_key text NOT NULL, author_id bigint NOT NULL, body text NOT NULL, body_html text NOT NULL, created_at timestamptz NOT NULL);
			CREATE INDEX IF NOT EXISTS bench_baseline_comments_thread ON bench_baseline_comments (document_id, paragraph_key, id)`
		if err := e.db.Exec(setup).Error; err != nil {
			return r, err
		}
		tps, err := e.pgbench(ctx, script)
		_ = e.db.Exec("DROP TABLE bench_baseline_comments").Error
		if err != nil {
			return r, err
		}
		e.baseline(&r, "INSERT of one comment-shaped row per transaction", tps)
	}
	return r, nil
}

// w4Voters is how many distinct people vote at once in W4.
const w4Voters = 1000

// w4: rounds of w4Voters distinct people voting on one comment at the same
// instant (each round flips everyone's vote), until the duration has passed.
// Afterwards the sharded counters must equal the vote rows, and every voter
// holds the last round's vote.
func (e *env) w4(ctx context.Context) (result, error) {
	voters := w4Voters
	if e.o.smoke {
		voters = 100
	}
	var target int64
	if err := e.db.Raw("SELECT min(id) FROM comments WHERE document_id = ? AND anchor_key = ?", e.docID, e.hotKey).Scan(&target).Error; err != nil {
		return result{}, err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: voters, MaxIdleConnsPerHost: voters, MaxConnsPerHost: voters},
		Timeout: 30 * time.Second}
	url := fmt.Sprintf("%s/api/v1/comments/%d/vote", e.base, target)
	var reqs, errs, fivexx int64
	var lat []time.Duration
	cpu := e.cpuStart()
	start := time.Now()
	deadline := start.Add(e.o.duration)
	rounds := 0
	for ; rounds == 0 || time.Now().Before(deadline); rounds++ {
		if ctx.Err() != nil {
			return result{}, ctx.Err()
		}
		value := []string{"agree", "disagree"}[rounds%2]
		gate := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		for v := range voters {
			wg.Add(1)
			go func(v int) {
				defer wg.Done()
				<-gate
				req, _ := http.NewRequest(http.MethodPut, url, strings.NewReader(`{"value":"`+value+`"}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.tokens[v])
				t0 := time.Now()
				res, err := client.Do(req)
				d := time.Since(t0)
				code := 0
				if err == nil {
					code = res.StatusCode
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				mu.Lock()
				defer mu.Unlock()
				reqs++
				lat = append(lat, d)
				if code != http.StatusOK {
					errs++
					if code >= 500 || code == 0 {
						fivexx++
					}
				}
			}(v)
		}
		close(gate)
		wg.Wait()
	}
	elapsed := time.Since(start)
	r := summarise("W4", voters, reqs, errs, lat, elapsed)
	r.CPU = cpu.stop()
	last := []int{1, -1}[(rounds-1)%2]
	var rows struct{ Agree, Disagree, Mine int64 }
	if err := e.db.Raw(`SELECT count(*) FILTER (WHERE value = 1) AS agree, count(*) FILTER (WHERE value = -1) AS disagree,
		count(*) FILTER (WHERE value = ?) AS mine FROM comment_votes WHERE comment_id = ?`, last, target).Scan(&rows).Error; err != nil {
		return r, err
	}
	var counters struct{ Agree, Disagree int64 }
	if err := e.db.Raw("SELECT coalesce(sum(agree), 0) AS agree, coalesce(sum(disagree), 0) AS disagree FROM comment_vote_counts WHERE comment_id = ?", target).
		Scan(&counters).Error; err != nil {
		return r, err
	}
	switch {
	case rows.Agree != counters.Agree || rows.Disagree != counters.Disagree:
		r.Check = fmt.Sprintf("FAILED: counters %d/%d, rows %d/%d", counters.Agree, counters.Disagree, rows.Agree, rows.Disagree)
	case rows.Mine != int64(voters):
		r.Check = fmt.Sprintf("FAILED: %d of %d voters hold the last round's vote", rows.Mine, voters)
	case fivexx > 0:
		r.Check = fmt.Sprintf("FAILED: %d answers were 5xx or no answer", fivexx)
	default:
		r.Check = fmt.Sprintf("ok: %d rounds of %d voters; counters = rows (%d agree, %d disagree); no 5xx", rounds, voters, rows.Agree, rows.Disagree)
	}
	return r, nil
}

// w8: import a ~200 KB draft of 600 paragraphs as a new version of a document
// holding 10,000 comments (whole paragraphs and phrases) and publish it, which
// re-anchors them all; the figure is the time of the import and the publication.
func (e *env) w8(ctx context.Context) (result, error) {
	paragraphs, comments := 600, 10000
	if e.o.smoke {
		paragraphs, comments = 60, 500
	}
	now := time.Now()
	docs := e.app.Documents
	d, err := docs.Create(ctx, auth.System, "bench-plan", document.CreateInput{Title: "Bench draft W8", Language: "en"})
	if err != nil {
		return result{}, err
	}
	para := func(i, rev int) string {
		return fmt.Sprintf("Commitment %d, revision %d. The council will publish the contracts, budgets and minutes of district %d as open data "+
			"within ten working days, with a named contact person, a licence that allows reuse, and a yearly review of the quality of the data "+
			"carried out with civil society organisations and residents of the district, reported back to the forum in public.", i, rev, i)
	}
	var v1 strings.Builder
	for i := range paragraphs {
		v1.WriteString(para(i, 1) + "\n\n")
	}
	_, first, _, err := docs.Import(ctx, auth.System, d.ID, document.ImportInput{Format: document.FormatMarkdown, Source: v1.String()})
	if err != nil {
		return result{}, err
	}
	if _, err := docs.Publish(ctx, auth.System, d.ID, first.Number); err != nil {
		return result{}, err
	}
	// The comments, in bulk: every third on a phrase ("open data" at its place).
	if err := e.db.Exec(`INSERT INTO comments (root_id, document_id, version_id, paragraph_key, author_id, body, body_html,
			quote_exact, quote_prefix, quote_suffix, quote_start, quote_end, anchor_version_id, anchor_key, anchor_status, anchor_start, anchor_end, created_at)
		SELECT 0, ?, b.version_id, b.key, (SELECT min(id) FROM users), 'Bench comment ' || g, '<p>Bench comment</p>',
			q.exact, q.prefix, q.suffix, q.s, q.e, b.version_id, b.key, 'exact', q.s, q.e, ?
		FROM generate_series(0, ? - 1) g
		JOIN blocks b ON b.version_id = ? AND b.position = g % ?
		LEFT JOIN LATERAL (SELECT 'open data'::text AS exact, substr(b.text, greatest(1, strpos(b.text, 'open data') - 32),
				least(32, strpos(b.text, 'open data') - 1)) AS prefix, substr(b.text, strpos(b.text, 'open data') + 9, 32) AS suffix,
				strpos(b.text, 'open data') - 1 AS s, strpos(b.text, 'open data') + 8 AS e) q ON g % 3 = 0`,
		d.ID, now, comments, first.ID, paragraphs).Error; err != nil {
		return result{}, err
	}
	if err := e.db.Exec("UPDATE comments SET root_id = id WHERE document_id = ? AND root_id = 0", d.ID).Error; err != nil {
		return result{}, err
	}
	// The new version: 10 % edited, 5 % deleted, one block in 50 moved to the end, the rest unchanged.
	var v2 strings.Builder
	var moved []string
	for i := range paragraphs {
		switch {
		case i%20 == 7:
			continue
		case i%10 == 3:
			v2.WriteString(strings.Replace(para(i, 1), "within ten working days", "within five working days", 1) + "\n\n")
		case i%50 == 11:
			moved = append(moved, para(i, 1))
		default:
			v2.WriteString(para(i, 1) + "\n\n")
		}
	}
	for _, m := range moved {
		v2.WriteString(m + "\n\n")
	}
	src := v2.String()
	admin, err := e.adminToken(ctx)
	if err != nil {
		return result{}, err
	}
	body, _ := json.Marshal(map[string]string{"format": "markdown", "source": src})
	t0 := time.Now()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/documents/%d/versions", e.base, d.ID), strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+admin)
	res, err := e.client.Do(req)
	if err != nil {
		return result{}, err
	}
	var imported struct{ Number int }
	_ = json.NewDecoder(res.Body).Decode(&imported)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		return result{}, fmt.Errorf("import: %s", res.Status)
	}
	req, _ = http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/documents/%d/versions/%d/publish", e.base, d.ID, imported.Number), nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	code, err := e.do(req)
	elapsed := time.Since(t0)
	if err != nil {
		return result{}, err
	}
	r := result{Scenario: "W8", Connections: 1, DurationS: round(elapsed.Seconds()), Requests: 2, RPS: round(2 / elapsed.Seconds()),
		P50ms: round(float64(elapsed.Microseconds()) / 1000), P99ms: round(float64(elapsed.Microseconds()) / 1000)}
	if code != http.StatusOK {
		r.Errors = 1
	}
	var st []struct {
		AnchorStatus string
		N            int
	}
	if err := e.db.Raw(`SELECT anchor_status, count(*) AS n FROM comments WHERE document_id = ? AND anchor_version_id =
		(SELECT id FROM document_versions WHERE document_id = ? AND number = ?) GROUP BY 1 ORDER BY 1`, d.ID, d.ID, imported.Number).Scan(&st).Error; err != nil {
		return r, err
	}
	total := 0
	parts := []string{}
	for _, x := range st {
		total += x.N
		parts = append(parts, fmt.Sprintf("%s %d", x.AnchorStatus, x.N))
	}
	if total == comments {
		r.Check = fmt.Sprintf("ok: %d KB, %d paragraphs; all %d comments re-anchored (%s)", len(src)/1024, paragraphs, comments, strings.Join(parts, ", "))
	} else {
		r.Check = fmt.Sprintf("FAILED: %d of %d comments re-anchored (%s)", total, comments, strings.Join(parts, ", "))
	}
	return r, nil
}

// adminToken makes (once) an administrator account and signs its token.
func (e *env) adminToken(ctx context.Context) (string, error) {
	if e.admin != "" {
		return e.admin, nil
	}
	var id int64
	if err := e.db.Raw(`INSERT INTO users (email, display_name, pseudonym, is_admin, email_verified_at)
		VALUES ('admin@bench.invalid', 'Bench admin', 'Participant benchadmin', true, now()) RETURNING id`).Scan(&id).Error; err != nil {
		return "", err
	}
	tok, _, err := e.signer.Issue(id, time.Now())
	e.admin = tok
	return tok, err
}
