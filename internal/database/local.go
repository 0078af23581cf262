package database

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// LocalOptions describe a private PostgreSQL cluster in a project folder.
type LocalOptions struct {
	Dir      string // data directory; created with initdb when empty
	BinDir   string // where initdb and postgres are; searched when empty
	Database string // database to create for the application
	NoSync   bool   // initdb without fsync (for throwaway test clusters only)
	LogFile  string // where the server's own log goes; Dir/../postgres.log when empty
}

// LocalCluster is a running private PostgreSQL server listening only on a Unix
// socket inside its data directory.
type LocalCluster struct {
	opts   LocalOptions
	cmd    *exec.Cmd
	exited chan struct{}
	err    error
	// attached: the server was already running on this folder (a `serve`
	// started it); this process uses it and leaves it running.
	attached bool
}

// localUser is the role initdb creates; local connections are trusted, and the
// server listens on no TCP port.
const localUser = "cocreate"

const localPort = 5432

// maxSocketPath is the longest Unix socket path the kernel accepts, less a margin.
const maxSocketPath = 100

// ErrNoPostgres says no PostgreSQL server binaries were found on this machine.
var ErrNoPostgres = errors.New(`no PostgreSQL server binaries found (looked for initdb and postgres on PATH and in /usr/lib/postgresql/*/bin and /usr/local/opt/postgresql*/bin).
Install them, or set DATABASE_URL to a server you run:
  Debian/Ubuntu: sudo apt-get install postgresql
  macOS:         brew install postgresql@15
or point PG_BIN_DIR at the folder that holds initdb and postgres`)

// FindBinDir returns the folder with initdb and postgres: override when given,
// else PATH, else the newest /usr/lib/postgresql/<version>/bin.
func FindBinDir(override string) (string, error) {
	has := func(dir string) bool {
		for _, b := range []string{"initdb", "postgres", "pg_ctl"} {
			if st, err := os.Stat(filepath.Join(dir, b)); err != nil || st.IsDir() {
				return false
			}
		}
		return true
	}
	if override != "" {
		if has(override) {
			return override, nil
		}
		return "", fmt.Errorf("%w (PG_BIN_DIR=%s has no initdb/postgres/pg_ctl)", ErrNoPostgres, override)
	}
	if p, err := exec.LookPath("initdb"); err == nil && has(filepath.Dir(p)) {
		return filepath.Dir(p), nil
	}
	var candidates []string
	for _, pattern := range []string{"/usr/lib/postgresql/*/bin", "/usr/local/opt/postgresql*/bin", "/opt/homebrew/opt/postgresql*/bin", "/usr/pgsql-*/bin"} {
		m, _ := filepath.Glob(pattern)
		candidates = append(candidates, m...)
	}
	sort.Slice(candidates, func(i, j int) bool { return versionOf(candidates[i]) > versionOf(candidates[j]) })
	for _, c := range candidates {
		if has(c) {
			return c, nil
		}
	}
	return "", ErrNoPostgres
}

func versionOf(binDir string) int {
	name := filepath.Base(filepath.Dir(binDir))
	// postgresql@15, pgsql-15 or plain 15: the number after any prefix.
	name = strings.TrimLeftFunc(name, func(r rune) bool { return r < '0' || r > '9' })
	v, _ := strconv.Atoi(strings.SplitN(name, ".", 2)[0])
	return v
}

