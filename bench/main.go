// Command bench drives a Cocreate server over HTTP on 127.0.0.1 and prints one
// JSON object per scenario, with a pgbench baseline run on the same PostgreSQL
// cluster where the scenario has one (see bench/README.md).
//
//	go run ./bench                       # W1–W3, 10 s each, 128 connections
//	go run ./bench -scenarios W2 -duration 30s -connections 64
//	go run ./bench -smoke                # 2 s each, correctness checks only
//
// It starts its own PostgreSQL cluster (as `make run` does) and bin/cocreate on
// a free port, prepares the data through the services (users, a process, a
// 200-paragraph draft, a 200-comment thread), runs the scenarios, checks that
// the rows stored equal the writes acknowledged, and stops everything it started.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/auth"
	"cocreate/internal/comment"
	"cocreate/internal/database"
	"cocreate/internal/document"
	"cocreate/internal/process"
	"cocreate/migrations"
)

type options struct {
	scenarios   []string
	duration    time.Duration
	connections int
	smoke       bool
	binary      string
	pgbench     bool
	profileDir  string
}

// result is the line printed per scenario.
type result struct {
	Scenario    string         `json:"scenario"`
	Connections int            `json:"connections"`
	DurationS   float64        `json:"duration_s"`
	Requests    int64          `json:"requests"`
	Errors      int64          `json:"errors"`
	RPS         float64        `json:"rps"`
	P50ms       float64        `json:"p50_ms"`
	P99ms       float64        `json:"p99_ms"`
	Baseline    map[string]any `json:"baseline"`
	Ratio       *float64       `json:"ratio"`
	Check       string         `json:"check"`
	ServerRSSMB float64        `json:"server_rss_mb"`
	Machine     string         `json:"machine"`
}

func main() {
	var o options
	var scen string
	flag.StringVar(&scen, "scenarios", "W1,W2,W3,W4,W8,W9", "comma-separated scenarios to run: W1 (comment create), W2 (thread read), W3 (draft read), W4 (vote storm), W6 (growth: W2 and W3 at 10,000 and 1,000,000 stored comments, without the read cache), W8 (import and re-anchor), W9 (the server's memory: idle and peak over the scenarios before it; give it last), W9mix (a mixed load for -duration, e.g. 10m, checking the server's memory does not grow)")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long each scenario runs")
	flag.IntVar(&o.connections, "connections", 128, "concurrent HTTP connections")
	flag.BoolVar(&o.smoke, "smoke", false, "2 s per scenario, 8 connections, correctness checks only, no baselines")
	flag.StringVar(&o.binary, "binary", "bin/cocreate", "the server binary to start")
	flag.BoolVar(&o.pgbench, "pgbench", true, "run the pgbench baselines (W1, W2)")
	flag.StringVar(&o.profileDir, "profile", "", "write the server's CPU profile of each scenario to this folder (<scenario>.pprof)")
	flag.Parse()
	o.scenarios = strings.Split(scen, ",")
	chosen := false
	flag.Visit(func(f *flag.Flag) { chosen = chosen || f.Name == "scenarios" })
	if o.smoke && !chosen {
		o.scenarios = append(o.scenarios, "W6", "W9mix") // small there: 2,000 and 20,000 comments; 2 s of mixed load
	}
	if o.smoke {
		o.duration, o.connections, o.pgbench = 2*time.Second, 8, false
	}
	if o.duration <= 0 || o.duration > 10*time.Minute || o.connections < 1 || o.connections > 1000 {
		log.Fatal("bench: -duration must be in (0, 10m] and -connections in [1, 1000]")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		log.Fatalf("bench: %v", err)
	}
}

