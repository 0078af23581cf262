// Package apptest is the test kit: the whole system built by app.New on a
// fresh database of its own, with a clock the test moves by hand, and
// builders for the fixtures most tests need (a process with its phases, people,
// roles, a published draft). Tests of every layer use it, so they build the
// system the way the server does.
package apptest

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/app"
	"cocreate/internal/auth"
	"cocreate/internal/blob"
	"cocreate/internal/config"
	"cocreate/internal/database"
	"cocreate/internal/document"
	"cocreate/internal/ledger"
	"cocreate/internal/pgtest"
	"cocreate/internal/process"
)

// Clock is a clock the test moves by hand; safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Options change how the system is built; the zero value is the common case.
type Options struct {
	// Env holds configuration variables on top of the test defaults (the
	// cheapest argon2id, no posting intervals).
	Env map[string]string
	// Config, when set, is the configuration as is (Env is then ignored).
	Config *config.Config
	// Start is the clock's first reading; time.Now() when zero.
	Start time.Time
	// Clock replaces the stopped clock (e.g. time.Now for tests that sleep).
	Clock func() time.Time
	// AppRole runs the services logged in as the server's role
	// (database.ServerRole), as serve does; the test's own DB handle keeps the
	// owner's rights.
	AppRole bool
	Keys    *auth.Keyring
	Log     *slog.Logger
	// Unscreened skips the moderation screen (see app.Deps).
	Unscreened bool
	// Blobs holds uploaded files; nil is a local store in a temporary folder.
	Blobs blob.Store
	// LedgerKeys sign and check checkpoints; nil loads them from the
	// configuration, with a fresh signing key in a temporary file when
	// LEDGER_SIGNING_KEY_FILE is unset.
	LedgerKeys *ledger.Keys
}

// Env is one test's system.
type Env struct {
	*app.App
	Clock  *Clock
	Owner  *gorm.DB // the database owner's handle: set-up and assertions
	DSN    string
	AppDSN string // the server's login role's, as a second instance or a listener connects

	deps    app.Deps // how the system was built, so Instances can build more
	connDSN string   // what the system's services connect with
}

// Config returns the test configuration: cheap password hashing, posting as
// fast as tests post, and the variables of env on top.
func Config(t testing.TB, env map[string]string) config.Config {
	t.Helper()
	vars := map[string]string{"SPA_DIR": t.TempDir(),
		"ARGON2_MEMORY_KIB": "8192", "ARGON2_ITERATIONS": "1",
		"POSTING_INTERVAL": "0s", "POSTING_INTERVAL_NEW_ACCOUNT": "0s", "POSTING_PER_IP_PER_MINUTE": "0"}
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := config.LoadFrom(vars)
	require.NoError(t, err)
	return cfg
}

// New builds the system on a fresh database for t.
func New(t testing.TB, o Options) *Env {
	t.Helper()
	pg := pgtest.New(t)
	db, connDSN := pg.DB, pg.DSN
	if o.AppRole {
		connDSN = pg.AppDSN
		appDB, err := database.Open(context.Background(), pg.AppDSN, database.PoolOptions{MaxOpen: 20, MaxIdle: 20})
		require.NoError(t, err)
		t.Cleanup(func() { _ = database.Close(appDB) })
		db = appDB
	}
	if o.Start.IsZero() {
		o.Start = time.Now()
	}
	clock := NewClock(o.Start)
	now := o.Clock
	if now == nil {
		now = clock.Now
	}
	cfg := Config(t, o.Env)
	if o.Config != nil {
		cfg = *o.Config
	}
	if o.Blobs == nil {
		o.Blobs = blob.NewLocal(t.TempDir())
	}
	if o.LedgerKeys == nil {
		if cfg.LedgerSigningKeyFile == "" {
			cfg.LedgerSigningKeyFile = filepath.Join(t.TempDir(), "ledger-signing-key.pem")
			_, err := auth.LoadOrCreateSigningKey(cfg.LedgerSigningKeyFile, true)
			require.NoError(t, err)
		}
		keys, err := app.LedgerKeys(cfg, false)
		require.NoError(t, err)
		o.LedgerKeys = keys
	}
	deps := app.Deps{DB: db, Config: cfg, Now: now, Log: o.Log, Keys: o.Keys, Unscreened: o.Unscreened, Blobs: o.Blobs, LedgerKeys: o.LedgerKeys}
	return &Env{App: app.New(deps), Clock: clock, Owner: pg.DB, DSN: pg.DSN, AppDSN: pg.AppDSN, deps: deps, connDSN: connDSN}
}

