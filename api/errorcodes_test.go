package api_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"cocreate/internal/apperr"
)

// TestErrorCodesMatchSpec fails when an error code the server declares is missing
// from the enum of the error envelope's code in api/openapi.yaml, or the enum lists
// a code nothing declares. This test package links every domain package (through
// the router), so every package-level error variable has declared its code.
func TestErrorCodesMatchSpec(t *testing.T) {
	doc, _, err := loadSpec()
	require.NoError(t, err, "api/openapi.yaml does not load")
	spec := errorCodeEnum(t, doc)
	declared := apperr.Codes()

	var msg strings.Builder
	if missing := without(declared, spec); len(missing) > 0 {
		fmt.Fprintf(&msg, "declared in Go but missing from the enum of the Error envelope's code in api/openapi.yaml (add them, run npm run gen:api, and translate them in frontend/src/i18n):\n  %s\n",
			strings.Join(missing, "\n  "))
	}
	if stale := without(spec, declared); len(stale) > 0 {
		fmt.Fprintf(&msg, "in the enum of the Error envelope's code in api/openapi.yaml but declared nowhere in Go (remove them, or declare them with apperr):\n  %s\n",
			strings.Join(stale, "\n  "))
	}
	if msg.Len() > 0 {
		t.Error(msg.String())
	}
	require.True(t, slices.IsSorted(spec), "keep the enum of the Error envelope's code in api/openapi.yaml sorted")
}

// errorCodeEnum returns the enum of Error.error.code in the spec.
func errorCodeEnum(t *testing.T, doc *openapi3.T) []string {
	t.Helper()
	envelope := doc.Components.Schemas["Error"]
	require.NotNil(t, envelope, "api/openapi.yaml has no Error schema")
	inner := envelope.Value.Properties["error"]
	require.NotNil(t, inner, "the Error schema has no error property")
	code := inner.Value.Properties["code"]
	require.NotNil(t, code, "the Error schema's error has no code property")
	require.NotEmpty(t, code.Value.Enum, "the error envelope's code has no enum in api/openapi.yaml")
	out := make([]string, 0, len(code.Value.Enum))
	for _, v := range code.Value.Enum {
		s, ok := v.(string)
		require.True(t, ok, "error code %v in api/openapi.yaml is not a string", v)
		out = append(out, s)
	}
	return out
}

