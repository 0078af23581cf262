package main

// W10: reads while the draft is busy.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// w10Writers is QUALITY.md W10: 16 connections post comments and vote.
	w10Writers = 16
	// w10WatchCap is how many comments the writers post on one watched
	// paragraph before they move to the next, so that its whole thread fits
	// in one page of w10WatchLimit.
	w10WatchCap = 200
	// w10WatchLimit is the page size the readers ask for (the server's most).
	w10WatchLimit = 500
	// w10WatchKeys is how many paragraphs may be watched in turn.
	w10WatchKeys = 20
)

// w10State is what the writers have had acknowledged, for the readers' checks.
type w10State struct {
	mu     sync.Mutex
	acked  [][]int64 // per watched paragraph: its published comments acknowledged, in order
	counts []int     // per paragraph (index in e.keys): published comments acknowledged

	reserved atomic.Int64 // posts on watched paragraphs handed out so far
	current  atomic.Int64 // the watched paragraph being written, -1 before the first
}

// w10: e.o.connections connections read the 200-comment thread (as W2) and
// the draft (as W3), and the thread of a paragraph the writers are posting
// on, while w10Writers connections post comments on the draft's other
// paragraphs and vote on the read thread's comments, for the duration.
//
// Checks: comments stored = 201s; every voter's stored vote = its last
// acknowledged one and the vote counters = the vote rows; every read of the
// watched thread holds every comment acknowledged on it before the read
// started; every read of the draft counts, per paragraph, at least the
// comments acknowledged on it before the read started; every answer is a
// 200 of its length. The figures are the reads'; ratios against W2 of this
// run (run first here unless W2 ran earlier in this invocation).
func (e *env) w10(ctx context.Context) (result, error) {
	w2 := e.lastW2
	w2Source := "W2 earlier in this run"
	if w2 == nil {
		log.Printf("bench: W10: running W2 first, for the ratios")
		r, err := e.threadReads(ctx, "W2", e.o.connections)
		if err != nil {
			return result{}, err
		}
		if strings.HasPrefix(r.Check, "FAILED") {
			return result{}, fmt.Errorf("W2 before W10: %s", r.Check)
		}
		log.Printf("bench: W10: W2 %.0f/s, p99 %.1f ms, CPU %s", r.RPS, r.P99ms, r.CPU)
		w2, w2Source = &r, "W2 run by W10"
	}

	// What the readers start from: the read thread's comments and the
	// draft's counts as served now.
	var buf bytes.Buffer
	gz, err := e.read(e.threadURL(), &buf)
	if err != nil {
		return result{}, fmt.Errorf("reading the thread: %w", err)
	}
	hot, err := newAnswers(parseThreadIDs).of(gz, buf.Bytes())
	if err != nil || len(hot.ids) != 200 {
		return result{}, fmt.Errorf("the thread before W10: %d comments, %v", len(hot.ids), err)
	}
	if gz, err = e.read(e.draftURL(), &buf); err != nil {
		return result{}, fmt.Errorf("reading the draft: %w", err)
	}
	start, err := newAnswers(parseDraft).of(gz, buf.Bytes())
	if err != nil {
		return result{}, err
	}
	base := make([]int, len(e.keys))
	index := make(map[string]int, len(e.keys))
	for i, k := range e.keys {
		base[i], index[k] = start[k], i
	}

	// The watched paragraphs: ones whose whole thread still fits in a page
	// after w10WatchCap more comments; the other posts go to the rest.
	var stored []struct {
		Key string
		N   int
	}
	if err := e.db.Raw("SELECT anchor_key AS key, count(*) AS n FROM comments WHERE document_id = ? GROUP BY 1", e.docID).Scan(&stored).Error; err != nil {
		return result{}, err
	}
	have := map[string]int{}
	for _, s := range stored {
		have[s.Key] = s.N
	}
	var watched, others []string
	for _, k := range e.keys {
		switch {
		case k == e.hotKey:
		case len(watched) < w10WatchKeys && have[k]+w10WatchCap < w10WatchLimit:
			watched = append(watched, k)
		default:
			others = append(others, k)
		}
	}
	if len(watched) == 0 || len(others) == 0 {
		return result{}, fmt.Errorf("no paragraph of the draft has fewer than %d comments, so no thread can be read whole while written to "+
			"(a long W1 before W10?)", w10WatchLimit-w10WatchCap)
	}
	var before int64
	if err := e.db.Raw("SELECT count(*) FROM comments WHERE document_id = ?", e.docID).Scan(&before).Error; err != nil {
		return result{}, err
	}

	st := &w10State{acked: make([][]int64, len(watched)), counts: make([]int, len(e.keys))}
	st.current.Store(-1)
	writers := &http.Client{Transport: &http.Transport{MaxIdleConns: w10Writers, MaxIdleConnsPerHost: w10Writers, MaxConnsPerHost: w10Writers,
		IdleConnTimeout: time.Minute}, Timeout: 10 * time.Second}
	post := fmt.Sprintf("%s/api/v1/documents/%d/comments", e.base, e.docID)
	text := strings.Repeat("While the draft is busy: the budget tables should list each district and each contract above the threshold. ", 3)[:280]
	var posted, votesOK atomic.Int64
	var writeBad failures
	// Each writer's last acknowledged vote per comment (1 agree, -1
	// disagree); a comment whose last vote failed is left out (the failure
	// itself fails the run).
	mine := make([]map[int64]int, w10Writers)
	for w := range mine {
		mine[w] = map[int64]int{}
	}
	// Accounts from the end of the list: not the authors of the read thread.
	account := func(w int) int { return len(e.tokens) - 1 - w }
	token := func(w int) string { return e.tokens[account(w)] }
	write := func(w, i int) bool {
		if i%2 == 1 {
			target := hot.ids[(w*13+i/2)%len(hot.ids)]
			value, name := 1, "agree"
			if mine[w][target] == 1 {
				value, name = -1, "disagree"
			}
			req, _ := http.NewRequest(http.MethodPut, fmt.Sprintf("%s/api/v1/comments/%d/vote", e.base, target), strings.NewReader(`{"value":"`+name+`"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token(w))
			var got struct{ Mine string }
			code, err := sendJSON(writers, req, &got)
			if err == nil && (code != http.StatusOK || got.Mine != name) {
				err = fmt.Errorf("vote answered %d, mine %q (sent %s)", code, got.Mine, name)
			}
			if err != nil {
				delete(mine[w], target)
				return writeBad.note(err)
			}
			mine[w][target] = value
			votesOK.Add(1)
			return true
		}
		slot, key := -1, others[(w*7+i/2)%len(others)]
		if (i/2)%4 == 0 {
			if n := int(st.reserved.Add(1) - 1); n/w10WatchCap < len(watched) {
				slot, key = n/w10WatchCap, watched[n/w10WatchCap]
				raise(&st.current, int64(slot))
			}
		}
		payload, _ := json.Marshal(map[string]any{"paragraph_key": key, "version": e.version, "body": fmt.Sprintf("%s (W10 %d-%d)", text, w, i)})
		req, _ := http.NewRequest(http.MethodPost, post, bytes.NewReader(payload))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token(w))
		var got struct {
			ID     int64
			Status string
		}
		code, err := sendJSON(writers, req, &got)
		if err == nil && code != http.StatusCreated {
			err = fmt.Errorf("comment answered %d", code)
		}
		if err != nil {
			return writeBad.note(err)
		}
		posted.Add(1)
		if got.Status == "published" { // one the screen held is not public yet
			st.mu.Lock()
			st.counts[index[key]]++
			if slot >= 0 {
				st.acked[slot] = append(st.acked[slot], got.ID)
			}
			st.mu.Unlock()
		}
		return true
	}

	hotCheck := newAnswers(parseThreadIDs)
	draftCheck := newAnswers(parseDraft)
	watchCheck := newAnswers(parseThreadIDs)
	bufs := make([]bytes.Buffer, e.o.connections)
	snaps := make([][]int, e.o.connections)
	const (
		kindThread = iota
		kindDraft
		kindWatched
	)
	kinds := make([][3][]time.Duration, e.o.connections)
	var readBad failures
	readOne := func(w, kind int) error {
		b := &bufs[w]
		switch kind {
		case kindDraft:
			st.mu.Lock()
			snaps[w] = append(snaps[w][:0], st.counts...)
			st.mu.Unlock()
			gz, err := e.read(e.draftURL(), b)
			if err != nil {
				return fmt.Errorf("draft: %w", err)
			}
			d, err := draftCheck.of(gz, b.Bytes())
			if err != nil {
				return fmt.Errorf("draft: %w", err)
			}
			if len(d) != len(e.keys) {
				return fmt.Errorf("draft: %d blocks, not %d", len(d), len(e.keys))
			}
			for j, k := range e.keys {
				if want := base[j] + snaps[w][j]; d[k] < want {
					return fmt.Errorf("draft: paragraph %s counts %d comments; %d before W10 and %d acknowledged since, before the read started",
						k, d[k], base[j], snaps[w][j])
				}
			}
		case kindWatched:
			slot := st.current.Load()
			st.mu.Lock()
			acked := st.acked[slot] // a prefix no one writes again
			st.mu.Unlock()
			gz, err := e.read(fmt.Sprintf("%s/api/v1/documents/%d/paragraphs/%s/comments?limit=%d", e.base, e.docID, watched[slot], w10WatchLimit), b)
			if err != nil {
				return fmt.Errorf("written thread: %w", err)
			}
			p, err := watchCheck.of(gz, b.Bytes())
			if err != nil {
				return fmt.Errorf("written thread: %w", err)
			}
			for _, id := range acked {
				if !p.has[id] {
					return fmt.Errorf("written thread %s: comment %d, acknowledged before the read started, is missing (%d comments in the answer, %d acknowledged)",
						watched[slot], id, len(p.ids), len(acked))
				}
			}
		default:
			gz, err := e.read(e.threadURL(), b)
			if err != nil {
				return fmt.Errorf("thread: %w", err)
			}
			p, err := hotCheck.of(gz, b.Bytes())
			if err != nil {
				return fmt.Errorf("thread: %w", err)
			}
			if !slices.Equal(p.ids, hot.ids) {
				return fmt.Errorf("thread: %d comments, not the 200 it held before W10", len(p.ids))
			}
		}
		return nil
	}
	var threads, drafts, watches atomic.Int64
	readFn := func(w, i int) bool {
		kind := kindThread
		switch {
		case i%4 == 1:
			kind = kindDraft
			drafts.Add(1)
		case i%4 == 3 && st.current.Load() >= 0:
			kind = kindWatched
			watches.Add(1)
		default:
			threads.Add(1)
		}
		t0 := time.Now()
		err := readOne(w, kind)
		kinds[w][kind] = append(kinds[w][kind], time.Since(t0))
		return readBad.note(err)
	}

	cpu := e.cpuStart()
	var wg sync.WaitGroup
	var wReqs, wErrs int64
	var wLat []time.Duration
	var wEl time.Duration
	wg.Add(1)
	go func() {
		defer wg.Done()
		wReqs, wErrs, wLat, wEl = load(ctx, w10Writers, e.o.duration, write)
	}()
	reqs, errs, lat, el := load(ctx, e.o.connections, e.o.duration, readFn)
	wg.Wait()
	usage := cpu.stop()

	r := summarise("W10", e.o.connections, reqs, errs, lat, el)
	r.CPU = usage
	p99Ratio, rateRatio := 0.0, 0.0
	if w2.P99ms > 0 {
		p99Ratio = round(r.P99ms / w2.P99ms)
	}
	if w2.RPS > 0 {
		rateRatio = round(r.RPS / w2.RPS)
	}
	r.Ratio = &p99Ratio
	var byKind [3][]time.Duration
	for _, k := range kinds {
		for j := range byKind {
			byKind[j] = append(byKind[j], k[j]...)
		}
	}
	writeRate := round(float64(posted.Load()+votesOK.Load()) / wEl.Seconds())
	r.Baseline = map[string]any{"what": w2Source, "w2_rps": w2.RPS, "w2_p99_ms": w2.P99ms,
		"read_p99_ratio": p99Ratio, "read_rate_ratio": rateRatio,
		"writers": w10Writers, "write_rps": writeRate, "write_requests": wReqs, "write_errors": wErrs,
		"write_p50_ms": percentile(wLat, 0.50), "write_p99_ms": percentile(wLat, 0.99),
		"comments": posted.Load(), "votes": votesOK.Load(),
		"reads": map[string]any{"thread": threads.Load(), "draft": drafts.Load(), "written_thread": watches.Load(),
			"thread_p99_ms": percentile(byKind[kindThread], 0.99), "draft_p99_ms": percentile(byKind[kindDraft], 0.99),
			"written_thread_p99_ms": percentile(byKind[kindWatched], 0.99)},
		"encoding": e.encoding(), "distinct_bodies_parsed": hotCheck.distinct() + draftCheck.distinct() + watchCheck.distinct()}

	// Correctness: the rows, the votes, then the reads.
	var after int64
	if err := e.db.Raw("SELECT count(*) FROM comments WHERE document_id = ?", e.docID).Scan(&after).Error; err != nil {
		return r, err
	}
	voteCheck, err := e.w10Votes(mine, hot.ids, func(w int) int64 { return e.userIDs[account(w)] })
	if err != nil {
		return r, err
	}
	targets := fmt.Sprintf("read p99 %.2f × W2's (target ≤ 2: %s), read rate %.2f × W2's (target ≥ 0.5: %s)",
		p99Ratio, met(p99Ratio <= 2), rateRatio, met(rateRatio >= 0.5))
	switch {
	case after-before != posted.Load():
		r.Check = fmt.Sprintf("FAILED: %d comments stored, %d acknowledged", after-before, posted.Load())
	case voteCheck != "":
		r.Check = "FAILED: " + voteCheck
	case writeBad.n.Load() > 0:
		r.Check = writeBad.check("") + " (writes)"
	case readBad.n.Load() > 0:
		r.Check = readBad.check("") + " (reads)"
	case watches.Load() == 0:
		r.Check = "FAILED: no read of a thread being written to happened"
	default:
		r.Check = fmt.Sprintf("ok: %d comments stored = acknowledged, %d votes, each voter's last stored; %d reads of threads being written "+
			"to (%d paragraphs in turn) each held every comment acknowledged before it; %d draft reads each counted them; every answer 200 of its length (%s); %s",
			posted.Load(), votesOK.Load(), watches.Load(), min(len(watched), int(st.current.Load())+1), drafts.Load(), e.encoding(), targets)
	}
	return r, nil
}

// w10Votes compares each writer's stored votes with its last acknowledged
// ones, and the vote counters of the thread with its vote rows; it returns
// what differs, or "".
func (e *env) w10Votes(mine []map[int64]int, ids []int64, user func(int) int64) (string, error) {
	for w := range mine {
		var rows []struct {
			CommentID int64
			Value     int
		}
		if err := e.db.Raw("SELECT comment_id, value FROM comment_votes WHERE user_id = ? AND comment_id IN ?", user(w), ids).Scan(&rows).Error; err != nil {
			return "", err
		}
		stored := map[int64]int{}
		for _, v := range rows {
			stored[v.CommentID] = v.Value
		}
		for id, want := range mine[w] {
			if stored[id] != want {
				return fmt.Sprintf("writer %d's vote on comment %d is %d, its last acknowledged %d", w, id, stored[id], want), nil
			}
		}
	}
	var diff []struct {
		CommentID int64
	}
	if err := e.db.Raw(`SELECT coalesce(r.comment_id, k.comment_id) AS comment_id
		FROM (SELECT comment_id, count(*) FILTER (WHERE value = 1) AS agree, count(*) FILTER (WHERE value = -1) AS disagree
			FROM comment_votes WHERE comment_id IN @ids GROUP BY 1) r
		FULL JOIN (SELECT comment_id, sum(agree) AS agree, sum(disagree) AS disagree FROM comment_vote_counts WHERE comment_id IN @ids GROUP BY 1) k
			ON k.comment_id = r.comment_id
		WHERE coalesce(r.agree, 0) <> coalesce(k.agree, 0) OR coalesce(r.disagree, 0) <> coalesce(k.disagree, 0)`,
		map[string]any{"ids": ids}).Scan(&diff).Error; err != nil {
		return "", err
	}
	if len(diff) > 0 {
		return fmt.Sprintf("the vote counters of %d comments differ from their vote rows (comment %d first)", len(diff), diff[0].CommentID), nil
	}
	return "", nil
}

// raise sets a to v unless it already holds more.
func raise(a *atomic.Int64, v int64) {
	for cur := a.Load(); v > cur; cur = a.Load() {
		if a.CompareAndSwap(cur, v) {
			return
		}
	}
}

// met is how a target reads in a check.
func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// sendJSON sends req and decodes a JSON answer into v (when it is a 2xx).
func sendJSON(c *http.Client, req *http.Request, v any) (int, error) {
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if res.StatusCode/100 == 2 {
		if err := json.Unmarshal(b, v); err != nil {
			return res.StatusCode, fmt.Errorf("answer %d: %w: %.200s", res.StatusCode, err, b)
		}
	}
	return res.StatusCode, nil
}
