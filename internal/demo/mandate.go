package demo

import (
	"context"
	"fmt"
	"time"

	"cocreate/internal/app"
	"cocreate/internal/auth"
	"cocreate/internal/process"
	"cocreate/internal/update"
)

// UpdateTitle is the title of the current process's demo update.
const UpdateTitle = "The draft is open for comment"

// loadMandate gives the current process its engagement mandate and a first
// update, once.
func loadMandate(ctx context.Context, a *app.App) ([]string, error) {
	procs := a.Processes
	cur, err := procs.Get(ctx, CurrentSlug)
	if err != nil {
		return nil, err
	}
	m, err := procs.Mandate(ctx, cur.ID)
	if err != nil {
		return nil, err
	}
	if m.UpdatedAt != nil {
		return nil, nil
	}
	// The decision points follow the phases: the end of public comment, the
	// forum's responses, and the adoption of the plan.
	var comment, response process.Phase
	for _, ph := range cur.Phases {
		switch ph.Kind {
		case process.PhasePublicComment:
			comment = ph
		case process.PhaseResponse:
			response = ph
		}
	}
	level := process.IAP2Involve
	_, err = procs.PutMandate(ctx, auth.System, CurrentSlug, process.MandateInput{
		Purpose: "Larkhaven is writing its third open-government action plan: the commitments the city will keep " +
			"over the next two years to be more open, accountable and responsive. We ask for your comments on the " +
			"draft so that the plan answers what residents need.",
		OpenItems: []string{
			"Which commitments the plan keeps, and their order of priority",
			"The wording, milestones and dates of each commitment",
			"New commitments within the themes of this cycle",
		},
		FixedItems: []string{
			"The plan runs from 2027 to 2029 (set by the Open Government Partnership's calendar)",
			"Commitments must be paid for from the existing city budget",
		},
		UseOfInput: "The multi-stakeholder forum reads every comment and publishes a reasoned response to each, " +
			"saying whether the draft was changed and why. The final plan shows what changed since the draft.",
		DecisionMaker: "The multi-stakeholder forum proposes the plan; the city council adopts it.",
		DecisionPoints: []process.DecisionPoint{
			{Label: "End of public comment", Date: comment.ClosesAt.Format(time.DateOnly)},
			{Label: "The forum's responses published", Date: response.ClosesAt.Format(time.DateOnly)},
			{Label: "The council adopts the plan", Date: response.ClosesAt.AddDate(0, 0, 14).Format(time.DateOnly)},
		},
		IAP2Level:    &level,
		ContactName:  "Larkhaven Open Government Office",
		ContactEmail: "open@larkhaven.example",
		PrivacyNotice: "We collect your display name and your comments, and publish them with the plan. " +
			"Your e-mail address is never published.\n\n" +
			"Comments are kept for **five years** after the plan is adopted, as the city's records rules ask; " +
			"then they are deleted. Write to open@larkhaven.example to see or delete what we hold about you.",
	})
	if err != nil {
		return nil, fmt.Errorf("demo: mandate: %w", err)
	}
	_, err = a.Updates.Create(ctx, auth.System, CurrentSlug, update.Input{Title: UpdateTitle,
		Body: "The forum has published the draft action plan. Comment on any paragraph until the end of the " +
			"public-comment phase; every comment gets a reasoned response."})
	if err != nil {
		return nil, fmt.Errorf("demo: update: %w", err)
	}
	return []string{"mandate of " + CurrentSlug, "update of " + CurrentSlug}, nil
}
