package process

import (
	"context"

	"cocreate/internal/auth"
)

// OpenToPublic opens the process with slug to the public unless it is open
// already; its owners and administrators (and the command line) may. The
// demo opens its processes with it. The owner's workspace, built in
// parallel, brings the owners' publication with its checks (process.Publish);
// it replaces this when the two meet.
func (s *Service) OpenToPublic(ctx context.Context, actor auth.Principal, slug string) error {
	p, err := s.Get(ctx, slug)
	if err != nil {
		return err
	}
	if _, err := s.Require(ctx, actor, p.ID, Manage, ErrForbidden); err != nil {
		return err
	}
	return s.store.MarkPublic(ctx, p.ID, s.now().UTC())
}
