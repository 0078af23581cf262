// Package config reads the server's settings from the environment and validates
// them all at once, so a bad start names every problem in one message.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
	"github.com/jackc/pgx/v5"
)

// Config is every setting of the binary; the README's configuration table lists
// the same variables with the same defaults.
type Config struct {
	Addr        string `env:"ADDR" envDefault:"127.0.0.1:8080"`
	DatabaseURL string `env:"DATABASE_URL"`
	DataDir     string `env:"DATA_DIR" envDefault:"./var"`
	PGBinDir    string `env:"PG_BIN_DIR"`

	// The role serve switches to after connecting: it may not rewrite the
	// response ledger. Empty: stay the connecting role.
	// MigrateDatabaseURL is the owner's connection `migrate` uses on an
	// external server (DATABASE_URL when unset); serve connects with
	// DATABASE_URL as a role that cannot rewrite the ledger, and refuses a
	// privileged one unless DatabaseAllowPrivileged (development only).
	MigrateDatabaseURL string `env:"MIGRATE_DATABASE_URL"`
	// DatabaseListenURL is the one connection serve holds to hear the other
	// instances' cache announcements (ListenURL): LISTEN needs a session of
	// its own on PostgreSQL, which a pooler in transaction mode does not keep.
	DatabaseListenURL       string `env:"DATABASE_LISTEN_URL"`
	DatabaseAllowPrivileged bool   `env:"DATABASE_ALLOW_PRIVILEGED" envDefault:"false"`
	DBMaxOpenConns          int    `env:"DB_MAX_OPEN_CONNS" envDefault:"20"`
	DBMaxIdleConns          int    `env:"DB_MAX_IDLE_CONNS" envDefault:"10"`
	// Admission control (see Admission): how many API writes may run at once
	// (unset: half of DB_MAX_OPEN_CONNS, at most twice the CPUs; 0: no
	// limit), and how long one may wait for a place before it is refused
	// with 503.
	WriteConcurrency *int          `env:"WRITE_CONCURRENCY"`
	WriteQueueWait   time.Duration `env:"WRITE_QUEUE_WAIT" envDefault:"3s"`

	LogLevel       string   `env:"LOG_LEVEL" envDefault:"info"`
	TrustedProxies []string `env:"TRUSTED_PROXIES" envSeparator:","`
	MaxBodyBytes   int64    `env:"MAX_BODY_BYTES" envDefault:"1048576"`

	ReadHeaderTimeout time.Duration `env:"READ_HEADER_TIMEOUT" envDefault:"5s"`
	ReadTimeout       time.Duration `env:"READ_TIMEOUT" envDefault:"15s"`
	WriteTimeout      time.Duration `env:"WRITE_TIMEOUT" envDefault:"30s"`
	IdleTimeout       time.Duration `env:"IDLE_TIMEOUT" envDefault:"120s"`
	ShutdownTimeout   time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"20s"`

	SPADir string `env:"SPA_DIR"` // "" serves the app built into the binary (or frontend/dist)

	PublicURL string `env:"PUBLIC_URL" envDefault:"http://127.0.0.1:8080"`

	PprofAddr string `env:"PPROF_ADDR"` // operator-only profiling listener (e.g. 127.0.0.1:6060); off when empty

	CommentEditWindow time.Duration `env:"COMMENT_EDIT_WINDOW" envDefault:"30m"`
	PublicCacheTTL    time.Duration `env:"PUBLIC_CACHE_TTL" envDefault:"3s"`
	// The shortest time between two contributions of one account (S11), and
	// in the account's first day; 0 switches the limit off.
	PostingInterval           time.Duration `env:"POSTING_INTERVAL" envDefault:"5s"`
	PostingIntervalNewAccount time.Duration `env:"POSTING_INTERVAL_NEW_ACCOUNT" envDefault:"30s"`
	ModerationLease           time.Duration `env:"MODERATION_LEASE" envDefault:"5m"`
	PostingPerIPPerMinute     int           `env:"POSTING_PER_IP_PER_MINUTE" envDefault:"120"` // 0: no ceiling
	LoginPerIPPerMinute       int           `env:"LOGIN_PER_IP_PER_MINUTE" envDefault:"10"`    // 0: no limit
	SignUpPerIPPerHour        int           `env:"SIGNUP_PER_IP_PER_HOUR" envDefault:"10"`     // 0: no limit
	// RateLimitSecret keys the hashes that name rate-limit counters, so the
	// counters cannot be matched against guessed addresses; unset, a secret
	// is created in DATA_DIR (RateLimitSecretPath). Instances share one.
	RateLimitSecret string `env:"RATE_LIMIT_SECRET"`

	JWTSigningKeyFile string   `env:"JWT_SIGNING_KEY_FILE"`
	JWTVerifyKeyFiles []string `env:"JWT_VERIFY_KEY_FILES" envSeparator:","`
	JWTIssuer         string   `env:"JWT_ISSUER" envDefault:"cocreate"`
	JWTAudience       string   `env:"JWT_AUDIENCE" envDefault:"cocreate-api"`
	Argon2MemoryKiB   uint32   `env:"ARGON2_MEMORY_KIB" envDefault:"19456"`
	Argon2Iterations  uint32   `env:"ARGON2_ITERATIONS" envDefault:"2"`
	Argon2Threads     uint8    `env:"ARGON2_THREADS" envDefault:"1"`
	SMTPURL           string   `env:"SMTP_URL"`
	MailFrom          string   `env:"MAIL_FROM" envDefault:"Cocreate <no-reply@cocreate.invalid>"`
	MailDir           string   `env:"MAIL_DIR"`

	// The Ed25519 key that signs ledger checkpoints (created under DATA_DIR
	// when unset), and how often serve publishes one for each changed ledger.
	// LedgerSigningKeySince is when that key began signing (RFC 3339; empty:
	// always); LedgerRetiredKeysFile lists the keys it replaced, with their
	// validity (a JSON key document, as GET /api/v1/ledger/keys publishes).
	// Checkpoints verify against these keys only.
	LedgerSigningKeyFile  string        `env:"LEDGER_SIGNING_KEY_FILE"`
	LedgerSigningKeySince string        `env:"LEDGER_SIGNING_KEY_SINCE"`
	LedgerRetiredKeysFile string        `env:"LEDGER_RETIRED_KEYS_FILE"`
	CheckpointInterval    time.Duration `env:"LEDGER_CHECKPOINT_INTERVAL" envDefault:"1h"`

	// Uploads: repository files and scans of contributions received offline.
	// They are kept in BLOB_STORE: "local" (a folder under DATA_DIR, or
	// BLOB_DIR) or "s3" (an S3-compatible store, for several instances).
	UploadMaxBytes   int64  `env:"UPLOAD_MAX_BYTES" envDefault:"26214400"`
	BlobStore        string `env:"BLOB_STORE" envDefault:"local"`
	BlobDir          string `env:"BLOB_DIR"`
	S3Endpoint       string `env:"S3_ENDPOINT"`
	S3Region         string `env:"S3_REGION" envDefault:"us-east-1"`
	S3Bucket         string `env:"S3_BUCKET"`
	S3AccessKeyID    string `env:"S3_ACCESS_KEY_ID"`
	S3SecretKey      string `env:"S3_SECRET_ACCESS_KEY"`
	S3UseSSL         bool   `env:"S3_USE_SSL" envDefault:"true"`
	S3ForcePathStyle bool   `env:"S3_FORCE_PATH_STYLE" envDefault:"true"`

	// Word and OpenDocument drafts are converted by pandoc, run with a time
	// limit; without it those imports answer 422 and store nothing.
	PandocPath    string        `env:"PANDOC_PATH" envDefault:"pandoc"`
	ImportTimeout time.Duration `env:"IMPORT_TIMEOUT" envDefault:"60s"`
}

// BlobFolder is where the local blob store keeps files.
func (c Config) BlobFolder() string {
	if c.BlobDir != "" {
		return c.BlobDir
	}
	return filepath.Join(c.DataDir, "blobs")
}

// Load reads the configuration from the process environment.
func Load() (Config, error) { return LoadFrom(nil) }

// LoadFrom reads the configuration from vars (the process environment when nil)
// and returns one error that lists every problem found.
func LoadFrom(vars map[string]string) (Config, error) {
	var c Config
	opts := env.Options{}
	if vars != nil {
		opts.Environment = vars
	}
	var problems []string
	failed := map[string]bool{} // variables that did not parse are not validated again
	if err := env.ParseWithOptions(&c, opts); err != nil {
		keys := map[string]string{} // struct field name -> variable name
		t := reflect.TypeOf(c)
		for i := range t.NumField() {
			key, _, _ := strings.Cut(t.Field(i).Tag.Get("env"), ",")
			keys[t.Field(i).Name] = key
		}
		var agg env.AggregateError
		if !errors.As(err, &agg) {
			return c, fmt.Errorf("invalid configuration: %w", err)
		}
		for _, e := range agg.Errors {
			var pe env.ParseError
			if errors.As(e, &pe) && keys[pe.Name] != "" {
				failed[keys[pe.Name]] = true
				problems = append(problems, fmt.Sprintf("%s: %v", keys[pe.Name], pe.Err))
				continue
			}
			problems = append(problems, e.Error())
		}
	}
	c.JWTVerifyKeyFiles = slices.DeleteFunc(c.JWTVerifyKeyFiles, func(s string) bool { return strings.TrimSpace(s) == "" })
	c.TrustedProxies = slices.DeleteFunc(c.TrustedProxies, func(s string) bool { return strings.TrimSpace(s) == "" })
	for _, p := range c.validate() {
		key, _, _ := strings.Cut(p, "=")
		key, _, _ = strings.Cut(key, " ")
		if !failed[key] {
			problems = append(problems, p)
		}
	}
	slices.Sort(problems)
	if len(problems) > 0 {
		return c, fmt.Errorf("invalid configuration:\n  - %s", strings.Join(problems, "\n  - "))
	}
	return c, nil
}

var logLevels = map[string]bool{"debug": true, "info": true, "warn": true, "error": true}

func (c Config) validate() []string {
	var p []string
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		p = append(p, fmt.Sprintf("ADDR=%q is not host:port", c.Addr))
	}
	if c.DatabaseURL != "" {
		if _, err := pgx.ParseConfig(c.DatabaseURL); err != nil {
			p = append(p, "DATABASE_URL is not a PostgreSQL connection string")
		}
	} else if strings.TrimSpace(c.DataDir) == "" {
		p = append(p, "DATA_DIR must be set when DATABASE_URL is empty")
	}
	if c.DatabaseListenURL != "" {
		if _, err := pgx.ParseConfig(c.DatabaseListenURL); err != nil {
			p = append(p, "DATABASE_LISTEN_URL is not a PostgreSQL connection string")
		} else if c.DatabaseURL == "" {
			p = append(p, "DATABASE_LISTEN_URL needs DATABASE_URL: the private cluster has a listener connection of its own")
		}
	}
	if c.DBMaxOpenConns < 1 || c.DBMaxOpenConns > 1000 {
		p = append(p, fmt.Sprintf("DB_MAX_OPEN_CONNS=%d must be between 1 and 1000", c.DBMaxOpenConns))
	}
	if c.DBMaxOpenConns >= 1 && (c.DBMaxIdleConns < 0 || c.DBMaxIdleConns > c.DBMaxOpenConns) {
		p = append(p, fmt.Sprintf("DB_MAX_IDLE_CONNS=%d must be between 0 and DB_MAX_OPEN_CONNS (%d)", c.DBMaxIdleConns, c.DBMaxOpenConns))
	}
	if w := c.WriteConcurrency; w != nil && c.DBMaxOpenConns >= 1 && (*w < 0 || *w > c.DBMaxOpenConns-2) {
		p = append(p, fmt.Sprintf("WRITE_CONCURRENCY=%d must be between 0 (no limit) and DB_MAX_OPEN_CONNS - 2 (%d): "+
			"sign-in and reads keep connections of their own", *w, max(0, c.DBMaxOpenConns-2)))
	}
	if c.WriteQueueWait < 0 || c.WriteQueueWait > 10*time.Second {
		p = append(p, fmt.Sprintf("WRITE_QUEUE_WAIT=%s must be between 0s and 10s", c.WriteQueueWait))
	}
	if !logLevels[c.LogLevel] {
		p = append(p, fmt.Sprintf("LOG_LEVEL=%q must be one of debug, info, warn, error", c.LogLevel))
	}
	for _, tp := range c.TrustedProxies {
		tp = strings.TrimSpace(tp)
		if net.ParseIP(tp) == nil {
			if _, _, err := net.ParseCIDR(tp); err != nil {
				p = append(p, fmt.Sprintf("TRUSTED_PROXIES entry %q is not an IP address or CIDR", tp))
			}
		}
	}
	if c.UploadMaxBytes < 1024 || c.UploadMaxBytes > 1<<30 {
		p = append(p, fmt.Sprintf("UPLOAD_MAX_BYTES=%d must be between 1024 and 1073741824", c.UploadMaxBytes))
	}
	switch c.BlobStore {
	case "local":
	case "s3":
		if c.S3Endpoint == "" || c.S3Bucket == "" || c.S3AccessKeyID == "" || c.S3SecretKey == "" {
			p = append(p, "BLOB_STORE=s3 needs S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY")
		}
	default:
		p = append(p, fmt.Sprintf("BLOB_STORE=%q must be local or s3", c.BlobStore))
	}
	if c.ImportTimeout < time.Second || c.ImportTimeout > 10*time.Minute {
		p = append(p, fmt.Sprintf("IMPORT_TIMEOUT=%s must be between 1s and 10m", c.ImportTimeout))
	}
	if c.MaxBodyBytes < 1024 || c.MaxBodyBytes > 100<<20 {
		p = append(p, fmt.Sprintf("MAX_BODY_BYTES=%d must be between 1024 and 104857600", c.MaxBodyBytes))
	}
	for name, d := range map[string]time.Duration{
		"READ_HEADER_TIMEOUT": c.ReadHeaderTimeout, "READ_TIMEOUT": c.ReadTimeout,
		"WRITE_TIMEOUT": c.WriteTimeout, "IDLE_TIMEOUT": c.IdleTimeout, "SHUTDOWN_TIMEOUT": c.ShutdownTimeout,
	} {
		if d <= 0 || d > time.Hour {
			p = append(p, fmt.Sprintf("%s=%s must be above 0 and at most 1h", name, d))
		}
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p = append(p, fmt.Sprintf("PUBLIC_URL=%q must be an http(s) URL such as https://cocreate.example.org", c.PublicURL))
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || u.Scheme != "smtp" || u.Port() == "" {
			p = append(p, "SMTP_URL must look like smtp://user:password@host:587")
		}
	}
	if c.LedgerSigningKeySince != "" {
		if _, err := time.Parse(time.RFC3339, c.LedgerSigningKeySince); err != nil {
			p = append(p, fmt.Sprintf("LEDGER_SIGNING_KEY_SINCE=%q must be an RFC 3339 time such as 2027-01-01T00:00:00Z", c.LedgerSigningKeySince))
		}
	}
	if c.RateLimitSecret != "" && len(c.RateLimitSecret) < 32 {
		p = append(p, fmt.Sprintf("RATE_LIMIT_SECRET must have at least 32 characters (it has %d)", len(c.RateLimitSecret)))
	}
	if c.Argon2MemoryKiB < 8*1024 || c.Argon2Iterations < 1 || c.Argon2Threads < 1 {
		p = append(p, "ARGON2_MEMORY_KIB must be at least 8192, ARGON2_ITERATIONS and ARGON2_THREADS at least 1")
	}
	return p
}

// Admission sizes admission control from the database pool and the CPUs the
// process may use: writes is how many API writes may run at once
// (WRITE_CONCURRENCY; by default half of DB_MAX_OPEN_CONNS, at most twice
// cpus: more writes than that only queue for the processor inside the
// process, where they slow the reads), signIn how many sign-in requests
// (/auth/...) may, on a lane of their own: half of the connections the
// writes leave. Reads keep the rest of the pool, so writes can never take
// every connection. writes is 0 when admission control is off:
// WRITE_CONCURRENCY=0, or a pool too small to keep a connection for reads
// (under 3).
func (c Config) Admission(cpus int) (writes, signIn int) {
	if c.WriteConcurrency != nil {
		writes = *c.WriteConcurrency
	} else if c.DBMaxOpenConns >= 3 {
		writes = min(c.DBMaxOpenConns/2, 2*max(1, cpus))
	}
	if writes <= 0 {
		return 0, 0
	}
	return writes, max(1, (c.DBMaxOpenConns-writes)/2)
}

// ListenURL is the connection string of the cache listener on an external
// server: DATABASE_LISTEN_URL, else DATABASE_URL (serve finds the private
// cluster's itself).
func (c Config) ListenURL() string {
	if c.DatabaseListenURL != "" {
		return c.DatabaseListenURL
	}
	return c.DatabaseURL
}

// Embedded reports whether the binary runs its own PostgreSQL cluster.
func (c Config) Embedded() bool { return c.DatabaseURL == "" }

// SigningKeyPath is the signing key file: JWT_SIGNING_KEY_FILE, or a key kept
// in DATA_DIR that the binary creates on first use (development).
func (c Config) SigningKeyPath() (path string, create bool) {
	if c.JWTSigningKeyFile != "" {
		return c.JWTSigningKeyFile, false
	}
	return filepath.Join(c.DataDir, "jwt-signing-key.pem"), true
}

// LedgerKeyPath is where the ledger's checkpoint key is, and whether to create
// it there when missing (only under DATA_DIR).
func (c Config) LedgerKeyPath() (path string, create bool) {
	if c.LedgerSigningKeyFile != "" {
		return c.LedgerSigningKeyFile, false
	}
	return filepath.Join(c.DataDir, "ledger-signing-key.pem"), true
}

// LedgerKeySince is when the current checkpoint key began signing, or nil
// for always (LEDGER_SIGNING_KEY_SINCE; validated by Load).
func (c Config) LedgerKeySince() *time.Time {
	t, err := time.Parse(time.RFC3339, c.LedgerSigningKeySince)
	if err != nil {
		return nil
	}
	return &t
}

// RateLimitSecretPath is the file that keeps the rate-limit secret when
// RATE_LIMIT_SECRET is unset; the binary creates it on first start.
func (c Config) RateLimitSecretPath() string {
	return filepath.Join(c.DataDir, "rate-limit-secret")
}

// MailFolder is where .eml files go when no SMTP server is configured.
func (c Config) MailFolder() string {
	if c.MailDir != "" {
		return c.MailDir
	}
	return filepath.Join(c.DataDir, "mail")
}
