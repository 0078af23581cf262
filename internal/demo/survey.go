package demo

import (
	"context"
	"fmt"
	"time"

	"cocreate/internal/app"
	"cocreate/internal/auth"
	"cocreate/internal/markdown"
	"cocreate/internal/process"
	"cocreate/internal/user"
)

// The demo participant took part in the current process's drafting phase
// (written input to the drafting workshop's agenda), which has closed: its
// feedback survey is open to them.
const (
	ParticipantEmail    = "participant@larkhaven.example"
	ParticipantPassword = "larkhaven demo participant"
	workshopTitle       = "Drafting workshop: open session on the draft plan"
)

// workshopSQL stores the demo's past drafting workshop and returns its id.
const workshopSQL = `INSERT INTO meetings (process_id, kind, title, starts_at, ends_at, time_zone, place, agenda, agenda_html,
	published_at, created_by, created_at, updated_at)
	VALUES (?, 'open', ?, ?, ?, 'Europe/Dublin', 'Larkhaven City Hall, room 2', ?, ?, ?, ?, ?, ?) RETURNING id`

// workshopInputSQL stores the participant's written input to its agenda.
const workshopInputSQL = `INSERT INTO meeting_inputs (meeting_id, author_id, body, body_html, status, created_at)
	VALUES (?, ?, ?, ?, 'published', ?)`

// loadSurveyParticipant adds the demo participant and, inside the current
// process's drafting phase, a workshop with their input to its agenda. The
// rows are dated in the past, so they are written directly, not through the
// meeting service (which dates what it stores now).
func loadSurveyParticipant(ctx context.Context, a *app.App) ([]string, error) {
	cur, err := a.Processes.Get(ctx, CurrentSlug)
	if err != nil {
		return nil, err
	}
	var exists bool
	if err := a.DB.WithContext(ctx).Raw("SELECT EXISTS (SELECT 1 FROM meetings WHERE process_id = ? AND title = ?)", cur.ID, workshopTitle).
		Scan(&exists).Error; err != nil || exists {
		return nil, err
	}
	var drafting process.Phase
	for _, ph := range cur.Phases {
		if ph.Kind == process.PhaseDrafting {
			drafting = ph
		}
	}
	if drafting.Kind == "" {
		return nil, fmt.Errorf("demo: %s has no drafting phase", CurrentSlug)
	}
	who, err := a.Accounts.Provision(ctx, auth.System, user.SignUpInput{Email: ParticipantEmail, DisplayName: "Rowan Ellis", Password: ParticipantPassword})
	if err != nil {
		return nil, fmt.Errorf("demo: participant: %w", err)
	}
	starts := drafting.ClosesAt.Add(-10 * 24 * time.Hour)
	agenda := "1. The first draft, chapter by chapter\n2. Written input from residents\n3. What happens next"
	agendaHTML, err := markdown.Render(agenda)
	if err != nil {
		return nil, err
	}
	input := "Please leave time for the transport commitments: many of us cannot come to daytime meetings."
	inputHTML, err := markdown.Render(input)
	if err != nil {
		return nil, err
	}
	published := starts.Add(-14 * 24 * time.Hour)
	var id int64
	err = a.DB.WithContext(ctx).Raw(workshopSQL, cur.ID, workshopTitle, starts, starts.Add(2*time.Hour), agenda, agendaHTML,
		published, nil, published, published).Scan(&id).Error
	if err != nil {
		return nil, fmt.Errorf("demo: workshop: %w", err)
	}
	if err := a.DB.WithContext(ctx).Exec(workshopInputSQL, id, who.ID, input, inputHTML, starts.Add(-3*24*time.Hour)).Error; err != nil {
		return nil, fmt.Errorf("demo: workshop input: %w", err)
	}
	return []string{"account " + ParticipantEmail, "meeting " + workshopTitle}, nil
}
