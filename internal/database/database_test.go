package database_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/internal/database"
	"cocreate/internal/pgtest"
	"cocreate/migrations"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// emptyDatabase returns a test database with the migrations' tables removed, as a
// fresh server would be.
func emptyDatabase(t *testing.T) *gorm.DB {
	t.Helper()
	db := pgtest.New(t).DB
	require.NoError(t, db.Exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public").Error)
	return db
}

func TestMigrateAppliesEachVersionOnceUnderConcurrency(t *testing.T) {
	db := emptyDatabase(t)
	ctx := context.Background()
	require.ErrorIs(t, database.CheckCurrent(ctx, db, migrations.FS), database.ErrSchemaBehind)

	const n = 4
	var wg sync.WaitGroup
	applied := make([][]int, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			applied[i], errs[i] = database.Migrate(ctx, db, migrations.FS)
		}()
	}
	wg.Wait()
	total := 0
	for i := range n {
		require.NoError(t, errs[i])
		total += len(applied[i])
	}
	ms, err := database.LoadMigrations(migrations.FS)
	require.NoError(t, err)
	require.Equal(t, len(ms), total, "every migration applied by exactly one migrator")
	require.EqualValues(t, len(ms), pgtest.Count(t, db, "schema_migrations", ""))
	require.NoError(t, database.CheckCurrent(ctx, db, migrations.FS))

	again, err := database.Migrate(ctx, db, migrations.FS)
	require.NoError(t, err)
	require.Empty(t, again, "a second run applies nothing")
}

func TestCheckCurrentRefusesAheadOrBehind(t *testing.T) {
	db := pgtest.New(t).DB
	ctx := context.Background()
	require.NoError(t, database.CheckCurrent(ctx, db, migrations.FS))

	require.NoError(t, db.Exec("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')").Error)
	require.ErrorIs(t, database.CheckCurrent(ctx, db, migrations.FS), database.ErrSchemaAhead)

	require.NoError(t, db.Exec("DELETE FROM schema_migrations WHERE version >= 1").Error)
	err := database.CheckCurrent(ctx, db, migrations.FS)
	require.ErrorIs(t, err, database.ErrSchemaBehind)
	require.Contains(t, err.Error(), "cocreate migrate", "the error names the command that fixes it")
}

func TestLoadMigrationsRejectsGaps(t *testing.T) {
	_, err := database.LoadMigrations(fstest.MapFS{
		"0001_a.sql": {Data: []byte("SELECT 1")},
		"0003_c.sql": {Data: []byte("SELECT 1")},
	})
	require.ErrorContains(t, err, "expected version 0002")
}

func TestFailedMigrationLeavesNothingBehind(t *testing.T) {
	db := emptyDatabase(t)
	_, err := database.Migrate(context.Background(), db, fstest.MapFS{
		"0001_ok.sql":     {Data: []byte("CREATE TABLE a (id int)")},
		"0002_broken.sql": {Data: []byte("CREATE TABLE b (id int); SELECT no_such_function()")},
	})
	require.ErrorContains(t, err, "0002_broken")
	require.EqualValues(t, 1, pgtest.Count(t, db, "schema_migrations", ""))
	var b bool
	require.NoError(t, db.Raw("SELECT to_regclass('b') IS NOT NULL").Scan(&b).Error)
	require.False(t, b, "the failed migration's statements are rolled back")
}

func TestCheckDurability(t *testing.T) {
	db := pgtest.New(t).DB
	ctx := context.Background()
	require.NoError(t, database.CheckDurability(ctx, db), "the test cluster runs with fsync and synchronous_commit on")

	err := database.InTx(ctx, db, func(ctx context.Context) error {
		if err := database.Conn(ctx, db).Exec("SET LOCAL synchronous_commit = off").Error; err != nil {
			return err
		}
		return database.CheckDurability(ctx, db)
	})
	require.ErrorIs(t, err, database.ErrNotDurable)
	require.Contains(t, err.Error(), "synchronous_commit")
}

func TestInTxRollsBackOnError(t *testing.T) {
	db := emptyDatabase(t)
	ctx := context.Background()
	require.NoError(t, db.Exec("CREATE TABLE t (id int)").Error)
	boom := errors.New("boom")
	err := database.InTx(ctx, db, func(ctx context.Context) error {
		if err := database.Conn(ctx, db).Exec("INSERT INTO t VALUES (1)").Error; err != nil {
			return err
		}
		// A nested call joins the outer transaction.
		if err := database.InTx(ctx, db, func(ctx context.Context) error {
			return database.Conn(ctx, db).Exec("INSERT INTO t VALUES (2)").Error
		}); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.EqualValues(t, 0, pgtest.Count(t, db, "t", ""))
}

func TestTextArrayRoundTrip(t *testing.T) {
	db := emptyDatabase(t)
	require.NoError(t, db.Exec("CREATE TABLE langs (id int PRIMARY KEY, tags text[] NOT NULL)").Error)
	in := database.TextArray{"en", "fr-CA", `quote"and,comma`, "{brace}"}
	require.NoError(t, db.Exec("INSERT INTO langs VALUES (1, ?)", in).Error)
	var out database.TextArray
	require.NoError(t, db.Raw("SELECT tags FROM langs WHERE id = 1").Row().Scan(&out))
	require.Equal(t, in, out)
	var n int
	require.NoError(t, db.Raw("SELECT cardinality(tags) FROM langs WHERE id = 1").Scan(&n).Error)
	require.Equal(t, 4, n)
}

func TestArrayEncodesIntegersAndOtherTypes(t *testing.T) {
	db := emptyDatabase(t)
	for _, c := range []struct {
		in   database.Array
		want string
	}{
		{database.Array{Type: "_int8", Values: []int64{1, -2, 9007199254740993}}, "{1,-2,9007199254740993}"},
		{database.Array{Type: "_int4", Values: []int32{-2147483648, 0, 2147483647}}, "{-2147483648,0,2147483647}"},
		{database.Array{Type: "_int8", Values: []int64(nil)}, "{}"},
		{database.Array{Type: "_text", Values: []string{"a,b", `q"`}}, `{"a,b","q\""}`},
	} {
		var got string
		require.NoError(t, db.Raw("SELECT CAST(? AS "+map[string]string{"_int8": "int8[]", "_int4": "int4[]", "_text": "text[]"}[c.in.Type]+")::text", c.in).Scan(&got).Error)
		require.Equal(t, c.want, got)
	}
}

// BenchmarkArrayValue measures the encoding of a 64-value integer array (a
// near-duplicate signature): go test ./internal/database -run '^$' -bench ArrayValue
func BenchmarkArrayValue(b *testing.B) {
	sig := make([]int32, 64)
	for i := range sig {
		sig[i] = int32(i*2654435761) - 1<<30
	}
	a := database.Array{Type: "_int4", Values: sig}
	for b.Loop() {
		if _, err := a.Value(); err != nil {
			b.Fatal(err)
		}
	}
}
