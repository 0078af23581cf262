package api_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSPAIsServedWithHistoryFallback(t *testing.T) {
	cfg := testConfig(t, nil)
	require.NoError(t, os.WriteFile(filepath.Join(cfg.SPADir, "index.html"), []byte("<!doctype html><title>Cocreate</title>"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(cfg.SPADir, "assets"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(cfg.SPADir, "assets", "app-1a2b3c.js"), []byte("console.log(1)"), 0o644))
	env := newTestEnvWith(t, cfg)

	for _, path := range []string{"/", "/processes/larkhaven-action-plan-2027", "/some/client/route"} {
		rec := env.Do(t, http.MethodGet, path, "", "")
		require.Equal(t, http.StatusOK, rec.Code, path)
		require.Contains(t, rec.Body.String(), "<title>Cocreate</title>", path)
		require.Equal(t, "no-cache", rec.Header().Get("Cache-Control"), path)
		csp := rec.Header().Get("Content-Security-Policy")
		for _, directive := range []string{"object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"} {
			require.Contains(t, csp, directive, path)
		}
	}

	rec := env.Do(t, http.MethodGet, "/assets/app-1a2b3c.js", "", "")
	require.Equal(t, http.StatusOK, rec.Code)
	require.Contains(t, rec.Header().Get("Cache-Control"), "immutable")

	rec = env.Do(t, http.MethodGet, "/assets/gone-000000.js", "", "")
	require.Equal(t, http.StatusNotFound, rec.Code, "a missing asset is not the app page")

	rec = env.Do(t, http.MethodGet, "/../../etc/passwd", "", "")
	require.NotContains(t, rec.Body.String(), "root:")

	rec = env.Do(t, http.MethodGet, "/api/v1/no-such-route", "", "")
	require.Equal(t, http.StatusNotFound, rec.Code)
	code, _ := errorOf(t, rec)
	require.Equal(t, "route.not_found", code, "unknown API paths get the envelope, not the app")

	rec = env.Do(t, http.MethodPost, "/somewhere", "", `{}`)
	require.Equal(t, http.StatusNotFound, rec.Code)
}

func TestSPANotBuiltSaysHow(t *testing.T) {
	env := newTestEnv(t) // SPA_DIR is an empty folder
	rec := env.Do(t, http.MethodGet, "/", "", "")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.Contains(t, rec.Body.String(), "make run")
}
