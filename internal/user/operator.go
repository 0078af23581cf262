package user

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"cocreate/internal/database"
)

// SetAdmin grants or revokes administrator rights of the live account with this
// address, ends its sessions, and returns its id. It is an operator's command,
// not a request: no principal is checked.
func (s *Service) SetAdmin(ctx context.Context, email string, admin bool) (int64, error) {
	return s.setFlag(ctx, email, map[string]any{"is_admin": admin})
}

// SetSuspended suspends (the account may read but not write, and cannot sign
// in) or reinstates an account, ending its sessions; an operator's command.
func (s *Service) SetSuspended(ctx context.Context, email string, suspended bool) (int64, error) {
	var at any
	if suspended {
		at = gorm.Expr("now()")
	}
	return s.setFlag(ctx, email, map[string]any{"suspended_at": at})
}

func (s *Service) setFlag(ctx context.Context, email string, cols map[string]any) (int64, error) {
	store := s.store
	var id int64
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		u, err := store.ByEmail(ctx, strings.TrimSpace(email))
		if err != nil {
			return err
		}
		id = u.ID
		if err := store.Update(ctx, u.ID, cols); err != nil {
			return err
		}
		return store.RevokeAllOf(ctx, u.ID, s.opts.Now())
	})
	return id, err
}