// env is what the scenarios share: the server's address, the cluster, the data.
type env struct {
	o       options
	base    string
	db      *gorm.DB
	cluster *database.LocalCluster
	dsn     string
	binDir  string
	server  *exec.Cmd
	tokens  []string
	docID   int64
	version int
	keys    []string // paragraph keys of the draft
	hotKey  string   // the paragraph whose thread has 200 comments
	client  *http.Client
	pprof   string // the server's profiling address, with -profile
	signer  *auth.Keyring
	admin   string
	tmp     string
	keyFile string

	rssMu   sync.Mutex
	idleRSS float64 // the server's resident set before any load
	peakRSS float64 // the largest resident set seen, sampled every 100 ms
}

// sampleRSS follows the server's resident set until it exits.
func (e *env) sampleRSS(cmd *exec.Cmd) {
	for {
		mb := rssMB(cmd.Process.Pid)
		if mb == 0 {
			return
		}
		e.rssMu.Lock()
		if e.idleRSS == 0 {
			e.idleRSS = mb
		}
		e.peakRSS = max(e.peakRSS, mb)
		e.rssMu.Unlock()
		time.Sleep(100 * time.Millisecond)
	}
}

// profile fetches a CPU profile of the next d from the server into the
// profile folder; the returned func waits for it.
func (e *env) profile(name string, d time.Duration) func() {
	if e.pprof == "" {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		res, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", e.pprof, int(d.Seconds())))
		if err != nil {
			log.Printf("bench: profile %s: %v", name, err)
			return
		}
		defer res.Body.Close()
		_ = os.MkdirAll(e.o.profileDir, 0o755)
		f, err := os.Create(filepath.Join(e.o.profileDir, name+".pprof"))
		if err != nil {
			log.Printf("bench: profile %s: %v", name, err)
			return
		}
		defer f.Close()
		_, _ = io.Copy(f, res.Body)
	}()
	return func() { <-done }
}

