package comment

import (
	"context"

	"cocreate/internal/auth"
	"cocreate/internal/process"
)

// heldFrom returns ErrNotFound, what a missing comment answers, when the
// comment is held, hidden or rejected by moderation and actor may not see it
// (only its author, the process's moderators and owners, and administrators
// may), so an action on it does not tell them it exists; nil otherwise.
func (s *Service) heldFrom(ctx context.Context, actor auth.Principal, commentID int64) error {
	st, err := s.store.Standing(ctx, commentID)
	if err != nil {
		return err
	}
	if st.Status == StatusPublished || actor.Authenticated() && st.AuthorID == actor.UserID {
		return nil
	}
	a, err := s.procs.Access(ctx, actor, st.ProcessID)
	if err != nil {
		return err
	}
	if a.Can(process.SeeHeld) {
		return nil
	}
	return ErrNotFound
}
