package api

import (
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"cocreate/frontend"
)

// SPAFiles is the web app the server serves, and where it comes from: SPA_DIR
// when it is set (for development), else the app built into the binary, else
// frontend/dist.
func SPAFiles(dir string) (fs.FS, string) {
	if dir != "" {
		return os.DirFS(dir), dir
	}
	if embedded := frontend.Dist(); embedded != nil {
		return embedded, "(built into the binary)"
	}
	return os.DirFS("frontend/dist"), "frontend/dist"
}

// notFoundOrSPA answers every path no route matched: API paths get the error
// envelope; other GET and HEAD requests get a file of the built SPA, or its
// index.html so client-side routes survive a reload (history-API fallback).
func (h *handlers) notFoundOrSPA(c *gin.Context) {
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/api/") || p == "/api" || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
		h.fail(c, errRouteNotFound)
		return
	}
	clean := path.Clean("/" + p)
	if clean != "/" {
		if f, st, ok := openFile(h.spa, strings.TrimPrefix(clean, "/")); ok {
			defer f.Close()
			if strings.HasPrefix(clean, "/assets/") {
				// Vite puts a content hash in every asset name: safe to keep forever.
				c.Header("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				c.Header("Cache-Control", "no-cache")
			}
			http.ServeContent(c.Writer, c.Request, st.Name(), st.ModTime(), f)
			return
		}
		if path.Ext(clean) != "" {
			// A missing file (a stale asset link) is a 404, not the app's page.
			c.Header("Cache-Control", "no-cache")
			c.String(http.StatusNotFound, "not found\n")
			return
		}
	}
	f, st, ok := openFile(h.spa, "index.html")
	if !ok {
		c.String(http.StatusServiceUnavailable,
			"The web app is not built. Run `make run` (or `npm run build`), or set SPA_DIR to the folder holding index.html.\n")
		return
	}
	defer f.Close()
	c.Header("Cache-Control", "no-cache")
	http.ServeContent(c.Writer, c.Request, "index.html", st.ModTime(), f)
}

// openFile opens a regular file of fsys for serving; false when there is none
// (fs.FS refuses names that climb out of it).
func openFile(fsys fs.FS, name string) (io.ReadSeekCloser, fs.FileInfo, bool) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, false
	}
	st, err := f.Stat()
	rs, seekable := f.(io.ReadSeekCloser)
	if err != nil || st.IsDir() || !seekable {
		f.Close()
		return nil, nil, false
	}
	return rs, st, true
}
