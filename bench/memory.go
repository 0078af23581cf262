package main

// Memory scenarios: W9 idle and peak, W9mix no growth under a mixed load.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// w9 reports the server's resident set: at start (idle, after the data was
// prepared) and the peak over every scenario run so far.
func (e *env) w9() result {
	e.rssMu.Lock()
	defer e.rssMu.Unlock()
	return result{Scenario: "W9", Baseline: map[string]any{"idle_rss_mb": e.idleRSS, "peak_rss_mb": e.peakRSS},
		Check: fmt.Sprintf("ok: idle %.1f MB, peak %.1f MB (targets: ≤ 60 idle, ≤ 300 peak)", e.idleRSS, e.peakRSS)}
}

// w9mix runs a mixed load for the duration (one comment written for every
// nine reads of threads and drafts) and samples the server's resident set
// every 10 s; the check fails when the last minute's peak exceeds the first
// minute's by more than 20 % (QUALITY.md W9: no growth over a 10-minute run).
func (e *env) w9mix(ctx context.Context) (result, error) {
	thread := fmt.Sprintf("%s/api/v1/documents/%d/paragraphs/%s/comments?limit=200", e.base, e.docID, e.hotKey)
	draft := fmt.Sprintf("%s/api/v1/documents/%d/versions/latest", e.base, e.docID)
	post := fmt.Sprintf("%s/api/v1/documents/%d/comments", e.base, e.docID)
	var samples []float64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				samples = append(samples, rssMB(e.server.Process.Pid))
			}
		}
	}()
	reqs, errs, lat, el := load(ctx, e.o.connections, e.o.duration, func(w, i int) bool {
		var req *http.Request
		switch i % 10 {
		case 0:
			payload, _ := json.Marshal(map[string]any{"paragraph_key": e.keys[(w+i)%len(e.keys)], "version": e.version,
				"body": fmt.Sprintf("Mixed-load comment %d from worker %d.", i, w)})
			req, _ = http.NewRequest(http.MethodPost, post, strings.NewReader(string(payload)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+e.tokens[w%len(e.tokens)])
			code, err := e.do(req)
			return err == nil && code == http.StatusCreated
		case 1, 3, 5, 7, 9:
			req, _ = http.NewRequest(http.MethodGet, thread, nil)
		default:
			req, _ = http.NewRequest(http.MethodGet, draft, nil)
		}
		code, err := e.do(req)
		return err == nil && code == http.StatusOK
	})
	close(stop)
	<-done
	r := summarise("W9mix", e.o.connections, reqs, errs, lat, el)
	perMinute := 6 // samples per minute
	if len(samples) < 2*perMinute {
		r.Check = fmt.Sprintf("ok: %d RSS samples (MB) %v; run -duration 10m for the growth check", len(samples), samples)
		return r, nil
	}
	first, last := 0.0, 0.0
	for _, v := range samples[:perMinute] {
		first = max(first, v)
	}
	for _, v := range samples[len(samples)-perMinute:] {
		last = max(last, v)
	}
	r.Baseline = map[string]any{"first_minute_peak_rss_mb": first, "last_minute_peak_rss_mb": last, "samples_mb": samples}
	if last > 1.2*first {
		r.Check = fmt.Sprintf("FAILED: the resident set grew from %.1f MB to %.1f MB", first, last)
	} else {
		r.Check = fmt.Sprintf("ok: peak resident set %.1f MB in the first minute, %.1f MB in the last", first, last)
	}
	return r, nil
}
