package user

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// SetAdmin grants or revokes administrator rights of the live account with this
// address, ends its sessions, and returns its id. It is an operator's command,
// not a request: no principal is checked.
func SetAdmin(ctx context.Context, db *gorm.DB, email string, admin bool) (int64, error) {
	return setFlag(ctx, db, email, map[string]any{"is_admin": admin})
}

// SetSuspended suspends (the account may read but not write, and cannot sign
// in) or reinstates an account, ending its sessions; an operator's command.
func SetSuspended(ctx context.Context, db *gorm.DB, email string, suspended bool) (int64, error) {
	var at any
	if suspended {
		at = gorm.Expr("now()")
	}
	return setFlag(ctx, db, email, map[string]any{"suspended_at": at})
}

func setFlag(ctx context.Context, db *gorm.DB, email string, cols map[string]any) (int64, error) {
	store := NewStore(db)
	var id int64
	err := database.InTx(ctx, db, func(ctx context.Context) error {
		u, err := store.ByEmail(ctx, strings.TrimSpace(email))
		if err != nil {
			return err
		}
		id = u.ID
		if err := store.Update(ctx, u.ID, cols); err != nil {
			return err
		}
		return store.RevokeAllOf(ctx, u.ID, time.Now())
	})
	return id, err
}
