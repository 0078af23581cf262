package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"cocreate/api"
	"cocreate/internal/app"
	"cocreate/internal/blob"
	"cocreate/internal/database"
	"cocreate/internal/pgtest"
)

// cuttingProxy stands between the server and PostgreSQL on a Unix socket of
// its own, as a pooler or a load balancer does. While cutting, it takes each
// message a client sends and closes that connection without an answer: the
// server sees its connection end in the middle of a request, with no
// PostgreSQL error message (what a pooler's restart or a network cut does).
type cuttingProxy struct {
	dir     string // holds .s.PGSQL.5432
	target  string // the real server's socket
	cutting atomic.Bool
	cuts    atomic.Int64
	ln      net.Listener
}

func newCuttingProxy(t *testing.T, targetDir string) *cuttingProxy {
	t.Helper()
	dir, err := os.MkdirTemp("", "cc-proxy-") // short: a socket path is at most ~100 bytes
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	ln, err := net.Listen("unix", filepath.Join(dir, ".s.PGSQL.5432"))
	require.NoError(t, err)
	p := &cuttingProxy{dir: dir, target: filepath.Join(targetDir, ".s.PGSQL.5432"), ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

func (p *cuttingProxy) serve(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("unix", p.target)
	if err != nil {
		return
	}
	defer server.Close()
	go func() {
		_, _ = io.Copy(client, server)
		client.Close()
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := client.Read(buf)
		if err != nil {
			return
		}
		if p.cutting.Load() {
			p.cuts.Add(1)
			return // the request was sent; its answer never comes
		}
		if _, err := server.Write(buf[:n]); err != nil {
			return
		}
	}
}

// TestConnectionLostMidRequestIs503 cuts the server's database connections in
// the middle of requests (the connection ends with no PostgreSQL error, as
// when a pooler restarts or the network drops): reads and writes answer 503
// with Retry-After, not 500, nothing is half written, and the same requests
// succeed once connections come back.
func TestConnectionLostMidRequestIs503(t *testing.T) {
	env := newTestEnv(t)
	theme := env.moderatedProcess(t, "cut", "")
	ana := makeUser(t, env, "ana@example.org", false)
	ben := makeUser(t, env, "ben@example.org", false)
	seed := env.idea(t, ana, "cut", theme, "An idea to support")

	// The same system, reaching PostgreSQL through the proxy.
	cfg, err := pgx.ParseConfig(env.Sys.DSN)
	require.NoError(t, err)
	proxy := newCuttingProxy(t, cfg.Host)
	viaProxy, err := database.Open(context.Background(), fmt.Sprintf("host=%s port=5432 user=%s dbname=%s sslmode=disable",
		proxy.dir, database.ServerRole, cfg.Database), database.PoolOptions{MaxOpen: 4, MaxIdle: 4})
	require.NoError(t, err)
	t.Cleanup(func() { _ = database.Close(viaProxy) })
	a := app.New(app.Deps{DB: viaProxy, Config: env.Config, Now: env.Clock.Now, Log: env.Sys.Log, Keys: env.keys,
		Blobs: blob.NewLocal(t.TempDir())})
	router, err := api.New(a)
	require.NoError(t, err)
	env.Router = router

	newIdea := `{"title":"Benches in the park","body":"Where people wait for the bus.","theme_id":` + fmt.Sprint(theme) + `}`
	requests := []struct{ name, method, url, body, key string }{
		{"a public read", http.MethodGet, "/api/v1/processes/cut/ideas", "", ""},
		{"a write in a transaction", http.MethodPost, "/api/v1/processes/cut/ideas", newIdea, ""},
		{"an idempotent write", http.MethodPut, fmt.Sprintf("/api/v1/ideas/%d/support", seed.ID), "", "support-once"},
	}
	proxy.cutting.Store(true)
	for _, r := range requests {
		rec := env.Do(t, r.method, r.url, ben, r.body, "Idempotency-Key", r.key)
		require.Equal(t, http.StatusServiceUnavailable, rec.Code, "%s: %s\n%s", r.name, rec.Body.String(), failures(env))
		require.Equal(t, "5", rec.Header().Get("Retry-After"), r.name)
		code, _ := errorOf(t, rec)
		require.Equal(t, "service.unavailable", code, r.name)
	}
	require.Positive(t, proxy.cuts.Load())
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "ideas", ""), "the cut write stored nothing")
	require.EqualValues(t, 0, pgtest.Count(t, env.DB, "idea_supports", ""))
	require.EqualValues(t, 0, pgtest.Count(t, env.DB, "idempotency_keys", ""), "the key is free for the retry")
	require.NotContains(t, env.Logs.String(), `"msg":"request failed"`)

	proxy.cutting.Store(false)
	for _, r := range requests {
		rec := env.Do(t, r.method, r.url, ben, r.body, "Idempotency-Key", r.key)
		require.Less(t, rec.Code, 300, "%s, retried: %s", r.name, rec.Body.String())
	}
	require.EqualValues(t, 2, pgtest.Count(t, env.DB, "ideas", ""))
	require.EqualValues(t, 1, pgtest.Count(t, env.DB, "idea_supports", ""))
}

// TestConnectionsTerminatedUnderLoadAre503 ends the server's sessions
// (pg_terminate_backend, what an operator or a failover does) again and again
// while reads and writes run: every failure is a 503 with Retry-After.
func TestConnectionsTerminatedUnderLoadAre503(t *testing.T) {
	env := newTestEnv(t)
	theme := env.moderatedProcess(t, "outage", "")
	var name string
	require.NoError(t, env.DB.Raw("SELECT current_database()").Scan(&name).Error)
	tokens := make([]string, 3)
	for i := range tokens {
		tokens[i] = makeUser(t, env, fmt.Sprintf("u%d@example.org", i), false)
	}
	seed := env.idea(t, tokens[0], "outage", theme, "An idea to support")

	stop := make(chan struct{})
	killer := make(chan struct{})
	go func() {
		defer close(killer)
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			pgtest.Admin(t, fmt.Sprintf(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
				WHERE usename = '%s' AND datname = '%s'`, database.ServerRole, name))
		}
	}()
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	deadline := time.Now().Add(2 * time.Second)
	for w := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				method, url, body := http.MethodGet, "/api/v1/processes/outage/ideas", ""
				switch i % 3 {
				case 1:
					b, _ := json.Marshal(map[string]any{"title": fmt.Sprintf("Idea %d of %d", i, w), "body": fmt.Sprintf("Body %d of %d.", i, w), "theme_id": theme})
					method, url, body = http.MethodPost, "/api/v1/processes/outage/ideas", string(b)
				case 2:
					method, url = http.MethodPut, fmt.Sprintf("/api/v1/ideas/%d/support", seed.ID)
				}
				rec := env.Do(t, method, url, tokens[w], body, "Idempotency-Key", fmt.Sprintf("k-%d-%d", w, i))
				mu.Lock()
				statuses[rec.Code]++
				mu.Unlock()
				if rec.Code == http.StatusServiceUnavailable {
					require.Equal(t, "5", rec.Header().Get("Retry-After"))
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-killer
	t.Logf("statuses: %v", statuses)
	for code := range statuses {
		require.True(t, code < 500 || code == http.StatusServiceUnavailable, "status %d; the log says:\n%s", code, failures(env))
	}
	require.Positive(t, statuses[http.StatusServiceUnavailable], "some requests lost their connection")
}

// failures returns the server log's lines of requests that failed with 500.
func failures(env *testEnv) string {
	var out []string
	for _, line := range strings.Split(env.Logs.String(), "\n") {
		if strings.Contains(line, `"msg":"request failed"`) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
