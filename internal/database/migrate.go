package database

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"

	"gorm.io/gorm"
)

// Migration is one numbered SQL file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// LoadMigrations reads the migrations from fsys, sorted by version, and checks the
// numbering starts at 1 and has no gaps or repeats.
func LoadMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("migrations: read dir: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if e.IsDir() || m == nil {
			continue
		}
		v, _ := strconv.Atoi(m[1])
		body, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("migrations: read %s: %w", e.Name(), err)
		}
		ms = append(ms, Migration{Version: v, Name: m[2], SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migrations: expected version %04d, found %04d_%s", i+1, m.Version, m.Name)
		}
	}
	return ms, nil
}

const createMigrationsTable = `
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)`

// Migrate applies every migration the database has not seen, each in its own
// transaction under an advisory lock, and returns the versions it applied. Several
// processes may run it at once: each version is applied exactly once.
func Migrate(ctx context.Context, db *gorm.DB, fsys fs.FS) ([]int, error) {
	ms, err := LoadMigrations(fsys)
	if err != nil {
		return nil, err
	}
	var applied []int
	for _, m := range ms {
		done := false
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", lockMigrate).Error; err != nil {
				return err
			}
			if err := tx.Exec(createMigrationsTable).Error; err != nil {
				return err
			}
			var n int64
			if err := tx.Raw("SELECT count(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := tx.Exec(m.SQL).Error; err != nil {
				return err
			}
			done = true
			return tx.Exec("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", m.Version, m.Name).Error
		})
		if err != nil {
			return applied, fmt.Errorf("migrations: apply %04d_%s: %w", m.Version, m.Name, err)
		}
		if done {
			applied = append(applied, m.Version)
		}
	}
	return applied, nil
}

// SchemaStatus compares the database's schema version with the binary's.
type SchemaStatus struct {
	Current int // highest version applied to the database (0 for an empty one)
	Latest  int // highest version embedded in this binary
}

// ErrSchemaBehind says the database lacks migrations this binary needs.
var ErrSchemaBehind = errors.New("the database schema is behind this binary: run `cocreate migrate`")

// ErrSchemaAhead says the database was migrated by a newer binary.
var ErrSchemaAhead = errors.New("the database schema is newer than this binary: deploy the newer binary")

// Status reads which migrations the database has.
func Status(ctx context.Context, db *gorm.DB, fsys fs.FS) (SchemaStatus, error) {
	ms, err := LoadMigrations(fsys)
	if err != nil {
		return SchemaStatus{}, err
	}
	st := SchemaStatus{}
	if len(ms) > 0 {
		st.Latest = ms[len(ms)-1].Version
	}
	var exists bool
	if err := db.WithContext(ctx).Raw("SELECT to_regclass('schema_migrations') IS NOT NULL").Scan(&exists).Error; err != nil {
		return st, fmt.Errorf("migrations: status: %w", err)
	}
	if !exists {
		return st, nil
	}
	if err := db.WithContext(ctx).Raw("SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&st.Current).Error; err != nil {
		return st, fmt.Errorf("migrations: status: %w", err)
	}
	return st, nil
}

// CheckCurrent returns ErrSchemaBehind or ErrSchemaAhead, wrapped with the
// versions, unless the database is exactly at the binary's version.
func CheckCurrent(ctx context.Context, db *gorm.DB, fsys fs.FS) error {
	st, err := Status(ctx, db, fsys)
	if err != nil {
		return err
	}
	switch {
	case st.Current < st.Latest:
		return fmt.Errorf("%w (database at %d, binary needs %d)", ErrSchemaBehind, st.Current, st.Latest)
	case st.Current > st.Latest:
		return fmt.Errorf("%w (database at %d, binary knows %d)", ErrSchemaAhead, st.Current, st.Latest)
	}
	return nil
}
