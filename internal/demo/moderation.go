package demo

import (
	"context"
	"fmt"

	"cocreate/internal/app"
	"cocreate/internal/auth"
	"cocreate/internal/idea"
	"cocreate/internal/moderation"
	"cocreate/internal/process"
	"cocreate/internal/user"
)

const youthSummary = `Young people of Larkhaven propose what the city should do for them in
2028. This process is pre-moderated: every idea is read by a moderator before
it is published.`

// The demo moderators of the youth panel.
const (
	ModeratorPassword = "larkhaven demo moderator"
)

// DemoModerators are the youth panel's moderators' addresses.
var DemoModerators = []string{"moderator.one@larkhaven.example", "moderator.two@larkhaven.example"}

// loadYouthPanel adds the youth panel's themes, its pre-moderation and its
// two moderators; the owner owns it.
func loadYouthPanel(ctx context.Context, a *app.App) ([]string, error) {
	procs, users := a.Processes, a.Accounts
	ideas := a.Ideas
	settings, err := ideas.Settings(ctx, auth.System, YouthSlug)
	if err != nil || len(settings.Themes) > 0 {
		return nil, err
	}
	owner, err := users.ByEmail(ctx, auth.System, OwnerEmail)
	if err != nil {
		return nil, fmt.Errorf("demo: owner: %w", err)
	}
	if _, err := procs.GrantRole(ctx, auth.System, YouthSlug, process.RoleInput{UserID: owner.ID, Role: process.RoleOwner}); err != nil {
		return nil, fmt.Errorf("demo: youth owner: %w", err)
	}
	if _, err := ideas.PutSettings(ctx, auth.System, YouthSlug, idea.SettingsInput{Themes: []idea.ThemeInput{
		{Name: "Schools", Description: "Schools, colleges and learning."},
		{Name: "Public space", Description: "Parks, streets, sports and places to meet."},
	}}); err != nil {
		return nil, fmt.Errorf("demo: youth themes: %w", err)
	}
	mod := a.Moderation
	st, err := mod.Settings(ctx, auth.System, YouthSlug)
	if err != nil {
		return nil, err
	}
	st.Mode = moderation.ModePre
	if _, err := mod.PutSettings(ctx, auth.System, YouthSlug, st); err != nil {
		return nil, fmt.Errorf("demo: youth moderation: %w", err)
	}
	for n, email := range DemoModerators {
		u, err := users.Provision(ctx, auth.System, user.SignUpInput{Email: email, DisplayName: fmt.Sprintf("Moderator %d", n+1),
			Password: ModeratorPassword})
		if err != nil {
			return nil, fmt.Errorf("demo: moderator: %w", err)
		}
		if _, err := procs.GrantRole(ctx, auth.System, YouthSlug, process.RoleInput{UserID: u.ID, Role: process.RoleModerator}); err != nil {
			return nil, fmt.Errorf("demo: moderator role: %w", err)
		}
	}
	return []string{"pre-moderated " + YouthSlug + " with 2 moderators"}, nil
}
