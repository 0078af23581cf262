package api

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"
)

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
		file := filepath.Join(h.cfg.SPADir, filepath.FromSlash(clean))
		if st, err := os.Stat(file); err == nil && !st.IsDir() {
			if strings.HasPrefix(clean, "/assets/") {
				// Vite puts a content hash in every asset name: safe to keep forever.
				c.Header("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				c.Header("Cache-Control", "no-cache")
			}
			c.File(file)
			return
		}
		if path.Ext(clean) != "" {
			// A missing file (a stale asset link) is a 404, not the app's page.
			c.Header("Cache-Control", "no-cache")
			c.String(http.StatusNotFound, "not found\n")
			return
		}
	}
	index := filepath.Join(h.cfg.SPADir, "index.html")
	if _, err := os.Stat(index); err != nil {
		c.String(http.StatusServiceUnavailable,
			"The web app is not built. Run `make run` (or `npm run build`), or set SPA_DIR to the folder holding index.html.\n")
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.File(index)
}
