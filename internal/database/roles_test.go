package database_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/database"
	"cocreate/internal/pgtest"
)

// The server logs in as its own role, not as the owner with SET ROLE: no
// RESET ROLE or SET ROLE NONE gives it back the owner's or a superuser's
// rights, so it cannot rewrite the ledger (issue 16, item 2; QUALITY.md S14).
func TestServerRoleCannotRewriteTheLedger(t *testing.T) {
	ctx := context.Background()
	pg := pgtest.New(t)
	owner := pg.DB
	require.NoError(t, owner.Exec(`INSERT INTO processes (slug, title, languages, published_at) VALUES ('p-1', 'P', '{en}', now())`).Error)
	require.NoError(t, owner.Exec(`INSERT INTO ledger_entries (process_id, seq, fields, prev_hash, hash)
		SELECT id, 1, '{}', repeat('0', 64), repeat('a', 64) FROM processes`).Error)

	server, err := database.Open(ctx, pg.AppDSN, database.PoolOptions{MaxOpen: 1})
	require.NoError(t, err)
	t.Cleanup(func() { _ = database.Close(server) })

	require.NoError(t, database.CheckPrivileges(ctx, server), "the server's role is not privileged")
	require.ErrorIs(t, database.CheckPrivileges(ctx, owner), database.ErrPrivilegedRole, "the owner is refused")

	var who string
	require.NoError(t, server.Raw("SELECT current_user").Scan(&who).Error)
	require.Equal(t, database.ServerRole, who)
	for _, escape := range []string{"RESET ROLE", "SET ROLE NONE", "SET SESSION AUTHORIZATION DEFAULT"} {
		require.NoError(t, server.Exec(escape).Error, escape)
		err := server.Exec("UPDATE ledger_entries SET hash = repeat('b', 64)").Error
		require.ErrorContains(t, err, "permission denied", "after %s", escape)
		err = server.Exec("DELETE FROM ledger_entries").Error
		require.ErrorContains(t, err, "permission denied", "after %s", escape)
	}
	require.Error(t, server.Exec("SET ROLE cocreate").Error, "it cannot become the owner")
	var hash string
	require.NoError(t, owner.Raw("SELECT hash FROM ledger_entries").Scan(&hash).Error)
	require.Equal(t, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", hash)

	// It still does its job: it reads and writes the other tables.
	require.NoError(t, server.Exec("UPDATE processes SET title = 'Q'").Error)
}
