package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
)

func TestPanicBecomesErrorEnvelope(t *testing.T) {
	env := newTestEnv(t)
	env.Router.GET("/test-panic", func(*gin.Context) { panic("boom") })
	rec := env.Do(t, http.MethodGet, "/test-panic", "", "")
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	code, _ := errorOf(t, rec)
	require.Equal(t, "internal", code)
	require.NotContains(t, rec.Body.String(), "boom", "no internal detail leaks")
	require.Contains(t, env.Logs.String(), `"panic":"boom"`)
}

func TestEveryLogLineOfARequestCarriesItsID(t *testing.T) {
	env := newTestEnv(t)
	rec := env.Do(t, http.MethodGet, "/api/v1/processes", "bad-token", "", "X-Request-ID", "req-abcdef123456")
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	require.Equal(t, "req-abcdef123456", rec.Header().Get("X-Request-ID"))
	lines := 0
	for _, line := range strings.Split(strings.TrimSpace(env.Logs.String()), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		require.Equal(t, "req-abcdef123456", rec["request_id"], line)
		require.True(t, strings.HasSuffix(rec["time"].(string), "Z"), "log times are UTC: %s", line)
		lines++
	}
	require.GreaterOrEqual(t, lines, 2, "the auth failure and the access line")
	require.NotContains(t, env.Logs.String(), "bad-token", "credentials never reach the log")
}

func TestBodyOverTheLimitIs413(t *testing.T) {
	env := newTestEnvWith(t, testConfig(t, map[string]string{"MAX_BODY_BYTES": "2048"}))
	big := `{"slug":"big-one","title":"` + strings.Repeat("x", 4000) + `"}`
	rec := env.Do(t, http.MethodPost, "/api/v1/processes", env.AdminToken(t), big)
	require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	code, _ := errorOf(t, rec)
	require.Equal(t, "request.too_large", code)

	// A chunked body with no declared length is cut off while reading.
	req := httptest.NewRequest(http.MethodPost, "/api/v1/processes", strings.NewReader(big))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+env.AdminToken(t))
	w := httptest.NewRecorder()
	env.Router.ServeHTTP(w, req)
	require.Equal(t, http.StatusRequestEntityTooLarge, w.Code, w.Body.String())
}

// TestClientIPIgnoresForwardedForFromUntrustedPeers checks the access log's
// client address: X-Forwarded-For counts only when the peer is a trusted proxy.
func TestClientIPIgnoresForwardedForFromUntrustedPeers(t *testing.T) {
	for _, tt := range []struct {
		name, trusted, want string
	}{
		{"no proxies trusted by default", "", "198.51.100.7"},
		{"a trusted proxy's header is believed", "198.51.100.7", "203.0.113.9"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnvWith(t, testConfig(t, map[string]string{"TRUSTED_PROXIES": tt.trusted}))
			req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
			req.RemoteAddr = "198.51.100.7:40000"
			req.Header.Set("X-Forwarded-For", "203.0.113.9")
			env.Router.ServeHTTP(httptest.NewRecorder(), req)
			require.Contains(t, env.Logs.String(), `"client_ip":"`+tt.want+`"`)
		})
	}
}
