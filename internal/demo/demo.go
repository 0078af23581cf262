// Package demo loads the demonstration data that `cocreate seed` and `make run`
// show: the open-government processes of Larkhaven, a fictional city. Each feature
// adds its part here so a fresh start shows the whole product.
package demo

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"cocreate/internal/app"
	"cocreate/internal/auth"
	"cocreate/internal/document"
	"cocreate/internal/process"
	"cocreate/internal/user"
)

// The demo processes' slugs; tests and the end-to-end suite rely on them.
const (
	CurrentSlug = "larkhaven-action-plan-2027"
	PastSlug    = "larkhaven-action-plan-2025"
	IdeasSlug   = "larkhaven-ideas-2028"
	YouthSlug   = "larkhaven-youth-2028"
)

// Load adds whatever part of the demo is missing and reports what it added; it
// is safe to run again and leaves existing data alone. Dates are set relative to
// now so the current process is always in its public-comment phase when first
// loaded (a's clock, which the caller holds still while loading).
func Load(ctx context.Context, a *app.App) ([]string, error) {
	now, procs := a.Now(), a.Processes
	admin := auth.System
	day := 24 * time.Hour
	start := now.UTC().Truncate(time.Hour)
	var added []string
	for _, in := range []process.CreateInput{
		{
			Slug:      PastSlug,
			Title:     "Larkhaven Open Government Action Plan 2025–2027",
			Summary:   pastSummary,
			Languages: []string{"en", "fr"},
			Phases: phasesFrom(start.Add(-800*day), []int{30, 45, 30, 30, 30, 540},
				[]process.PhaseKind{process.PhaseAgendaSetting, process.PhaseIdeaCollection, process.PhaseDrafting,
					process.PhasePublicComment, process.PhaseResponse, process.PhaseImplementation}),
		},
		{
			Slug:      CurrentSlug,
			Title:     "Larkhaven Open Government Action Plan 2027–2029",
			Summary:   currentSummary,
			Languages: []string{"en", "fr"},
			// Agenda setting, idea collection and drafting are over; the public
			// comment period opened a week ago and runs three more weeks.
			Phases: phasesFrom(start.Add(-97*day), []int{21, 35, 34, 28, 30, 730},
				[]process.PhaseKind{process.PhaseAgendaSetting, process.PhaseIdeaCollection, process.PhaseDrafting,
					process.PhasePublicComment, process.PhaseResponse, process.PhaseImplementation}),
		},
		{
			Slug:      IdeasSlug,
			Title:     "Larkhaven ideas for the 2028–2030 action plan",
			Summary:   ideasSummary,
			Languages: []string{"en", "fr"},
			// Agenda setting is over; idea collection opened ten days ago and
			// runs five more weeks.
			Phases: phasesFrom(start.Add(-31*day), []int{21, 45, 30},
				[]process.PhaseKind{process.PhaseAgendaSetting, process.PhaseIdeaCollection, process.PhaseDrafting}),
		},
		{
			Slug:      YouthSlug,
			Title:     "Larkhaven youth panel: ideas for 2028",
			Summary:   youthSummary,
			Languages: []string{"en", "fr"},
			// Pre-moderated: every idea waits for a moderator.
			Phases: phasesFrom(start.Add(-3*day), []int{30, 30},
				[]process.PhaseKind{process.PhaseIdeaCollection, process.PhaseDrafting}),
		},
	} {
		p, err := procs.Get(ctx, in.Slug)
		if err == nil {
			if !p.Public() {
				// Left unpublished by an earlier run that stopped half-way.
				if _, _, err := procs.Publish(ctx, admin, in.Slug); err != nil {
					return added, fmt.Errorf("demo: publish %s: %w", in.Slug, err)
				}
				added = append(added, "publication of "+in.Slug)
			}
			continue
		}
		if !errors.Is(err, process.ErrNotFound) {
			return added, err
		}
		if _, err := procs.Create(ctx, admin, in); err != nil {
			return added, fmt.Errorf("demo: process %s: %w", in.Slug, err)
		}
		// The demo's processes are open to the public (new ones start unpublished).
		if _, _, err := procs.Publish(ctx, admin, in.Slug); err != nil {
			return added, fmt.Errorf("demo: publish %s: %w", in.Slug, err)
		}
		added = append(added, "process "+in.Slug)
	}
	more, err := loadDraft(ctx, a)
	added = append(added, more...)
	if err != nil {
		return added, err
	}
	more, err = loadIdeas(ctx, a)
	added = append(added, more...)
	if err != nil {
		return added, err
	}
	more, err = loadYouthPanel(ctx, a)
	added = append(added, more...)
	if err != nil {
		return added, err
	}
	more, err = loadForum(ctx, a)
	added = append(added, more...)
	if err != nil {
		return added, err
	}
	more, err = loadMandate(ctx, a)
	added = append(added, more...)
	if err != nil {
		return added, err
	}
	more, err = loadSurveyParticipant(ctx, a)
	added = append(added, more...)
	if err != nil {
		return added, err
	}
	more, err = loadCommitments(ctx, a)
	added = append(added, more...)
	if err != nil {
		return added, err
	}
	more, err = loadPastConsultation(ctx, a)
	return append(added, more...), err
}

