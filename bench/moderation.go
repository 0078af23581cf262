package main

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
	"cocreate/internal/process"
)

// w5Moderators and w5Items are QUALITY.md W5: 20 moderators drain 10,000 items.
const (
	w5Moderators = 20
	w5Items      = 10000
	w5Limit      = 2 * time.Minute // the scenario stops here even if the queue is not empty
)

// w5: moderators claim and decide the items of a pre-moderated process until
// the queue is empty; afterwards every item must have exactly one decision.
// The rate is decisions per second; the latencies are per request (a claim
// or a decision).
func (e *env) w5(ctx context.Context) (result, error) {
	items := w5Items
	if e.o.smoke {
		items = 400
	}
	slug, err := e.prepareQueue(ctx, items)
	if err != nil {
		return result{}, err
	}
	var decided, requests, errs, fivexx atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	call := func(tok, url, body string) (int, []byte) {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		t0 := time.Now()
		res, err := e.client.Do(req)
		d := time.Since(t0)
		mu.Lock()
		lat = append(lat, d)
		mu.Unlock()
		requests.Add(1)
		if err != nil {
			errs.Add(1)
			fivexx.Add(1)
			return 0, nil
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 500 {
			fivexx.Add(1)
		}
		return res.StatusCode, b
	}
	claimURL := fmt.Sprintf("%s/api/v1/processes/%s/moderation/claim", e.base, slug)
	cpu := e.cpuStart()
	start := time.Now()
	deadline := start.Add(w5Limit)
	var wg sync.WaitGroup
	for m := range w5Moderators {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok := e.tokens[m]
			for time.Now().Before(deadline) && ctx.Err() == nil {
				code, body := call(tok, claimURL, `{}`)
				if code == http.StatusNoContent {
					return
				}
				if code != http.StatusOK {
					errs.Add(1)
					continue
				}
				var it struct {
					ID      int64
					Version int
				}
				if json.Unmarshal(body, &it) != nil {
					errs.Add(1)
					continue
				}
				code, _ = call(tok, fmt.Sprintf("%s/api/v1/moderation/items/%d/decisions", e.base, it.ID),
					fmt.Sprintf(`{"outcome":"approve","version":%d}`, it.Version))
				if code == http.StatusOK {
					decided.Add(1)
				} else {
					errs.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	r := summarise("W5", w5Moderators, requests.Load(), errs.Load(), lat, elapsed)
	r.CPU = cpu.stop()
	r.RPS = round(float64(decided.Load()) / elapsed.Seconds()) // decisions per second
	var rows struct {
		Decisions, Items, Most int64
	}
	if err := e.db.Raw(`SELECT count(*) AS decisions, count(DISTINCT item_id) AS items, coalesce(max(n), 0) AS most
		FROM (SELECT item_id, count(*) OVER (PARTITION BY item_id) AS n FROM moderation_decisions d
			JOIN moderation_items m ON m.id = d.item_id JOIN processes p ON p.id = m.process_id WHERE p.slug = ?) x`, slug).
		Scan(&rows).Error; err != nil {
		return r, err
	}
	switch {
	case rows.Decisions != decided.Load():
		r.Check = fmt.Sprintf("FAILED: %d decisions stored, %d acknowledged", rows.Decisions, decided.Load())
	case rows.Most > 1:
		r.Check = fmt.Sprintf("FAILED: an item was decided %d times", rows.Most)
	case rows.Items != int64(items):
		r.Check = fmt.Sprintf("FAILED: %d of %d items decided within %s", rows.Items, items, w5Limit)
	case fivexx.Load() > 0:
		r.Check = fmt.Sprintf("FAILED: %d answers were 5xx or no answer", fivexx.Load())
	default:
		r.Check = fmt.Sprintf("ok: %d items, each decided exactly once, by %d moderators in %.1f s (rps = decisions/s; latencies per request)",
			items, w5Moderators, elapsed.Seconds())
	}
	return r, nil
}

// prepareQueue makes a pre-moderated process whose moderators are the first
// w5Moderators bench accounts, with n held ideas in its queue (seeded in SQL,
// then analysed).
func (e *env) prepareQueue(ctx context.Context, n int) (string, error) {
	slug := fmt.Sprintf("bench-queue-%d", time.Now().UnixNano())
	now := time.Now()
	procs := e.app.Processes
	p, err := procs.Create(ctx, auth.System, process.CreateInput{Slug: slug, Title: "Bench queue", Languages: []string{"en"},
		Phases: []process.PhaseInput{{Kind: process.PhaseIdeaCollection, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour)}}})
	if err != nil {
		return "", err
	}
	if _, _, err := procs.Publish(ctx, auth.System, slug); err != nil {
		return "", err
	}
	err = e.db.Exec(`WITH t AS (INSERT INTO idea_themes (process_id, name, position) VALUES (@p, 'Any', 0) RETURNING id),
		s AS (INSERT INTO moderation_settings (process_id, mode) VALUES (@p, 'pre')),
		r AS (INSERT INTO process_roles (process_id, user_id, role)
			SELECT @p, id, 'moderator' FROM users WHERE email LIKE 'bench%@bench.invalid' ORDER BY id LIMIT @m),
		i AS (INSERT INTO ideas (process_id, theme_id, author_id, title, body, body_html, moderation, created_at, search_config)
			SELECT @p, t.id, (SELECT max(id) FROM users), 'Held idea ' || g, 'A proposal waiting for review, number ' || g,
				'<p>A proposal waiting for review, number ' || g || '</p>', 'pending', now(), 'cocreate_english'
			FROM t, generate_series(1, @n) g RETURNING id, author_id, created_at)
		INSERT INTO moderation_items (process_id, idea_id, author_id, cause, created_at, queued_at)
		SELECT @p, id, author_id, 'mode', created_at, created_at FROM i`,
		map[string]any{"p": p.ID, "m": w5Moderators, "n": n}).Error
	if err != nil {
		return "", err
	}
	// A real queue's tables have statistics; freshly filled and not yet seen by
	// autovacuum, the planner misjudges them and every claim read the whole queue.
	return slug, e.db.WithContext(ctx).Exec("ANALYZE ideas, moderation_items, process_roles, moderation_settings, idea_themes").Error
}
