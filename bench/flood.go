package main

// W16: a flood of comment submissions while people read a thread (QUALITY.md R9).

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// floodAnswer is what became of one request of a burst.
type floodAnswer struct {
	code       int           // 0: no answer
	retryAfter bool          // the answer carried Retry-After
	latency    time.Duration // from writing the request to reading its answer
}

// floodBurst is one burst: when it started, how many requests went out and
// how long the sending and the answers took.
type floodBurst struct {
	answers    []floodAnswer
	start      time.Time
	sent       int
	sentIn     time.Duration
	answeredIn time.Duration
}

// fire opens conns connections to addr, then writes reqs spread evenly over
// one second and over the connections, each connection sending its share
// without waiting for the answers (HTTP/1.1 pipelining), so the burst's size
// does not depend on how fast the server answers; a reader per connection
// collects the answers until all came or drain has passed.
func fire(ctx context.Context, addr string, conns int, reqs [][]byte, drain time.Duration) (floodBurst, error) {
	sockets := make([]net.Conn, conns)
	for c := range sockets {
		conn, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, "tcp", addr)
		if err != nil {
			for _, s := range sockets[:c] {
				s.Close()
			}
			return floodBurst{}, fmt.Errorf("connecting: %w", err)
		}
		sockets[c] = conn
	}
	b := floodBurst{answers: make([]floodAnswer, len(reqs)), start: time.Now()}
	var mu sync.Mutex
	var lastSent time.Time
	var wg sync.WaitGroup
	for c, conn := range sockets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			_ = conn.SetDeadline(b.start.Add(drain))
			var mine []int
			for j := c; j < len(reqs); j += conns {
				mine = append(mine, j)
			}
			sentAt := make(chan time.Time, len(mine))
			got := make(chan struct{})
			go func() {
				defer close(got)
				br := bufio.NewReader(conn)
				for _, j := range mine {
					res, err := http.ReadResponse(br, nil)
					if err != nil {
						return // the rest stay unanswered
					}
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					b.answers[j] = floodAnswer{code: res.StatusCode, retryAfter: res.Header.Get("Retry-After") != "", latency: time.Since(<-sentAt)}
				}
			}()
			for _, j := range mine {
				time.Sleep(time.Until(b.start.Add(time.Duration(j) * time.Second / time.Duration(len(reqs)))))
				sentAt <- time.Now()
				if _, err := conn.Write(reqs[j]); err != nil {
					break
				}
				mu.Lock()
				b.sent++
				if now := time.Now(); now.After(lastSent) {
					lastSent = now
				}
				mu.Unlock()
			}
			<-got
		}()
	}
	wg.Wait()
	b.answeredIn = time.Since(b.start)
	b.sentIn = lastSent.Sub(b.start)
	return b, nil
}

// floodRead is one timed read of the thread.
type floodRead struct {
	start   time.Time
	latency time.Duration
	ok      bool
}

// between returns the latencies of the reads that started in [from, to), and
// how many of them failed.
func between(reads []floodRead, from, to time.Time) ([]time.Duration, int64) {
	var lat []time.Duration
	var failed int64
	for _, r := range reads {
		if r.start.Before(from) || !r.start.Before(to) {
			continue
		}
		lat = append(lat, r.latency)
		if !r.ok {
			failed++
		}
	}
	return lat, failed
}

