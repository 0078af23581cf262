// Command cocreate runs the Cocreate server and its maintenance tasks.
//
//	cocreate serve     serve the API and the web app
//	cocreate migrate   apply database migrations
//	cocreate seed      load the demo data (once; safe to repeat)
//
// Settings come from the environment (see README.md). With DATABASE_URL unset,
// every command runs against a private PostgreSQL cluster in $DATA_DIR/pgdata,
// started for the command and stopped when it ends.
package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"gorm.io/gorm"

	"cocreate/api"
	"cocreate/internal/app"
	"cocreate/internal/auth"
	"cocreate/internal/blob"
	"cocreate/internal/config"
	"cocreate/internal/database"
	"cocreate/internal/demo"
	"cocreate/internal/ledger"
	"cocreate/internal/logging"
	"cocreate/internal/mail"
	"cocreate/internal/ratelimit"
	"cocreate/migrations"
)

const usage = `usage: cocreate <command>

commands:
  serve                serve the API and the web app on ADDR
  migrate              apply the database migrations this binary carries
  seed                 load the demo data (adds only what is missing)
  grant-admin EMAIL    make the account with this address an administrator
  revoke-admin EMAIL   take administrator rights away from it
  suspend EMAIL        suspend the account: it may read but not write; its sessions end
  unsuspend EMAIL      lift the suspension
  verify-ledger --process SLUG [--since FILE]
                       recompute the process's response ledger and check every checkpoint
                       against the configured keys; with --since, check that it extends an
                       earlier download or a kept checkpoint (FILE); exit 1 when not
  checkpoint-ledgers   sign a checkpoint of every ledger that moved (serve does it every LEDGER_CHECKPOINT_INTERVAL)

Settings are environment variables; see README.md.`

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	valid := len(args) == 1 && (args[0] == "serve" || args[0] == "migrate" || args[0] == "seed" || args[0] == "checkpoint-ledgers") ||
		len(args) == 2 && (args[0] == "grant-admin" || args[0] == "revoke-admin" || args[0] == "suspend" || args[0] == "unsuspend") ||
		(len(args) == 3 || len(args) == 5 && args[3] == "--since") && args[0] == "verify-ledger" && args[1] == "--process"
	if !valid {
		fmt.Fprintln(os.Stderr, usage)
		return 2
	}
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	log := logging.New(os.Stderr, cfg.LogLevel)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	db, cluster, err := connect(ctx, cfg, log, args[0] == "migrate")
	if err != nil {
		log.Error("cannot reach the database", "error", err.Error())
		return 1
	}
	defer func() {
		_ = database.Close(db)
		if cluster != nil && !cluster.Attached() {
			if err := cluster.Stop(); err != nil {
				log.Error("stopping the local PostgreSQL", "error", err.Error())
			} else {
				log.Info("local PostgreSQL stopped")
			}
		}
	}()

	switch args[0] {
	case "migrate":
		err = migrate(ctx, db, log)
	case "seed":
		err = seed(ctx, cfg, db, log)
	case "grant-admin", "revoke-admin":
		err = setAdmin(ctx, app.New(app.Deps{DB: db, Config: cfg, Log: log}), args[1], args[0] == "grant-admin")
	case "suspend", "unsuspend":
		err = setSuspended(ctx, app.New(app.Deps{DB: db, Config: cfg, Log: log}), args[1], args[0] == "suspend")
	case "verify-ledger":
		since := ""
		if len(args) == 5 {
			since = args[4]
		}
		var keys *ledger.Keys
		if keys, err = app.LedgerKeys(cfg, false); err == nil {
			err = verifyLedger(ctx, app.New(app.Deps{DB: db, Config: cfg, Log: log, LedgerKeys: keys}), args[2], since, os.Stdout)
		}
	case "checkpoint-ledgers":
		var keys *ledger.Keys
		if keys, err = ledgerKeys(cfg, log); err == nil {
			err = checkpointLedgers(ctx, app.New(app.Deps{DB: db, Config: cfg, Log: log, LedgerKeys: keys}))
		}
	case "serve":
		var exited <-chan struct{}
		if cluster != nil {
			exited = cluster.Exited()
		}
		err = serveAs(ctx, cfg, db, cluster, log, exited)
	}
	if err != nil {
		log.Error(args[0]+" failed", "error", err.Error())
		return 1
	}
	return 0
}

