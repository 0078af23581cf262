//go:build !embedspa

// Package frontend carries the built web app inside the server binary when it
// is built with the embedspa tag (see embed.go); without it there is none.
package frontend

import "io/fs"

// Dist is nil: this binary was built without the web app inside.
func Dist() fs.FS { return nil }
