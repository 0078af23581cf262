package process

import (
	"context"

	"cocreate/internal/auth"
	"cocreate/internal/database"
)

// Publish opens the process with slug to the public; its owners and
// administrators may. Publishing a public process again changes nothing, so a
// retried request is harmless. It returns the process and its mandate, whose
// empty parts (Mandate.Missing) the owner is warned about, not stopped by.
func (s *Service) Publish(ctx context.Context, actor auth.Principal, slug string) (Process, Mandate, error) {
	if !actor.Can(auth.PermProcessEdit) {
		return Process{}, Mandate{}, ErrForbidden
	}
	var p Process
	var m Mandate
	err := database.InTx(ctx, s.db, func(ctx context.Context) error {
		var err error
		if p, err = s.store.BySlug(ctx, slug, true); err != nil {
			return err
		}
		if err := s.RequireManage(ctx, actor, p, ErrForbidden); err != nil {
			return err
		}
		if _, err := s.store.Publish(ctx, p.ID, s.now().UTC()); err != nil {
			return err
		}
		if p, err = s.store.BySlug(ctx, slug, false); err != nil {
			return err
		}
		m, err = s.store.MandateOf(ctx, p.ID)
		return err
	})
	if err != nil {
		return Process{}, Mandate{}, err
	}
	return p, m, nil
}
