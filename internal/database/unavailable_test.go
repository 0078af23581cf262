package database_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"cocreate/internal/database"
)

func TestUnavailable(t *testing.T) {
	_, dialErr := pgx.Connect(context.Background(), fmt.Sprintf("host=%s user=x dbname=x", filepath.Join(t.TempDir(), "no-server")))
	require.Error(t, dialErr)
	require.True(t, database.Unavailable(fmt.Errorf("store: %w", dialErr)), "no server listening")

	for code, want := range map[string]bool{
		"57P01": true,  // admin shutdown
		"57P03": true,  // cannot connect now
		"53300": true,  // too many connections
		"08006": true,  // connection failure
		"23505": false, // unique violation: the caller's problem, not the server's
		"42P01": false, // undefined table: a bug
	} {
		require.Equal(t, want, database.Unavailable(&pgconn.PgError{Code: code}), code)
	}
	for _, lost := range []error{io.ErrUnexpectedEOF, pgconn.ErrConnClosed, sql.ErrConnDone} {
		require.True(t, database.Unavailable(fmt.Errorf("user store: by id 3: %w", lost)), "the connection ended: %v", lost)
	}
	require.False(t, database.Unavailable(errors.New("something else")))
	require.False(t, database.Unavailable(nil))
}
