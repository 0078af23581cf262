package ledger_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cocreate/internal/database"
	"cocreate/internal/ledger"
	"cocreate/internal/pgtest"
)

// TestCheckpointsOnThreeInstances runs CheckpointAll on three instances (each
// its own pool) at once, several rounds while entries keep being appended:
// no head is signed twice, no run fails, every moved ledger ends signed at
// its head, and the counts the instances report add up to the checkpoints
// stored (issue 24).
func TestCheckpointsOnThreeInstances(t *testing.T) {
	pdb := pgtest.New(t)
	ctx := context.Background()
	key := newKey(t)
	keys, err := ledger.NewKeys(key, nil, nil)
	require.NoError(t, err)
	writer := ledger.NewService(pdb.DB, keys)
	const processes = 12
	var ids []int64
	for i := range processes {
		ids = append(ids, newProcess(t, pdb.DB, "plan-"+string(rune('a'+i))))
	}
	instances := make([]*ledger.Service, 3)
	for i := range instances {
		db, err := database.Open(ctx, pdb.DSN, database.PoolOptions{MaxOpen: 4, MaxIdle: 4})
		require.NoError(t, err)
		t.Cleanup(func() { _ = database.Close(db) })
		instances[i] = ledger.NewService(db, keys)
	}

	signed := 0
	now := time.Now().UTC()
	for round := range 4 {
		for _, p := range ids {
			appendN(t, pdb.DB, writer, p, 1+round%2, "Noted")
		}
		counts := make([]int, len(instances))
		var wg sync.WaitGroup
		for i, inst := range instances {
			wg.Go(func() {
				n, err := inst.CheckpointAll(ctx, now.Add(time.Duration(round)*time.Minute))
				if err != nil {
					t.Errorf("instance %d, round %d: %v", i, round, err)
				}
				counts[i] = n
			})
		}
		wg.Wait()
		for _, n := range counts {
			signed += n
		}
		// Whatever was skipped while another instance held it is signed by
		// the next pass; a pass after that finds nothing new.
		for _, inst := range instances {
			n, err := inst.CheckpointAll(ctx, now.Add(time.Duration(round)*time.Minute+time.Second))
			require.NoError(t, err)
			signed += n
		}
		for _, inst := range instances {
			n, err := inst.CheckpointAll(ctx, now.Add(time.Duration(round)*time.Minute+2*time.Second))
			require.NoError(t, err)
			require.Zero(t, n, "round %d: nothing is left to sign", round)
		}
		require.EqualValues(t, processes*(round+1), pgtest.Count(t, pdb.DB, "ledger_checkpoints", ""), "round %d: one checkpoint per ledger and round", round)
	}
	require.EqualValues(t, signed, pgtest.Count(t, pdb.DB, "ledger_checkpoints", ""), "the instances' counts add up to the stored checkpoints")
	require.Zero(t, pgtest.Count(t, pdb.DB, "ledger_checkpoints",
		"(process_id, seq) IN (SELECT process_id, seq FROM ledger_checkpoints GROUP BY process_id, seq HAVING count(*) > 1)"), "no head signed twice")
	for _, p := range ids {
		rep, err := writer.Verify(ctx, p)
		require.NoError(t, err)
		require.True(t, rep.OK, rep.Problem)
		require.Equal(t, 4, rep.Checkpoints)
		require.True(t, *rep.CheckpointValid)
	}
}
