package database

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// ServerRole is the login role the server connects as on the private cluster
// (and the one the README tells operators to create on a managed server): a
// member of cocreate_app (migration 0008: it reads and writes every table but
// cannot rewrite the ledger), never a superuser nor a member of the owner.
const ServerRole = "cocreate_server"

// ensureServerRoleSQL creates the server's login role when missing; it runs as
// the owner, after the migrations created cocreate_app.
const ensureServerRoleSQL = `DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '` + ServerRole + `') THEN
        BEGIN
            CREATE ROLE ` + ServerRole + ` LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION INHERIT IN ROLE cocreate_app;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another process created it meanwhile
        END;
    END IF;
END $$`

// EnsureServerRole creates ServerRole on the cluster of db (the owner's
// connection) when it does not exist.
func EnsureServerRole(ctx context.Context, db *gorm.DB) error {
	if err := db.WithContext(ctx).Exec(ensureServerRoleSQL).Error; err != nil {
		return fmt.Errorf("database: create the server's role %s: %w", ServerRole, err)
	}
	return nil
}

// privilegesSQL says what the connected role could do beyond the
// application's rights: be or become a superuser, bypass row security, or
// act as the owner of the tables (and so rewrite the ledger).
const privilegesSQL = `SELECT current_user AS name, r.rolsuper AS super, r.rolbypassrls AS bypass_rls,
    EXISTS (SELECT 1 FROM pg_roles s WHERE s.rolsuper AND s.oid <> r.oid AND pg_has_role(r.oid, s.oid, 'MEMBER')) AS can_become_super,
    coalesce((SELECT pg_has_role(r.oid, c.relowner, 'MEMBER') FROM pg_class c
        WHERE c.oid = to_regclass('public.ledger_entries')), false) AS owner_member
FROM pg_roles r WHERE r.rolname = current_user`

// ErrPrivilegedRole is returned by CheckPrivileges for a role that could
// rewrite the public record.
var ErrPrivilegedRole = errors.New("database: the server's role is privileged")

// CheckPrivileges refuses a connection whose role is a superuser, may become
// one, bypasses row security or is a member of the tables' owner: such a
// server could rewrite the ledger (QUALITY.md S14). The error says which.
func CheckPrivileges(ctx context.Context, db *gorm.DB) error {
	var r struct {
		Name           string
		Super          bool
		BypassRLS      bool `gorm:"column:bypass_rls"`
		CanBecomeSuper bool
		OwnerMember    bool
	}
	if err := db.WithContext(ctx).Raw(privilegesSQL).Scan(&r).Error; err != nil {
		return fmt.Errorf("database: check the server's role: %w", err)
	}
	var why []string
	if r.Super {
		why = append(why, "it is a superuser")
	}
	if r.CanBecomeSuper {
		why = append(why, "it may become a superuser (SET ROLE)")
	}
	if r.BypassRLS {
		why = append(why, "it bypasses row security")
	}
	if r.OwnerMember {
		why = append(why, "it owns the tables or is a member of their owner, so it could rewrite the ledger")
	}
	if len(why) > 0 {
		return fmt.Errorf("%w: %q: %s. Connect as a login role in cocreate_app only (README: Using an external PostgreSQL), "+
			"or set DATABASE_ALLOW_PRIVILEGED=true for development", ErrPrivilegedRole, r.Name, strings.Join(why, "; "))
	}
	return nil
}

// WithUser returns dsn (a URL or key=value connection string) connecting as
// user instead, with no password (trust or peer authentication, as on the
// private cluster).
func WithUser(dsn, user string) (string, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return "", fmt.Errorf("database: %w", err)
	}
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable", cfg.Host, cfg.Port, user, cfg.Database), nil
}
