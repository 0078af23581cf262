package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"cocreate/api"
	"cocreate/internal/apptest"
	"cocreate/internal/auth"
	"cocreate/internal/config"
	"cocreate/internal/logging"
	"cocreate/internal/pgtest"
	"cocreate/internal/user"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// testSigningKey signs the test servers' access tokens.
var testSigningKey = func() ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}()

// testNow is the fixed clock of the test servers.
var testNow = time.Date(2027, 3, 15, 12, 0, 0, 0, time.UTC)

// testEnv is one test's server: a fresh database, the real router, a captured log.
type testEnv struct {
	admin  string // access token of an administrator account, made on first use
	keys   *auth.Keyring
	Clock  *apptest.Clock
	DB     *gorm.DB // the owner's connection: setup and assertions
	AppDB  *gorm.DB // the router's, as the application's role
	Router *gin.Engine
	Config config.Config
	Logs   *syncBuffer
	Sys    *apptest.Env // the services behind the router
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func testConfig(t *testing.T, extra map[string]string) config.Config {
	t.Helper()
	vars := map[string]string{"SPA_DIR": t.TempDir(),
		// The cheapest argon2id the config accepts keeps the tests fast.
		"ARGON2_MEMORY_KIB": "8192", "ARGON2_ITERATIONS": "1",
		// Tests post faster than people; the screen's tests switch the posting interval on.
		"POSTING_INTERVAL": "0s", "POSTING_INTERVAL_NEW_ACCOUNT": "0s", "POSTING_PER_IP_PER_MINUTE": "0",
		// Crowds of writes under -race on a shared machine wait for a place
		// rather than being refused; admission_test.go sets its own wait.
		"WRITE_QUEUE_WAIT": "10s"}
	for k, v := range extra {
		vars[k] = v
	}
	cfg, err := config.LoadFrom(vars)
	require.NoError(t, err)
	return cfg
}

func newTestEnv(t *testing.T) *testEnv {
	return newTestEnvWith(t, testConfig(t, nil))
}

func newTestEnvWith(t *testing.T, cfg config.Config) *testEnv {
	t.Helper()
	logs := &syncBuffer{}
	keys := auth.NewKeyring(testSigningKey, nil, cfg.JWTIssuer, cfg.JWTAudience)
	clock := apptest.NewClock(testNow)
	// The router runs as the application's role, as serve does; the test's own
	// queries (setup, assertions) keep the owner's connection.
	sys := apptest.New(t, apptest.Options{Config: &cfg, Clock: clock.Now, AppRole: true, Keys: keys, Log: logging.New(logs, "debug")})
	r, err := api.New(sys.App)
	require.NoError(t, err)
	return &testEnv{keys: keys, Clock: clock, DB: sys.Owner, AppDB: sys.DB, Router: r, Config: cfg, Logs: logs, Sys: sys}
}

// Do sends a request through the real router and checks the response against
// the OpenAPI spec whenever the spec describes the route.
func (e *testEnv) Do(t *testing.T, method, url, token, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	var rdr io.Reader
	if body != "" {
		rdr = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, url, rdr)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.Router.ServeHTTP(rec, req)
	checkAgainstSpec(t, req, body, rec)
	return rec
}

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error
)

func loadSpec() (*openapi3.T, routers.Router, error) {
	specOnce.Do(func() {
		openapi3filter.RegisterBodyDecoder("application/jsonl", openapi3filter.FileBodyDecoder) // the ledger's JSON Lines
		openapi3filter.RegisterBodyDecoder("application/atom+xml", openapi3filter.FileBodyDecoder)
		openapi3filter.RegisterBodyDecoder("text/calendar", openapi3filter.FileBodyDecoder)
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromFile("openapi.yaml")
		if specErr != nil {
			return
		}
		if specErr = specDoc.Validate(loader.Context); specErr != nil {
			return
		}
		specRouter, specErr = gorillamux.NewRouter(specDoc)
	})
	return specDoc, specRouter, specErr
}

// checkAgainstSpec validates a recorded response (status, headers, body) with
// kin-openapi; requests to paths the spec does not describe (the SPA) are skipped.
func checkAgainstSpec(t *testing.T, req *http.Request, body string, rec *httptest.ResponseRecorder) {
	t.Helper()
	_, router, err := loadSpec()
	require.NoError(t, err, "api/openapi.yaml does not load")
	probe := req.Clone(context.Background())
	probe.Host = ""
	probe.URL.Host, probe.URL.Scheme = "", ""
	route, params, err := router.FindRoute(probe)
	if err != nil {
		return
	}
	res := rec.Result()
	raw, _ := io.ReadAll(res.Body)
	if res.Header.Get("Content-Encoding") == "gzip" {
		// The spec describes the representation; check the decompressed body.
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		require.NoError(t, err)
		raw, err = io.ReadAll(zr)
		require.NoError(t, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: probe, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status:  rec.Code,
		Header:  res.Header,
		Body:    io.NopCloser(bytes.NewReader(raw)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s -> %d does not match api/openapi.yaml: %v\nbody: %s", req.Method, req.URL, rec.Code, err, raw)
	}
}

// decode parses a JSON response body into a map.
func decode(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &m), rec.Body.String())
	return m
}

// errorOf returns the error envelope's code and its fields as "field:code" pairs.
func errorOf(t *testing.T, rec *httptest.ResponseRecorder) (string, []string) {
	t.Helper()
	var env struct {
		Error struct {
			Code   string `json:"code"`
			Fields []struct {
				Field string `json:"field"`
				Code  string `json:"code"`
			} `json:"fields"`
		} `json:"error"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &env), rec.Body.String())
	var fields []string
	for _, f := range env.Error.Fields {
		fields = append(fields, f.Field+":"+f.Code)
	}
	return env.Error.Code, fields
}

// AdminToken returns an access token of an administrator account, creating the
// account (admin@example.org) straight through the service on first use.
func (e *testEnv) AdminToken(t *testing.T) string {
	t.Helper()
	if e.admin == "" {
		e.admin = makeUser(t, e, "admin@example.org", true)
	}
	return e.admin
}

// makeUser creates a verified account without going through the HTTP limits and
// returns an access token for it.
func makeUser(t *testing.T, e *testEnv, email string, admin bool) string {
	t.Helper()
	ctx := context.Background()
	db := e.DB
	svc := e.Sys.Accounts
	_, err := svc.SignUp(ctx, user.SignUpInput{Email: email, DisplayName: strings.Split(email, "@")[0], Password: "a fine test password"})
	require.NoError(t, err)
	require.NoError(t, db.Exec("UPDATE users SET email_verified_at = now() WHERE email = ?", email).Error)
	if admin {
		_, err = e.Sys.Accounts.SetAdmin(ctx, email, true)
		require.NoError(t, err)
	}
	sess, err := svc.Login(ctx, email, "a fine test password")
	require.NoError(t, err)
	return sess.AccessToken
}
