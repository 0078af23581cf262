package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// keyPattern is what a key may look like: no dots, so no way out of the folder.
var keyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9/-]{0,199}$`)

// Local is a Store in a folder of the machine (the embedded default).
type Local struct {
	dir string
}

// NewLocal returns a store in dir; the folder is made on the first Put.
func NewLocal(dir string) *Local { return &Local{dir: dir} }

func (l *Local) path(key string) (string, error) {
	if !keyPattern.MatchString(key) {
		return "", fmt.Errorf("blob: bad key %q", key)
	}
	return filepath.Join(l.dir, filepath.FromSlash(key)), nil
}

// Put writes the object to a temporary file, syncs it and renames it into
// place, so a crash leaves either the whole object or none.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64, _ string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	n, err := io.Copy(tmp, io.LimitReader(r, size+1))
	switch {
	case err != nil:
		return fmt.Errorf("blob: write %s: %w", key, err)
	case n != size:
		return fmt.Errorf("blob: write %s: got %d bytes, expected %d", key, n, size)
	case ctx.Err() != nil:
		return ctx.Err()
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("blob: sync %s: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("blob: close %s: %w", key, err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	done = true
	return nil
}

// Open opens the object's file.
func (l *Local) Open(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return f, nil
}

// Delete removes the object's file.
func (l *Local) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("blob: %w", err)
	}
	return nil
}