// connect opens DATABASE_URL (MIGRATE_DATABASE_URL, when set, to migrate),
// or starts the private cluster when it is unset and connects as its owner.
func connect(ctx context.Context, cfg config.Config, log *slog.Logger, migrating bool) (*gorm.DB, *database.LocalCluster, error) {
	pool := database.PoolOptions{MaxOpen: cfg.DBMaxOpenConns, MaxIdle: cfg.DBMaxIdleConns}
	if !cfg.Embedded() {
		url := cfg.DatabaseURL
		if migrating && cfg.MigrateDatabaseURL != "" {
			url = cfg.MigrateDatabaseURL
		}
		db, err := database.Open(ctx, url, pool)
		return db, nil, err
	}
	dir := filepath.Join(cfg.DataDir, "pgdata")
	cluster, err := database.StartLocal(ctx, database.LocalOptions{Dir: dir, BinDir: cfg.PGBinDir})
	if err != nil {
		return nil, nil, err
	}
	if cluster.Attached() {
		log.Info("using the local PostgreSQL that is already running (a running serve owns it and stops it)", "dir", dir)
	} else {
		log.Info("started the local PostgreSQL (DATABASE_URL is unset)", "dir", dir)
	}
	db, err := database.Open(ctx, cluster.DSN("cocreate"), pool)
	if err != nil {
		_ = cluster.Stop()
		return nil, nil, err
	}
	return db, cluster, nil
}

func migrate(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
	applied, err := database.Migrate(ctx, db, migrations.FS)
	if err != nil {
		return err
	}
	st, err := database.Status(ctx, db, migrations.FS)
	if err != nil {
		return err
	}
	log.Info("migrations applied", "applied", applied, "version", st.Current)
	return nil
}

func seed(ctx context.Context, cfg config.Config, db *gorm.DB, log *slog.Logger) error {
	if err := database.CheckCurrent(ctx, db, migrations.FS); err != nil {
		return err
	}
	// The demo's dates are relative to one moment; its contributions are not
	// posted by people, so they skip the screen.
	now := time.Now()
	a := app.New(app.Deps{DB: db, Config: cfg, Log: log, Now: func() time.Time { return now }, Unscreened: true})
	added, err := demo.Load(ctx, a)
	if err != nil {
		return err
	}
	if len(added) == 0 {
		log.Info("demo data already loaded; nothing added")
	} else {
		log.Info("demo data loaded", "added", added)
	}
	return nil
}

// setAdmin grants or revokes administrator rights by e-mail address; the
// account's sessions end so the change applies at once.
func setAdmin(ctx context.Context, a *app.App, email string, admin bool) error {
	if err := database.CheckCurrent(ctx, a.DB, migrations.FS); err != nil {
		return err
	}
	id, err := a.Accounts.SetAdmin(ctx, email, admin)
	if err != nil {
		return err
	}
	a.Log.Info("administrator rights changed", "user_id", id, "admin", admin)
	return nil
}

// setSuspended suspends or reinstates an account by e-mail address.
func setSuspended(ctx context.Context, a *app.App, email string, suspended bool) error {
	if err := database.CheckCurrent(ctx, a.DB, migrations.FS); err != nil {
		return err
	}
	id, err := a.Accounts.SetSuspended(ctx, email, suspended)
	if err != nil {
		return err
	}
	a.Log.Info("account suspension changed", "user_id", id, "suspended", suspended)
	return nil
}

// errLedgerBroken makes verify-ledger exit 1 after it printed the report.
var errLedgerBroken = errors.New("the ledger does not verify")

