// Command bench drives a Cocreate server over HTTP on 127.0.0.1 and prints one
// JSON object per scenario, with a pgbench baseline run on the same PostgreSQL
// cluster where the scenario has one (see bench/README.md).
//
//	go run ./bench                       # W1–W5, W10, W7, W8, W11, W9, W16: 10 s each (W5 until its queue is empty), 128 connections
//	go run ./bench -scenarios W2,W3 -identity # the reads without gzip
//	go run ./bench -scenarios W2 -duration 30s -connections 64
//	go run ./bench -scenarios W6         # growth to 1,000,000 comments
//	go run ./bench -scenarios W9mix -duration 10m
//	go run ./bench -scenarios W15        # the toolkit draft as a Word file: import and preview; the largest .docx accepted
//	go run ./bench -scenarios W16        # a flood of 20,000 comments in one second while the thread is read
//	go run ./bench -scenarios W17        # the close-out report of a process with 1,000,000 comments and 100,000 responses
//	go run ./bench -scenarios Wsearch    # searches of 100,000 ideas in five languages, best match first
//	go run ./bench -smoke                # every scenario, 2 s each, correctness checks only
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
	"log"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/app"
	"cocreate/internal/auth"
	"cocreate/internal/comment"
	"cocreate/internal/config"
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
	toolkit     string   // the draft W15 imports as a Word file
	burst       int      // the comment submissions W16 fires within one second
	serverEnv   []string // extra settings for the server, KEY=VALUE
	identity    bool     // the read scenarios ask for identity encoding instead of gzip
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
	CPU         *cpuUsage      `json:"cpu,omitempty"` // the bench's and the server's CPU over the load window
	ServerRSSMB float64        `json:"server_rss_mb"`
	Machine     string         `json:"machine"`
}

