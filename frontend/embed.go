//go:build embedspa

// Package frontend carries the built web app inside the server binary, so one
// file serves everything. `make build` builds the app first and then the
// binary with the embedspa tag; a plain `go build` has no app inside and the
// server serves SPA_DIR (frontend/dist by default) from disk instead.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist is the built web app (the contents of frontend/dist), or nil when the
// binary was built without it.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil
	}
	return sub
}
