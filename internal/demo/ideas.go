package demo

import (
	"context"
	"crypto/rand"
	"fmt"

	"cocreate/internal/app"
	"cocreate/internal/auth"
	"cocreate/internal/idea"
	"cocreate/internal/process"
	"cocreate/internal/user"
)

const ideasSummary = `Larkhaven is collecting ideas for its fourth action plan. Propose a
commitment the city should make, support the ideas you want to see in the plan
(three supports each), and discuss them. The multi-stakeholder forum will
answer every idea.`

// DemoSupportLimit is the demo ideas process's supports per person.
const DemoSupportLimit = 3

// demoThemes are the demo ideas process's themes.
var demoThemes = []idea.ThemeInput{
	{Name: "Open budgets", Description: "How the city plans, spends and reports public money."},
	{Name: "Public participation", Description: "How residents take part in decisions."},
	{Name: "Access to information", Description: "How anyone can find out what the city knows and does."},
}

// demoIdeas are the ideas residents proposed, with their theme's index.
var demoIdeas = []struct {
	theme       int
	title, body string
}{
	{0, "Publish the city budget as open data",
		"Every line of the adopted budget and of the quarterly spending reports, as a spreadsheet anyone can download, not only as a PDF."},
	{0, "Participatory budgeting in every district",
		"Set aside part of each district's investment budget for projects that residents propose and vote on."},
	{2, "A public register of lobbyists' meetings",
		"List every meeting between council members or senior staff and lobbyists: who, when, and on what subject."},
	{1, "Citizens' assembly on the harbour plan",
		"Ask a randomly selected group of residents to deliberate on the redevelopment of the old harbour and make recommendations."},
	{2, "Answer information requests within 15 days",
		"Shorten the time the city takes to answer freedom-of-information requests, and publish the answers online."},
}

// loadIdeas adds the demo ideas process's owner, themes, rules and ideas.
func loadIdeas(ctx context.Context, a *app.App) ([]string, error) {
	procs, users := a.Processes, a.Accounts
	p, err := procs.Get(ctx, IdeasSlug)
	if err != nil {
		return nil, err
	}
	owner, err := users.ByEmail(ctx, auth.System, OwnerEmail)
	if err != nil {
		return nil, fmt.Errorf("demo: owner: %w", err)
	}
	if isOwner, err := procs.HasRole(ctx, p.ID, owner.ID, process.RoleOwner); err != nil {
		return nil, err
	} else if !isOwner {
		if _, err := procs.GrantRole(ctx, auth.System, IdeasSlug, process.RoleInput{UserID: owner.ID, Role: process.RoleOwner}); err != nil {
			return nil, fmt.Errorf("demo: ideas owner role: %w", err)
		}
	}
	ideas := a.Ideas
	settings, err := ideas.Settings(ctx, auth.System, IdeasSlug)
	if err != nil {
		return nil, err
	}
	if len(settings.Themes) > 0 {
		return nil, nil
	}
	settings, err = ideas.PutSettings(ctx, auth.System, IdeasSlug,
		idea.SettingsInput{Rules: idea.Rules{SupportLimit: DemoSupportLimit}, Themes: demoThemes})
	if err != nil {
		return nil, fmt.Errorf("demo: idea settings: %w", err)
	}
	for n, d := range demoIdeas {
		// Residents who proposed the demo ideas; nobody signs in as them.
		resident, err := users.Provision(ctx, auth.System, user.SignUpInput{Email: fmt.Sprintf("resident%d@larkhaven.example", n+1),
			DisplayName: residentNames[n], Password: rand.Text()})
		if err != nil {
			return nil, fmt.Errorf("demo: resident: %w", err)
		}
		actor := auth.Principal{UserID: resident.ID, Verified: true}
		if _, err := ideas.Create(ctx, actor, IdeasSlug, idea.CreateInput{Title: d.title, Body: d.body,
			ThemeID: settings.Themes[d.theme].ID}); err != nil {
			return nil, fmt.Errorf("demo: idea %q: %w", d.title, err)
		}
	}
	return []string{fmt.Sprintf("%d ideas in %s", len(demoIdeas), IdeasSlug)}, nil
}

var residentNames = []string{"Amara Osei", "Tomasz Wiśniewski", "Leila Haddad", "Finn Gallagher", "Rosa Martín"}
