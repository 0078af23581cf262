package event_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/database"
	"cocreate/internal/event"
	"cocreate/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// Within subscribers run in the emitting transaction and their error undoes
// it; After subscribers run once it commits, never after a rollback.
func TestSubscribersRunWithinAndAfterTheTransaction(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t).DB
	require.NoError(t, db.Exec("CREATE TABLE seen (doc bigint)").Error)
	bus := event.NewBus(nil)
	var after []int64
	failOn := int64(-1)
	event.Within(bus, func(ctx context.Context, e event.DocumentChanged) error {
		if e.DocumentID == failOn {
			return errors.New("refused")
		}
		return database.Conn(ctx, db).Exec("INSERT INTO seen VALUES (?)", e.DocumentID).Error
	})
	event.After(bus, func(ctx context.Context, e event.DocumentChanged) error {
		// The transaction has committed: its rows are visible outside it.
		var n int64
		require.NoError(t, db.Raw("SELECT count(*) FROM seen WHERE doc = ?", e.DocumentID).Scan(&n).Error)
		require.EqualValues(t, 1, n)
		after = append(after, e.DocumentID)
		return nil
	})

	err := database.InTx(ctx, db, func(ctx context.Context) error {
		require.NoError(t, bus.Emit(ctx, event.DocumentChanged{DocumentID: 1}))
		require.Empty(t, after, "not before the commit")
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []int64{1}, after)

	err = database.InTx(ctx, db, func(ctx context.Context) error {
		require.NoError(t, bus.Emit(ctx, event.DocumentChanged{DocumentID: 2}))
		return errors.New("the action fails later")
	})
	require.Error(t, err)
	require.Equal(t, []int64{1}, after, "a rolled-back action tells no one")

	failOn = 3
	err = database.InTx(ctx, db, func(ctx context.Context) error {
		require.NoError(t, bus.Emit(ctx, event.DocumentChanged{DocumentID: 4}))
		return bus.Emit(ctx, event.DocumentChanged{DocumentID: 3})
	})
	require.ErrorContains(t, err, "refused")
	require.Equal(t, []int64{1}, after)
	require.EqualValues(t, 1, pgtest.Count(t, db, "seen", ""), "a subscriber's error rolls the whole action back")

	// Nested transactions join the outer one: subscribers wait for its commit.
	err = database.InTx(ctx, db, func(ctx context.Context) error {
		require.NoError(t, database.InTx(ctx, db, func(ctx context.Context) error {
			return bus.Emit(ctx, event.DocumentChanged{DocumentID: 5})
		}))
		require.Equal(t, []int64{1}, after, "the inner transaction is not the commit")
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []int64{1, 5}, after)

	// Without a transaction, After subscribers run at once.
	require.NoError(t, bus.Emit(ctx, event.DocumentChanged{DocumentID: 6}))
	require.Equal(t, []int64{1, 5, 6}, after)

	// A transaction begun by hand (the idempotency middleware) runs them on Commit.
	txCtx, tx, err := database.Begin(ctx, db)
	require.NoError(t, err)
	require.NoError(t, bus.Emit(txCtx, event.DocumentChanged{DocumentID: 7}))
	require.Equal(t, []int64{1, 5, 6}, after)
	require.NoError(t, tx.Commit())
	require.Equal(t, []int64{1, 5, 6, 7}, after)
}