// verifyLedger recomputes a process's ledger, checks its checkpoints and
// prints the report; with since (a file), it also checks that the ledger
// extends what the file kept.
func verifyLedger(ctx context.Context, a *app.App, slug, since string, out io.Writer) error {
	if err := database.CheckCurrent(ctx, a.DB, migrations.FS); err != nil {
		return err
	}
	p, err := a.Processes.Get(ctx, slug)
	if err != nil {
		return err
	}
	var kept []ledger.Point
	if since != "" {
		f, err := os.Open(since)
		if err != nil {
			return err
		}
		kept, err = ledger.ReadKept(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("--since %s: %w", since, err)
		}
	}
	start := time.Now()
	rep, err := a.Ledger.Verify(ctx, p.ID)
	if err != nil {
		return err
	}
	took := time.Since(start).Round(time.Millisecond)
	if rep.OK {
		fmt.Fprintf(out, "ok: %s: %d entries verified in %s; head %d %s\n", slug, rep.Entries, took, rep.HeadSeq, rep.HeadHash)
	} else {
		seq := int64(0)
		if rep.FirstBrokenSeq != nil {
			seq = *rep.FirstBrokenSeq
		}
		fmt.Fprintf(out, "BROKEN: %s: first broken seq %d: %s\n", slug, seq, rep.Problem)
	}
	fmt.Fprintf(out, "checkpoints: %d checked against the configured keys, %d failed\n", rep.Checkpoints, rep.CheckpointsFailed)
	for _, cp := range rep.CheckpointProblems {
		fmt.Fprintf(out, "  %s: %s\n", cp.Reason, cp.Problem)
	}
	if cp := rep.Checkpoint; cp != nil {
		fmt.Fprintf(out, "latest checkpoint: seq %d hash %s signed %s by key %s: valid %t\n", cp.Seq, cp.Hash, cp.SignedAt.Format(time.RFC3339), cp.KeyID, *rep.CheckpointValid)
	}
	extends := true
	if since != "" {
		c, err := a.Ledger.Extends(ctx, p.ID, kept)
		if err != nil {
			return fmt.Errorf("--since %s: %w", since, err)
		}
		switch extends = c.Extends; c.Reason {
		case ledger.ConsistencyExtends:
			fmt.Fprintf(out, "extends %s: its %d kept hashes, up to seq %d, are today's\n", since, c.Compared, c.Seq)
		case ledger.ConsistencyMissing:
			fmt.Fprintf(out, "DIFFERS from %s: it kept seq %d, but the ledger ends at %d\n", since, c.Seq, c.HeadSeq)
		case ledger.ConsistencyDifferent:
			fmt.Fprintf(out, "DIFFERS from %s at seq %d: kept hash %s, today's %s\n", since, c.Seq, c.Kept, c.Recorded)
		default:
			fmt.Fprintf(out, "DIFFERS from %s: the hashes match but the chain is broken before seq %d: %s\n", since, c.Seq, c.Problem)
		}
	}
	if !rep.OK || !extends {
		return errLedgerBroken
	}
	return nil
}

// ledgerKeys loads the checkpoint keys, creating the signing key under
// DATA_DIR when none is configured.
func ledgerKeys(cfg config.Config, log *slog.Logger) (*ledger.Keys, error) {
	if path, create := cfg.LedgerKeyPath(); create && !cfg.Embedded() {
		log.Warn("LEDGER_SIGNING_KEY_FILE is unset: using a key generated in DATA_DIR; readers pin it from GET /api/v1/ledger/keys", "path", path)
	}
	return app.LedgerKeys(cfg, true)
}

// checkpointLedgers signs a checkpoint of every ledger that moved.
func checkpointLedgers(ctx context.Context, a *app.App) error {
	if err := database.CheckCurrent(ctx, a.DB, migrations.FS); err != nil {
		return err
	}
	n, err := a.Ledger.CheckpointAll(ctx, a.Now())
	if err != nil {
		return err
	}
	a.Log.Info("ledger checkpoints signed", "count", n)
	return nil
}

