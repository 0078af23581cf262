package main

// Read scenarios: W2 thread, W3 draft, W6 growth.

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"

	"cocreate/internal/auth"
	"cocreate/internal/document"
)

// w2: anonymous reads of a 200-comment thread.
func (e *env) w2(ctx context.Context) (result, error) {
	url := fmt.Sprintf("%s/api/v1/documents/%d/paragraphs/%s/comments?limit=200", e.base, e.docID, e.hotKey)
	check, err := e.expectItems(url, 200)
	if err != nil {
		return result{}, err
	}
	reqs, errs, lat, el := load(ctx, e.o.connections, e.o.duration, func(w, i int) bool {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		code, err := e.do(req)
		return err == nil && code == http.StatusOK
	})
	r := summarise("W2", e.o.connections, reqs, errs, lat, el)
	r.Check = check
	if e.o.pgbench {
		script := fmt.Sprintf("SELECT * FROM comments WHERE document_id = %d AND anchor_key = '%s' ORDER BY root_id, id LIMIT 200;\n", e.docID, e.hotKey)
		tps, err := e.pgbench(ctx, script)
		if err != nil {
			return r, err
		}
		e.baseline(&r, "indexed SELECT of the same 200 comment rows", tps)
	}
	return r, nil
}

// w3: anonymous reads of the 200-paragraph draft with per-paragraph counts.
func (e *env) w3(ctx context.Context) (result, error) {
	url := fmt.Sprintf("%s/api/v1/documents/%d/versions/latest", e.base, e.docID)
	res, err := http.Get(url)
	if err != nil {
		return result{}, err
	}
	var v struct {
		Blocks []struct {
			Counts *struct{ Comments int } `json:"counts"`
		} `json:"blocks"`
	}
	err = json.NewDecoder(res.Body).Decode(&v)
	res.Body.Close()
	if err != nil {
		return result{}, err
	}
	check := fmt.Sprintf("ok: %d blocks with counts", len(v.Blocks))
	if len(v.Blocks) != 200 || v.Blocks[1].Counts == nil || v.Blocks[1].Counts.Comments < 200 {
		check = fmt.Sprintf("FAILED: %d blocks, counts %+v", len(v.Blocks), v.Blocks[1].Counts)
	}
	reqs, errs, lat, el := load(ctx, e.o.connections, e.o.duration, func(w, i int) bool {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		code, err := e.do(req)
		return err == nil && code == http.StatusOK
	})
	r := summarise("W3", e.o.connections, reqs, errs, lat, el)
	r.Check = check
	return r, nil
}

func (e *env) expectItems(url string, n int) (string, error) {
	res, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var p struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
		return "", err
	}
	if len(p.Items) != n {
		return fmt.Sprintf("FAILED: the thread has %d comments, not %d", len(p.Items), n), nil
	}
	return fmt.Sprintf("ok: the thread returns its %d comments", n), nil
}

// w6: W2 and W3 with the read cache off, first with 10,000 comments stored,
// then with 1,000,000 (added in bulk with SQL to another document, then
// VACUUM ANALYZE); the figure is the ratio of the p99s, which must stay ≤ 1.2.
func (e *env) w6(ctx context.Context) (result, error) {
	small, large := 10000, 1000000
	if e.o.smoke {
		small, large = 2000, 20000
	}
	e.stopServer()
	if err := e.startServer(ctx, e.tmp, e.keyFile, "PUBLIC_CACHE_TTL=0s"); err != nil {
		return result{}, err
	}
	defer func() {
		e.stopServer()
		if err := e.startServer(ctx, e.tmp, e.keyFile); err != nil {
			log.Printf("bench: restart: %v", err)
		}
	}()
	docs := e.app.Documents
	d, err := docs.Create(ctx, auth.System, "bench-plan", document.CreateInput{Title: "Bench draft W6", Language: "en"})
	if err != nil {
		return result{}, err
	}
	_, v, _, err := docs.Import(ctx, auth.System, d.ID, document.ImportInput{Format: document.FormatText, Source: "Elsewhere, one paragraph.\n"})
	if err != nil {
		return result{}, err
	}
	if _, err := docs.Publish(ctx, auth.System, d.ID, v.Number); err != nil {
		return result{}, err
	}
	fill := func(total int) error {
		var have int
		if err := e.db.Raw("SELECT count(*) FROM comments").Scan(&have).Error; err != nil {
			return err
		}
		if have >= total {
			return nil
		}
		log.Printf("bench: W6: storing %d more comments", total-have)
		if err := e.db.Exec(`INSERT INTO comments (root_id, document_id, version_id, paragraph_key, author_id, body, body_html,
				anchor_version_id, anchor_key, anchor_status)
			SELECT 0, ?, ?, b.key, (SELECT min(id) FROM users), 'Bulk comment ' || g || ' on another draft, about the same length as a real one.',
				'<p>Bulk comment</p>', ?, b.key, 'exact'
			FROM generate_series(1, ?) g, blocks b WHERE b.version_id = ?`, d.ID, v.ID, v.ID, total-have, v.ID).Error; err != nil {
			return err
		}
		if err := e.db.Exec("UPDATE comments SET root_id = id WHERE root_id = 0").Error; err != nil {
			return err
		}
		return e.db.Exec("VACUUM ANALYZE comments").Error
	}
	measure := func() (float64, float64, error) {
		r2, err := e.w2(ctx)
		if err != nil {
			return 0, 0, err
		}
		r3, err := e.w3(ctx)
		if err != nil {
			return 0, 0, err
		}
		log.Printf("bench: W6: W2 %.0f/s p99 %.1f ms; W3 %.0f/s p99 %.1f ms", r2.RPS, r2.P99ms, r3.RPS, r3.P99ms)
		return r2.P99ms, r3.P99ms, nil
	}
	saved := e.o.pgbench
	e.o.pgbench = false
	defer func() { e.o.pgbench = saved }()
	if err := fill(small); err != nil {
		return result{}, err
	}
	a2, a3, err := measure()
	if err != nil {
		return result{}, err
	}
	if err := fill(large); err != nil {
		return result{}, err
	}
	b2, b3, err := measure()
	if err != nil {
		return result{}, err
	}
	ratio := round(max(b2/a2, b3/a3))
	r := result{Scenario: "W6", Connections: e.o.connections, DurationS: round(4 * e.o.duration.Seconds()), P99ms: max(b2, b3), Ratio: &ratio,
		Baseline: map[string]any{"what": fmt.Sprintf("p99 with %d comments stored", small), "w2_p99_ms": a2, "w3_p99_ms": a3},
		Check:    fmt.Sprintf("ok: p99 with %d comments: W2 %.1f ms, W3 %.1f ms (with %d: %.1f, %.1f); ratio = the larger of the two", large, b2, b3, small, a2, a3)}
	return r, nil
}
