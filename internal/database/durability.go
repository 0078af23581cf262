package database

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// CheckDurability refuses a server that could lose acknowledged writes: fsync and
// synchronous_commit must both be on (synchronous_commit may also be one of the
// stronger settings: remote_write, remote_apply, local).
func CheckDurability(ctx context.Context, db *gorm.DB) error {
	var fsync, syncCommit string
	if err := Conn(ctx, db).Raw("SELECT current_setting('fsync'), current_setting('synchronous_commit')").
		Row().Scan(&fsync, &syncCommit); err != nil {
		return fmt.Errorf("database: read durability settings: %w", err)
	}
	return durabilityProblems(fsync, syncCommit)
}

func durabilityProblems(fsync, syncCommit string) error {
	var problems []string
	if fsync != "on" {
		problems = append(problems, "fsync is "+fsync+": set fsync = on in postgresql.conf and restart PostgreSQL")
	}
	if syncCommit == "off" {
		problems = append(problems, "synchronous_commit is off: set synchronous_commit = on (for the server, or the role with ALTER ROLE ... SET synchronous_commit = on)")
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrNotDurable, strings.Join(problems, "; "))
}

// ErrNotDurable says PostgreSQL may acknowledge a commit it has not made durable.
var ErrNotDurable = errors.New("refusing to run: PostgreSQL could lose acknowledged writes")
