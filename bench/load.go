package main

// The load generator, the figures it prints, and the pgbench baselines.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// load runs fn from c goroutines until d has passed and returns the counts and
// latencies; fn reports whether its request succeeded.
func load(ctx context.Context, c int, d time.Duration, fn func(worker, i int) bool) (int64, int64, []time.Duration, time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var reqs, errs atomic.Int64
	lat := make([][]time.Duration, c)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range c {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				t0 := time.Now()
				ok := fn(w, i)
				if ctx.Err() != nil && !ok {
					break // cut off by the deadline: not counted
				}
				lat[w] = append(lat[w], time.Since(t0))
				reqs.Add(1)
				if !ok {
					errs.Add(1)
				}
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	return reqs.Load(), errs.Load(), all, elapsed
}

func percentile(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	idx := int(float64(len(d)-1) * p)
	return float64(d[idx].Microseconds()) / 1000
}

func summarise(name string, c int, reqs, errs int64, lat []time.Duration, elapsed time.Duration) result {
	return result{Scenario: name, Connections: c, DurationS: round(elapsed.Seconds()), Requests: reqs, Errors: errs,
		RPS: round(float64(reqs-errs) / elapsed.Seconds()), P50ms: percentile(lat, 0.50), P99ms: percentile(lat, 0.99)}
}

func round(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

func (e *env) do(req *http.Request) (int, error) {
	res, err := e.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

func (e *env) baseline(r *result, what string, tps float64) {
	r.Baseline = map[string]any{"tool": "pgbench", "what": what, "clients": e.o.connections, "duration_s": e.o.duration.Seconds(), "tps": round(tps)}
	if tps > 0 {
		ratio := round(r.RPS / tps)
		r.Ratio = &ratio
	}
}

var tpsRE = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// pgbench runs script at the scenario's concurrency against the same cluster.
func (e *env) pgbench(ctx context.Context, script string) (float64, error) {
	f, err := os.CreateTemp("", "ccbench-*.sql")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(script); err != nil {
		return 0, err
	}
	f.Close()
	_ = os.Chmod(f.Name(), 0o644)
	args := []string{"-n", "-c", strconv.Itoa(e.o.connections), "-j", "2", "-T", strconv.Itoa(int(e.o.duration.Seconds())),
		"-f", f.Name(), e.dsn}
	bin := filepath.Join(e.binDir, "pgbench")
	if _, err := os.Stat(bin); err != nil {
		if bin, err = exec.LookPath("pgbench"); err != nil {
			return 0, fmt.Errorf("pgbench is not installed (it comes with the PostgreSQL packages): %w", err)
		}
	}
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %w\n%s", err, out)
	}
	m := tpsRE.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("pgbench: no tps in its output:\n%s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}
