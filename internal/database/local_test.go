package database_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/database"
)

// TestLocalClusterRestartsOnItsData starts a private cluster, writes, stops it,
// checks no server process is left, and starts it again on the same folder.
func TestLocalClusterRestartsOnItsData(t *testing.T) {
	ctx := context.Background()
	// Not t.TempDir: its parent is private to root, and the server may run as the
	// postgres user, which must reach the folder.
	base, err := os.MkdirTemp("", "cc-local-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(base) })
	dir := filepath.Join(base, "pgdata")
	opts := database.LocalOptions{Dir: dir, NoSync: true, BinDir: os.Getenv("PG_BIN_DIR")}

	c, err := database.StartLocal(ctx, opts)
	require.NoError(t, err)
	db, err := database.Open(ctx, c.DSN("cocreate"), database.PoolOptions{MaxOpen: 2})
	require.NoError(t, err)
	require.NoError(t, db.Exec("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')").Error)
	require.NoError(t, database.Close(db))
	pid := postmasterPID(t, dir)
	require.NoError(t, c.Stop())
	require.ErrorIs(t, syscall.Kill(pid, 0), syscall.ESRCH, "the server process is gone after Stop")

	c, err = database.StartLocal(ctx, opts)
	require.NoError(t, err)
	defer func() { require.NoError(t, c.Stop()) }()
	db, err = database.Open(ctx, c.DSN("cocreate"), database.PoolOptions{MaxOpen: 2})
	require.NoError(t, err)
	defer database.Close(db)
	var v string
	require.NoError(t, db.Raw("SELECT v FROM kept").Scan(&v).Error)
	require.Equal(t, "still here", v)
}

func postmasterPID(t *testing.T, dir string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	require.NoError(t, err)
	var pid int
	_, err = fmt.Sscan(strings.SplitN(string(b), "\n", 2)[0], &pid)
	require.NoError(t, err)
	return pid
}

func TestLocalClusterRefusesALongSocketPath(t *testing.T) {
	long := filepath.Join(t.TempDir(), strings.Repeat("d", 120))
	_, err := database.StartLocal(context.Background(), database.LocalOptions{Dir: long})
	require.ErrorContains(t, err, "shorter DATA_DIR")
}

func TestFindBinDirExplainsWhatToInstall(t *testing.T) {
	_, err := database.FindBinDir(t.TempDir())
	require.ErrorIs(t, err, database.ErrNoPostgres)
	require.Contains(t, err.Error(), "apt-get install postgresql")
}

// A second process started on a folder whose server is running (a command
// such as grant-admin while serve runs) uses that server and leaves it
// running, instead of starting another that PostgreSQL refuses (issue 15,
// item 12).
func TestLocalClusterAttachesToARunningServer(t *testing.T) {
	ctx := context.Background()
	base, err := os.MkdirTemp("", "cc-attach-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(base) })
	opts := database.LocalOptions{Dir: filepath.Join(base, "pgdata"), NoSync: true, BinDir: os.Getenv("PG_BIN_DIR")}

	owner, err := database.StartLocal(ctx, opts)
	require.NoError(t, err)
	defer func() { require.NoError(t, owner.Stop()) }()
	require.False(t, owner.Attached())
	pid := postmasterPID(t, opts.Dir)
	logBefore, _ := os.ReadFile(filepath.Join(base, "postgres.log"))

	second, err := database.StartLocal(ctx, opts)
	require.NoError(t, err)
	require.True(t, second.Attached())
	db, err := database.Open(ctx, second.DSN("cocreate"), database.PoolOptions{MaxOpen: 1})
	require.NoError(t, err)
	var one int
	require.NoError(t, db.Raw("SELECT 1").Scan(&one).Error)
	require.NoError(t, database.Close(db))
	require.NoError(t, second.Stop(), "stopping an attached cluster is a no-op")

	require.Equal(t, pid, postmasterPID(t, opts.Dir), "the owner's server still runs")
	require.NoError(t, syscall.Kill(pid, 0))
	logAfter, _ := os.ReadFile(filepath.Join(base, "postgres.log"))
	require.NotContains(t, string(logAfter[len(logBefore):]), "FATAL", "no second server was tried")
}

// Two processes starting on one folder at the same moment (serve started
// twice, or a command run while serve starts) both see no server yet and both
// start one; PostgreSQL lets one of them lock the folder. The other must
// then attach to the winner's server, not report its own refused server as
// its cluster (whose exit serve would log as "the local PostgreSQL exited",
// and whose Stop a command would log as having stopped the server).
func TestLocalClusterStartedTwiceAtOnceHasOneOwner(t *testing.T) {
	ctx := context.Background()
	base, err := os.MkdirTemp("", "cc-twice-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(base) })
	opts := database.LocalOptions{Dir: filepath.Join(base, "pgdata"), NoSync: true, BinDir: os.Getenv("PG_BIN_DIR")}
	first, err := database.StartLocal(ctx, opts) // initdb once, as the first serve did long ago
	require.NoError(t, err)
	require.NoError(t, first.Stop())

	for round := range 3 {
		var clusters [2]*database.LocalCluster
		var errs [2]error
		var wg sync.WaitGroup
		for i := range clusters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				clusters[i], errs[i] = database.StartLocal(ctx, opts)
			}()
		}
		wg.Wait()
		require.NoError(t, errs[0], "round %d", round)
		require.NoError(t, errs[1], "round %d", round)
		owner, guest := clusters[0], clusters[1]
		if owner.Attached() {
			owner, guest = guest, owner
		}
		require.False(t, owner.Attached(), "round %d: one of them runs the server", round)
		require.True(t, guest.Attached(), "round %d: the other uses it", round)
		select {
		case <-guest.Exited():
			t.Fatalf("round %d: the guest reports an exited server while the owner's runs", round)
		case <-owner.Exited():
			t.Fatalf("round %d: the owner's server exited", round)
		default:
		}
		pid := postmasterPID(t, opts.Dir)
		require.NoError(t, guest.Stop(), "stopping a guest is a no-op")
		require.NoError(t, syscall.Kill(pid, 0), "round %d: the server still runs after the guest stopped", round)
		db, err := database.Open(ctx, guest.DSN("cocreate"), database.PoolOptions{MaxOpen: 1})
		require.NoError(t, err)
		var one int
		require.NoError(t, db.Raw("SELECT 1").Scan(&one).Error)
		require.NoError(t, database.Close(db))
		require.NoError(t, owner.Stop())
		require.ErrorIs(t, syscall.Kill(pid, 0), syscall.ESRCH, "round %d: the owner stopped its server", round)
	}
}