func main() {
	var o options
	var scen string
	flag.StringVar(&scen, "scenarios", "W1,W2,W3,W4,W5,W10,W7,W8,W11,W9,W16", "comma-separated scenarios to run: W1 (comment create), W2 (thread read), W3 (draft read), W4 (vote storm), W5 (20 moderators drain 10,000 held items), W10 (reads while the draft is busy: W2 and W3 reads from -connections connections while 16 post comments on other paragraphs and vote; ratios to W2 of the same run, which it runs first unless W2 ran before it), W7 (verify a ledger of 100,000 entries), W11 (the implementation dashboard: 30 commitments, 150 milestones, 60 updates), W6 (growth: W2 and W3 at 10,000 and 1,000,000 stored comments, without the read cache), W8 (import and re-anchor), W9 (the server's memory: idle and peak over the scenarios before it; give it last), W9mix (a mixed load for -duration, e.g. 10m, checking the server's memory does not grow), W15 (on request: the toolkit draft as a Word file imported and previewed, median of 3, and the largest Word file the limits accept; needs pandoc), W16 (a flood: -burst comment submissions within one second while the thread is read; read p99 before and during), W17 (on request: the close-out report of a process with 1,000,000 comments and 100,000 responses, median of 3 previews, peak RSS), Wsearch (on request: searches of 100,000 ideas in English, Chinese, Japanese, Korean and Arabic, best match first)")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long each scenario runs")
	flag.IntVar(&o.connections, "connections", 128, "concurrent HTTP connections")
	flag.BoolVar(&o.smoke, "smoke", false, "2 s per scenario, 8 connections, correctness checks only, no baselines")
	flag.StringVar(&o.binary, "binary", "bin/cocreate", "the server binary to start")
	flag.BoolVar(&o.pgbench, "pgbench", true, "run the pgbench baselines (W1, W2)")
	flag.BoolVar(&o.identity, "identity", false, "the read scenarios (W2, W3, W6, W10) ask for uncompressed answers instead of gzip as browsers do, for comparison")
	flag.StringVar(&o.profileDir, "profile", "", "write the server's CPU profile of each scenario to this folder (<scenario>.pprof)")
	flag.StringVar(&o.toolkit, "toolkit", "../shared/fixtures/drafts/ogp-participation-cocreation-toolkit.txt", "the draft W15 imports as a Word file")
	flag.IntVar(&o.burst, "burst", 20000, "how many comment submissions W16 fires within one second (at least 20,000)")
	var serverEnv string
	flag.StringVar(&serverEnv, "server-env", "", "extra settings for the server, KEY=VALUE,... (e.g. WRITE_CONCURRENCY=0 to measure without admission control)")
	flag.Parse()
	for _, kv := range strings.Split(serverEnv, ",") {
		if kv = strings.TrimSpace(kv); kv != "" {
			o.serverEnv = append(o.serverEnv, kv)
		}
	}
	o.scenarios = strings.Split(scen, ",")
	chosen := false
	flag.Visit(func(f *flag.Flag) { chosen = chosen || f.Name == "scenarios" })
	if o.smoke && !chosen {
		o.scenarios = append(o.scenarios, "W6", "W9mix", "W17", "Wsearch") // small there: 2,000 and 20,000 comments; 2 s of mixed load; a report of 20,000 comments; 2,000 ideas
	}
	if o.smoke {
		o.duration, o.connections, o.pgbench = 2*time.Second, 8, false
	}
	if o.duration <= 0 || o.duration > 10*time.Minute || o.connections < 1 || o.connections > 1000 || o.burst < 20000 || o.burst > 200000 {
		log.Fatal("bench: -duration must be in (0, 10m], -connections in [1, 1000] and -burst in [20000, 200000]")
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
	app     *app.App // the services, for building fixtures
	cluster *database.LocalCluster
	dsn     string
	binDir  string
	server  *exec.Cmd
	tokens  []string
	userIDs []int64 // the bench accounts, in the order of tokens
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

	lastW2 *result // W2's figures in this run, for W10's ratios

	rssMu   sync.Mutex
	idleRSS float64 // the server's resident set before any load
	peakRSS float64 // the largest resident set seen, sampled every 100 ms
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
	defer func() {
		if err := e.cluster.Stop(); err != nil {
			log.Printf("bench: stopping the cluster: %v", err)
		}
	}()
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
	if err := database.EnsureServerRole(ctx, e.db); err != nil {
		return err
	}
	cfg, err := config.LoadFrom(map[string]string{})
	if err != nil {
		return err
	}
	// Fixtures are loaded, not posted by people: no screen, no posting limits.
	e.app = app.New(app.Deps{DB: e.db, Config: cfg, Unscreened: true})
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
	// No transparent decompression: the read scenarios ask for gzip themselves
	// and decompress a body only the first time they see it (reads.go).
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
		case "W5":
			r, err = e.w5(ctx)
		case "W7":
			r, err = e.w7(ctx)
		case "W8":
			r, err = e.w8(ctx)
		case "W6":
			r, err = e.w6(ctx)
		case "W10":
			r, err = e.w10(ctx)
		case "W11":
			r, err = e.w11(ctx)
		case "W9":
			r = e.w9()
		case "W9mix":
			r, err = e.w9mix(ctx)
		case "W15":
			r, err = e.w15(ctx)
		case "W16":
			r, err = e.w16(ctx)
		case "W17":
			r, err = e.w17(ctx)
		case "Wsearch":
			r, err = e.wSearch(ctx)
		default:
			return fmt.Errorf("unknown scenario %q (this bench has W1, W2, W3, W4, W5, W6, W7, W8, W9, W9mix, W10, W11, W15, W16, W17, Wsearch)", s)
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
	e.userIDs = ids
	for _, id := range ids {
		tok, _, err := keys.Issue(id, time.Now())
		if err != nil {
			return err
		}
		e.tokens = append(e.tokens, tok)
	}
	procs := e.app.Processes
	day := 24 * time.Hour
	if _, err := procs.Create(ctx, auth.System, process.CreateInput{Slug: "bench-plan", Title: "Bench plan", Languages: []string{"en"},
		Phases: []process.PhaseInput{{Kind: process.PhasePublicComment, OpensAt: now.Add(-day), ClosesAt: now.Add(30 * day)}}}); err != nil {
		return err
	}
	// The benchmarks read as the public does.
	if _, _, err := procs.Publish(ctx, auth.System, "bench-plan"); err != nil {
		return err
	}
	docs, comments := e.app.Documents, e.app.Comments
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
	_, v, blocks, err := docs.Import(ctx, auth.System, d.ID, document.ImportInput{Format: document.FormatMarkdown, Source: src.String()})
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
