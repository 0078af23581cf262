package survey

import (
	"context"
	"fmt"

	"cocreate/internal/database"
	"cocreate/internal/mail"
)

// phaseNames name the phases in invitations.
var phaseNames = map[string]string{"agenda_setting": "agenda setting", "idea_collection": "idea collection",
	"drafting": "drafting", "public_comment": "public comment", "response": "response", "implementation": "implementation"}

// Invite e-mails the people who took part in each phase whose survey has
// opened (its phase closed less than Window ago), once per phase: the claim
// of the phase and the messages commit together. Cocreate has no
// notification settings yet; suspended and deleted accounts get nothing. It
// returns how many messages it queued.
func (s *Service) Invite(ctx context.Context) (int, error) {
	now := s.opt.Now().UTC()
	phases, err := s.store.Invitable(ctx, now)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, ph := range phases {
		n := 0
		err := database.InTx(ctx, s.db, func(ctx context.Context) error {
			first, err := s.store.ClaimInvitation(ctx, ph.ProcessID, ph.Kind, now)
			if err != nil || !first {
				return err
			}
			people, err := s.store.Participants(ctx, ph.ProcessID, ph.OpensAt, ph.ClosesAt)
			if err != nil {
				return err
			}
			closes := ph.ClosesAt.Add(Window).Format("2 January 2006")
			subject := fmt.Sprintf("How was taking part in %q? A short survey", ph.Title)
			body := fmt.Sprintf("You took part in the %s phase of %q, which has closed. Tell the team how it went: "+
				"a few short questions, answered once, until %s.\n\n%s\n\n"+
				"Your answer is not published with your name; free text is read by a moderator before it is.\n",
				phaseNames[ph.Kind], ph.Title, closes, s.link("/processes/%s/surveys/%s", ph.Slug, ph.Kind))
			for _, p := range people {
				id := p.ID
				if err := mail.Enqueue(ctx, s.db, mail.Message{UserID: &id, Kind: "survey_invitation", To: p.Email,
					Subject: subject, Body: body}); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return sent, err
		}
		sent += n
	}
	return sent, nil
}

// Work is the survey's background round that serve runs: invitations to the
// surveys that opened, then the sweep of those that closed.
func (s *Service) Work(ctx context.Context) (int, int64, error) {
	invited, err := s.Invite(ctx)
	if err != nil {
		return invited, 0, err
	}
	swept, err := s.Sweep(ctx)
	return invited, swept, err
}
