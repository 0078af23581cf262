package apptest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// PandocFile makes a Word (kind "docx") or OpenDocument ("odt") file of
// markdown (GitHub-flavoured) with pandoc, as a word processor saves one. A
// test that needs it fails with a clear message when pandoc is missing: it is
// installed where the tests run (Debian package pandoc; .ci/run installs it).
func PandocFile(t testing.TB, markdown, kind string) []byte {
	t.Helper()
	bin, err := exec.LookPath("pandoc")
	require.NoError(t, err, "this test needs pandoc to make its %s file: install the Debian package pandoc", kind)
	dir := t.TempDir()
	src, out := filepath.Join(dir, "draft.md"), filepath.Join(dir, "draft."+kind)
	require.NoError(t, os.WriteFile(src, []byte(markdown), 0o600))
	cmd := exec.Command(bin, "--from=gfm", "--to="+kind, "--output="+out, src)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "pandoc: %s", msg)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	return b
}