// keyring loads the access-token keys: the signing key (created under DATA_DIR
// when none is configured) and any extra verification keys, for rotation.
func keyring(cfg config.Config, log *slog.Logger) (*auth.Keyring, error) {
	path, create := cfg.SigningKeyPath()
	if create && !cfg.Embedded() {
		log.Warn("JWT_SIGNING_KEY_FILE is unset: using a key generated in DATA_DIR; several instances need one shared key", "path", path)
	}
	priv, err := auth.LoadOrCreateSigningKey(path, create)
	if err != nil {
		return nil, err
	}
	var extra []ed25519.PublicKey
	for _, f := range cfg.JWTVerifyKeyFiles {
		pub, err := auth.LoadPublicKey(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		extra = append(extra, pub)
	}
	return auth.NewKeyring(priv, extra, cfg.JWTIssuer, cfg.JWTAudience), nil
}

// rateLimitSecret is RATE_LIMIT_SECRET, or the secret kept in DATA_DIR
// (created on first start) when it is unset.
func rateLimitSecret(cfg config.Config, log *slog.Logger) ([]byte, error) {
	if cfg.RateLimitSecret != "" {
		return []byte(cfg.RateLimitSecret), nil
	}
	path := cfg.RateLimitSecretPath()
	if !cfg.Embedded() {
		log.Warn("RATE_LIMIT_SECRET is unset: using a secret generated in DATA_DIR; several instances need one shared secret", "path", path)
	}
	return ratelimit.LoadOrCreateSecret(path)
}

// blobStore builds the store of uploaded files that BLOB_STORE names: nil
// for the local folder (app.New makes it), or the S3-compatible store, whose
// bucket and credentials are checked now so that a mistake shows at start.
func blobStore(ctx context.Context, cfg config.Config, log *slog.Logger) (blob.Store, error) {
	if cfg.BlobStore != "s3" {
		log.Info("uploaded files are kept in a local folder", "dir", cfg.BlobFolder())
		return nil, nil
	}
	s, err := blob.NewS3(blob.S3Options{Endpoint: cfg.S3Endpoint, Region: cfg.S3Region, Bucket: cfg.S3Bucket,
		AccessKey: cfg.S3AccessKeyID, SecretKey: cfg.S3SecretKey, UseSSL: cfg.S3UseSSL, PathStyle: cfg.S3ForcePathStyle})
	if err != nil {
		return nil, err
	}
	checkCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := s.Check(checkCtx); err != nil {
		return nil, fmt.Errorf("BLOB_STORE=s3: %w", err)
	}
	log.Info("uploaded files are kept in an S3 bucket", "endpoint", cfg.S3Endpoint, "bucket", cfg.S3Bucket)
	return s, nil
}

// serve refuses a database that could lose writes or is behind, then serves
// until a signal arrives and drains in-flight requests before returning.
// serveAs serves as a role that cannot rewrite the ledger: on the private
// cluster the owner (db) makes sure the server's login role exists and the
// server connects as it; on an external server DATABASE_URL must be such a
// role, and serve refuses a privileged one (unless DATABASE_ALLOW_PRIVILEGED).
func serveAs(ctx context.Context, cfg config.Config, db *gorm.DB, cluster *database.LocalCluster, log *slog.Logger, dbExited <-chan struct{}) error {
	listenDSN := cfg.ListenURL()
	if cluster != nil {
		if err := database.CheckCurrent(ctx, db, migrations.FS); err != nil {
			return err
		}
		if err := database.EnsureServerRole(ctx, db); err != nil {
			return err
		}
		dsn, err := database.WithUser(cluster.DSN("cocreate"), database.ServerRole)
		if err != nil {
			return err
		}
		server, err := database.Open(ctx, dsn, database.PoolOptions{MaxOpen: cfg.DBMaxOpenConns, MaxIdle: cfg.DBMaxIdleConns})
		if err != nil {
			return err
		}
		defer database.Close(server)
		db = server
		listenDSN = dsn
	}
	if err := database.CheckPrivileges(ctx, db); err != nil {
		if !cfg.DatabaseAllowPrivileged {
			return err
		}
		log.Warn("DATABASE_ALLOW_PRIVILEGED is set: serving as a privileged role that could rewrite the ledger (development only)", "reason", err.Error())
	}
	return serve(ctx, cfg, db, listenDSN, log, dbExited)
}

// serve serves on db; listenDSN is the cache listener's own connection.
func serve(ctx context.Context, cfg config.Config, db *gorm.DB, listenDSN string, log *slog.Logger, dbExited <-chan struct{}) error {
	if err := database.CheckDurability(ctx, db); err != nil {
		return err
	}
	if err := database.CheckCurrent(ctx, db, migrations.FS); err != nil {
		return err
	}
	keys, err := keyring(cfg, log)
	if err != nil {
		return err
	}
	checkpointKeys, err := ledgerKeys(cfg, log)
	if err != nil {
		return err
	}
	blobs, err := blobStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	limitSecret, err := rateLimitSecret(cfg, log)
	if err != nil {
		return err
	}
	a := app.New(app.Deps{DB: db, Config: cfg, Log: log, Keys: keys, Blobs: blobs, LimitSecret: limitSecret, LedgerKeys: checkpointKeys})
	router, err := api.New(a)
	if err != nil {
		return err
	}
	workerCtx, stopWorkers := context.WithCancel(context.Background())
	defer stopWorkers()
	// This instance's writes reach the other instances' read caches, and
	// theirs this one's, as they commit. Before serve returns, the sender
	// announces the last writes and the listener closes its connection.
	var cacheSync sync.WaitGroup
	cacheSync.Go(func() { a.CacheSync.Send(workerCtx, db) })
	cacheSync.Go(func() {
		if err := a.CacheSync.Listen(workerCtx, listenDSN); err != nil {
			log.Error("cache listener", "error", err.Error())
		}
	})
	defer func() {
		stopWorkers()
		cacheSync.Wait()
	}()
	outbox := &mail.Worker{DB: db, Log: log, From: cfg.MailFrom, SMTPURL: cfg.SMTPURL, Dir: cfg.MailFolder()}
	go app.Every(workerCtx, log, "e-mail outbox", time.Second, true, func(ctx context.Context) error {
		_, err := outbox.DrainOnce(ctx)
		return err
	})
	go app.Every(workerCtx, log, "pruning rate-limit counters", time.Minute, false, a.Limits.Prune)
	go app.Every(workerCtx, log, "moderation time-box", time.Minute, false, func(ctx context.Context) error {
		_, err := a.Moderation.PublishOverdue(ctx)
		return err
	})
	go app.Every(workerCtx, log, "forum consensus deadlines", time.Minute, true, func(ctx context.Context) error {
		_, err := a.Forum.PublishDue(ctx)
		return err
	})
	// Update reminders a fortnight before a commitment's update falls due, and
	// notices of questions overdue for an answer: each once (a row per notice).
	go app.Every(workerCtx, log, "implementation notices", 15*time.Minute, true, func(ctx context.Context) error {
		n, err := a.Commitments.SendNotices(ctx)
		if n > 0 {
			log.Info("implementation notices queued", "count", n)
		}
		return err
	})
	// Notifications: write the events of phases that opened, then fan events
	// out to their recipients and followers, a batch per transaction (several
	// instances share the work; a crash resumes from the event's cursor).
	go app.Every(workerCtx, log, "notification fan-out", 2*time.Second, true, func(ctx context.Context) error {
		if _, err := a.Notify.SweepPhases(ctx); err != nil {
			return err
		}
		n, err := a.Notify.FanOut(ctx, 10*time.Second)
		if n > 0 {
			log.Info("notifications written", "count", n)
		}
		return err
	})
	// Surveys: invite a phase's participants once its survey opens, and clear
	// the answers' account link once it closes.
	go app.Every(workerCtx, log, "surveys", 15*time.Minute, true, func(ctx context.Context) error {
		invited, swept, err := a.Surveys.Work(ctx)
		if invited > 0 || swept > 0 {
			log.Info("surveys", "invitations", invited, "answers_unlinked", swept)
		}
		return err
	})
	// Close-out reports asked for with Prefer: respond-async, and those whose
	// worker stopped (see report.WorkJobs).
	go app.Every(workerCtx, log, "report jobs", time.Second, true, func(ctx context.Context) error {
		_, err := a.Reports.WorkJobs(ctx)
		return err
	})
	if cfg.CheckpointInterval > 0 {
		go app.Every(workerCtx, log, "ledger checkpoints", cfg.CheckpointInterval, true, func(ctx context.Context) error {
			n, err := a.Ledger.CheckpointAll(ctx, a.Now())
			if n > 0 {
				log.Info("ledger checkpoints signed", "count", n)
			}
			return err
		})
	}
	if cfg.SMTPURL == "" {
		log.Info("no SMTP_URL: e-mail is written as .eml files", "dir", cfg.MailFolder())
	}
	if cfg.PprofAddr != "" {
		// Profiling is for the operator only: its own listener, never the API's.
		go func() {
			mux := http.NewServeMux()
			mux.HandleFunc("/debug/pprof/", pprof.Index)
			mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
			mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
			log.Warn("pprof is on", "addr", cfg.PprofAddr)
			if err := http.ListenAndServe(cfg.PprofAddr, mux); err != nil {
				log.Error("pprof listener", "error", err.Error())
			}
		}()
	}
	srv := api.Server(cfg, router, log)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	_, spa := api.SPAFiles(cfg.SPADir)
	log.Info("serving", "url", "http://"+ln.Addr().String(), "web_app", spa)

	for waiting := true; waiting; {
		select {
		case err := <-serveErr:
			return err
		case <-dbExited:
			// Keep answering: /readyz says 503 so a balancer takes us out.
			log.Error("the local PostgreSQL exited; the API cannot reach its data until restarted")
			dbExited = nil
		case <-ctx.Done():
			log.Info("shutting down: draining in-flight requests", "deadline", cfg.ShutdownTimeout.String())
			waiting = false
		}
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}