func run(ctx context.Context, o options) error {
	tmp, err := os.MkdirTemp("", "ccbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	e := &env{o: o}
	log.Printf("bench: starting PostgreSQL in %s", tmp)
	e.cluster, err = database.StartLocal(ctx, database.LocalOptions{Dir: filepath.Join(tmp, "pg")})
	if err != nil {
		return err
	}
	defer e.cluster.Stop()
	e.dsn = e.cluster.DSN("cocreate")
	if e.binDir, err = database.FindBinDir(os.Getenv("PG_BIN_DIR")); err != nil {
		return err
	}
	e.db, err = database.Open(ctx, e.dsn, database.PoolOptions{MaxOpen: 8, MaxIdle: 8})
	if err != nil {
		return err
	}
	defer database.Close(e.db)
	if _, err := database.Migrate(ctx, e.db, migrations.FS); err != nil {
		return err
	}
	keyFile := filepath.Join(tmp, "jwt.pem")
	signKey, err := auth.LoadOrCreateSigningKey(keyFile, true)
	if err != nil {
		return err
	}
	log.Printf("bench: preparing data")
	e.signer = auth.NewKeyring(signKey, nil, "cocreate", "cocreate-api")
	if err := e.prepare(ctx, e.signer, max(o.connections, w4Voters)); err != nil {
		return err
	}
	if err := e.startServer(ctx, tmp, keyFile); err != nil {
		return err
	}
	defer e.stopServer()
	// Identity encoding: decompressing on the machine that also runs the server
	// would bill the server's figures for the load generator's work.
	tr := &http.Transport{MaxIdleConns: o.connections, MaxIdleConnsPerHost: o.connections, MaxConnsPerHost: o.connections,
		IdleConnTimeout: time.Minute, DisableCompression: true}
	e.client = &http.Client{Transport: tr, Timeout: 10 * time.Second}

	failed := false
	for _, s := range o.scenarios {
		var r result
		var err error
		wait := e.profile(strings.TrimSpace(s), o.duration)
		switch strings.TrimSpace(s) {
		case "W1":
			r, err = e.w1(ctx)
		case "W2":
			r, err = e.w2(ctx)
		case "W3":
			r, err = e.w3(ctx)
		case "W4":
			r, err = e.w4(ctx)
		case "W8":
			r, err = e.w8(ctx)
		case "W6":
			r, err = e.w6(ctx)
		case "W9":
			r = e.w9()
		case "W9mix":
			r, err = e.w9mix(ctx)
		default:
			return fmt.Errorf("unknown scenario %q (this bench has W1, W2, W3, W4, W6, W8, W9, W9mix)", s)
		}
		wait()
		if err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
		r.ServerRSSMB = rssMB(e.server.Process.Pid)
		r.Machine = machine()
		line, _ := json.Marshal(r)
		fmt.Println(string(line))
		if r.Errors > 0 || strings.HasPrefix(r.Check, "FAILED") {
			failed = true
		}
	}
	if failed {
		return errors.New("a scenario had errors or failed its correctness check")
	}
	return nil
}

// prepare makes the users (with access tokens), a process in its public-comment
// phase, a 200-paragraph draft and a thread of 200 comments on one paragraph.
func (e *env) prepare(ctx context.Context, keys *auth.Keyring, n int) error {
	now := time.Now()
	// Accounts in bulk (no password: the bench signs their access tokens).
	var ids []int64
	if err := e.db.Raw(`INSERT INTO users (email, display_name, pseudonym, email_verified_at)
		SELECT 'bench' || g || '@bench.invalid', 'Bench user ' || g, 'Participant bench' || g, now()
		FROM generate_series(1, ?) g RETURNING id`, n).Scan(&ids).Error; err != nil {
		return err
	}
	for _, id := range ids {
		tok, _, err := keys.Issue(id, time.Now())
		if err != nil {
			return err
		}
		e.tokens = append(e.tokens, tok)
	}
	procs := process.NewService(e.db, time.Now)
	day := 24 * time.Hour
	if _, err := procs.Create(ctx, auth.System, process.CreateInput{Slug: "bench-plan", Title: "Bench plan", Languages: []string{"en"},
		Phases: []process.PhaseInput{{Kind: process.PhasePublicComment, OpensAt: now.Add(-day), ClosesAt: now.Add(30 * day)}}}); err != nil {
		return err
	}
	docs := document.NewService(e.db, procs, time.Now)
	comments := comment.NewService(e.db, docs, procs, comment.Options{})
	d, err := docs.Create(ctx, auth.System, "bench-plan", document.CreateInput{Title: "Bench draft", Language: "en"})
	if err != nil {
		return err
	}
	var src strings.Builder
	for i := range 200 {
		if i%20 == 0 {
			fmt.Fprintf(&src, "## Section %d\n\n", i/20+1)
			continue
		}
		fmt.Fprintf(&src, "Paragraph %d. The city will publish the budget of every district as open data each month, "+
			"with the contracts above ten thousand euros and the names of their suppliers, so residents can follow item %d.\n\n", i, i)
	}
	v, blocks, err := docs.Import(ctx, auth.System, d.ID, document.ImportInput{Format: document.FormatMarkdown, Source: src.String()})
	if err != nil {
		return err
	}
	if _, err := docs.Publish(ctx, auth.System, d.ID, v.Number); err != nil {
		return err
	}
	e.docID, e.version = d.ID, v.Number
	for _, b := range blocks {
		e.keys = append(e.keys, b.Key)
	}
	e.hotKey = blocks[1].Key
	for i := range 200 {
		actor := auth.Principal{UserID: ids[i%len(ids)]}
		if _, err := comments.Create(ctx, actor, d.ID, comment.CreateInput{Key: e.hotKey, Version: v.Number,
			Body: fmt.Sprintf("Comment %d: **monthly** publication is good, but please add the district breakdown.", i)}); err != nil {
			return err
		}
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (e *env) startServer(ctx context.Context, tmp, keyFile string, extraEnv ...string) error {
	e.tmp, e.keyFile = tmp, keyFile
	port, err := freePort()
	if err != nil {
		return err
	}
	spa := filepath.Join(tmp, "spa")
	if err := os.MkdirAll(spa, 0o755); err != nil {
		return err
	}
	e.base = fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := exec.CommandContext(ctx, e.o.binary, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+e.dsn, "ADDR=127.0.0.1:"+strconv.Itoa(port), "DATA_DIR="+filepath.Join(tmp, "data"),
		"JWT_SIGNING_KEY_FILE="+keyFile, "SPA_DIR="+spa, "LOG_LEVEL=warn", "PUBLIC_URL="+e.base)
	cmd.Env = append(cmd.Env, extraEnv...)
	if e.o.profileDir != "" {
		pp, err := freePort()
		if err != nil {
			return err
		}
		e.pprof = fmt.Sprintf("127.0.0.1:%d", pp)
		cmd.Env = append(cmd.Env, "PPROF_ADDR="+e.pprof)
	}
	logFile, err := os.OpenFile(filepath.Join(tmp, "server.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s (run `make build` first): %w", e.o.binary, err)
	}
	e.server = cmd
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(e.base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				log.Printf("bench: server ready on %s (pid %d)", e.base, cmd.Process.Pid)
				go e.sampleRSS(cmd)
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	out, _ := os.ReadFile(logFile.Name())
	return fmt.Errorf("server not ready after 30 s; its log:\n%s", out)
}

func (e *env) stopServer() {
	if e.server == nil || e.server.Process == nil {
		return
	}
	_ = e.server.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = e.server.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = e.server.Process.Kill()
	}
}

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

// w1: signed-in people comment on paragraphs; afterwards the rows stored must
// equal the 201s received.
func (e *env) w1(ctx context.Context) (result, error) {
	var before int64
	if err := e.db.Raw("SELECT count(*) FROM comments").Scan(&before).Error; err != nil {
		return result{}, err
	}
	body := strings.Repeat("Publishing the budget monthly is good; *please* also add the district breakdown and contracts. ", 4)[:300]
	url := fmt.Sprintf("%s/api/v1/documents/%d/comments", e.base, e.docID)
	var acked atomic.Int64
	reqs, errs, lat, el := load(ctx, e.o.connections, e.o.duration, func(w, i int) bool {
		key := e.keys[(w*7+i)%len(e.keys)]
		payload, _ := json.Marshal(map[string]any{"paragraph_key": key, "version": e.version, "body": body})
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

// rssMB is the resident set of a process, from /proc (0 where there is none).
func rssMB(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
			return round(kb / 1024)
		}
	}
	return 0
}

// machine describes where the figures come from.
func machine() string {
	cpus := 0
	model := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "processor") {
				cpus++
			}
			if model == "" && strings.HasPrefix(line, "model name") {
				model = strings.TrimSpace(strings.SplitN(line, ":", 2)[1])
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		f := strings.Fields(strings.SplitN(string(b), "\n", 2)[0])
		if len(f) >= 2 {
			kb, _ := strconv.ParseFloat(f[1], 64)
			mem = fmt.Sprintf("%.0f GiB", kb/1024/1024)
		}
	}
	return fmt.Sprintf("%d CPUs (%s), %s", cpus, model, mem)
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
	procs := process.NewService(e.db, time.Now)
	docs := document.NewService(e.db, procs, time.Now)
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
	first, _, err := docs.Import(ctx, auth.System, d.ID, document.ImportInput{Format: document.FormatMarkdown, Source: v1.String()})
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
	procs := process.NewService(e.db, time.Now)
	docs := document.NewService(e.db, procs, time.Now)
	d, err := docs.Create(ctx, auth.System, "bench-plan", document.CreateInput{Title: "Bench draft W6", Language: "en"})
	if err != nil {
		return result{}, err
	}
	v, _, err := docs.Import(ctx, auth.System, d.ID, document.ImportInput{Format: document.FormatText, Source: "Elsewhere, one paragraph.\n"})
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
		Check: fmt.Sprintf("ok: p99 with %d comments: W2 %.1f ms, W3 %.1f ms (with %d: %.1f, %.1f); ratio = the larger of the two", large, b2, b3, small, a2, a3)}
	return r, nil
}

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
