// Package pgtest gives each test its own real PostgreSQL database, cloned from a
// template migrated once per test process. With TEST_DATABASE_URL unset it starts
// a throwaway cluster in a temporary folder; with it set, it uses that server (the
// role needs CREATEDB) and creates and drops its own databases there.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"cocreate/internal/database"
	"cocreate/migrations"
)

var (
	setupOnce sync.Once
	setupErr  error
	cluster   *database.LocalCluster
	tmpDir    string
	adminDSN  func(db string) string // connection string for a database on the test server
	template  string
	counter   atomic.Int64
)

// Run is the body of TestMain for a package whose tests use DB: it runs the tests
// and then stops the cluster and removes its folder.
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }
func Run(m *testing.M) int {
	code := m.Run()
	teardown()
	return code
}

func setup() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if ext := os.Getenv("TEST_DATABASE_URL"); ext != "" {
		cfg, err := pgx.ParseConfig(ext)
		if err != nil {
			return fmt.Errorf("pgtest: TEST_DATABASE_URL: %w", err)
		}
		adminDSN = func(db string) string { return withDatabase(ext, cfg, db) }
	} else {
		dir, err := os.MkdirTemp("", "cc-pg-")
		if err != nil {
			return err
		}
		tmpDir = dir
		c, err := database.StartLocal(ctx, database.LocalOptions{
			Dir: dir + "/data", Database: "postgres", NoSync: true, BinDir: os.Getenv("PG_BIN_DIR"),
		})
		if err != nil {
			return fmt.Errorf("pgtest: start a throwaway cluster (set TEST_DATABASE_URL to use a server of yours): %w", err)
		}
		cluster = c
		adminDSN = c.DSN
	}
	template = fmt.Sprintf("cocreate_tmpl_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	if err := exec(ctx, "CREATE DATABASE "+pgx.Identifier{template}.Sanitize()); err != nil {
		return err
	}
	db, err := database.Open(ctx, adminDSN(template), database.PoolOptions{MaxOpen: 2})
	if err != nil {
		return err
	}
	defer database.Close(db)
	if _, err := database.Migrate(ctx, db, migrations.FS); err != nil {
		return fmt.Errorf("pgtest: migrate template: %w", err)
	}
	// The server's login role, as serve has it: tests that run the services as
	// the server connect with Database.AppDSN.
	if err := database.EnsureServerRole(ctx, db); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	return nil
}

// withDatabase swaps the database name in a URL or key=value connection string.
func withDatabase(dsn string, cfg *pgx.ConnConfig, db string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + db
		return u.String()
	}
	return fmt.Sprintf("host=%s port=%d user=%s password=%s dbname=%s sslmode=disable",
		cfg.Host, cfg.Port, cfg.User, cfg.Password, db)
}

func exec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, adminDSN("postgres"))
	if err != nil {
		return fmt.Errorf("pgtest: connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("pgtest: %s: %w", sql, err)
	}
	return nil
}

func teardown() {
	ctx := context.Background()
	if template != "" && adminDSN != nil {
		_ = exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{template}.Sanitize()+" WITH (FORCE)")
	}
	if cluster != nil {
		_ = cluster.Stop()
	}
	if tmpDir != "" {
		_ = os.RemoveAll(tmpDir)
	}
}

// Database is one test's own database.
type Database struct {
	DB     *gorm.DB
	DSN    string // the owner's
	AppDSN string // the server's login role's (database.ServerRole)
	Name   string
}

// New returns a fresh migrated database for t, dropped when t ends.
func New(t testing.TB) Database {
	t.Helper()
	setupOnce.Do(func() { setupErr = setup() })
	if setupErr != nil {
		t.Fatalf("pgtest: %v", setupErr)
	}
	ctx := context.Background()
	name := fmt.Sprintf("cocreate_test_%d_%d", os.Getpid(), counter.Add(1))
	if err := exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE "+pgx.Identifier{template}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	dsn := adminDSN(name)
	db, err := database.Open(ctx, dsn, database.PoolOptions{MaxOpen: 20, MaxIdle: 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = database.Close(db)
		if err := exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Logf("pgtest: %v", err)
		}
	})
	appDSN, err := database.WithUser(dsn, database.ServerRole)
	if err != nil {
		t.Fatal(err)
	}
	return Database{DB: db, DSN: dsn, AppDSN: appDSN, Name: name}
}

// Count returns the number of rows in table matching where (a SQL condition with
// ? placeholders); table comes from the test's own code, never from input.
func Count(t testing.TB, db *gorm.DB, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	q := "SELECT count(*) FROM " + pgx.Identifier{table}.Sanitize()
	if strings.TrimSpace(where) != "" {
		q += " WHERE " + where
	}
	if err := db.Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatalf("pgtest: count %s: %v", table, err)
	}
	return n
}

// Admin runs sql on the test server's maintenance database, for tests that
// change a database from outside it (refuse connections, terminate sessions).
func Admin(t testing.TB, sql string) {
	t.Helper()
	if err := exec(context.Background(), sql); err != nil {
		t.Fatal(err)
	}
}
