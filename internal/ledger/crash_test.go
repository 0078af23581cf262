package ledger_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/database"
	"cocreate/internal/ledger"
	"cocreate/migrations"
)

// TestChainSurvivesCrashes is QUALITY.md R8's crash cycle: four writers
// append to one ledger while PostgreSQL is killed with an immediate shutdown,
// ten times. After each restart the chain verifies, seq has no gap, and every
// append the writers saw commit is there.
func TestChainSurvivesCrashes(t *testing.T) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "cc-crash-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	opts := database.LocalOptions{Dir: dir + "/data", Database: "crash", BinDir: os.Getenv("PG_BIN_DIR")}
	cluster, err := database.StartLocal(ctx, opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = cluster.Stop() })
	open := func() *gorm.DB {
		db, err := database.Open(ctx, cluster.DSN("crash"), database.PoolOptions{MaxOpen: 8})
		require.NoError(t, err)
		return db
	}
	db := open()
	_, err = database.Migrate(ctx, db, migrations.FS)
	require.NoError(t, err)
	pid := newProcess(t, db, "plan-2027")

	acked := map[int64]bool{} // response numbers whose append committed
	var mu sync.Mutex
	next := int64(0)
	for cycle := 1; cycle <= 10; cycle++ {
		l := ledger.NewService(db, nil)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					mu.Lock()
					next++
					n := next
					mu.Unlock()
					err := database.InTx(ctx, db, func(ctx context.Context) error {
						_, err := l.Append(ctx, pid, ledger.Fields{Process: "plan-2027", RecordedAt: ledger.Timestamp(time.Now()), Response: n,
							Disposition: "noted", Reasoning: "Noted during a crash cycle."})
						return err
					})
					if err == nil {
						mu.Lock()
						acked[n] = true
						mu.Unlock()
					} else {
						time.Sleep(5 * time.Millisecond) // the server is down: try again until told to stop
					}
				}
			}()
		}
		time.Sleep(300 * time.Millisecond)
		cluster.Crash()
		time.Sleep(100 * time.Millisecond)
		close(stop)
		wg.Wait()
		_ = database.Close(db)

		cluster, err = database.StartLocal(ctx, opts)
		require.NoError(t, err, "cycle %d: restart", cycle)
		db = open()
		rep, err := ledger.NewService(db, nil).Verify(ctx, pid)
		require.NoError(t, err)
		require.True(t, rep.OK, "cycle %d: %s", cycle, rep.Problem)
		var stored []ledger.Fields
		var rows []string
		require.NoError(t, db.Raw("SELECT fields FROM ledger_entries WHERE process_id = ? ORDER BY seq", pid).Scan(&rows).Error)
		found := map[int64]bool{}
		for _, r := range rows {
			var f ledger.Fields
			require.NoError(t, json.Unmarshal([]byte(r), &f))
			stored = append(stored, f)
			found[f.Response] = true
		}
		require.Equal(t, rep.Entries, int64(len(stored)))
		for n := range acked {
			require.True(t, found[n], "cycle %d: acknowledged append %d was lost", cycle, n)
		}
		t.Logf("cycle %d: %d entries, %d acknowledged, chain intact", cycle, len(stored), len(acked))
	}
	require.Greater(t, len(acked), 40, "the writers got through between crashes")
	_ = database.Close(db)
	if err := cluster.Stop(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Log(err)
	}
}