// without returns the elements of a that b lacks.
func without(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// codeArg is, for each apperr function that takes an error code, the index of
// that argument.
var codeArg = map[string]int{
	"Internal": 0, "Malformed": 0, "Unauthenticated": 0, "Forbidden": 0, "NotFound": 0,
	"Conflict": 0, "TooLarge": 0, "Invalid": 0, "RateLimited": 0, "Unavailable": 0,
	"Declare": 1,
}

// TestErrorCodesAreDeclaredAtPackageLevel reads the Go sources of api/ and
// internal/ and fails when an error code is not declared once, at package level:
// a code written inside a function (it would reach the registry only when that
// code runs, so the spec and the translations could miss it), a code built at
// run time, a plain string constant passed as a code, or an apperr.Error literal.
// It also checks that each code so declared is in apperr.Codes(), i.e. its package
// is linked into the server.
func TestErrorCodesAreDeclaredAtPackageLevel(t *testing.T) {
	fset := token.NewFileSet()
	type pkgFiles struct {
		files  []*ast.File
		consts map[string]bool // package-level constants
	}
	pkgs := map[string]*pkgFiles{} // by directory, relative to the module root
	for _, root := range []string{"../internal", "."} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			dir := path.Dir(filepath.ToSlash(filepath.Join("api", p))) // e.g. internal/idea, api
			pf := pkgs[dir]
			if pf == nil {
				pf = &pkgFiles{consts: map[string]bool{}}
				pkgs[dir] = pf
			}
			pf.files = append(pf.files, f)
			for _, decl := range f.Decls {
				if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.CONST {
					for _, spec := range g.Specs {
						for _, n := range spec.(*ast.ValueSpec).Names {
							pf.consts[n.Name] = true
						}
					}
				}
			}
			return nil
		})
		require.NoError(t, err)
	}
	require.Contains(t, pkgs, "internal/apperr", "the walk did not find the sources")

	declared := apperr.Codes()
	var problems []string
	report := func(n ast.Node, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s: %s", fset.Position(n.Pos()), fmt.Sprintf(format, args...)))
	}
	for dir, pf := range pkgs {
		if dir == "internal/apperr" {
			continue
		}
		for _, f := range pf.files {
			apperrName, imports := "", map[string]string{} // local package name -> directory
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				dir, ok := strings.CutPrefix(p, "cocreate/")
				if !ok {
					continue
				}
				name := path.Base(p)
				if imp.Name != nil {
					name = imp.Name.Name
				}
				imports[name] = dir
				if p == "cocreate/internal/apperr" {
					apperrName = name
				}
			}
			if apperrName == "" {
				continue
			}
			// isConst reports whether e names a plain constant rather than a declared code.
			isConst := func(e ast.Expr) bool {
				switch e := e.(type) {
				case *ast.Ident:
					return pf.consts[e.Name]
				case *ast.SelectorExpr:
					if x, ok := e.X.(*ast.Ident); ok && pkgs[imports[x.Name]] != nil {
						return pkgs[imports[x.Name]].consts[e.Sel.Name]
					}
				}
				return false
			}
			// check looks at one code argument; inFunc names the function it is in,
			// if any. Only a constructor or Declare outside functions declares a code.
			check := func(call ast.Node, what string, code ast.Expr, inFunc string) {
				switch c := code.(type) {
				case *ast.BasicLit:
					s, _ := strconv.Unquote(c.Value)
					switch {
					case what == "Fields.Err":
						report(call, "Fields.Err(%q): pass a code declared with apperr.Declare", s)
					case inFunc != "":
						report(call, "%s(%q) inside %s: declare the code in a package-level variable (an error, or apperr.Declare) and use that", what, s, inFunc)
					case !slices.Contains(declared, s):
						report(call, "code %q is declared but not in apperr.Codes(): is its package linked into the server?", s)
					}
				case *ast.Ident, *ast.SelectorExpr:
					if isConst(c) {
						report(call, "%s(%s): the code is a plain constant; declare it with apperr.Declare", what, types.ExprString(c))
					}
				default:
					report(call, "%s(%s) builds its code at run time: declare every code once, with apperr.Declare or an error variable", what, types.ExprString(c))
				}
			}
			var walk func(n ast.Node, inFunc string)
			walk = func(n ast.Node, inFunc string) {
				ast.Inspect(n, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.FuncLit:
						if inFunc == "" {
							walk(n.Body, "a function literal")
							return false
						}
					case *ast.CompositeLit:
						if sel, ok := n.Type.(*ast.SelectorExpr); ok && isPkg(sel.X, apperrName) && sel.Sel.Name == "Error" {
							report(n, "apperr.Error literal: build errors with the apperr constructors, which declare their code")
						}
					case *ast.CallExpr:
						sel, ok := n.Fun.(*ast.SelectorExpr)
						if !ok {
							return true
						}
						if i, ok := codeArg[sel.Sel.Name]; ok && isPkg(sel.X, apperrName) && len(n.Args) > i {
							check(n, "apperr."+sel.Sel.Name, n.Args[i], inFunc)
						} else if sel.Sel.Name == "Err" && len(n.Args) == 1 {
							check(n, "Fields.Err", n.Args[0], inFunc)
						}
					}
					return true
				})
			}
			for _, decl := range f.Decls {
				if fn, ok := decl.(*ast.FuncDecl); ok {
					if fn.Body != nil {
						walk(fn.Body, fn.Name.Name)
					}
					continue
				}
				walk(decl, "")
			}
		}
	}
	slices.Sort(problems)
	if len(problems) > 0 {
		t.Errorf("error codes must be declared once, at package level:\n%s", strings.Join(problems, "\n"))
	}
}

func isPkg(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
