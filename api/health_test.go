package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cocreate/internal/database"
	"cocreate/internal/pgtest"
)

func TestHealthz(t *testing.T) {
	env := newTestEnv(t)
	rec := env.Do(t, http.MethodGet, "/healthz", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "ok", decode(t, rec)["status"])
}

func TestReadyz(t *testing.T) {
	t.Run("ready when the database answers and is migrated", func(t *testing.T) {
		env := newTestEnv(t)
		rec := env.Do(t, http.MethodGet, "/readyz", "", "")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Equal(t, map[string]any{"database": "ok", "migrations": "ok"}, decode(t, rec)["checks"])
	})
	t.Run("unavailable when migrations are behind", func(t *testing.T) {
		env := newTestEnv(t)
		require.NoError(t, env.DB.Exec("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)").Error)
		rec := env.Do(t, http.MethodGet, "/readyz", "", "")
		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
		require.Equal(t, map[string]any{"database": "ok", "migrations": "behind"}, decode(t, rec)["checks"])
	})
	t.Run("unavailable when the database is gone", func(t *testing.T) {
		env := newTestEnv(t)
		require.NoError(t, database.Close(env.AppDB))
		rec := env.Do(t, http.MethodGet, "/readyz", "", "")
		require.Equal(t, http.StatusServiceUnavailable, rec.Code)
		require.Equal(t, "unreachable", decode(t, rec)["checks"].(map[string]any)["database"])
	})
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	env := newTestEnv(t)
	env.Do(t, http.MethodGet, "/api/v1/processes/no-such-process", "", "")
	rec := env.Do(t, http.MethodGet, "/metrics", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	body := rec.Body.String()
	require.Contains(t, body, `cocreate_http_requests_total{method="GET",route="/api/v1/processes/:slug",status="404"} 1`)
	require.Contains(t, body, "cocreate_http_request_duration_seconds_bucket")
	require.Contains(t, body, `go_sql_max_open_connections{db_name="cocreate"} 20`, "database pool stats")
	require.False(t, strings.Contains(body, "no-such-process"), "raw paths must not become labels")
}

// TestDatabaseOutageIs503 makes the test's database refuse connections under a
// running router: reads answer 503 with Retry-After, not 500.
func TestDatabaseOutageIs503(t *testing.T) {
	env := newTestEnv(t)
	var name string
	require.NoError(t, env.DB.Raw("SELECT current_database()").Scan(&name).Error)
	sqlDB, err := env.AppDB.DB()
	require.NoError(t, err)
	sqlDB.SetMaxIdleConns(0) // every query dials afresh from here on
	pgtest.Admin(t, `ALTER DATABASE "`+name+`" ALLOW_CONNECTIONS false`)

	rec := env.Do(t, http.MethodGet, "/api/v1/processes", "", "")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	require.Equal(t, "5", rec.Header().Get("Retry-After"))
	code, _ := errorOf(t, rec)
	require.Equal(t, "service.unavailable", code)
}