// The demo process owner, who can import and publish versions of the draft.
const (
	OwnerEmail    = "owner@larkhaven.example"
	OwnerPassword = "larkhaven demo owner"
	DraftTitle    = "Draft action plan 2027–2029"
)

//go:embed draft-2027.md
var draft2027 string

// loadDraft adds the demo owner and the current process's draft, published.
func loadDraft(ctx context.Context, a *app.App) ([]string, error) {
	var added []string
	procs, users := a.Processes, a.Accounts
	owner, err := users.Provision(ctx, auth.System, user.SignUpInput{Email: OwnerEmail, DisplayName: "Larkhaven Open Government Office", Password: OwnerPassword})
	if err != nil {
		return added, fmt.Errorf("demo: owner: %w", err)
	}
	cur, err := procs.Get(ctx, CurrentSlug)
	if err != nil {
		return added, err
	}
	// Granting again would end the owner's sessions; grant only once.
	if isOwner, err := procs.HasRole(ctx, cur.ID, owner.ID, process.RoleOwner); err != nil {
		return added, err
	} else if !isOwner {
		if _, err := procs.GrantRole(ctx, auth.System, CurrentSlug, process.RoleInput{UserID: owner.ID, Role: process.RoleOwner}); err != nil {
			return added, fmt.Errorf("demo: owner role: %w", err)
		}
	}
	docs := a.Documents
	existing, err := docs.ListForProcess(ctx, auth.System, CurrentSlug)
	if err != nil {
		return added, err
	}
	if len(existing) > 0 {
		return added, nil
	}
	d, err := docs.Create(ctx, auth.System, CurrentSlug, document.CreateInput{Title: DraftTitle, Language: "en"})
	if err != nil {
		return added, fmt.Errorf("demo: draft: %w", err)
	}
	_, v, _, err := docs.Import(ctx, auth.System, d.ID, document.ImportInput{Format: document.FormatMarkdown, Source: draft2027,
		Note: "First draft, from the ideas of the idea-collection phase."})
	if err != nil {
		return added, fmt.Errorf("demo: import: %w", err)
	}
	if _, err := docs.Publish(ctx, auth.System, d.ID, v.Number); err != nil {
		return added, fmt.Errorf("demo: publish: %w", err)
	}
	return append(added, "account "+OwnerEmail, "document "+DraftTitle), nil
}

// phasesFrom lays phases end to end from start, each lasting the given days.
func phasesFrom(start time.Time, days []int, kinds []process.PhaseKind) []process.PhaseInput {
	out := make([]process.PhaseInput, len(kinds))
	t := start
	for i, k := range kinds {
		end := t.Add(time.Duration(days[i]) * 24 * time.Hour)
		out[i] = process.PhaseInput{Kind: k, OpensAt: t, ClosesAt: end}
		t = end
	}
	return out
}

const currentSummary = `Larkhaven's third action plan is being written **with** the people who live
and work here. Over the past months residents, neighbourhood associations and
city staff set the agenda and proposed ideas for commitments; the
multi-stakeholder forum turned them into a draft.

The draft is now open for public comment. Comment on any paragraph, say what
is missing, and see how the forum answers every contribution.

Themes of this cycle:

- open contracting for city public works
- a public register of lobbying meetings
- participatory budgeting in every district
- accessible, machine-readable council data`

const pastSummary = `Larkhaven's second action plan (2025–2027) made five commitments, among them
open council meeting records and a beneficial-ownership register for city
suppliers. The cycle is complete; its final progress report is published.`
