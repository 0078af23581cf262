package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"cocreate/internal/app"
	"cocreate/internal/auth"
	"cocreate/internal/comment"
	"cocreate/internal/contribution"
	"cocreate/internal/document"
	"cocreate/internal/user"
)

// PastDraftTitle is the draft the ended process put to public comment.
const PastDraftTitle = "Draft action plan 2025–2027"

const pastDraft = `# Draft action plan 2025–2027

## Open data

The city will publish its budget and spending as open data every quarter.

## Participation

Residents will be able to follow and comment on council decisions online.
`

// pastComments are what residents said on the ended process's draft: the
// paragraph each is about (0: open data, 1: participation) and its author.
var pastComments = []struct {
	para   int
	author int
	body   string
}{
	{0, 0, "Every quarter is too rare: publish spending every month."},
	{0, 1, "Please include the spending of the city's companies too."},
	{0, 2, "Publish it in a format a spreadsheet opens."},
	{0, 3, "Monthly, and with the name of each supplier."},
	{0, 4, "Explain the budget lines in plain language."},
	{0, 5, "A map of spending per district would help."},
	{1, 0, "Stream the council meetings as well."},
	{1, 2, "Let us comment before the vote, not after."},
}

// loadPastConsultation gives the ended process what its public-comment
// phase received: a draft, residents' comments on it and one received on
// paper, made with the clock inside that phase. Its close-out report has
// figures to show (the most discussed paragraph above the minimum group
// size, the others "fewer than 5").
func loadPastConsultation(ctx context.Context, a *app.App) ([]string, error) {
	existing, err := a.Documents.ListForProcess(ctx, auth.System, PastSlug)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return nil, nil
	}
	p, err := a.Processes.Get(ctx, PastSlug)
	if err != nil {
		return nil, err
	}
	var at time.Time
	for _, ph := range p.Phases {
		if ph.Kind == "public_comment" {
			at = ph.OpensAt.Add(5 * 24 * time.Hour)
		}
	}
	if at.IsZero() {
		return nil, nil // a process made otherwise (by a test) without the phase
	}
	past := app.New(app.Deps{DB: a.DB, Config: a.Config, Log: a.Log, Now: func() time.Time { return at }, Unscreened: true})
	d, err := past.Documents.Create(ctx, auth.System, PastSlug, document.CreateInput{Title: PastDraftTitle, Language: "en"})
	if err != nil {
		return nil, fmt.Errorf("demo: past draft: %w", err)
	}
	_, v, blocks, err := past.Documents.Import(ctx, auth.System, d.ID, document.ImportInput{Format: document.FormatMarkdown, Source: pastDraft})
	if err != nil {
		return nil, fmt.Errorf("demo: past draft import: %w", err)
	}
	if _, err := past.Documents.Publish(ctx, auth.System, d.ID, v.Number); err != nil {
		return nil, fmt.Errorf("demo: past draft publish: %w", err)
	}
	var keys []string
	for _, b := range blocks {
		if b.Kind == "paragraph" {
			keys = append(keys, b.Key)
		}
	}
	var residents []auth.Principal
	for i, name := range []string{"Ada Okafor", "Bruno Silva", "Chloé Martin", "Dev Patel", "Eilidh Ross", "Farid Haddad"} {
		u, err := a.Accounts.Provision(ctx, auth.System, user.SignUpInput{Email: fmt.Sprintf("resident%d.2025@larkhaven.example", i+1),
			DisplayName: name, Password: rand.Text()})
		if err != nil {
			return nil, fmt.Errorf("demo: past resident: %w", err)
		}
		residents = append(residents, auth.Principal{UserID: u.ID, Verified: true})
	}
	for _, c := range pastComments {
		if _, err := past.Comments.Create(ctx, residents[c.author], d.ID, comment.CreateInput{Key: keys[c.para], Version: v.Number, Body: c.body}); err != nil {
			return nil, fmt.Errorf("demo: past comment: %w", err)
		}
	}
	owner, err := a.Accounts.ByEmail(ctx, auth.System, OwnerEmail)
	if err != nil {
		return nil, fmt.Errorf("demo: owner: %w", err)
	}
	who, day := "Larkhaven Pensioners' Club", at.Truncate(24*time.Hour)
	if _, err := past.Comments.Create(ctx, auth.Principal{UserID: owner.ID, Verified: true}, d.ID, comment.CreateInput{Key: keys[0], Version: v.Number,
		Body:     "Print the quarterly figures in the city magazine for those of us without internet.",
		Received: &contribution.Provenance{Channel: contribution.ChannelPaper, Contributor: &who, ReceivedOn: &day}}); err != nil {
		return nil, fmt.Errorf("demo: past offline comment: %w", err)
	}
	return []string{fmt.Sprintf("%d comments on %s", len(pastComments)+1, PastDraftTitle)}, nil
}