// Instances returns n instances of the system on its one database, e first:
// each other one is built as another serve would build it, with its own
// connection pool, services and caches, and the same configuration, clock
// and keys. Tests run the background work on all of them at once.
func (e *Env) Instances(t testing.TB, n int) []*Env {
	t.Helper()
	out := []*Env{e}
	for range n - 1 {
		db, err := database.Open(context.Background(), e.connDSN, database.PoolOptions{MaxOpen: 20, MaxIdle: 20})
		require.NoError(t, err)
		t.Cleanup(func() { _ = database.Close(db) })
		deps := e.deps
		deps.DB = db
		out = append(out, &Env{App: app.New(deps), Clock: e.Clock, Owner: e.Owner, DSN: e.DSN, AppDSN: e.AppDSN, deps: deps, connDSN: e.connDSN})
	}
	return out
}

// Process creates a process with one phase of kind, open from an hour ago for
// thirty days, in the given languages (English when none).
func (e *Env) Process(t testing.TB, slug string, kind process.PhaseKind, languages ...string) process.Process {
	t.Helper()
	now := e.Now()
	return e.ProcessWith(t, slug, languages, process.PhaseInput{Kind: kind, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(30 * 24 * time.Hour)})
}

// ProcessWith creates a process with the given phases and publishes it (see
// UnpublishedProcess for one that only its owners see).
func (e *Env) ProcessWith(t testing.TB, slug string, languages []string, phases ...process.PhaseInput) process.Process {
	t.Helper()
	e.UnpublishedProcessWith(t, slug, languages, phases...)
	p, _, err := e.Processes.Publish(context.Background(), auth.System, slug)
	require.NoError(t, err)
	return p
}

// UnpublishedProcess creates a process as Process does, but leaves it
// unpublished: only its owners and administrators see it.
func (e *Env) UnpublishedProcess(t testing.TB, slug string, kind process.PhaseKind, languages ...string) process.Process {
	t.Helper()
	now := e.Now()
	return e.UnpublishedProcessWith(t, slug, languages, process.PhaseInput{Kind: kind, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(30 * 24 * time.Hour)})
}

// UnpublishedProcessWith creates an unpublished process with the given phases.
func (e *Env) UnpublishedProcessWith(t testing.TB, slug string, languages []string, phases ...process.PhaseInput) process.Process {
	t.Helper()
	if len(languages) == 0 {
		languages = []string{"en"}
	}
	p, err := e.Processes.Create(context.Background(), auth.System, process.CreateInput{Slug: slug, Title: "Process " + slug,
		Languages: languages, Phases: phases})
	require.NoError(t, err)
	return p
}

var people atomic.Int64

// People inserts n verified accounts, created two days ago (past the
// new-account rules), and returns them as principals. They have no password.
func (e *Env) People(t testing.TB, n int) []auth.Principal {
	t.Helper()
	var ids []int64
	batch := strconv.FormatInt(people.Add(1), 10)
	require.NoError(t, e.Owner.Raw(`INSERT INTO users (email, pseudonym, display_name, email_verified_at, created_at)
		SELECT 'person' || ? || '-' || g || '@test.invalid', 'Participant k' || ? || '-' || g, 'Person ' || g, now(), now() - interval '2 days'
		FROM generate_series(1, ?) g RETURNING id`, batch, batch, n).Scan(&ids).Error)
	out := make([]auth.Principal, len(ids))
	for i, id := range ids {
		out[i] = auth.Principal{UserID: id, Verified: true}
	}
	return out
}

// Person inserts one account (see People).
func (e *Env) Person(t testing.TB) auth.Principal {
	t.Helper()
	return e.People(t, 1)[0]
}

// Grant gives who a role in the process; a forum member needs a seat.
func (e *Env) Grant(t testing.TB, slug string, who auth.Principal, role process.Role, seat ...process.Seat) {
	t.Helper()
	in := process.RoleInput{UserID: who.UserID, Role: role}
	if len(seat) > 0 {
		org := fmt.Sprintf("Organisation of %d", who.UserID)
		in.Seat, in.Organisation = &seat[0], &org
	}
	_, err := e.Processes.GrantRole(context.Background(), auth.System, slug, in)
	require.NoError(t, err)
}

// Draft creates a document in the process, imports markdown as its first
// version and publishes it.
func (e *Env) Draft(t testing.TB, slug, markdown string) (document.Document, document.Version, []document.Block) {
	t.Helper()
	ctx := context.Background()
	d, err := e.Documents.Create(ctx, auth.System, slug, document.CreateInput{Title: "Draft", Language: "en"})
	require.NoError(t, err)
	_, v, blocks, err := e.Documents.Import(ctx, auth.System, d.ID, document.ImportInput{Format: document.FormatMarkdown, Source: markdown})
	require.NoError(t, err)
	v, err = e.Documents.Publish(ctx, auth.System, d.ID, v.Number)
	require.NoError(t, err)
	return d, v, blocks
}
