package process

import (
	"context"
	"fmt"
	"strings"

	"cocreate/internal/database"
)

// findableSQL is the condition an account must meet to be found: live,
// address confirmed, not suspended.
const findableSQL = `u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL AND u.suspended_at IS NULL`

// personByEmailSQL returns the findable account whose address is @email (any
// case; the unique index users_email_key is on lower(email)), with the roles
// it holds in process @p.
const personByEmailSQL = `SELECT u.id AS user_id, u.display_name AS name,
	coalesce((SELECT string_agg(r.role, ',' ORDER BY r.role) FROM process_roles r WHERE r.process_id = @p AND r.user_id = u.id), '') AS roles
FROM users u
WHERE lower(u.email) = lower(@email) AND ` + findableSQL

// peopleByNameSQL returns up to @n findable accounts whose display name
// contains @pattern (an ILIKE pattern with its wildcards escaped), after the
// position (@after_name, @after_id) in (lower name, id) order, with the roles
// each holds in process @p.
const peopleByNameSQL = `SELECT u.id AS user_id, u.display_name AS name,
	coalesce((SELECT string_agg(r.role, ',' ORDER BY r.role) FROM process_roles r WHERE r.process_id = @p AND r.user_id = u.id), '') AS roles
FROM users u
WHERE u.display_name ILIKE @pattern AND ` + findableSQL + `
	AND (lower(u.display_name), u.id) > (@after_name, @after_id)
ORDER BY lower(u.display_name), u.id
LIMIT @n`

// personRow is a found account as the statements return it.
type personRow struct {
	UserID int64  `gorm:"column:user_id"`
	Name   string `gorm:"column:name"`
	Roles  string `gorm:"column:roles"` // comma-separated
}

func (r personRow) person() Person {
	p := Person{UserID: r.UserID, Name: r.Name}
	if r.Roles != "" {
		for _, role := range strings.Split(r.Roles, ",") {
			p.Roles = append(p.Roles, Role(role))
		}
	}
	return p
}

func people(rows []personRow) []Person {
	out := make([]Person, len(rows))
	for i, r := range rows {
		out[i] = r.person()
	}
	return out
}

// PersonByEmail returns the findable account with this address (none or one),
// with its roles in the process.
func (s *Store) PersonByEmail(ctx context.Context, processID int64, email string) ([]Person, error) {
	var rows []personRow
	err := database.Conn(ctx, s.db).Raw(personByEmailSQL, map[string]any{"p": processID, "email": email}).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("process store: person by e-mail: %w", err)
	}
	return people(rows), nil
}

// likeEscaper escapes the wildcards of ILIKE (with its default escape, \).
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// PeopleByName returns up to n findable accounts whose display name contains
// text, in (lower name, id) order after the cursor, with their roles in the process.
func (s *Store) PeopleByName(ctx context.Context, processID int64, text string, after peopleCursor, n int) ([]Person, error) {
	var rows []personRow
	err := database.Conn(ctx, s.db).Raw(peopleByNameSQL, map[string]any{"p": processID, "pattern": "%" + likeEscaper.Replace(text) + "%",
		"after_name": after.Name, "after_id": after.ID, "n": n}).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("process store: people by name: %w", err)
	}
	return people(rows), nil
}
