// Package blob keeps uploaded files (repository documents, scans of
// contributions received on paper) out of the database: PostgreSQL holds
// their facts and a key, a blob store holds the bytes. The embedded default is
// a folder under DATA_DIR; several instances share an S3-compatible store.
package blob

import (
	"context"
	"errors"
	"io"
)

// ErrNotFound is returned for a key the store does not hold.
var ErrNotFound = errors.New("blob: not found")

// Store holds bytes under keys. Keys are chosen by the application (random,
// path-safe: [a-z0-9/-]); a Put under an existing key replaces it.
type Store interface {
	// Put stores size bytes from r under key; the object is complete or absent.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Open returns the object's bytes; the caller closes them.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the object; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
}
