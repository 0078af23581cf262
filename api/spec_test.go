package api_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var ginParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// TestRoutesMatchSpec fails when a route is registered without being in
// api/openapi.yaml, or the spec describes a route the router does not serve.
func TestRoutesMatchSpec(t *testing.T) {
	env := newTestEnv(t)
	doc, _, err := loadSpec()
	require.NoError(t, err)

	var registered []string
	for _, r := range env.Router.Routes() {
		registered = append(registered, r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}"))
	}
	var described []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			described = append(described, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(registered)
	slices.Sort(described)
	for _, r := range registered {
		require.Contains(t, described, r, "route %s is served but missing from api/openapi.yaml", r)
	}
	for _, d := range described {
		require.Contains(t, registered, d, "api/openapi.yaml describes %s but the router does not serve it", d)
	}
}
