package process

import (
	"context"

	"cocreate/internal/auth"
)

// Publish opens the process with slug to the public (its owners and
// administrators may); publishing a public process changes nothing.
func (s *Service) Publish(ctx context.Context, actor auth.Principal, slug string) (Process, error) {
	p, err := s.Get(ctx, slug)
	if err != nil {
		return Process{}, err
	}
	if err := s.Readable(ctx, actor, p); err != nil {
		return Process{}, err
	}
	if _, err := s.Require(ctx, actor, p.ID, Manage, ErrForbidden); err != nil {
		return Process{}, err
	}
	if err := s.store.SetPublished(ctx, p.ID, s.now()); err != nil {
		return Process{}, err
	}
	return s.Get(ctx, slug)
}