// StartLocal initialises the cluster when its folder is empty, starts the server
// as a child process (as the postgres system user when running as root, because
// PostgreSQL refuses to run as root), waits until it accepts connections and
// creates the application database. The server stops when Stop is called or,
// should this process die, by itself (parent-death signal).
func StartLocal(ctx context.Context, opts LocalOptions) (*LocalCluster, error) {
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	opts.Dir = dir
	if opts.Database == "" {
		opts.Database = "cocreate"
	}
	if opts.LogFile == "" {
		opts.LogFile = filepath.Join(filepath.Dir(dir), "postgres.log")
	}
	if n := len(filepath.Join(dir, ".s.PGSQL.5432")); n > maxSocketPath {
		return nil, fmt.Errorf("local postgres: the socket path in %s would be %d bytes, over the %d the system allows: choose a shorter DATA_DIR", dir, n, maxSocketPath)
	}
	binDir, err := FindBinDir(opts.BinDir)
	if err != nil {
		return nil, err
	}
	opts.BinDir = binDir
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	if err := prepareDir(dir, cred); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := initCluster(ctx, opts, cred); err != nil {
			return nil, err
		}
	}
	c := &LocalCluster{opts: opts, exited: make(chan struct{})}
	if runningOn(dir) {
		// Another process of ours (serve) runs the server on this folder: use
		// it rather than start a second one, which PostgreSQL would refuse.
		c.attached = true
	} else if err := c.start(cred); err != nil {
		return nil, err
	}
	if err := c.waitReady(ctx, 60*time.Second); err != nil {
		_ = c.Stop()
		return nil, err
	}
	if err := c.CreateDatabase(ctx, opts.Database, ""); err != nil && !errors.Is(err, errDatabaseExists) {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

// runningOn reports whether a PostgreSQL server runs on the data folder dir:
// its postmaster.pid names a live process and its socket is there.
func runningOn(dir string) bool {
	if lockHolder(dir) == 0 {
		return false
	}
	_, err := os.Stat(filepath.Join(dir, fmt.Sprintf(".s.PGSQL.%d", localPort)))
	return err == nil
}

// lockHolder returns the process id that postmaster.pid in dir names when
// that process lives: the server that holds the folder, ready or still
// starting. It returns 0 when there is none.
func lockHolder(dir string) int {
	b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil || pid <= 0 {
		return 0
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return 0
	}
	return pid
}

// yield makes c a guest of the server another process started on the folder
// at the same moment (two commands starting together both found no server
// and both started one; PostgreSQL let the other lock the folder). c's own
// server has exited, refused; from here c uses the other server and leaves
// it running, as when it was already running (attached).
func (c *LocalCluster) yield() bool {
	holder := lockHolder(c.opts.Dir)
	// The other server may be between creating postmaster.pid and writing its
	// pid there (ours then exits saying the lock file is empty): give it a
	// moment while the file is there.
	for wait := 0; holder == 0 && wait < 100 && fileExists(filepath.Join(c.opts.Dir, "postmaster.pid")); wait++ {
		time.Sleep(50 * time.Millisecond)
		holder = lockHolder(c.opts.Dir)
	}
	if holder == 0 || c.cmd == nil || holder == c.cmd.Process.Pid {
		return false
	}
	select {
	case <-c.exited:
	default:
		return false
	}
	c.attached, c.cmd, c.err = true, nil, nil
	c.exited = make(chan struct{})
	return true
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Attached reports whether the cluster was already running when this process
// started (another process owns it and stops it).
func (c *LocalCluster) Attached() bool { return c.attached }

// serverCredential returns the postgres system user's ids when running as root,
// or nil to run the server as the current user.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("local postgres: running as root, and PostgreSQL refuses to run as root; the 'postgres' system user it would run as is missing (install the postgresql package, or run as an ordinary user): %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// prepareDir creates the data folder with the owner and mode PostgreSQL demands,
// and lets the server user through its parent when that is ours.
func prepareDir(dir string, cred *syscall.Credential) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("local postgres: create %s: %w", dir, err)
	}
	if cred == nil {
		return os.Chmod(dir, 0o700)
	}
	if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
		return fmt.Errorf("local postgres: chown %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return err
	}
	// The server user must be able to reach the data folder. Its immediate parent
	// is the project's own folder (DATA_DIR), so open it for traversal; anything
	// further up is the user's to decide.
	parent := filepath.Dir(dir)
	if st, err := os.Stat(parent); err == nil && st.Mode().Perm()&0o001 == 0 {
		if err := os.Chmod(parent, st.Mode().Perm()|0o001); err != nil {
			return fmt.Errorf("local postgres: open %s to the postgres user: %w", parent, err)
		}
	}
	for d := filepath.Dir(parent); ; d = filepath.Dir(d) {
		if st, err := os.Stat(d); err == nil && st.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("local postgres: the postgres system user cannot pass through %s (mode %#o) to reach %s: run `chmod o+x %s`, or choose a DATA_DIR it can reach (for example under /tmp)", d, st.Mode().Perm(), dir, d)
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

func initCluster(ctx context.Context, opts LocalOptions, cred *syscall.Credential) error {
	args := []string{"-D", opts.Dir, "-U", localUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-instructions"}
	if opts.NoSync {
		args = append(args, "--no-sync")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(opts.BinDir, "initdb"), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Dir = os.TempDir() // the server user may not be allowed into our working folder
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("local postgres: initdb %s: %w\n%s", opts.Dir, err, out.String())
	}
	conf := fmt.Sprintf(`
# Added by cocreate: a private server reachable only through the socket in this folder.
listen_addresses = ''
unix_socket_directories = '%s'
port = %d
max_connections = 200
shared_buffers = 128MB
`, opts.Dir, localPort)
	f, err := os.OpenFile(filepath.Join(opts.Dir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("local postgres: configure: %w", err)
	}
	defer f.Close()
	_, err = f.WriteString(conf)
	return err
}

func (c *LocalCluster) start(cred *syscall.Credential) error {
	logf, err := os.OpenFile(c.opts.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("local postgres: open log %s: %w", c.opts.LogFile, err)
	}
	started := make(chan error, 1)
	// The parent-death signal fires when the thread that started the child exits,
	// so the goroutine keeps its thread locked for as long as the server runs.
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		defer logf.Close()
		cmd := exec.Command(filepath.Join(c.opts.BinDir, "postgres"), "-D", c.opts.Dir)
		cmd.Dir = os.TempDir()
		cmd.Stdout, cmd.Stderr = logf, logf
		cmd.SysProcAttr = &syscall.SysProcAttr{
			Credential: cred,
			Setpgid:    true,           // a terminal's Ctrl-C reaches us, and we stop the server in order
			Pdeathsig:  syscall.SIGINT, // fast shutdown if this process dies without stopping it
		}
		if err := cmd.Start(); err != nil {
			started <- fmt.Errorf("local postgres: start: %w", err)
			return
		}
		c.cmd = cmd
		exited := c.exited
		started <- nil
		c.err = cmd.Wait()
		close(exited)
	}()
	return <-started
}

// waitReady waits until the folder's server accepts connections. When that
// server is another process's (one that started at the same moment won the
// folder's lock), c waits for its own refused server to end and becomes a
// guest (yield).
func (c *LocalCluster) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		conn, err := pgx.Connect(ctx, c.DSN("postgres"))
		if err == nil {
			_ = conn.Close(ctx)
			if holder := lockHolder(c.opts.Dir); c.attached || holder == 0 || holder == c.cmd.Process.Pid {
				return nil
			}
			// Ready, but another process's server: ours refuses the folder and
			// is about to exit.
			err = errors.New("the server that answers is another process's, and ours has not exited")
		}
		select {
		case <-c.exited:
			if c.yield() {
				continue
			}
			return fmt.Errorf("local postgres: the server exited (%v); its log, %s, says:\n%s", c.err, c.opts.LogFile, tail(c.opts.LogFile, 20))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("local postgres: not ready after %s: %w; log %s:\n%s", timeout, err, c.opts.LogFile, tail(c.opts.LogFile, 20))
		}
	}
}

func tail(path string, lines int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	ls := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}

// DSN returns a connection string for database name on this cluster.
func (c *LocalCluster) DSN(name string) string {
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable", c.opts.Dir, localPort, localUser, name)
}

var errDatabaseExists = errors.New("database exists")

// CreateDatabase creates database name, copying template when it is not empty.
func (c *LocalCluster) CreateDatabase(ctx context.Context, name, template string) error {
	conn, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		return fmt.Errorf("local postgres: connect: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return errDatabaseExists
	}
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if template != "" {
		sql += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("local postgres: create database %s: %w", name, err)
	}
	return nil
}

// Stop asks the server for a fast shutdown (sessions ended, work committed so far
// kept) and waits for it to exit.
func (c *LocalCluster) Stop() error {
	if c.cmd == nil || c.cmd.Process == nil {
		return nil
	}
	select {
	case <-c.exited:
		return nil
	default:
	}
	if err := c.cmd.Process.Signal(syscall.SIGINT); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("local postgres: stop: %w", err)
	}
	select {
	case <-c.exited:
		return nil
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Signal(syscall.SIGQUIT)
		<-c.exited
		return errors.New("local postgres: fast shutdown timed out; sent immediate shutdown")
	}
}

// Crash ends the server with an immediate shutdown (SIGQUIT, what `pg_ctl stop
// -m immediate` sends): no checkpoint, so the next start runs crash recovery.
// Tests use it to check what survives.
func (c *LocalCluster) Crash() {
	if c.cmd == nil || c.cmd.Process == nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGQUIT)
	<-c.exited
}

// Exited is closed when the server process has ended.
func (c *LocalCluster) Exited() <-chan struct{} { return c.exited }

// Dir is the cluster's data folder.
func (c *LocalCluster) Dir() string { return c.opts.Dir }
