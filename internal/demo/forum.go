package demo

import (
	"context"
	"errors"
	"fmt"

	"cocreate/internal/app"
	"cocreate/internal/auth"
	"cocreate/internal/forum"
	"cocreate/internal/process"
	"cocreate/internal/user"
)

// ForumPassword is the demo forum members' password.
const ForumPassword = "larkhaven demo forum"

// DemoForum are the current process's forum members: one per seat that the
// joint signing rule needs.
var DemoForum = []struct {
	Email, Name, Organisation string
	Seat                      process.Seat
}{
	{"forum.government@larkhaven.example", "Amira Haddad", "Larkhaven City Council", process.SeatGovernment},
	{"forum.civil@larkhaven.example", "Tomás Ferreira", "Open Larkhaven Coalition", process.SeatCivilSociety},
}

// loadForum names the current process's forum (a government and a
// civil-society member) and sets its signing rule to joint.
func loadForum(ctx context.Context, a *app.App) ([]string, error) {
	procs, users := a.Processes, a.Accounts
	// The first member's account tells that the forum was loaded before.
	switch _, err := users.ByEmail(ctx, auth.System, DemoForum[0].Email); {
	case err == nil:
		return nil, nil
	case !errors.Is(err, user.ErrNotFound):
		return nil, fmt.Errorf("demo: forum: %w", err)
	}
	for _, m := range DemoForum {
		u, err := users.Provision(ctx, auth.System, user.SignUpInput{Email: m.Email, DisplayName: m.Name, Password: ForumPassword})
		if err != nil {
			return nil, fmt.Errorf("demo: forum member: %w", err)
		}
		seat, org := m.Seat, m.Organisation
		if _, err := procs.GrantRole(ctx, auth.System, CurrentSlug, process.RoleInput{UserID: u.ID, Role: process.RoleForumMember,
			Seat: &seat, Organisation: &org}); err != nil {
			return nil, fmt.Errorf("demo: forum role: %w", err)
		}
	}
	f := a.Forum
	if _, err := f.SetSettings(ctx, auth.System, CurrentSlug, forum.Settings{SigningRule: forum.RuleJoint, TargetDays: 20}); err != nil {
		return nil, fmt.Errorf("demo: forum settings: %w", err)
	}
	return []string{"forum of " + CurrentSlug + " with 2 members, joint signing"}, nil
}