// w16 fires a burst of comment submissions within one second (at least 20,000:
// -burst) over many connections, accounts and paragraphs, while a few other
// connections read the 200-comment thread at a steady pace. The server runs
// with its read cache off, so every read reaches PostgreSQL, as reads of
// threads being written to do. It reports the burst (sent, accepted, refused,
// 5xx, unanswered), checks the comments stored equal the 201s received and the
// server is still the same process, and compares the thread read's p99 before
// the burst with its p99 while the burst is answered (R9: at most 2×). As a
// control, the same burst is then fired at a route that does not exist, which
// the router answers 404 without any work: its read p99 is what receiving
// that many requests costs the readers on this machine, whatever the
// requests do.
func (e *env) w16(ctx context.Context) (result, error) {
	// 5,000 connections keep both processes well inside a 20,000 file limit.
	size, conns, idle, drain := e.o.burst, 5000, 5*time.Second, 2*time.Minute
	if e.o.smoke {
		size, conns, idle, drain = 400, 20, time.Second, 30*time.Second
	}
	conns = min(conns, size)
	settings := []string{"PUBLIC_CACHE_TTL=0s"}
	if e.o.smoke {
		// Too small a burst to fill the write lane: narrow it, so the smoke run
		// goes through refusals as well as acceptances.
		settings = append(settings, "WRITE_CONCURRENCY=2", "WRITE_QUEUE_WAIT=0s")
	}
	e.stopServer()
	if err := e.startServer(ctx, e.tmp, e.keyFile, settings...); err != nil {
		return result{}, err
	}
	defer func() {
		e.stopServer()
		if err := e.startServer(ctx, e.tmp, e.keyFile); err != nil {
			log.Printf("bench: restart: %v", err)
		}
	}()
	pid := e.server.Process.Pid
	thread := fmt.Sprintf("%s/api/v1/documents/%d/paragraphs/%s/comments?limit=200", e.base, e.docID, e.hotKey)
	var first bytes.Buffer
	gz, err := e.read(thread, &first)
	if err == nil {
		var p threadIDs
		if p, err = newAnswers(parseThreadIDs).of(gz, first.Bytes()); err == nil && len(p.ids) != 200 {
			err = fmt.Errorf("%d comments, not 200", len(p.ids))
		}
	}
	if err != nil {
		return result{}, fmt.Errorf("the thread before the burst: %w", err)
	}
	var before int64
	if err := e.db.Raw("SELECT count(*) FROM comments").Scan(&before).Error; err != nil {
		return result{}, err
	}

	// Every request written beforehand, so sending costs only the write: each
	// one a different text (the screen refuses one account's text twice), from
	// the bench accounts in turn, on the draft's paragraphs other than the one
	// read (so the read stays the same 200 comments).
	addr := strings.TrimPrefix(e.base, "http://")
	var keys []string
	for _, k := range e.keys {
		if k != e.hotKey {
			keys = append(keys, k)
		}
	}
	text := strings.Repeat("A flood of comments on the budget: please publish the district breakdown and every contract. ", 3)[:270]
	requests := func(path string) [][]byte {
		reqs := make([][]byte, size)
		for j := range reqs {
			body, _ := json.Marshal(map[string]any{"paragraph_key": keys[j%len(keys)], "version": e.version, "body": fmt.Sprintf("%s (burst %d)", text, j)})
			reqs[j] = fmt.Appendf(nil, "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
				path, addr, e.tokens[j%len(e.tokens)], len(body), body)
		}
		return reqs
	}
	comments := requests(fmt.Sprintf("/api/v1/documents/%d/comments", e.docID))

	// The readers: their own connections, one read every 20 ms each.
	readers, every := 4, 20*time.Millisecond
	rc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: readers, MaxConnsPerHost: readers, DisableCompression: true},
		Timeout: time.Minute}
	defer rc.CloseIdleConnections()
	var readMu sync.Mutex
	var reads []floodRead
	stopReads := make(chan struct{})
	var readWG sync.WaitGroup
	for r := range readers {
		readWG.Add(1)
		go func() {
			defer readWG.Done()
			tick := time.NewTicker(every)
			defer tick.Stop()
			time.Sleep(time.Duration(r) * every / time.Duration(readers))
			for {
				select {
				case <-stopReads:
					return
				case <-ctx.Done():
					return
				case <-tick.C:
				}
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, thread, nil)
				code, err := e.doWith(rc, req)
				readMu.Lock()
				reads = append(reads, floodRead{start: t0, latency: time.Since(t0), ok: err == nil && code == http.StatusOK})
				readMu.Unlock()
			}
		}()
	}
	readersStopped := false
	stopReaders := func() {
		if !readersStopped {
			readersStopped = true
			close(stopReads)
			readWG.Wait()
		}
	}
	defer stopReaders()
	quietStart := time.Now()
	time.Sleep(idle)
	// The connections are opened after the quiet reads (one silent for
	// READ_HEADER_TIMEOUT would be closed by the server); reads started while
	// they open count in neither phase.
	quietEnd := time.Now()
	log.Printf("bench: W16: %d comment submissions from %s", size, time.Now().Format("15:04:05.000"))
	profiled := e.profile("W16-burst", 5*time.Second) // with -profile: the server's first 5 s of the burst
	b, err := fire(ctx, addr, conns, comments, drain)
	profiled()
	if err != nil {
		return result{}, err
	}
	var control floodBurst
	if !e.o.smoke {
		time.Sleep(3 * time.Second)
		log.Printf("bench: W16: the same burst to a route that does not exist, from %s", time.Now().Format("15:04:05.000"))
		if control, err = fire(ctx, addr, conns, requests("/api/v1/no-such-route"), drain); err != nil {
			return result{}, err
		}
	}
	stopReaders()

	var accepted, tooMany, busy, fivexx, other, unanswered, noRetryAfter int64
	var writeLat []time.Duration
	for _, a := range b.answers {
		switch {
		case a.code == 0:
			unanswered++
			continue
		case a.code == http.StatusCreated:
			accepted++
		case a.code == http.StatusTooManyRequests:
			tooMany++
		case a.code == http.StatusServiceUnavailable && a.retryAfter:
			busy++
		case a.code >= 500:
			fivexx++
		default:
			other++
		}
		if (a.code == http.StatusTooManyRequests || a.code == http.StatusServiceUnavailable) && !a.retryAfter {
			noRetryAfter++
		}
		writeLat = append(writeLat, a.latency)
	}
	idleLat, idleErrs := between(reads, quietStart, quietEnd)
	burstLat, burstErrs := between(reads, b.start, b.start.Add(b.answeredIn))
	arrivalLat, _ := between(reads, b.start, b.start.Add(b.sentIn))
	drainLat, _ := between(reads, b.start.Add(b.sentIn), b.start.Add(b.answeredIn))
	readErrs := idleErrs + burstErrs
	// Requests cut off unanswered may still be running: let them finish before counting.
	if unanswered > 0 {
		time.Sleep(5 * time.Second)
	}
	var after int64
	if err := e.db.Raw("SELECT count(*) FROM comments").Scan(&after).Error; err != nil {
		return result{}, err
	}
	stored := after - before
	p99Idle, p99Burst := percentile(idleLat, 0.99), percentile(burstLat, 0.99)
	ratio := 0.0
	if p99Idle > 0 {
		ratio = round(p99Burst / p99Idle)
	}
	sentS := round(b.sentIn.Seconds())
	r := result{Scenario: "W16", Connections: conns, DurationS: round(b.answeredIn.Seconds()), Requests: int64(b.sent),
		Errors: fivexx + other + unanswered + noRetryAfter + readErrs, RPS: round(float64(accepted) / b.answeredIn.Seconds()),
		P50ms: percentile(burstLat, 0.50), P99ms: p99Burst, Ratio: &ratio,
		Baseline: map[string]any{"what": fmt.Sprintf("the thread read's p99 before the burst (read cache off, %d readers, one read each every %s, for %s)", readers, every, idle),
			"read_p99_idle_ms": p99Idle, "read_p99_burst_ms": p99Burst, "read_p99_arrival_ms": percentile(arrivalLat, 0.99),
			"read_p99_after_arrival_ms": percentile(drainLat, 0.99), "reads_idle": len(idleLat), "reads_burst": len(burstLat), "read_errors": readErrs,
			"burst": b.sent, "sent_s": sentS, "accepted_201": accepted, "refused_429": tooMany, "refused_503": busy, "5xx": fivexx,
			"other": other, "unanswered": unanswered, "refused_without_retry_after": noRetryAfter, "stored": stored,
			"write_p50_ms": percentile(writeLat, 0.50), "write_p99_ms": percentile(writeLat, 0.99), "answered_s": round(b.answeredIn.Seconds()),
			"server_peak_rss_mb": e.peakRSSMB()}}
	controlNote := ""
	if !e.o.smoke {
		controlLat, controlErrs := between(reads, control.start, control.start.Add(control.answeredIn))
		controlArrival, _ := between(reads, control.start, control.start.Add(control.sentIn))
		notFound := 0
		for _, a := range control.answers {
			if a.code == http.StatusNotFound {
				notFound++
			}
		}
		p99Control := percentile(controlLat, 0.99)
		r.Baseline["control"] = map[string]any{"what": "the same burst to a route that does not exist (404, no work)",
			"sent": control.sent, "sent_s": round(control.sentIn.Seconds()), "answered_404": notFound, "answered_s": round(control.answeredIn.Seconds()),
			"read_p99_ms": p99Control, "read_p99_arrival_ms": percentile(controlArrival, 0.99), "reads": len(controlLat), "read_errors": controlErrs, "ratio": round(p99Control / max(p99Idle, 0.001))}
		controlNote = fmt.Sprintf("; control (the same burst answered 404): read p99 %.1f ms, %.2f×", p99Control, p99Control/max(p99Idle, 0.001))
	}
	target := "within"
	if ratio > 2 {
		target = "over"
	}
	switch {
	case b.sent != size:
		r.Check = fmt.Sprintf("FAILED: %d of %d requests sent", b.sent, size)
	case !e.o.smoke && sentS > 1.5:
		r.Check = fmt.Sprintf("FAILED: the burst took %.2f s to send, not one second", sentS)
	case unanswered > 0:
		r.Check = fmt.Sprintf("FAILED: %d requests unanswered after %s; %d stored, %d acknowledged", unanswered, drain, stored, accepted)
	case fivexx > 0 || other > 0 || noRetryAfter > 0:
		r.Check = fmt.Sprintf("FAILED: %d 5xx, %d other answers, %d refusals without Retry-After", fivexx, other, noRetryAfter)
	case accepted == 0 || (e.o.smoke && busy == 0):
		r.Check = fmt.Sprintf("FAILED: %d accepted, %d refused 503: the smoke run must see both", accepted, busy)
	case stored != accepted:
		r.Check = fmt.Sprintf("FAILED: %d rows stored, %d acknowledged", stored, accepted)
	case readErrs > 0:
		r.Check = fmt.Sprintf("FAILED: %d thread reads failed", readErrs)
	case rssMB(pid) == 0 || e.server.Process.Pid != pid:
		r.Check = "FAILED: the server did not survive the burst"
	default:
		r.Check = fmt.Sprintf("ok: %d sent in %.2f s, answered in %.1f s: %d accepted (= %d stored), %d refused 429, %d refused 503, 0 5xx; "+
			"thread read p99 %.1f ms before, %.1f ms during: %.2f× (%s the 2× target)%s",
			b.sent, sentS, b.answeredIn.Seconds(), accepted, stored, tooMany, busy, p99Idle, p99Burst, ratio, target, controlNote)
	}
	return r, nil
}

// doWith sends req on client and reads the answer to the end.
func (e *env) doWith(client *http.Client, req *http.Request) (int, error) {
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

// peakRSSMB is the largest resident set of the server sampled so far.
func (e *env) peakRSSMB() float64 {
	e.rssMu.Lock()
	defer e.rssMu.Unlock()
	return e.peakRSS
}
